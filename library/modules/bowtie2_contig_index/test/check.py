"""The Bowtie2 index holds exactly the filtered contigs.

Run on the `metagenome_megahit` workflow (tests/modules/workflows/metagenome_assembly.py)."""

from __future__ import annotations

import subprocess

from tests.modules.harness import Run
from tests.modules.outputs_metagenome_assembly import read_fasta

WORKFLOW = "metagenome_megahit"


def check(run: Run) -> None:
    names = subprocess.run(["bowtie2-inspect", "-n", str(run.path("results/bowtie2_contig_index/contigs"))],
                           capture_output=True, text=True, check=True).stdout.split()
    assert sorted(names) == sorted(read_fasta(run.path("results/contig_filter/contigs.fa")))
