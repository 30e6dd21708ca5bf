"""The sample sheet (config/samples.tsv) from the request's entities: placeholder rows, or rows from given paths.

Four designs, named by the recipe: `conditions` (sample, condition: DE contrasts), `chip` (sample, antibody,
control: each ChIP library names its input control), `tumour_normal` (sample, control: each tumour names its
matched normal), `cohort` (sample only: joint variant calling) and `assemblies` (sample, assembly: one genome
assembly per isolate, for a pan-genome).
"""

from __future__ import annotations

import re
from collections import OrderedDict

from pydantic import BaseModel, Field

from biopipelines.core.schemas import Entities
from biopipelines.library.models import Layout, SampleSheetSpec

ASSEMBLY = re.compile(r"\.(fasta|fa|fna|fas|contigs)(\.gz)?$", re.IGNORECASE)
FASTQ = re.compile(r"\.(fastq|fq)(\.gz)?$", re.IGNORECASE)
MATE = re.compile(r"^(?P<stem>.+?)(?:[._-](?:R)?(?P<mate>[12]))?(?:_001)?\.(?:fastq|fq)(?:\.gz)?$", re.IGNORECASE)
REFERENCE_LEVELS = {"wt", "wildtype", "control", "ctrl", "untreated", "vehicle", "normal", "mock", "baseline",
                    "dmso", "healthy", "unstimulated", "sham", "naive", "parental"}
INPUT_LIKE = {"input", "inputs", "igg", "control", "ctrl", "mock"}


class SampleSheet(BaseModel):
    rows: list[dict[str, str]]
    contrast: list[str] | None = None  # [factor, numerator level, reference level]
    notes: list[str] = Field(default_factory=list)


