"""The synthetic RNA-seq reads are a forward (FR) library, mate 1 on the sense strand of the + strand genes: every
sample and the library are called forward, with almost all gene reads agreeing, and featureCounts counts with
-s 1. The same alignments with the mates' roles swapped (read 1 <-> read 2) are called reverse.

Run on the `rnaseq_star_deseq2` workflow (tests/modules/workflows/core.py)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from tests.modules.harness import Run
from tests.modules.readers import samtools, table

WORKFLOW = "rnaseq_star_deseq2"
SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "infer_strandedness.py"


def _script():
    spec = importlib.util.spec_from_file_location("infer_strandedness_script", SCRIPT)
    loaded = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(loaded)  # defines the functions only: main() runs under Snakemake's script: directive
    return loaded


def _mates_swapped(sam: str) -> list[str]:
    """SAM records with the first/second-in-pair flags exchanged: the same fragments read as a reverse library."""
    swapped = []
    for line in sam.splitlines():
        fields = line.split("\t")
        flag = int(fields[1])
        if flag & 0x1:
            flag = flag & ~0xC0 | (0x80 if flag & 0x40 else 0) | (0x40 if flag & 0x80 else 0)
        swapped.append("\t".join([fields[0], str(flag), *fields[2:]]))
    return swapped


def check(run: Run) -> None:
    rows = table(run.path("results/infer_strandedness/strandedness.tsv"))
    assert [r["sample"] for r in rows] == [f"{c}_{n}" for c in ("control", "treated") for n in (1, 2, 3)]
    for row in rows:
        assert row["call"] == "forward" and row["stated"] == "auto" and row["agrees"] == "NA", row
        assert int(row["reads_used"]) > 5000, row  # 12,000-16,000 mates on genes per sample, all within the 200k limit
        assert float(row["forward_fraction"]) > 0.95 and float(row["reverse_fraction"]) < 0.05, row
    assert run.path("results/infer_strandedness/strandedness.txt").read_text() == "forward\n"
    assert "Strand specific : stranded" in run.path("logs/featurecounts.log").read_text()  # -s 1, not -s 0

    script = _script()
    index, _ = script.gene_index(run.reference("gtf"))
    bam = run.path("results/star_align/control_1/Aligned.sortedByCoord.out.bam")
    sam = samtools("view", "-F", "0xF04", "-q", "10", str(bam))
    _, used, forward, reverse = script.tally(_mates_swapped(sam), index, 200_000)
    assert used > 5000 and reverse / used > 0.95, (used, forward, reverse)
    assert script.call(forward / used, reverse / used, 0.8, 0.1) == "reverse"
