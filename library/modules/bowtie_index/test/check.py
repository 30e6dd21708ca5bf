"""The Bowtie index keeps the planted human miRNAs only, as DNA, headers cut to the name.

Run on the `smallrna_bowtie_deseq2` workflow (tests/modules/workflows/smallrna_ribo.py)."""

from __future__ import annotations

from biopipelines.library.testdata import synthetic_smallrna_ribo as srr
from tests.modules.harness import Run
from tests.modules.readers import samtools

WORKFLOW = "smallrna_bowtie_deseq2"


def check(run: Run) -> None:
    index = run.path("resources/bowtie_index")
    names = [line[1:].strip() for line in (index / "mature.fa").read_text().splitlines() if line.startswith(">")]
    assert sorted(names) == sorted(srr.mirnas())  # human entries only, headers cut to the name
    assert "U" not in (index / "mature.fa").read_text().replace(">", "").upper().split("\n", 1)[1]
    assert (index / "mature.1.ebwt").stat().st_size > 0 and (index / "mature.rev.1.ebwt").stat().st_size > 0
    assert set(samtools("view", "-H", str(run.path("results/samtools_sort/control_1.bam"))).split()) >= {
        f"SN:{name}" for name in srr.mirnas()}
