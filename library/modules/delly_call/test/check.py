"""DELLY calls the planted homozygous deletion within 50 bp of its ends in every sample.

Run on the `sv_delly` workflow (tests/modules/workflows/core.py)."""

from __future__ import annotations

from biopipelines.library.testdata import synthetic as syn
from tests.modules.harness import Run
from tests.modules.readers import vcf_records

WORKFLOW = "sv_delly"


def check(run: Run) -> None:
    contig, start, end = syn.DELETION
    found = []
    for fields in vcf_records(run.path("results/delly_call/cohort.sv.vcf.gz")):
        info = dict(item.split("=", 1) for item in fields[7].split(";") if "=" in item)
        if fields[0] == contig and info.get("SVTYPE") == "DEL":
            found.append((int(fields[1]), int(info["END"]), fields[9:]))
    assert found, "the planted deletion was not called"
    pos, stop, samples = min(found, key=lambda f: abs(f[0] - start) + abs(f[1] - end))
    assert abs(pos - start) < 50 and abs(stop - end) < 50, (pos, stop)
    assert all(s.split(":")[0] == "1/1" for s in samples)
