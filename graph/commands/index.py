"""`biopipelines index build`: embed the knowledge corpus and store the FAISS index with its manifest.

The index lives under $BIOPIPELINES_INDEX_DIR (default ~/.cache/biopipelines/index), one directory per embedding
model. It is loaded as is when current and rebuilt when the cards or the model changed; --force always rebuilds.
"""

from __future__ import annotations

import argparse
import json

from biopipelines.graph.commands.options import add_profile_option


def add_parser(sub) -> None:
    p = sub.add_parser("index", help="build the knowledge-base index used by retrieval")
    actions = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    build = actions.add_parser("build", help="embed the knowledge cards (skipped when the index is current)")
    build.add_argument("--force", action="store_true", help="rebuild even if the index is current")
    build.add_argument("--json", action="store_true", help="print the manifest as JSON")
    add_profile_option(build)


def run(args: argparse.Namespace) -> int:
    import time

    from biopipelines.core.settings import load_settings
    from biopipelines.rag.embeddings import load_embeddings
    from biopipelines.rag.index import index_dir, load_or_build, model_id_of

    embeddings = load_embeddings(load_settings(args.profile))
    model_id = model_id_of(embeddings)
    started = time.perf_counter()
    loaded = load_or_build(embeddings, model_id, directory=index_dir(model_id), force=args.force)
    seconds = round(time.perf_counter() - started, 2)
    if args.json:
        print(json.dumps({"action": "built" if loaded.rebuilt else "loaded", "seconds": seconds,
                          "directory": str(loaded.directory), "manifest": loaded.manifest.model_dump()}, indent=2))
        return 0
    m = loaded.manifest
    action = "built" if loaded.rebuilt else "up to date (loaded)"
    print(f"index {action} in {seconds:.1f} s: {loaded.directory}")
    print(f"  model {m.model_id} (dim {m.dimension}), {m.card_count} cards, {m.chunk_count} chunks, "
          f"{m.sentence_count} sentences, corpus {m.corpus_hash[:12]}, built {m.built_at}")
    return 0
