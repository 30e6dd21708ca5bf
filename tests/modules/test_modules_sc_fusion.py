"""Single-cell (10x) and RNA-fusion modules run for real on synthetic data with a planted truth (see
synthetic_sc_fusion.py), plus kallisto quant inside the bulk RNA-seq DE recipe.

- sc_kallisto: kallisto index -> kallisto bus -> bustools count -> emptyDrops: the raw matrix holds every planted
  cell with its planted genes and UMI totals, and emptyDrops keeps exactly the real cells;
- sc_starsolo: STAR index -> STARsolo: the same planted cells and genes in STARsolo's raw matrix (Salmon alevin,
  the third quantifier, is not run: Debian's salmon 1.10.1 crashes in alevin mode);
- fusion_star: STAR with chimeric detection: Chimeric.out.junction and the BAM hold the planted breakpoint (the
  fusion callers, Arriba and STAR-Fusion, are not packaged in Debian, so the run stops at the alignment);
- rnaseq_kallisto_deseq2: kallisto quant feeds DESeq2 through tximport and the planted DE gene comes out on top.
"""

from __future__ import annotations

import gzip
import json
import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from biopipelines.core.schemas import Entities
from tests.modules import synthetic as syn
from tests.modules import synthetic_sc_fusion as sc
from tests.modules.harness import Run, RunOnce, configure, execute, render, skip_unless_installed

NO_QC = ["step:qc"]  # FastQC and MultiQC are checked by test_modules_run.py; leaving them out keeps runs short
# name -> (recipe, entities, data kind, targets: None runs the whole workflow)
WORKFLOWS: dict[str, tuple[str, Entities, str, list[str] | None]] = {
    "sc_kallisto": ("scrnaseq_10x", Entities(tools_excluded=[*NO_QC, "scanpy"]), "sc", None),
    "sc_starsolo": ("scrnaseq_10x", Entities(tools_requested=["starsolo"], tools_excluded=[*NO_QC, "scanpy"]), "sc",
                    ["results/star_solo/pbmc_1/Solo.out/Gene/raw"]),
    "fusion_star": ("rna_fusion", Entities(tools_excluded=[*NO_QC, "step:trimming"]), "fusion",
                    ["results/star_chimeric_align/patient_1/Chimeric.out.junction",
                     "results/star_chimeric_align/patient_1/Aligned.sortedByCoord.out.bam.bai"]),
    "rnaseq_kallisto_deseq2": ("rnaseq_de", Entities(tools_requested=["kallisto"], tools_excluded=[
        *NO_QC, "step:trimming"]), "rna", None),
}
# modules of a targeted run that actually execute (the others are only rendered)
RUNS_ONLY = {"sc_starsolo": ["star_index", "star_solo"], "fusion_star": ["star_index", "star_chimeric_align"]}
TUNED = {"emptydrops": {"niters": 2000}}  # p-values down to 1/2001 are plenty for 20 cells


def _data(kind: str, folder: Path) -> tuple[dict[str, Path], list[dict]]:
    if kind == "sc":
        return sc.write_sc_reference(folder / "reference"), sc.sc_reads(folder / "reads")
    reference = syn.write_reference(folder / "reference")
    if kind == "fusion":
        for key in ("arriba_blacklist", "arriba_known_fusions", "ctat_genome_lib"):  # used by the callers only
            reference[key] = folder / "reference" / f"{key}.tsv"
            reference[key].write_text("")
        return reference, sc.fusion_reads(folder / "reads")
    return reference, syn.rnaseq_reads(folder / "reads")


@pytest.fixture(scope="session")
def sc_runs(tmp_path_factory):
    def build(name: str) -> Run:
        recipe, entities, kind, targets = WORKFLOWS[name]
        root = tmp_path_factory.mktemp(name)
        modules = render(root, recipe, entities)
        skip_unless_installed(name, RUNS_ONLY.get(name, modules))
        reference, rows = _data(kind, tmp_path_factory.mktemp(f"{name}_data"))
        config = configure(root, reference, rows, TUNED)
        return execute(root, RUNS_ONLY.get(name, modules), config, targets)

    return RunOnce(build)


# -- helpers -----------------------------------------------------------------------------------------------------

