"""Long-read variant calling on library/testdata/synthetic.py's genome (simulated Nanopore-like reads carrying its
planted deletion), and genome assembly of library/testdata/synthetic_longread_assembly.py's toy bacterium.

Clair3 and Longshot have no Debian package, so the small-variant step is left out. Debian's Flye cannot run (its
consensus stage needs upstream Flye's own minimap2 fork), so the long-read assembly workflow runs with Flye's
output seeded: a draft made from the truth with ~2% errors, which Racon must correct.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from biopipelines.core.schemas import Entities
from biopipelines.library.testdata import synthetic as syn
from biopipelines.library.testdata import synthetic_longread_assembly as lra
from tests.modules.harness import Run, configure, execute, render, skip_unless_installed

NO_SMALL_VARIANTS = "step:small_variants"  # Clair3 / Longshot: not in Debian
ASSEMBLY_QC_OFF = ["quast", "busco"]  # QUAST: not in Debian; BUSCO: needs a downloaded lineage dataset

# name -> (recipe, entities, data kind, extra config)
WORKFLOWS: dict[str, tuple[str, Entities, str, dict]] = {
    "longread_sniffles": ("longread_variants", Entities(tools_excluded=[NO_SMALL_VARIANTS]), "ont_variants", {}),
    "longread_cutesv": ("longread_variants", Entities(
        tools_requested=["cutesv"], tools_excluded=[NO_SMALL_VARIANTS, "step:read_qc", "step:filtering",
                                                    "step:alignment_qc", "step:coverage", "step:report"]),
        "ont_variants", {"cutesv": {"min_support": 5}}),
    "assembly_spades_prokka": ("genome_assembly", Entities(tools_excluded=ASSEMBLY_QC_OFF), "illumina_assembly",
                               {}),
    "assembly_unicycler": ("genome_assembly", Entities(
        tools_requested=["unicycler"], tools_excluded=[*ASSEMBLY_QC_OFF, "step:trimming", "step:read_qc",
                                                       "step:annotation", "step:report"]), "illumina_assembly",
        {"unicycler": {"extra": "--min_fasta_length 200 --kmers 27,53,77"}}),  # 3 SPAdes rounds instead of 10
    "longread_assembly_racon": ("longread_assembly", Entities(
        tools_excluded=[*ASSEMBLY_QC_OFF, "step:read_qc", "step:filtering", "step:annotation", "step:report"]),
        "ont_assembly", {}),
}
# outputs of modules Debian cannot run, written before the run (newer than their inputs, so Snakemake keeps them)
SEEDED = {"longread_assembly_racon": {"flye": "results/flye/isolate_1/assembly.fasta"}}


def _data(kind: str, folder: Path) -> tuple[dict, list[dict]]:
    if kind == "ont_variants":
        return syn.write_reference(folder / "reference"), lra.variant_long_reads(folder / "reads")
    if kind == "ont_assembly":
        return {}, lra.bacterium_long_reads(folder / "reads")
    return {}, lra.bacterium_short_reads(folder / "reads")


def build(name: str, tmp: pytest.TempPathFactory) -> Run:
    recipe, entities, kind, extra = WORKFLOWS[name]
    root = tmp.mktemp(name)
    modules = render(root, recipe, entities)
    seeded = SEEDED.get(name, {})
    skip_unless_installed(name, [m for m in modules if m not in seeded])
    folder = tmp.mktemp(f"{name}_data")
    reference, rows = _data(kind, folder)
    if "prokka" in modules:
        dbdir = lra.write_prokka_db(folder / "prokka_db")
        extra = {**extra, "prokka": {"extra": f"--centre X --compliant --dbdir {dbdir}"}}
    config = configure(root, reference, rows, extra)
    for path in seeded.values():
        syn.write_fasta(root / path, {"contig_1": lra.draft_bacterium()})
    return execute(root, modules, config)
