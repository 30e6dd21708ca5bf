"""`biopipelines library list [--json]` and `biopipelines library show TOOL [--json]`: browse the module library."""

from __future__ import annotations

import argparse
import json


def add_parser(sub) -> None:
    p = sub.add_parser("library", help="browse the supported analyses and tool modules")
    actions = p.add_subparsers(dest="library_action", required=True, metavar="ACTION")
    listing = actions.add_parser("list", help="analysis types (with their recipe) and every tool module")
    listing.add_argument("--json", action="store_true", help="machine-readable output")
    show = actions.add_parser("show", help="one tool module: pins, inputs, outputs, parameters and its card")
    show.add_argument("tool", help="a module id or tool name (forgiving: 'STAR', 'bwa mem', 'featureCounts')")
    show.add_argument("--json", action="store_true", help="machine-readable output")


def run(args: argparse.Namespace) -> int:
    from biopipelines.core.errors import UserError
    from biopipelines.library import load_library
    from biopipelines.library.browse import catalogue, detail, format_catalogue, format_detail
    from biopipelines.library.errors import CatalogueError

    library = load_library()
    if args.library_action == "list":
        data = catalogue(library)
        print(data.model_dump_json(indent=2) if args.json else format_catalogue(data))
        return 0
    try:
        module = detail(library, args.tool)
    except CatalogueError as exc:
        raise UserError(str(exc)) from None
    print(json.dumps(module.model_dump(), indent=2) if args.json else format_detail(module))
    return 0
