"""Prokka annotates every planted gene by name, each ORF start to stop.

Run on the `assembly_spades_prokka` workflow (tests/modules/workflows/longread_assembly.py)."""

from __future__ import annotations

import re

from biopipelines.library.testdata import synthetic_longread_assembly as lra
from tests.modules.harness import Run
from tests.modules.outputs_longread_assembly import fasta

WORKFLOW = "assembly_spades_prokka"


def check(run: Run) -> None:
    gff = run.path("results/prokka/isolate_1/isolate_1.gff").read_text()
    regions = re.findall(r"^##sequence-region (\S+) 1 (\d+)$", gff, re.M)
    assembly = fasta(run.path("results/spades/isolate_1/contigs.fasta"))
    assert sorted(int(n) for _, n in regions) == sorted(len(s) for s in assembly.values() if len(s) >= 200)
    cds = [line.split("\t") for line in gff.splitlines() if "\tCDS\t" in line]
    named = {int(m.group(1)) for f in cds for m in [re.search(rf"product={lra.GENE_PRODUCT} (\d+)", f[8])] if m}
    assert named == set(range(1, lra.PLANTED_GENES + 1)), named  # every planted gene found and named
    for f in cds:
        if lra.GENE_PRODUCT in f[8]:
            number = int(re.search(rf"product={lra.GENE_PRODUCT} (\d+)", f[8]).group(1))
            assert int(f[4]) - int(f[3]) + 1 == len(lra.bacterium()[1][number - 1])  # the whole ORF, start to stop
    summary = run.path("results/prokka/isolate_1/isolate_1.txt").read_text()
    assert int(re.search(r"^CDS: (\d+)", summary, re.M).group(1)) == len(cds) >= lra.PLANTED_GENES
