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
from biopipelines.library.testdata.truth import planted_de_gene, planted_deletion, planted_peak, planted_snv


@dataclass(frozen=True)
class TestDataset:
    description: str  # what was planted, said to the user
    reads: Callable[[Path, dict, list[dict], bool], tuple[Path, Path | None]]  # (folder, row, all rows, paired)
    truth: Callable[[Path], tuple[bool, str]]  # .test/ after a run -> (planted truth recovered?, what was found)


def _rna(folder: Path, row: dict, rows: list[dict], paired: bool) -> tuple[Path, Path | None]:
    # The sheet's second group is "treated" (GENE_UP ~8x higher): with the default contrast [factor, first, second]
    # the planted gene is the most significant whichever way the fold change points.
    groups = list(dict.fromkeys(r.get("condition", "") for r in rows))
    treated = len(groups) > 1 and row.get("condition", "") == groups[1]
    return syn.rnaseq_sample(folder, row["sample"], treated, paired)


def _dna(folder: Path, row: dict, rows: list[dict], paired: bool) -> tuple[Path, Path | None]:
    return syn.dna_sample(folder, row["sample"], paired=paired)


def _sv(folder: Path, row: dict, rows: list[dict], paired: bool) -> tuple[Path, Path | None]:
    return syn.dna_sample(folder, row["sample"], paired=paired, deletion=True)


def _chip(folder: Path, row: dict, rows: list[dict], paired: bool) -> tuple[Path, Path | None]:
    # Input and IgG controls (named as another row's control, or labelled so) get background reads only.
    controls = {r.get("control", "") for r in rows} - {""}
    control = row["sample"] in controls or row.get("antibody", "").lower() in ("input", "igg", "control")
    return syn.chip_sample(folder, row["sample"], 0 if control else 1_500, paired)


def _atac(folder: Path, row: dict, rows: list[dict], paired: bool) -> tuple[Path, Path | None]:
    return syn.chip_sample(folder, row["sample"], 1_500, paired)


_SNV = f"every sample homozygous for an SNV at {syn.SNV[0]}:{syn.SNV[1]}"
_PEAK = f"fragments enriched around {syn.PEAK[0]}:{syn.PEAK[1]} over a uniform background; controls uniform"
RECIPE_DATA: dict[str, TestDataset] = {
    "rnaseq_de": TestDataset(f"24 two-exon genes on a 50 kb genome; {syn.GENE_UP} ~8x higher in the sheet's "
                             "second group", _rna, planted_de_gene),
    "germline_variants": TestDataset(f"~25x reads of a 50 kb genome, {_SNV}", _dna, planted_snv),
    "viral_consensus": TestDataset(f"~25x reads of a 50 kb genome, {_SNV}", _dna, planted_snv),
    "structural_variants": TestDataset(f"~25x reads of a 50 kb genome, every sample homozygous for a 1 kb deletion "
                                       f"at {syn.DELETION[0]}:{syn.DELETION[1]}-{syn.DELETION[2]}", _sv,
                                       planted_deletion),
    "chipseq_peaks": TestDataset(_PEAK, _chip, planted_peak),
    "cutandrun": TestDataset(_PEAK, _chip, planted_peak),
    "atacseq": TestDataset(f"open chromatin around {syn.PEAK[0]}:{syn.PEAK[1]} in every sample", _atac,
                           planted_peak),
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


def empty_placeholders(test: Path) -> list[str]:
    """The inputs of .test/ (config.yaml's reference section and the sample sheet's file columns) that are empty."""
    try:
        config = yaml.safe_load((test / "config" / "config.yaml").read_text())
    except (OSError, yaml.YAMLError):
        return []
    config = config if isinstance(config, dict) else {}
    reference = config.get("reference")
    inputs = [str(v) for v in reference.values()] if isinstance(reference, dict) else []
    sheet = test / str(config.get("samples", "config/samples.tsv"))
    if sheet.is_file():
        with sheet.open(newline="") as handle:
            rows = list(csv.DictReader(handle, delimiter="\t"))
        inputs += [v for row in rows for v in row.values() if isinstance(v, str) and v]
    return [p for p in inputs if (test / p).is_file() and (test / p).stat().st_size == 0]


def _copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
