"""`biopipelines serve` for the serving benchmark: the same command and app, with Snakemake's checks replaced by the
passing stand-in every graph benchmark uses (bench/_graphs.py), so the figures are serving + graph + model time.

    python bench/serve_app.py serve --workers 2 --port 8000 --checkpointer postgres:DSN --profile delay.yaml
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

FACTORY = "bench.serve_app:create_app"


def create_app():
    """Called by uvicorn in each worker: the settings and checkpointer from the environment, as in production."""
    from bench._common import passing_validate
    from biopipelines.core.settings import load_settings
    from biopipelines.graph.server import create_app as production_app
    from biopipelines.llm.factory import ModelFactory
    from biopipelines.nodes.deps import NodeDeps

    settings = load_settings()
    deps = NodeDeps(settings=settings, models=ModelFactory(settings), validate=passing_validate)
    return production_app(deps=deps)


def main() -> int:
    from biopipelines.graph.cli import build_parser
    from biopipelines.graph.commands import serve

    args = build_parser().parse_args(sys.argv[1:])
    if args.command != "serve":
        raise SystemExit("usage: bench/serve_app.py serve [serve's options]")
    return serve.run(args, factory=FACTORY)


if __name__ == "__main__":
    sys.exit(main())
