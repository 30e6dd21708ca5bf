"""StringTie2 -L assembles, per sample, the isoforms each sample expresses: the novel exon-skipping isoform (exact
planted intron chain) in stage_b only, the known geneA isoform under its reference ID, and the unannotated gene in
both; the never-expressed geneC is not assembled.

Run on the `longread_isoforms_stringtie` workflow (tests/modules/workflows/longread_isoforms.py)."""

from __future__ import annotations

from tests.modules.harness import Run
from tests.modules.outputs_longread_isoforms import gtf_models, with_chain

WORKFLOW = "longread_isoforms_stringtie"


def check(run: Run) -> None:
    stage_a = gtf_models(run.path("results/stringtie_longread/stage_a.gtf"))
    stage_b = gtf_models(run.path("results/stringtie_longread/stage_b.gtf"))
    assert with_chain(stage_b, "NOVEL_SKIP") and not with_chain(stage_a, "NOVEL_SKIP")
    for models in (stage_a, stage_b):
        assert with_chain(models, "NOVEL_GENE") and with_chain(models, "txB1")
        assert any(m["attributes"].get("reference_id") == "txA1" for m in models.values())
        assert not with_chain(models, "txC1")
