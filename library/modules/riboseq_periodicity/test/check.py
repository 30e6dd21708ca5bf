"""The periodicity module finds the planted P-site offsets and frame-0 share.

Run on the `riboseq_star_deseq2` workflow (tests/modules/workflows/smallrna_ribo.py)."""

from __future__ import annotations

from biopipelines.library.testdata import synthetic_smallrna_ribo as srr
from tests.modules.harness import Run
from tests.modules.readers import samtools, table

WORKFLOW = "riboseq_star_deseq2"


def _frames(run: Run, sample: str) -> dict[str, dict[str, str]]:
    return {r["read_length"]: r for r in table(run.path(f"results/riboseq_periodicity/{sample}.frames.tsv"))}


def check(run: Run) -> None:
    for sample in ("control_1", "treated_2"):
        frames = _frames(run, sample)
        for length, offset in srr.OFFSETS.items():
            assert int(frames[str(length)]["psite_offset"]) == offset, (sample, length, frames[str(length)])
            assert float(frames[str(length)]["frame0_fraction"]) > 0.75
        overall = frames["all"]
        # planted: 80% of P-sites in frame 0 (plus the initiating ribosomes, all in frame 0)
        assert 0.78 < float(overall["frame0_fraction"]) < 0.88
        assert int(overall["frame1"]) > 0.05 * int(overall["reads_in_cds"])
        # P-sites of footprints from minus-strand genes and from spliced footprints are placed too
        mapped = int(samtools("view", "-c", "-F", "0x904",
                              str(run.path(f"results/star_align/{sample}/Aligned.sortedByCoord.out.bam"))))
        assert int(overall["reads_in_cds"]) > 0.97 * mapped
    metagene = table(run.path("results/riboseq_periodicity/control_1.start_metagene.tsv"))
    peak = max(metagene, key=lambda r: int(r["len29"]))
    assert peak["position"] == "-12"
    qc = table(run.path("results/riboseq_periodicity/control_1.periodicity_mqc.tsv"))[0]
    assert qc["Sample"] == "control_1" and float(qc["Frame 0 fraction"]) > 0.75
