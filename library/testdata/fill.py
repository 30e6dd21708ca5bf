"""Real data for a generated workflow's .test/. `generate` writes empty placeholders there (enough for the dry run,
and cheap); `biopipelines run --test` calls fill_test_data to put the synthetic genome and reads (synthetic.py, with
their planted truths) at the paths .test/config names, and the small-genome parameters into .test's config.

Only analyses the shared synthetic genome can stand for have a dataset here (RECIPE_DATA); for the others .test/
keeps its placeholders and `run --test` says so.
"""

from __future__ import annotations

import csv
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import yaml

from biopipelines.library.testdata import synthetic as syn


@dataclass(frozen=True)
class TestDataset:
    description: str  # what was planted, said to the user
    reads: Callable[[Path, dict, list[dict], bool], tuple[Path, Path | None]]  # (folder, row, all rows, paired)


def _rna(folder: Path, row: dict, rows: list[dict], paired: bool) -> tuple[Path, Path | None]:
    # The sheet's second group is "treated" (GENE_UP ~8x higher): with the default contrast [factor, first, second]
    # the planted gene is the most significant whichever way the fold change points.
    groups = list(dict.fromkeys(r.get("condition", "") for r in rows))
    treated = len(groups) > 1 and row.get("condition", "") == groups[1]
    return syn.rnaseq_sample(folder, row["sample"], treated, paired)


def _dna(folder: Path, row: dict, rows: list[dict], paired: bool) -> tuple[Path, Path | None]:
    return syn.dna_sample(folder, row["sample"], paired=paired)


RECIPE_DATA: dict[str, TestDataset] = {
    "rnaseq_de": TestDataset(f"24 two-exon genes on a 50 kb genome; {syn.GENE_UP} ~8x higher in the sheet's "
                             "second group", _rna),
    "germline_variants": TestDataset(f"~25x reads of a 50 kb genome, every sample homozygous for an SNV at "
                                     f"{syn.SNV[0]}:{syn.SNV[1]}", _dna),
}
# Parameters the toy genome needs (STAR's suffix-array index must be small for a 50 kb genome).
SMALL_GENOME = {
    "star_index": {"sjdb_overhang": syn.READ_LEN - 1, "extra": "--genomeSAindexNbases 6"},
    "macs3_callpeak": {"gsize": "50000"},
}


def fill_test_data(root: Path, analysis_type: str) -> TestDataset:
    """Write the synthetic dataset of `analysis_type` into root/.test (reference, one sample's reads per sheet row)
    and the small-genome parameters into .test/config/config.yaml; returns the dataset used."""
    dataset = RECIPE_DATA[analysis_type]
    test = root / ".test"
    config_path = test / "config" / "config.yaml"
    config = yaml.safe_load(config_path.read_text()) or {}
    with (test / config.get("samples", "config/samples.tsv")).open(newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    with tempfile.TemporaryDirectory(prefix="biopipelines-test-") as scratch:
        reference = syn.write_reference(Path(scratch) / "reference")
        for key, relative in (config.get("reference") or {}).items():
            if key in reference:
                _copy(reference[key], test / relative)
        paired = config.get("read_layout", "paired") != "single"
        for row in rows:
            r1, r2 = dataset.reads(Path(scratch) / "reads", row, rows, paired)
            _copy(r1, test / row["fq1"])
            if r2 is not None and row.get("fq2"):
                _copy(r2, test / row["fq2"])
    for module, values in SMALL_GENOME.items():
        if isinstance(config.get(module), dict):
            config[module].update(values)
    config_path.write_text(yaml.safe_dump(config, sort_keys=False))
    return dataset


def _copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
