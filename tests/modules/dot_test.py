"""Real data for a generated workflow's .test/: generate writes empty placeholders there (enough for the dry run);
`biopipelines run --test` needs reads and a reference. This puts synthetic.py's genome and reads (with their
planted truths) at the paths .test/config names, and the small-genome parameters into .test/config/config.yaml."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import yaml

from tests.modules import synthetic as syn
from tests.modules.harness import TINY

READS = {"rna": syn.rnaseq_reads, "dna": syn.dna_reads}


def fill_dot_test(root: Path, kind: str, scratch: Path, **reads_options) -> dict:
    """Fill root/.test with `kind` ('rna' or 'dna') data; returns .test's config. Synthetic samples are assigned to
    the sheet's rows in order (RNA: the sheet's first group gets control_*, the second treated_*)."""
    test = root / ".test"
    config_path = test / "config" / "config.yaml"
    config = yaml.safe_load(config_path.read_text())
    reference = syn.write_reference(scratch / "reference")
    for key, relative in config.get("reference", {}).items():
        _copy(reference[key], test / relative)
    synthetic = READS[kind](scratch / "reads", **reads_options)
    with (test / config["samples"]).open() as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    assert len(synthetic) >= len(rows), f"{kind} data has {len(synthetic)} samples, the sheet {len(rows)}"
    for row, made in zip(rows, synthetic):
        for column in ("fq1", "fq2"):
            if row.get(column):
                _copy(Path(made[column]), test / row[column])
    for module, values in TINY.items():
        if module in config:
            config[module].update(values)
    config_path.write_text(yaml.safe_dump(config, sort_keys=False))
    return config


def _copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
