"""CNVkit genemetrics lists exactly the planted deleted genes for sample_1 (copy number 1, log2 below -0.6) and
the planted duplicated genes for sample_2 (copy number 3, log2 above 0.3), each with its six exons as bins, and
no gene for the diploid samples.

Run on the `cnv_cnvkit` workflow (tests/modules/workflows/cnv.py)."""

from __future__ import annotations

from biopipelines.library.testdata import synthetic_cnv as cnv
from tests.modules.harness import Run
from tests.modules.outputs_cnv import rows

WORKFLOW = "cnv_cnvkit"


def check(run: Run) -> None:
    expected = {cnv.DELETION_SAMPLE: (cnv.DELETED_GENES, "1"), cnv.DUPLICATION_SAMPLE: (cnv.DUPLICATED_GENES, "3")}
    for sample in cnv.SAMPLES:
        genes = rows(run, f"results/cnvkit_genemetrics/{sample}.genemetrics.tsv")
        names, copies = expected.get(sample, ([], ""))
        assert sorted(g["gene"] for g in genes) == sorted(names), (sample, genes)
        for gene in genes:
            assert gene["cn"] == copies and int(gene["probes"]) >= cnv.EXONS_PER_GENE - 1, gene
            log2 = float(gene["log2"])
            assert log2 < -0.6 if copies == "1" else log2 > 0.3, gene
