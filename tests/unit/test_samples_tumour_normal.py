"""The tumour_normal sample design: each tumour row names its matched normal in `control`; normals name none."""

from __future__ import annotations

from biopipelines.core.schemas import Entities
from biopipelines.library.models import SampleSheetSpec
from biopipelines.library.samples import build_samples

SPEC = SampleSheetSpec(design="tumour_normal", columns=["sample", "control", "fq1", "fq2"])


def pairs(rows: list[dict[str, str]]) -> dict[str, str]:
    """{tumour: its normal} from the control column."""
    return {r["sample"]: r["control"] for r in rows if r["control"]}


def test_placeholder_rows_pair_each_tumour_with_its_own_normal():
    sheet = build_samples(SPEC, "paired", Entities(sample_count=6))
    rows = sheet.rows
    assert len(rows) == 6
    assert all(list(r) == ["sample", "control", "fq1", "fq2"] for r in rows)
    assert pairs(rows) == {f"patient{i}_tumour": f"patient{i}_normal" for i in (1, 2, 3)}
    normals = [r for r in rows if not r["control"]]
    assert sorted(r["sample"] for r in normals) == [f"patient{i}_normal" for i in (1, 2, 3)]
    names = {r["sample"] for r in rows}
    assert set(pairs(rows).values()) <= names  # every control is itself a row of the sheet
    assert all(r["fq1"].endswith(f"{r['sample']}_R1.fastq.gz") and r["fq2"].endswith(f"{r['sample']}_R2.fastq.gz")
               for r in rows)
    assert any("matched normal" in note for note in sheet.notes)


def test_an_odd_sample_count_is_reported_and_rounded_down_to_pairs():
    sheet = build_samples(SPEC, "paired", Entities(sample_count=5))
    assert len(pairs(sheet.rows)) == 2 and len(sheet.rows) == 4
    assert any("cannot all be tumour/normal pairs" in note for note in sheet.notes)


def test_single_end_rows_have_no_fq2_column():
    rows = build_samples(SPEC, "single", Entities(sample_count=2)).rows
    assert rows == [
        {"sample": "patient1_tumour", "control": "patient1_normal", "fq1": "data/patient1_tumour_R1.fastq.gz"},
        {"sample": "patient1_normal", "control": "", "fq1": "data/patient1_normal_R1.fastq.gz"},
    ]


def test_rows_from_fastq_paths_are_paired_by_patient():
    paths = [f"/data/run1/{patient}_{kind}_R{mate}.fastq.gz"
             for patient in ("P7", "P12") for kind in ("tumour", "normal") for mate in (1, 2)]
    sheet = build_samples(SPEC, "paired", Entities(input_paths=paths))
    rows = {r["sample"]: r for r in sheet.rows}
    assert set(rows) == {"P7_tumour", "P7_normal", "P12_tumour", "P12_normal"}
    assert pairs(sheet.rows) == {"P7_tumour": "P7_normal", "P12_tumour": "P12_normal"}
    assert rows["P7_tumour"]["fq1"] == "/data/run1/P7_tumour_R1.fastq.gz"
    assert rows["P7_tumour"]["fq2"] == "/data/run1/P7_tumour_R2.fastq.gz"
    assert any("check the control column" in note for note in sheet.notes)