def _open(path: Path):
    return gzip.open(path, "rt") if path.suffix == ".gz" else path.open()


def read_mtx(folder: Path) -> dict[str, dict[str, int]]:
    """A 10x MTX directory (genes x barcodes) as {barcode: {gene_id: UMIs}}."""
    def first(stem: str) -> Path:
        return next(p for p in (folder / stem, folder / f"{stem}.gz") if p.exists())
    with _open(first("features.tsv")) as handle:
        genes = [line.split("\t")[0] for line in handle.read().splitlines()]
    with _open(first("barcodes.tsv")) as handle:
        barcodes = handle.read().split()
    counts: dict[str, dict[str, int]] = {}
    with _open(first("matrix.mtx")) as handle:
        lines = [line for line in handle.read().splitlines() if not line.startswith("%")]
    rows, cols, _ = (int(x) for x in lines[0].split())
    assert (rows, cols) == (len(genes), len(barcodes)), "matrix dimensions differ from features/barcodes"
    for line in lines[1:]:
        gene, barcode, value = line.split()
        cell = counts.setdefault(barcodes[int(barcode) - 1], {})
        cell[genes[int(gene) - 1]] = cell.get(genes[int(gene) - 1], 0) + int(float(value))
    return counts


def check_planted_cells(matrix: dict[str, dict[str, int]]) -> None:
    """Every real cell is in the matrix with its planted UMI total (UMI collapsing undid the PCR duplicates) and
    only its own cell type's genes."""
    real = sc.droplets()[:sc.CELLS]
    for cell in real:
        found = matrix.get(cell.barcode, {})
        planted = sum(cell.umis.values())
        assert 0.9 * planted <= sum(found.values()) <= planted, (cell.barcode, sum(found.values()), planted)
        assert set(found) <= set(sc.TYPE_GENES[cell.cell_type]), (cell.cell_type, sorted(found))
        assert all(found.get(g, 0) >= 0.8 * n for g, n in cell.umis.items() if n >= 20)
    empties = [sum(matrix.get(c.barcode, {}).values()) for c in sc.droplets()[sc.CELLS:]]
    assert max(empties) <= max(sc.UMIS_PER_EMPTY)  # empty droplets stay small


# -- one check per module ---------------------------------------------------------------------------------------

def check_kallisto_index(run: Run) -> None:
    assert run.path("resources/kallisto_index/transcriptome.idx").stat().st_size > 0
    rows = [line.split("\t") for line in run.path("resources/kallisto_index/t2g.tsv").read_text().splitlines()]
    assert rows == [[g.transcript_id, g.gene_id, g.gene_id] for g in syn.genes()]


def check_kallisto_bus(run: Run) -> None:
    assert run.path("results/kallisto_bus/pbmc_1/output.bus").stat().st_size > 0
    log = run.path("results/kallisto_bus/pbmc_1.kallisto.log").read_text()
    found = re.search(r"processed ([\d,]+) reads, ([\d,]+) reads pseudoaligned", log)
    assert found, log[-1000:]
    total, aligned = (int(x.replace(",", "")) for x in found.groups())
    assert total > 10_000 and aligned > 0.95 * total


def check_bustools_count(run: Run) -> None:
    check_planted_cells(read_mtx(run.path("results/bustools_count/pbmc_1/raw")))
    inspect = json.loads(run.path("results/bustools_count/pbmc_1/inspect.json").read_text())
    assert inspect["numBarcodes"] == sc.CELLS + sc.AMBIENT
    assert inspect["percentageBarcodesOnWhitelist"] == 100


def check_emptydrops(run: Run) -> None:
    real = {c.barcode for c in sc.droplets()[:sc.CELLS]}
    called = set(read_mtx(run.path("results/emptydrops/pbmc_1/filtered")))
    assert called == real
    rows = [line.split("\t") for line in run.path("results/emptydrops/pbmc_1/emptydrops.tsv").read_text()
            .splitlines()[1:]]
    assert {r[0] for r in rows if r[5] == "TRUE"} == real
    assert len(rows) == sc.CELLS + sc.AMBIENT
    assert run.path("results/emptydrops/pbmc_1/barcode_ranks.pdf").read_bytes().startswith(b"%PDF")


