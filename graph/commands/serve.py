"""`biopipelines serve`: the graph behind an HTTP API (graph/server.py), in N uvicorn worker processes over one
checkpointer, so any worker can continue any thread."""

from __future__ import annotations

import argparse
import os
import sys

from biopipelines.graph.commands.options import add_profile_option

APP_FACTORY = "biopipelines.graph.server:create_app"


def add_parser(sub) -> None:
    p = sub.add_parser("serve", help="serve the graph over HTTP to many users (threads persist across restarts)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000)")
    p.add_argument("--workers", type=int, default=1, help="worker processes (default: 1)")
    p.add_argument("--checkpointer", help="sqlite:PATH or postgres:DSN (default: $BIOPIPELINES_CHECKPOINTER, else "
                                          "sqlite: the REPL's checkpoint file); a DSN with a password is better "
                                          "passed in $BIOPIPELINES_CHECKPOINTER than on the command line")
    add_profile_option(p)


def run(args: argparse.Namespace, factory: str = APP_FACTORY) -> int:
    """`factory` is what each worker calls for its app (bench/serve_app.py passes one with stand-in checks)."""
    from biopipelines.core.errors import InputError
    from biopipelines.core.settings import load_settings
    from biopipelines.graph.checkpoints import CheckpointerSpec, prepare_checkpointer
    from biopipelines.graph.server import ENV_CHECKPOINTER

    if args.workers < 1:
        raise InputError(f"--workers {args.workers}: at least 1")
    if not 0 < args.port < 65536:
        raise InputError(f"--port {args.port}: expected 1-65535")
    settings = load_settings(args.profile)  # a bad profile fails here, once, not in every worker
    text = args.checkpointer or os.environ.get(ENV_CHECKPOINTER) or f"sqlite:{settings.checkpoint_db}"
    spec = CheckpointerSpec.parse(text)
    prepare_checkpointer(spec)
    # uvicorn starts each worker afresh and it calls the factory with no arguments: it reads these
    os.environ[ENV_CHECKPOINTER] = f"{spec.kind}:{spec.target}"
    if args.profile:
        os.environ["BIOPIPELINES_PROFILE"] = args.profile
    print(f"serving on http://{args.host}:{args.port} ({args.workers} worker(s), checkpointer {spec.describe()}, "
          f"profile {settings.profile.name})", file=sys.stderr, flush=True)
    return serve_app(factory, args.host, args.port, args.workers)


def serve_app(factory: str, host: str, port: int, workers: int) -> int:
    """Run `factory` (module:function, called in each worker) under uvicorn until SIGINT or SIGTERM."""
    import uvicorn

    uvicorn.run(factory, factory=True, host=host, port=port, workers=workers, log_level="warning",
                timeout_graceful_shutdown=30, backlog=2048)
    return 0
