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
    p.add_argument("--execute", action="store_true",
                   help="also run .test/ for real in a sandbox copy (synthetic data where the analysis has a "
                        "dataset) and check its planted truth; report.json records the outcome")
    p.add_argument("--cores", type=int, default=2, help="cores for --execute (default 2)")
    p.add_argument("--execute-timeout", type=float, default=1800.0,
                   help="seconds for the --execute run (default 1800)")


def run(args: argparse.Namespace) -> int:
    path = Path(args.directory).expanduser()
    if not (path / "workflow" / "Snakefile").is_file():
        raise UserError(f"{path} has no workflow/Snakefile; point at a generated workflow directory")
    from biopipelines.validation import validate_dir

    if args.cores < 1:
        raise UserError("--cores must be at least 1")
    checks = validate_dir(path, timeout_s=args.timeout)
    execution = None
    if args.execute and all(c.ok for c in checks):
        from biopipelines.graph.commands.run_test_data import recorded_analysis_type
        from biopipelines.graph.commands.validate_execute import execute_test

        execution = execute_test(path, recorded_analysis_type(path), args.execute_timeout, args.cores)
        checks += execution.checks
        record_execution(path, execution)
    ok = all(c.ok for c in checks)
    if args.json:
        extra = {"execution": execution.model_dump(exclude={"checks"})} if execution else {}
        print(json.dumps({"ok": ok, "validation": [c.model_dump() for c in checks], **extra}, indent=2))
    else:
        for c in checks:
            shown = c.details if c.details and (not c.ok or c.check in ("execute", "planted_truth")) else ""
            print(f"{'ok  ' if c.ok else 'FAIL'} {c.check}" + (f": {shown}" if shown else ""))
        if execution and not execution.ran:
            print(f"not executed: {execution.not_run}")
    return 0 if ok else 3


def record_execution(path: Path, execution) -> None:
    """report.json (when generate wrote one) gains the execution's checks and an `execution` entry saying whether
    .test/ ran and, if not, why; earlier execute checks are replaced."""
    report_path = path / "report.json"
    try:
        report = json.loads(report_path.read_text())
    except (OSError, ValueError):
        return
    if not isinstance(report, dict):
        return
    names = {"execute", "planted_truth"}
    kept = [c for c in report.get("validation") or [] if not (isinstance(c, dict) and c.get("check") in names)]
    report["validation"] = kept + [c.model_dump() for c in execution.checks]
    report["execution"] = execution.model_dump(exclude={"checks"})
    report_path.write_text(json.dumps(report, indent=2) + "\n")
