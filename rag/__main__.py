"""Build (or check) the knowledge index: `python -m biopipelines.rag [--profile NAME] [--force]`.

Prints the manifest, so a user can see which model, corpus hash and location the experts will use.
"""

from __future__ import annotations

import argparse
import sys
import time

from biopipelines.core.errors import UserError
from biopipelines.core.settings import load_settings
from biopipelines.rag.embeddings import load_embeddings
from biopipelines.rag.index import index_dir, load_or_build, model_id_of


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m biopipelines.rag", description=__doc__.splitlines()[0])
    parser.add_argument("--profile", help="profile whose embeddings role to use (default: $BIOPIPELINES_PROFILE, "
                                          "else offline)")
    parser.add_argument("--force", action="store_true", help="rebuild even if the index is current")
    args = parser.parse_args(argv)
    try:
        embeddings = load_embeddings(load_settings(args.profile))
        model_id = model_id_of(embeddings)
        started = time.perf_counter()
        loaded = load_or_build(embeddings, model_id, directory=index_dir(model_id), force=args.force)
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    action = "built" if loaded.rebuilt else "up to date, loaded"
    print(f"index {action} in {time.perf_counter() - started:.1f} s: {loaded.directory}")
    print(loaded.manifest.model_dump_json(indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
