"""The bigWig track is over 5x higher at the planted peak than in the background.

Run on the `chipseq_bowtie2_macs` workflow (tests/modules/workflows/core.py)."""

from __future__ import annotations

import subprocess

import pytest

from tests.modules.harness import Run

WORKFLOW = "chipseq_bowtie2_macs"


def check(run: Run) -> None:
    script = ("import pyBigWig, sys; b = pyBigWig.open(sys.argv[1]); "
              "print(b.stats('chr1', 19800, 20200)[0], b.stats('chr1', 2000, 12000)[0])")
    try:
        out = subprocess.run(["/usr/bin/python3", "-c", script, str(run.path(
            "results/deeptools_bamcoverage/chip_1.bw"))], capture_output=True, text=True, check=True).stdout
    except (FileNotFoundError, subprocess.CalledProcessError) as exc:
        pytest.fail(f"cannot read the bigWig with Debian's python3-pybigwig: {exc}")
    peak, background = (float(x) for x in out.split())
    assert peak > 5 * background > 0
