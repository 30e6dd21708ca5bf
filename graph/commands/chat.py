"""`biopipelines chat`: the REPL (graph/repl.py)."""

from __future__ import annotations

import argparse

from biopipelines.graph.commands.endpoint_option import add_endpoint_option
from biopipelines.graph.commands.options import add_profile_option


def add_parser(sub) -> None:
    p = sub.add_parser("chat", help="a conversation: generate, refine and ask questions")
    p.add_argument("--thread", help="resume this thread id (default: a new thread)")
    p.add_argument("--db", help="SQLite checkpoint file (default: $BIOPIPELINES_CHECKPOINT_DB or "
                                "~/.biopipelines/threads.sqlite)")
    add_profile_option(p)
    add_endpoint_option(p)


def run(args: argparse.Namespace) -> int:
    from biopipelines.graph.repl import run_chat

    return run_chat(args)
