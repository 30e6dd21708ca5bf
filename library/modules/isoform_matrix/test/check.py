"""The matrices list every merged model with its status (known, novel isoform of geneA, novel gene) and the planted
isoform switch: the novel exon-skipping isoform has no TPM in stage_a and most of geneA's in stage_b; the
never-expressed geneC is zero.

Run on the `longread_isoforms_stringtie` workflow (tests/modules/workflows/longread_isoforms.py)."""

from __future__ import annotations

from tests.modules.harness import Run
from tests.modules.outputs_longread_isoforms import gtf_models, matrix, with_chain

WORKFLOW = "longread_isoforms_stringtie"


def check(run: Run) -> None:
    models = gtf_models(run.path("results/stringtie_merge/merged.gtf"))
    skip, gene = with_chain(models, "NOVEL_SKIP")[0], with_chain(models, "NOVEL_GENE")[0]
    for name in ("transcript_tpm.tsv", "transcript_coverage.tsv"):
        rows = matrix(run.path(f"results/isoform_matrix/{name}"))
        assert set(rows) == set(models)
        assert (rows[skip]["status"], rows[skip]["ref_gene_id"]) == ("novel_isoform", "geneA")
        assert (rows[gene]["status"], rows[gene]["ref_gene_id"]) == ("novel_gene", "")
        assert rows["txA1"]["status"] == "known" and rows["txB1"]["ref_gene_id"] == "geneB"
        value = {tx: {s: float(rows[tx][s]) for s in ("stage_a", "stage_b")} for tx in rows}
        assert value[skip]["stage_a"] == 0 and value[skip]["stage_b"] > 3 * value["txA1"]["stage_b"]
        assert value["txA1"]["stage_a"] > 3 * value["txA1"]["stage_b"]
        assert value["txC1"] == {"stage_a": 0, "stage_b": 0}
