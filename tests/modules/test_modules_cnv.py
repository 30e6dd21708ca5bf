"""End-to-end check of the copy-number workflow (tests/modules/workflows/cnv.py): the planted CNVs come out of
the whole chain (BWA-MEM, samtools duplicate marking, CNVkit bins, coverage, pooled reference, fix, CBS, call, gene table)
with nothing called in the diploid samples. Each CNVkit module's own output check lives beside the module:
library/modules/cnvkit_*/test/check.py.

Executed here with Debian's CNVkit 0.9.9 (launched as `cnvkit.py` through tests/modules/bin). Not executed: the
recipe's read QC, trimming, alignment statistics, depth QC and MultiQC steps (left out for time; the core
workflows run them). Not executed: the `exomedepth` module (the recipe's alternative caller for germline exome
cohorts; ExomeDepth is not packaged in Debian 12), which is still generated, linted and dry-run. GATK gCNV and
Control-FREEC are named in the cards and the checklist's gaps, with no module yet.
"""

from __future__ import annotations

from biopipelines.library.testdata import synthetic_cnv as cnv
from tests.modules.outputs_cnv import WORKFLOW, planted, rows


def test_only_the_planted_cnvs_are_called(runs):
    run = runs(WORKFLOW)
    truth = planted()
    for sample in cnv.SAMPLES:
        calls = [(s["chromosome"], s["cn"]) for s in rows(run, f"results/cnvkit_call/{sample}.call.cns")
                 if s["cn"] != "2"]
        expected = [(truth[sample][0][0], str(truth[sample][1]))] if sample in truth else []
        assert calls == expected, (sample, calls)


def test_gene_table_names_the_planted_genes(runs):
    run = runs(WORKFLOW)
    found = {sample: sorted(g["gene"] for g in rows(run, f"results/cnvkit_genemetrics/{sample}.genemetrics.tsv"))
             for sample in cnv.SAMPLES}
    assert found[cnv.DELETION_SAMPLE] == sorted(cnv.DELETED_GENES)
    assert found[cnv.DUPLICATION_SAMPLE] == sorted(cnv.DUPLICATED_GENES)
