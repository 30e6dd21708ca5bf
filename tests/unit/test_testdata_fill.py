"""`run --test`'s synthetic data: written over .test/'s empty placeholders for the analyses that have a dataset
(reference, one sample per sheet row, small-genome parameters), and a clear refusal for the others."""

from __future__ import annotations

import csv
import gzip
import json
from pathlib import Path

import pytest
import yaml

from biopipelines.core.errors import UserError
from biopipelines.core.schemas import Entities
from biopipelines.graph.commands.run_test_data import prepare_test_data
from biopipelines.library import load_library
from biopipelines.library.render.snakemake import render_workflow
from biopipelines.library.testdata import synthetic as syn
from biopipelines.library.testdata.fill import empty_placeholders


@pytest.fixture(scope="module")
def library():
    return load_library()


def _workflow(root: Path, library, recipe: str, **entities) -> Path:
    plan = library.plan(recipe, Entities(organism="human", **entities))
    for relative, content in render_workflow(plan, library).items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(content)
    (root / "report.json").write_text(json.dumps({"analysis_type": recipe}))
    return root


def _reads(path: Path) -> list[str]:
    with gzip.open(path, "rt") as handle:
        return handle.read().splitlines()[1::4]


def test_rnaseq_placeholders_get_one_synthetic_sample_per_row_with_the_planted_gene(library, tmp_path, capsys):
    root = _workflow(tmp_path, library, "rnaseq_de", sample_count=4, conditions=["mutant", "control"])
    assert empty_placeholders(root / ".test")
    prepare_test_data(root)
    assert "wrote synthetic data into .test/" in capsys.readouterr().out
    assert empty_placeholders(root / ".test") == []
    config = yaml.safe_load((root / ".test" / "config" / "config.yaml").read_text())
    assert "--genomeSAindexNbases 6" in config["star_index"]["extra"]
    with (root / ".test" / config["samples"]).open() as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    assert len(rows) == 4
    up = syn.transcript_seq(syn.genome(), next(g for g in syn.genes() if g.gene_id == syn.GENE_UP))
    hits = {r["sample"]: sum(read in up for read in _reads(root / ".test" / r["fq1"])) for r in rows}  # mate 1
    second = list(dict.fromkeys(r["condition"] for r in rows))[1]
    high = [hits[r["sample"]] for r in rows if r["condition"] == second]
    low = [hits[r["sample"]] for r in rows if r["condition"] != second]
    assert min(high) > 3 * max(low) > 0  # the planted gene is ~8x higher in the sheet's second group


def test_an_analysis_without_a_dataset_keeps_its_placeholders_and_is_refused(library, tmp_path):
    root = _workflow(tmp_path, library, "hic")
    with pytest.raises(UserError, match="empty placeholders made for the dry run.*synthetic data exist for: .*"
                                        "germline_variants, rnaseq_de"):
        prepare_test_data(root)
    assert empty_placeholders(root / ".test")
