"""`biopipelines analyze DIR`: figures (PNG + SVG) and an HTML report from an executed workflow's results."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from biopipelines.graph.commands.endpoint_option import add_endpoint_option
from biopipelines.graph.commands.options import add_profile_option


def add_parser(sub) -> None:
    p = sub.add_parser("analyze", help="plot an executed workflow's results and write an HTML report")
    p.add_argument("directory", metavar="DIR", help="a workflow written by `generate`, after it has run "
                                                    "(DIR/.test after `run --test`)")
    p.add_argument("--out", metavar="OUT", help="where figures and report.html go (default: DIR/analysis)")
    p.add_argument("--json", action="store_true", help="print JSON")
    add_profile_option(p)
    add_endpoint_option(p)


def run(args: argparse.Namespace) -> int:
    # Imported here: the CLI imports every command's module to build its parser (see cli.py).
    from biopipelines.core.settings import load_settings
    from biopipelines.llm.factory import ModelFactory
    from biopipelines.nodes.analysis.node import analyze
    from biopipelines.nodes.deps import NodeDeps

    settings = load_settings(args.profile, endpoints=args.endpoint)
    deps = NodeDeps(settings=settings, models=ModelFactory(settings))
    out = Path(args.out).expanduser() if args.out else None
    update = analyze(deps, Path(args.directory).expanduser(), out)
    analysis, route = update["analysis"], update["routes"][0]
    if args.json:
        payload = analysis.model_dump(mode="json")
        payload["route"] = route.model_dump(mode="json")
        print(json.dumps(payload, indent=2))
        return 0
    print(analysis.summary)
    for note in analysis.notes:
        print(f"note: {note}")
    for figure in analysis.figures:
        print(f"  {figure.png} ({figure.width}x{figure.height})" + (f" + {figure.svg.name}" if figure.svg else ""))
    print(f"Report: {analysis.report} (figures by the {route.tier} tier)")
    return 0
