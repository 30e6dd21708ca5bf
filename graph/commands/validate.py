"""`biopipelines validate DIR`: the validator's checks on a workflow directory."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from graph.errors import UserError


def run_validate(args: argparse.Namespace) -> int:
    path = Path(args.directory).expanduser()
    if not (path / "workflow" / "Snakefile").is_file():
        raise UserError(f"{path} has no workflow/Snakefile; point at a generated workflow directory")
    from validation import validate_dir

    checks = validate_dir(path, timeout_s=args.timeout)
    ok = all(c.ok for c in checks)
    if args.json:
        print(json.dumps({"ok": ok, "validation": [c.model_dump() for c in checks]}, indent=2))
    else:
        for c in checks:
            print(f"{'ok  ' if c.ok else 'FAIL'} {c.check}" + (f": {c.details}" if c.details and not c.ok else ""))
    return 0 if ok else 3
