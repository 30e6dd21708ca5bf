"""`biopipelines validate DIR`: the validator's checks on a workflow directory."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from biopipelines.core.errors import UserError


def add_parser(sub) -> None:
    p = sub.add_parser("validate", help="run the static screen, snakemake --lint and the .test dry run on a workflow")
    p.add_argument("directory", metavar="DIR")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--timeout", type=float, default=120.0, help="seconds for all checks together (default 120)")


def run(args: argparse.Namespace) -> int:
    path = Path(args.directory).expanduser()
    if not (path / "workflow" / "Snakefile").is_file():
        raise UserError(f"{path} has no workflow/Snakefile; point at a generated workflow directory")
    from biopipelines.validation import validate_dir

    checks = validate_dir(path, timeout_s=args.timeout)
    ok = all(c.ok for c in checks)
    if args.json:
        print(json.dumps({"ok": ok, "validation": [c.model_dump() for c in checks]}, indent=2))
    else:
        for c in checks:
            print(f"{'ok  ' if c.ok else 'FAIL'} {c.check}" + (f": {c.details}" if c.details and not c.ok else ""))
    return 0 if ok else 3
