"""`biopipelines search QUERY`: query the knowledge base directly (hybrid BM25 + dense retrieval)."""

from __future__ import annotations

import argparse
import json
import sys

from biopipelines.graph.commands.options import add_profile_option

MAX_K = 50


def add_parser(sub) -> None:
    p = sub.add_parser("search", help="search the knowledge cards")
    p.add_argument("query", metavar="QUERY", help="what to look for, or - to read it from standard input")
    p.add_argument("--k", type=int, default=5, help=f"number of cards to show (1-{MAX_K}, default 5)")
    p.add_argument("--json", action="store_true", help="print JSON")
    add_profile_option(p)


def run(args: argparse.Namespace) -> int:
    from biopipelines.core.errors import InputError
    from biopipelines.graph.request_input import read_request
    from biopipelines.core.settings import load_settings

    if not 1 <= args.k <= MAX_K:
        raise InputError(f"--k must be between 1 and {MAX_K}, got {args.k}")
    if args.query != "-" and not args.query.strip():
        raise InputError("the search query is empty; e.g. biopipelines search \"VQSR or hard filtering\"")
    settings = load_settings(args.profile)
    query = read_request(args.query, sys.stdin.buffer, settings.profile.max_request_chars)

    from biopipelines.rag.embeddings import load_embeddings
    from biopipelines.rag.retriever import Retriever

    hits = Retriever.for_embeddings(load_embeddings(settings)).search(query, k=args.k)
    if args.json:
        print(json.dumps([h.model_dump() for h in hits], indent=2))
        return 0
    if not hits:
        print("no matching cards")
    for rank, hit in enumerate(hits, 1):
        doi = f"  doi:{hit.doi}" if hit.doi else ""
        print(f"{rank}. [{hit.card_id}] {hit.title}{doi}")
        print(f"   cosine {hit.dense_score:.2f}  bm25 {hit.bm25_score:.1f}  {hit.heading or ''}".rstrip())
        snippet = " ".join(hit.text.split())
        print(f"   {snippet[:240]}{'...' if len(snippet) > 240 else ''}")
    return 0
