"""`run --test`'s data: .test/ as generated holds empty placeholders (enough for the dry run, not for a real run).
Where the workflow's analysis has a synthetic dataset (library/testdata/fill.py), it is written there on the first
`run --test` and said; otherwise the command stops at once, naming the placeholder to replace."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from biopipelines.core.errors import UserError


def prepare_test_data(directory: Path) -> None:
    test = directory / ".test"
    if not (test / "config" / "config.yaml").is_file():
        raise UserError(f"{directory} has no .test/config/config.yaml; --test needs the workflow's .test/ setup")
    if not empty_placeholders(test):
        return
    from biopipelines.library.testdata.fill import RECIPE_DATA, fill_test_data

    analysis_type = _analysis_type(directory)
    if analysis_type in RECIPE_DATA:
        dataset = fill_test_data(directory, analysis_type)
        print(f"run --test: wrote synthetic data into .test/ ({dataset.description})")
    empty = empty_placeholders(test)
    if empty:
        raise UserError(f".test/{empty[0]} (and {len(empty) - 1} more inputs) are empty placeholders made for the "
                        "dry run; put small real data there before `run --test` (synthetic data exist for: "
                        f"{', '.join(sorted(RECIPE_DATA))})")


def empty_placeholders(test: Path) -> list[str]:
    """The inputs (config.yaml's reference section and the sample sheet's fq columns) that are empty files."""
    from biopipelines.core.yaml_files import read_yaml

    config = read_yaml(test / "config" / "config.yaml")
    config = config if isinstance(config, dict) else {}
    reference = config.get("reference")
    inputs = [str(v) for v in reference.values()] if isinstance(reference, dict) else []
    sheet = test / str(config.get("samples", "config/samples.tsv"))
    if sheet.is_file():
        with sheet.open(newline="") as handle:
            inputs += [v for row in csv.DictReader(handle, delimiter="\t") for k, v in row.items()
                       if k and k.startswith("fq") and v]
    return [p for p in inputs if (test / p).is_file() and (test / p).stat().st_size == 0]


def _analysis_type(directory: Path) -> str | None:
    """The analysis type generate recorded in report.json (None when the file is missing or unreadable)."""
    try:
        report = json.loads((directory / "report.json").read_text())
    except (OSError, ValueError):
        return None
    return report.get("analysis_type") if isinstance(report, dict) else None
