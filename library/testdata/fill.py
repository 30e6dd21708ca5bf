"""Real data for a generated workflow's .test/. `generate` writes empty placeholders there (enough for the dry run,
and cheap); `biopipelines run --test` and `validate --execute` call fill_test_data to write a synthetic dataset
(datasets.py: reference, reads or genotypes, and a planted truth) into .test/data/synthetic/, and point .test's
config and sample sheet at it.

Only analyses with a dataset in RECIPE_DATA are filled; for the others .test/ keeps its placeholders and
`run --test` says so.
"""

from __future__ import annotations

import csv
import shutil
import tempfile
from pathlib import Path

import yaml

from biopipelines.library.testdata.datasets import RECIPE_DATA, TestDataset

DATA_DIR = "data/synthetic"  # under .test/


def fill_test_data(root: Path, analysis_type: str) -> TestDataset:
    """Write the synthetic dataset of `analysis_type` under root/.test/data/synthetic and point .test's config
    (reference files, per-module overrides) and sample sheet at it; returns the dataset used."""
    dataset = RECIPE_DATA[analysis_type]
    test = root / ".test"
    config_path = test / "config" / "config.yaml"
    config = yaml.safe_load(config_path.read_text()) or {}
    sheet = test / config.get("samples", "config/samples.tsv")
    columns, rows = _read_sheet(sheet)
    paired = config.get("read_layout", "paired") != "single"
    with tempfile.TemporaryDirectory(prefix="biopipelines-test-") as scratch:
        inputs = dataset.make(Path(scratch), rows, paired)
        target = test / DATA_DIR
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(scratch, target)
        moved = _Relocate(Path(scratch), DATA_DIR)
        reference = config.get("reference")
        for key, path in inputs.reference.items():
            if isinstance(reference, dict) and key in reference:
                reference[key] = moved(path)
        for section, values in inputs.config.items():
            if isinstance(config.get(section), dict):  # only sections this workflow's modules have
                config[section].update(moved(values))
        if inputs.rows is not None:
            _write_sheet(sheet, columns, _relabel_groups(moved(inputs.rows), rows))
    config_path.write_text(yaml.safe_dump(config, sort_keys=False))
    return dataset


class _Relocate:
    """Rewrites paths under the scratch folder (str or Path, at any depth of a dict or list, also within option
    strings) to where they were copied, relative to .test/."""

    def __init__(self, scratch: Path, data_dir: str) -> None:
        self.scratch, self.data_dir = str(scratch), data_dir

    def __call__(self, value):
        if isinstance(value, dict):
            return {k: self(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self(v) for v in value]
        if isinstance(value, (str, Path)):  # also inside option strings ("--dbdir /tmp/...")
            return str(value).replace(self.scratch, self.data_dir)
        return value


def _relabel_groups(rows: list[dict], sheet_rows: list[dict]) -> list[dict]:
    """The dataset's conditions renamed to the generated sheet's, in order of first appearance, so that config's
    contrast (written from the request) names the dataset's groups."""
    ours = list(dict.fromkeys(r.get("condition", "") for r in rows))
    theirs = list(dict.fromkeys(r.get("condition", "") for r in sheet_rows))
    if "" in ours or "" in theirs or len(ours) != len(theirs):
        return rows
    names = dict(zip(ours, theirs))
    return [{**row, "condition": names[row["condition"]]} for row in rows]


def _read_sheet(sheet: Path) -> tuple[list[str], list[dict]]:
    if not sheet.is_file():
        return [], []
    with sheet.open(newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t")
        return list(reader.fieldnames or []), list(reader)


def _write_sheet(sheet: Path, columns: list[str], rows: list[dict]) -> None:
    with sheet.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, delimiter="\t", extrasaction="ignore",
                                lineterminator="\n", restval="")
        writer.writeheader()
        writer.writerows(rows)


def empty_placeholders(test: Path) -> list[str]:
    """The inputs of .test/ that are empty files: any path in config.yaml (reference files, genotypes, targets...)
    or in the sample sheet."""
    try:
        config = yaml.safe_load((test / "config" / "config.yaml").read_text())
    except (OSError, yaml.YAMLError):
        return []
    config = config if isinstance(config, dict) else {}
    _, rows = _read_sheet(test / str(config.get("samples", "config/samples.tsv")))
    inputs = [v for v in _strings(config) if v != config.get("samples")]
    inputs += [v for row in rows for v in row.values() if isinstance(v, str) and v]
    return [p for p in dict.fromkeys(inputs) if (test / p).is_file() and (test / p).stat().st_size == 0]


def _strings(value) -> list[str]:
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return [value] if isinstance(value, str) and value and "{" not in value else []