def clean_name(text: str) -> str:
    """A name safe for file paths, wildcards and R factor levels."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", text.strip()).strip("_.-") or "x"


def _squash(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def _fastq_pairs(paths: list[str]) -> "OrderedDict[str, dict[int, str]]":
    """FASTQ files grouped by sample stem: {stem: {1: R1 path, 2: R2 path}}."""
    pairs: OrderedDict[str, dict[int, str]] = OrderedDict()
    for path in sorted(paths):
        name = path.rsplit("/", 1)[-1]
        match = MATE.match(name)
        stem = clean_name(match.group("stem") if match else FASTQ.sub("", name))
        mate = int(match.group("mate")) if match and match.group("mate") else 1
        pairs.setdefault(stem, {})[mate] = path
    return pairs


def _read_paths(names: list[str], layout: Layout, entities: Entities, notes: list[str]) -> dict[str, dict[str, str]]:
    """fq1/fq2 per placeholder sample name: under a given folder, or under data/ as placeholders."""
    folders = [p.rstrip("/") for p in entities.input_paths if not FASTQ.search(p)]
    base = folders[0] if folders else "data"
    if not folders:
        notes.append("The sample sheet has placeholder rows and read paths (data/<sample>_R1.fastq.gz): replace "
                     "them with your samples before running.")
    else:
        notes.append(f"Read paths assume files named <sample>_R1.fastq.gz under {base}/: check config/samples.tsv.")
    paths = {}
    for name in names:
        paths[name] = {"fq1": f"{base}/{name}_R1.fastq.gz"}
        if layout == "paired":
            paths[name]["fq2"] = f"{base}/{name}_R2.fastq.gz"
    return paths


def _rows_from_files(entities: Entities, layout: Layout, notes: list[str]) -> list[dict[str, str]] | None:
    files = [p for p in entities.input_paths if FASTQ.search(p)]
    if not files:
        return None
    rows = []
    for stem, mates in _fastq_pairs(files).items():
        if layout == "paired" and set(mates) != {1, 2}:
            notes.append(f"{stem}: found only mate {sorted(mates)} of a paired-end sample; fill in the other.")
        row = {"sample": stem, "fq1": mates.get(1, mates.get(2, ""))}
        if layout == "paired":
            row["fq2"] = mates.get(2, "")
        rows.append(row)
    if entities.sample_count and entities.sample_count != len(rows):
        notes.append(f"The request mentions {entities.sample_count} samples but {len(rows)} were found in the "
                     "given read files; the sheet lists the files.")
    return rows


def _contrast(levels: list[str], notes: list[str]) -> list[str] | None:
    if len(levels) < 2:
        notes.append("Differential expression needs two conditions: set the condition column and de.contrast.")
        return None
    reference = next((lv for lv in levels if _squash(lv) in REFERENCE_LEVELS), levels[-1])
    numerator = next(lv for lv in levels if lv != reference)
    if len(levels) > 2:
        notes.append(f"{len(levels)} conditions: the contrast compares {numerator} with {reference}; edit "
                     "de.contrast in config/config.yaml for other pairs.")
    return ["condition", numerator, reference]


def _conditions_design(entities: Entities, layout: Layout, notes: list[str]) -> SampleSheet:
    levels = list(dict.fromkeys(clean_name(c) for c in entities.conditions))
    if not levels:
        notes.append("Conditions were not given: the sheet uses placeholder conditions treated and control.")
        levels = ["treated", "control"]
    elif len(levels) == 1:
        other = "treated" if _squash(levels[0]) in REFERENCE_LEVELS else "control"
        notes.append(f"Only one condition was given: the sheet adds a placeholder condition {other}.")
        levels = [levels[0], other] if other == "control" else [other, levels[0]]
    rows = _rows_from_files(entities, layout, notes)
    if rows is not None:
        for index, row in enumerate(rows):  # a condition named in the file name wins; else consecutive blocks
            named = [lv for lv in levels if _squash(lv) in _squash(row["sample"])]
            row["condition"] = named[0] if named else levels[min(index * len(levels) // len(rows), len(levels) - 1)]
        notes.append("Conditions were assigned from the file names or in order: check the condition column.")
    else:
        total = entities.sample_count or 3 * len(levels)
        counts = [total // len(levels) + (1 if i < total % len(levels) else 0) for i in range(len(levels))]
        names = [(f"{level}_{rep}", level) for level, n in zip(levels, counts) for rep in range(1, n + 1)]
        reads = _read_paths([n for n, _ in names], layout, entities, notes)
        rows = [{"sample": name, "condition": level, **reads[name]} for name, level in names]
    replicates = min(sum(1 for r in rows if r["condition"] == lv) for lv in levels)
    if replicates < 2:
        notes.append("At least one condition has fewer than 2 replicates: dispersion cannot be estimated "
                     "reliably; 3 or more per condition are recommended.")
    return SampleSheet(rows=rows, contrast=_contrast(levels, notes), notes=notes)


def _chip_design(entities: Entities, layout: Layout, notes: list[str]) -> SampleSheet:
    # the histone mark the request names is the antibody (it decides broad or narrow peaks downstream)
    named = ([entities.histone_mark] if entities.histone_mark else []) + list(entities.conditions)
    marks = list(dict.fromkeys(clean_name(c) for c in named if _squash(c) not in INPUT_LIKE))
    if not marks:
        marks = ["chip"]
        notes.append("The ChIP target was not given: set the antibody column (broad histone marks such as "
                     "H3K27me3 get broad peaks).")
    rows = _rows_from_files(entities, layout, notes)
    if rows is not None:
        inputs = [r for r in rows if any(w in r["sample"].lower() for w in ("input", "igg"))]
        for index, row in enumerate(rows):
            is_input = row in inputs
            row["antibody"] = "input" if is_input else marks[index % len(marks)]
            row["control"] = "" if is_input or not inputs else inputs[index % len(inputs)]["sample"]
        notes.append("Antibodies and controls were guessed from the file names: check the antibody and control "
                     "columns.")
        return SampleSheet(rows=[{k: r[k] for k in ("sample", "antibody", "control", "fq1", "fq2") if k in r}
                                 for r in rows], notes=notes)
    total = entities.sample_count or 2 * len(marks) + 2
    n_inputs = max(1, total // (len(marks) + 1))
    n_chip = max(1, total - n_inputs)
    if entities.sample_count and n_chip + n_inputs != entities.sample_count:
        notes.append(f"{entities.sample_count} libraries cannot hold a ChIP and an input sample; the sheet has "
                     f"{n_chip + n_inputs}.")
    chips = [(f"{marks[i % len(marks)]}_{i // len(marks) + 1}", marks[i % len(marks)]) for i in range(n_chip)]
    controls = [f"input_{i + 1}" for i in range(n_inputs)]
    reads = _read_paths([n for n, _ in chips] + controls, layout, entities, notes)
    rows = [{"sample": name, "antibody": mark, "control": controls[i % n_inputs], **reads[name]}
            for i, (name, mark) in enumerate(chips)]
    rows += [{"sample": name, "antibody": "input", "control": "", **reads[name]} for name in controls]
    notes.append(f"The sample sheet pairs {n_chip} ChIP librar{'y' if n_chip == 1 else 'ies'} with {n_inputs} "
                 "input control(s): edit the control column to match your design.")
    return SampleSheet(rows=rows, notes=notes)


def _tumour_normal_design(entities: Entities, layout: Layout, notes: list[str]) -> SampleSheet:
    rows = _rows_from_files(entities, layout, notes)
    if rows is not None:
        def patient(name: str) -> str:  # the name without its tumour/normal word: patient10_tumor -> patient10
            return re.sub(r"[._-]?(tumou?r|normal|germline|blood)(?=$|[._-])", "", name, flags=re.IGNORECASE)

        normals = [r["sample"] for r in rows if re.search(r"normal|germline|blood", r["sample"], re.IGNORECASE)]
        for row in rows:
            match = next((n for n in normals if n != row["sample"] and patient(n) == patient(row["sample"])), "")
            row["control"] = "" if row["sample"] in normals else match
        notes.append("Matched normals were guessed from the file names: check the control column (each tumour "
                     "names its normal).")
        return SampleSheet(rows=rows, notes=notes)
    patients = max(1, (entities.sample_count or 2) // 2)
    if entities.sample_count and entities.sample_count % 2:
        notes.append(f"{entities.sample_count} samples cannot all be tumour/normal pairs; the sheet has "
                     f"{patients} pairs.")
    tumours = [f"patient{i}_tumour" for i in range(1, patients + 1)]
    normals = [f"patient{i}_normal" for i in range(1, patients + 1)]
    reads = _read_paths(tumours + normals, layout, entities, notes)
    rows = [{"sample": t, "control": n, **reads[t]} for t, n in zip(tumours, normals)]
    rows += [{"sample": n, "control": "", **reads[n]} for n in normals]
    notes.append(f"The sample sheet pairs {patients} tumour(s) with a matched normal each: edit the control "
                 "column to match your patients.")
    return SampleSheet(rows=rows, notes=notes)


def _cohort_design(entities: Entities, layout: Layout, notes: list[str]) -> SampleSheet:
    rows = _rows_from_files(entities, layout, notes)
    if rows is None:
        names = [f"sample_{i}" for i in range(1, (entities.sample_count or 3) + 1)]
        reads = _read_paths(names, layout, entities, notes)
        rows = [{"sample": name, **reads[name]} for name in names]
    return SampleSheet(rows=rows, notes=notes)


def _assemblies_design(entities: Entities, layout: Layout, notes: list[str]) -> SampleSheet:
    """One row per genome assembly: the FASTA files the request names, else placeholders under its folder or data/."""
    files = sorted(p for p in entities.input_paths if ASSEMBLY.search(p))
    if files:
        return SampleSheet(rows=[{"sample": clean_name(ASSEMBLY.sub("", f.rsplit("/", 1)[-1])), "assembly": f}
                                 for f in files], notes=notes)
    folders = [p.rstrip("/") for p in entities.input_paths if not FASTQ.search(p)]
    base = folders[0] if folders else "data"
    notes.append(f"The sample sheet has placeholder rows ({base}/<sample>.fasta): list one genome assembly per "
                 "isolate in config/samples.tsv before running.")
    names = [f"isolate_{i}" for i in range(1, (entities.sample_count or 4) + 1)]
    return SampleSheet(rows=[{"sample": n, "assembly": f"{base}/{n}.fasta"} for n in names], notes=notes)


def _placeholder_batches(rows: list[dict[str, str]]) -> None:
    """Replicates of each condition alternate over two batches: a balanced guess the user corrects."""
    seen: dict[str, int] = {}
    for row in rows:
        index = seen.get(row.get("condition", ""), 0)
        seen[row.get("condition", "")] = index + 1
        row.setdefault("batch", f"batch{index % 2 + 1}")


def build_samples(spec: SampleSheetSpec, layout: Layout, entities: Entities) -> SampleSheet:
    """Rows of config/samples.tsv with the columns the recipe names (fq2 only for paired-end data)."""
    design = {"conditions": _conditions_design, "chip": _chip_design, "tumour_normal": _tumour_normal_design,
              "cohort": _cohort_design, "assemblies": _assemblies_design}[spec.design]
    sheet = design(entities, layout, [])
    columns = [c for c in spec.columns if layout == "paired" or c != "fq2"]
    if spec.design == "conditions" and "batch" in entities.covariates:
        columns.insert(columns.index("condition") + 1, "batch")
        _placeholder_batches(sheet.rows)
    rows = [{c: row.get(c, "") for c in columns} for row in sheet.rows]
    if "fq1" not in spec.columns:  # the data are not reads (a genotype fileset named in config.yaml)
        return SampleSheet(rows=rows, notes=["The data files are named in config/config.yaml, not in the sample "
                                             "sheet: set their paths there before running."])
    return sheet.model_copy(update={"rows": rows})


def relayout(rows: list[dict[str, str]], layout: Layout) -> list[dict[str, str]]:
    """Earlier rows adapted to a changed read layout (fq2 dropped, or derived from fq1's R1 name)."""
    adapted = []
    for row in rows:
        row = dict(row)
        if layout == "single":
            row.pop("fq2", None)
        elif not row.get("fq2"):
            row["fq2"] = re.sub(r"R1(?=[._])", "R2", row.get("fq1", ""), count=1)
        adapted.append(row)
    return adapted
