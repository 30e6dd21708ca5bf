"""`biopipelines status DIR`: what the workflow's runs did, from their records (DIR/.biopipelines/runs/)."""

from __future__ import annotations

import argparse
import json

from biopipelines.graph.commands.run import workflow_dir


def add_parser(sub) -> None:
    p = sub.add_parser("status", help="what ran, what failed and why, from a workflow's run records")
    p.add_argument("directory", metavar="DIR", help="a workflow directory that `biopipelines run` ran")
    p.add_argument("--json", action="store_true", help="print the latest run record (and the earlier runs' ids)")
    p.add_argument("--all", action="store_true", help="list every run, not only the latest")


def run(args: argparse.Namespace) -> int:
    directory = workflow_dir(args.directory)
    from biopipelines.core.run_record import load_records
    from biopipelines.nodes.offline.run_status import describe_runs

    records = load_records(directory)
    if args.json:
        latest = records[-1].model_dump(mode="json") if records else None
        print(json.dumps({"workflow_dir": str(directory.resolve()), "runs": [r.id for r in records],
                          "latest": latest}, indent=2))
    else:
        print(describe_runs(records, directory, every=args.all))
    return 0
