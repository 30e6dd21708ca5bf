"""`run --test`'s data: .test/ as generated holds empty placeholders (enough for the dry run, not for a real run).
Where the workflow's analysis has a synthetic dataset (library/testdata/fill.py), it is written there on the first
`run --test` and said; otherwise the command stops at once, naming the placeholder to replace."""

from __future__ import annotations

import json
from pathlib import Path

from biopipelines.core.errors import UserError


def prepare_test_data(directory: Path) -> None:
    test = directory / ".test"
    if not (test / "config" / "config.yaml").is_file():
        raise UserError(f"{directory} has no .test/config/config.yaml; --test needs the workflow's .test/ setup")
    from biopipelines.library.testdata.datasets import RECIPE_DATA
    from biopipelines.library.testdata.fill import empty_placeholders, fill_test_data

    if not empty_placeholders(test):
        return
    analysis_type = recorded_analysis_type(directory)
    if analysis_type in RECIPE_DATA:
        dataset = fill_test_data(directory, analysis_type)
        print(f"run --test: wrote synthetic data into .test/ ({dataset.description})")
    empty = empty_placeholders(test)
    if empty:
        raise UserError(f".test/{empty[0]} (and {len(empty) - 1} more inputs) are empty placeholders made for the "
                        "dry run; put small real data there before `run --test` (synthetic data exist for: "
                        f"{', '.join(sorted(RECIPE_DATA))})")


def recorded_analysis_type(directory: Path) -> str | None:
    """The analysis type generate recorded in report.json (None when the file is missing or unreadable)."""
    try:
        report = json.loads((directory / "report.json").read_text())
    except (OSError, ValueError):
        return None
    return report.get("analysis_type") if isinstance(report, dict) else None
