"""The `biopipelines` command: argument parsing and the one place where errors become exit codes.

Each command is a module in graph/commands/ with `add_parser(subparsers)` and `run(args) -> int`; heavy imports
happen inside `run`, so `--help` and bad input answer fast.

Exit codes: 0 ok, 1 internal error, 2 bad input or config, 3 validation failed after all attempts (files kept),
4 no workflow written (refused, not a workflow request, unsupported analysis, or a clarifying question asked),
5 partial: a validated workflow that leaves some of the request's asks undone (README and answer say which),
6 `run`: a job of the workflow failed (the run record and `status` say which and why), 130 interrupted.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import traceback
import warnings
from typing import Sequence

from biopipelines.core.errors import UserError

COMMANDS = ("generate", "classify", "validate", "doctor", "chat", "plan-gpus", "deploy", "eval", "library", "index",
            "search", "eval-retrieval", "cost", "serve", "analyze", "run", "status")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="biopipelines", description="Plain-language requests in, validated "
                                     "Snakemake workflows out.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMANDS:
        module = importlib.import_module(f"biopipelines.graph.commands.{name.replace('-', '_')}")
        module.add_parser(sub)
    return parser


def _run(args: argparse.Namespace) -> int:
    module = importlib.import_module(f"biopipelines.graph.commands.{args.command.replace('-', '_')}")
    return module.run(args)


def main(argv: Sequence[str] | None = None) -> int:
    warnings.filterwarnings("ignore")  # library deprecation chatter is not the user's problem
    args = build_parser().parse_args(argv)
    try:
        return _run(args)
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # the last line of defence: one line, never a traceback unless asked for
        if os.environ.get("BIOPIPELINES_DEBUG"):
            traceback.print_exc()
        first = str(exc).splitlines()[0] if str(exc) else ""
        print(f"internal error: {type(exc).__name__}: {first[:300]} (set BIOPIPELINES_DEBUG=1 for a traceback)",
              file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
