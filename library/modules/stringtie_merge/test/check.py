"""The merged models hold every reference transcript under its own ID, plus exactly two novel models: the exon-skipping
isoform (in geneA's merged locus) and the unannotated gene, each with its planted intron chain.

Run on the `longread_isoforms_stringtie` workflow (tests/modules/workflows/longread_isoforms.py)."""

from __future__ import annotations

from biopipelines.library.testdata import synthetic_longread_isoforms as iso
from tests.modules.harness import Run
from tests.modules.outputs_longread_isoforms import gtf_models, with_chain

WORKFLOW = "longread_isoforms_stringtie"


def check(run: Run) -> None:
    models = gtf_models(run.path("results/stringtie_merge/merged.gtf"))
    annotated = {tx for tx, (*_, known) in iso.TRANSCRIPTS.items() if known}
    assert annotated <= set(models)
    novel = set(models) - annotated
    skip, gene = with_chain(models, "NOVEL_SKIP"), with_chain(models, "NOVEL_GENE")
    assert len(skip) == 1 and len(gene) == 1 and novel == {*skip, *gene}, sorted(models)
    assert models[skip[0]]["attributes"]["gene_id"] == models["txA1"]["attributes"]["gene_id"]
