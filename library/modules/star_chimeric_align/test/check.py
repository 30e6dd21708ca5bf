"""STAR's chimeric junctions and BAM hold the planted fusion breakpoint.

Run on the `fusion_star` workflow (tests/modules/workflows/sc_fusion.py)."""

from __future__ import annotations

import subprocess

from biopipelines.library.testdata import synthetic_sc_fusion as sc
from tests.modules.harness import Run

WORKFLOW = "fusion_star"


def check(run: Run) -> None:
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