def check_star_solo(run: Run) -> None:
    check_planted_cells(read_mtx(run.path("results/star_solo/pbmc_1/Solo.out/Gene/raw")))
    summary = dict(line.split(",", 1) for line in run.path("results/star_solo/pbmc_1/Solo.out/Gene/Summary.csv")
                   .read_text().splitlines())
    assert float(summary["Reads With Valid Barcodes"]) > 0.99
    assert float(summary["Reads Mapped to Gene: Unique Gene"]) > 0.9


def check_star_chimeric_align(run: Run) -> None:
    donor_contig, donor, acceptor_contig, acceptor = sc.fusion_breakpoint()
    junctions = [line.split("\t") for line in run.path(
        "results/star_chimeric_align/patient_1/Chimeric.out.junction").read_text().splitlines()
        if line and not line.startswith(("#", "chr_donorA"))]
    # column 2: donor breakpoint (last base of the 5' part); column 5: acceptor breakpoint (the base before the 3'
    # part), each shifted by up to the repeat length STAR reports when the junction sequence is ambiguous
    at_breakpoint = [j for j in junctions if j[0] == donor_contig and j[3] == acceptor_contig
                     and abs(int(j[1]) - donor) <= 2 and abs(int(j[4]) - (acceptor - 1)) <= 2]
    assert len(at_breakpoint) >= 10, junctions[:5]
    assert len(at_breakpoint) >= 0.5 * len(junctions)  # the planted fusion dominates the chimeric reads
    bam = run.path("results/star_chimeric_align/patient_1/Aligned.sortedByCoord.out.bam")
    region = f"{donor_contig}:{donor - 100}-{donor}"
    reads = subprocess.run(["samtools", "view", str(bam), region], capture_output=True, text=True,
                           check=True).stdout.splitlines()
    assert sum(f"SA:Z:{acceptor_contig}," in r for r in reads) >= 10  # chimeric alignments inside the BAM
    assert "SM:patient_1" in subprocess.run(["samtools", "view", "-H", str(bam)], capture_output=True, text=True,
                                            check=True).stdout


def check_kallisto_quant(run: Run) -> None:
    def reads(sample):
        rows = [line.split("\t") for line in run.path(f"results/kallisto_quant/{sample}/quant.sf").read_text()
                .splitlines()]
        assert rows[0] == ["Name", "Length", "EffectiveLength", "TPM", "NumReads"]
        return {r[0]: float(r[4]) for r in rows[1:]}
    control, treated = reads("control_1"), reads("treated_1")
    up = syn.GENE_UP.replace("gene", "tx")
    assert len(control) == syn.GENES and all(v > 40 for v in control.values())
    assert treated[up] > 4 * control[up]
    # the DE step read the quant.sf files through tximport: the planted gene tops the table
    top = [line.split("\t") for line in run.path("results/deseq2/de_results.tsv").read_text().splitlines()[:2]]
    row = dict(zip(top[0], top[1], strict=True))
    assert row["gene_id"] == syn.GENE_UP and float(row["log2FoldChange"]) > 2 and float(row["padj"]) < 1e-6


CHECKS: dict[str, tuple[str, Callable[[Run], None]]] = {
    "kallisto_index": ("sc_kallisto", check_kallisto_index),
    "kallisto_bus": ("sc_kallisto", check_kallisto_bus),
    "bustools_count": ("sc_kallisto", check_bustools_count),
    "emptydrops": ("sc_kallisto", check_emptydrops),
    "star_solo": ("sc_starsolo", check_star_solo),
    "star_chimeric_align": ("fusion_star", check_star_chimeric_align),
    "kallisto_quant": ("rnaseq_kallisto_deseq2", check_kallisto_quant),
}


@pytest.mark.parametrize("module", sorted(CHECKS))
def test_sc_fusion_module_output_content(sc_runs, module):
    sc_runs.check(CHECKS, module)


def test_scrnaseq_workflow_keeps_exactly_the_planted_cells(sc_runs):
    run = sc_runs("sc_kallisto")
    check_emptydrops(run)
    filtered = read_mtx(run.path("results/emptydrops/pbmc_1/filtered"))
    for cell in sc.droplets()[:sc.CELLS]:
        assert set(filtered[cell.barcode]) <= set(sc.TYPE_GENES[cell.cell_type])
