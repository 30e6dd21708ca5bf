"""FastQC counts every read of the synthetic FASTQ and sees the simulated 75 bp length.

Run on the `rnaseq_star_deseq2` workflow (tests/modules/workflows/core.py)."""

from __future__ import annotations

import gzip
import re
import zipfile

from tests.modules.harness import Run
from tests.modules.outputs_core import first_sample

WORKFLOW = "rnaseq_star_deseq2"


def check(run: Run) -> None:
    sample = first_sample(run)
    with zipfile.ZipFile(run.path(f"results/fastqc/{sample}_R1_fastqc.zip")) as archive:
        data = archive.read(f"{sample}_R1_fastqc/fastqc_data.txt").decode()
    total = int(re.search(r"Total Sequences\t(\d+)", data).group(1))
    with gzip.open(run.reads(sample), "rt") as handle:
        assert total == sum(1 for _ in handle) // 4
    assert "Sequence length\t75" in data
