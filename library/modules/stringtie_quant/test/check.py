"""StringTie2 -e follows the planted isoform switch: on the merged models, coverage of the known geneA isoform and of
the novel exon-skipping one tracks the reads simulated per sample (full-length reads: coverage ~ reads), and geneB
stays level.

Run on the `longread_isoforms_stringtie` workflow (tests/modules/workflows/longread_isoforms.py)."""

from __future__ import annotations

import pytest

from biopipelines.library.testdata import synthetic_longread_isoforms as iso
from tests.modules.harness import Run
from tests.modules.outputs_longread_isoforms import gtf_models, with_chain

WORKFLOW = "longread_isoforms_stringtie"


def check(run: Run) -> None:
    for sample in iso.SAMPLES:
        models = gtf_models(run.path(f"results/stringtie_quant/{sample}.gtf"))
        cov = {tx: float(models[ids[0]]["attributes"]["cov"]) for tx in ("txA1", "NOVEL_SKIP", "txB1")
               if (ids := with_chain(models, tx))}
        for tx, value in cov.items():
            assert value == pytest.approx(iso.EXPRESSION[sample][tx], rel=0.2, abs=2), (sample, tx, cov)
        genes = run.path(f"results/stringtie_quant/{sample}.gene_abund.tsv").read_text()
        assert "geneB" in genes.split()
