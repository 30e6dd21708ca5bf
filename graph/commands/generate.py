"""`biopipelines generate`: one request through the graph, the workflow and report.json written to --out."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from biopipelines.graph.commands.endpoint_option import add_endpoint_option
from biopipelines.graph.commands.options import add_profile_option


def add_parser(sub) -> None:
    p = sub.add_parser("generate", help="generate a validated Snakemake workflow from a request")
    p.add_argument("query", metavar="QUERY", help="the request, or - to read it from standard input")
    p.add_argument("--out", required=True, help="directory to write the workflow into (new or empty)")
    p.add_argument("--force", action="store_true", help="write into a non-empty --out directory")
    p.add_argument("--json", action="store_true", help="print report.json to standard output")
    p.add_argument("--max-attempts", type=int, help="coder/validator attempts (default from the profile)")
    p.add_argument("--stream", action="store_true", help="print the models' tokens to standard error as they come")
    add_profile_option(p)
    add_endpoint_option(p)


def run(args: argparse.Namespace) -> int:
    # Imported here, not at the top: the CLI imports every command's module to build its parser, and LangGraph,
    # LangChain and the report cost seconds that `classify` or `--help` would otherwise pay.
    from langchain_core.messages import HumanMessage

    from biopipelines.core.settings import load_settings
    from biopipelines.graph.report import WORKFLOW_STATUSES, build_report, exit_code, prepare_out_dir, write_workflow
    from biopipelines.graph.request_input import read_request
    from biopipelines.nodes.state import RunContext

    settings = load_settings(args.profile, overrides={"max_attempts": args.max_attempts}, endpoints=args.endpoint)
    query = read_request(args.query, sys.stdin.buffer, settings.profile.max_request_chars)
    out = Path(args.out).expanduser()
    prepare_out_dir(out, args.force)
    from biopipelines.validation.sandbox import probe_isolation_early

    probe_isolation_early()  # its subprocess runs while LangGraph and the graph's modules import

    from biopipelines.graph.builder import build_graph

    graph = build_graph(settings)
    state: dict = {}
    # "messages" makes LangGraph stream each node's model tokens (ChatOpenAI switches to SSE under it)
    modes = ["updates", "values"] + (["messages"] if args.stream else [])
    for mode, chunk in graph.stream({"messages": [HumanMessage(query)]}, context=RunContext(), stream_mode=modes):
        if mode == "updates" and not args.json:
            for node in chunk:
                print(f"  [{node}] done", file=sys.stderr, flush=True)
        elif mode == "messages":
            _print_token(*chunk)
        elif mode == "values":
            state = chunk

    if args.stream:
        print(file=sys.stderr)
    report = build_report(state, settings.profile.name)
    files = state.get("files", {}) if report["status"] in WORKFLOW_STATUSES else {}
    if files:
        write_workflow(out, files, report)
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print(report["answer"])
        if files:
            print(f"Wrote {len(files) + 1} files to {out} (status: {report['status']}).")
    return exit_code(report["status"])


def _print_token(message, metadata: dict) -> None:
    """Only model chunks: a node's final message also arrives in this mode, and is printed with the answer."""
    if type(message).__name__ == "AIMessageChunk" and isinstance(message.content, str) and message.content:
        print(message.content, end="", file=sys.stderr, flush=True)
