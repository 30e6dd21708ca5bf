"""The blacklist filter drops the planted artefact peak and keeps the planted ChIP peak and every other peak.

Run on the `chipseq_bowtie2_macs` workflow (tests/modules/workflows/core.py): chip_1 carries, besides its 1,500
fragments around PEAK, a pile of 300 fragments around ARTEFACT that the flat input lacks, so MACS calls a peak
there; the toy blacklist (synthetic.BLACKLIST, reference.blacklist) covers it. FRiP reads the filtered peaks."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from biopipelines.library.testdata import synthetic as syn
from tests.modules.harness import Run
from tests.modules.readers import table

WORKFLOW = "chipseq_bowtie2_macs"


def _rows(text: str) -> list[list[str]]:
    return [line.split("\t") for line in text.splitlines() if line.strip()]


def _overlaps(row: list[str], contig: str, start: int, end: int) -> bool:
    return row[0] == contig and int(row[1]) < end and int(row[2]) > start


def check(run: Run) -> None:
    raw_text = run.path("results/macs3_callpeak/chip_1/chip_1.peaks.bed").read_text()
    raw, kept = _rows(raw_text), _rows(run.path("results/bedtools_blacklist/chip_1.peaks.bed").read_text())
    # MACS called the artefact (so the filter had something to do) ...
    assert [r for r in raw if _overlaps(r, *syn.BLACKLIST)], raw
    # ... and the filter dropped exactly the peaks in the blacklist, passing the others through unchanged
    assert not [r for r in kept if _overlaps(r, *syn.BLACKLIST)], kept
    assert kept == [r for r in raw if not _overlaps(r, *syn.BLACKLIST)]
    contig, summit = syn.PEAK
    assert [r for r in kept if r[0] == contig and int(r[1]) < summit <= int(r[2])], kept
    # FRiP counts the filtered peaks
    frip = table(run.path("results/chip_frip/chip_1.frip_mqc.tsv"))[0]
    assert int(frip["Peaks"]) == len(kept), (frip, len(kept))
    # the rule's command with an empty blacklist (a build without one) keeps every peak
    rule = run.path("workflow/rules/bedtools_blacklist.smk").read_text()
    assert '"bedtools intersect -v -a {input.peaks} -b {input.blacklist} {params.extra} "' in rule
    with tempfile.TemporaryDirectory() as scratch:
        empty = Path(scratch) / "blacklist.bed"
        empty.write_text("")
        done = subprocess.run(["bedtools", "intersect", "-v", "-a", str(run.path(
            "results/macs3_callpeak/chip_1/chip_1.peaks.bed")), "-b", str(empty)], capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout == raw_text, done.stderr
