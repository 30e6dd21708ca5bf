"""`biopipelines eval-retrieval FILE`: recall@k and MRR of the knowledge-base retriever on a labelled query set
(JSON Lines of {"query": ..., "relevant": [card ids]}; the project's own set is tests/data/retrieval_eval.jsonl)."""

from __future__ import annotations

import argparse
from pathlib import Path

from biopipelines.graph.commands.options import add_profile_option


def add_parser(sub) -> None:
    p = sub.add_parser("eval-retrieval", help="measure retrieval recall@k and MRR on a labelled query set")
    p.add_argument("file", metavar="FILE", type=Path, help="JSON Lines: {\"query\": ..., \"relevant\": [card ids]}")
    p.add_argument("--k", type=int, default=5, help="cut-off for recall (default 5)")
    p.add_argument("--json", action="store_true", help="print JSON (with every miss)")
    add_profile_option(p)


def run(args: argparse.Namespace) -> int:
    from biopipelines.core.errors import InputError
    from biopipelines.core.settings import load_settings
    from biopipelines.rag.evaluate import evaluate, load_labelled

    if not 1 <= args.k <= 50:
        raise InputError(f"--k must be between 1 and 50, got {args.k}")
    queries = load_labelled(args.file)  # bad file: one line and exit 2, before the model loads
    settings = load_settings(args.profile)

    from biopipelines.rag.embeddings import load_embeddings
    from biopipelines.rag.retriever import Retriever

    report = evaluate(Retriever.for_embeddings(load_embeddings(settings)), queries, k=args.k, file=str(args.file))
    if args.json:
        print(report.model_dump_json(indent=2))
        return 0
    print(f"{report.queries} queries, model {report.model_id}: recall@{report.k} {report.recall_at_k:.3f}, "
          f"MRR@{report.mrr_depth} {report.mrr:.3f}")
    for miss in report.misses:
        print(f"  miss: {miss.query!r} wants {', '.join(miss.relevant)}; got {', '.join(miss.retrieved)}")
    return 0
