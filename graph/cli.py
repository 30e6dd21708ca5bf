"""The `biopipelines` command: argument parsing and the one place where errors become exit codes.

Exit codes: 0 ok, 1 internal error, 2 bad input or config, 3 validation failed after all attempts (files kept),
4 no workflow written (refused, not a workflow request, unsupported analysis, or a clarifying question asked),
130 interrupted.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
import warnings
from typing import Sequence

from graph.errors import UserError


def _add_profile(p: argparse.ArgumentParser) -> None:
    p.add_argument("--profile", help="profile name under config/profiles/ or a path to a profile YAML "
                                      "(default: $BIOPIPELINES_PROFILE or 'offline')")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="biopipelines", description="Plain-language requests in, validated "
                                     "Snakemake workflows out.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("generate", help="generate a validated Snakemake workflow from a request")
    p.add_argument("query", metavar="QUERY", help="the request, or - to read it from standard input")
    p.add_argument("--out", required=True, help="directory to write the workflow into (new or empty)")
    p.add_argument("--force", action="store_true", help="write into a non-empty --out directory")
    p.add_argument("--json", action="store_true", help="print report.json to standard output")
    p.add_argument("--max-attempts", type=int, help="coder/validator attempts (default from the profile)")
    _add_profile(p)

    p = sub.add_parser("classify", help="show the intent, analysis type and entities of a request")
    p.add_argument("query", metavar="QUERY", help="the request, or - to read it from standard input")
    p.add_argument("--json", action="store_true", help="print JSON")
    _add_profile(p)

    p = sub.add_parser("validate", help="run the static screen, snakemake --lint and the .test dry run on a workflow")
    p.add_argument("directory", metavar="DIR")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--timeout", type=float, default=120.0, help="seconds per check (default 120)")

    p = sub.add_parser("doctor", help="show roles, endpoints and their health for a profile")
    p.add_argument("--json", action="store_true", help="print JSON")
    _add_profile(p)

    p = sub.add_parser("chat", help="a conversation: generate, refine and ask questions")
    p.add_argument("--thread", help="resume this thread id (default: a new thread)")
    p.add_argument("--db", help="SQLite checkpoint file (default: $BIOPIPELINES_CHECKPOINT_DB or "
                                "~/.biopipelines/threads.sqlite)")
    _add_profile(p)
    return parser


def _dispatch(args: argparse.Namespace) -> int:
    if args.command == "generate":
        from graph.commands.generate import run_generate

        return run_generate(args)
    if args.command == "classify":
        from graph.commands.classify import run_classify

        return run_classify(args)
    if args.command == "validate":
        from graph.commands.validate import run_validate

        return run_validate(args)
    if args.command == "doctor":
        from graph.commands.doctor import run_doctor

        return run_doctor(args)
    from graph.repl import run_chat

    return run_chat(args)


def main(argv: Sequence[str] | None = None) -> int:
    warnings.filterwarnings("ignore")  # library deprecation chatter is not the user's problem
    args = build_parser().parse_args(argv)
    try:
        return _dispatch(args)
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
