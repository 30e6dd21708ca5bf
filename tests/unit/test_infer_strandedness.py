"""Strandedness inference (library/modules/infer_strandedness): the read-on-gene-strand tally on hand-made SAM
records (forward, reverse, single-end, ambiguous reads), nf-core's thresholds, and how the plan and the rendered
workflow use the call (`auto` by default, a stated value kept, featureCounts' -s read from the call)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

import biopipelines.library
from biopipelines.core.schemas import Entities
from biopipelines.library import load_library
from biopipelines.library.render.snakemake import render_workflow

SCRIPT = Path(biopipelines.library.__file__).parent / "modules/infer_strandedness/scripts/infer_strandedness.py"
GTF = ('c1\tt\texon\t101\t300\t.\t+\t.\tgene_id "plus";\n'
       'c1\tt\texon\t501\t700\t.\t+\t.\tgene_id "plus";\n'
       'c1\tt\texon\t2001\t2400\t.\t-\t.\tgene_id "minus";\n'
       'c1\tt\texon\t2301\t2600\t.\t+\t.\tgene_id "overlap";\n')


@pytest.fixture(scope="module")
def script():
    spec = importlib.util.spec_from_file_location("infer_strandedness_script", SCRIPT)
    loaded = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(loaded)
    return loaded


@pytest.fixture(scope="module")
def index(script, tmp_path_factory):
    gtf = tmp_path_factory.mktemp("gtf") / "genes.gtf"
    gtf.write_text(GTF)
    found, genes = script.gene_index(gtf)
    assert genes == 3
    return found


def sam(flag: int, pos: int, cigar: str = "50M") -> str:
    return f"r\t{flag}\tc1\t{pos}\t60\t{cigar}\t=\t1\t0\t*\t*\n"


# read 1 forward / read 2 reverse on a + gene (an FR pair), and the same on the - gene (strands flipped)
FORWARD_PAIR = [sam(0x1 | 0x2 | 0x20 | 0x40, 120), sam(0x1 | 0x2 | 0x10 | 0x80, 250),
                sam(0x1 | 0x2 | 0x10 | 0x20 | 0x40, 2050), sam(0x1 | 0x2 | 0x80, 2010)]


def test_a_forward_library_agrees_with_the_gene_strand(script, index):
    assert script.tally(["@HD\tVN:1.6\n", *FORWARD_PAIR], index, 100) == (4, 4, 4, 0)


def test_swapped_mates_are_a_reverse_library(script, index):
    swapped = [sam(0x1 | 0x2 | 0x20 | 0x80, 120), sam(0x1 | 0x2 | 0x10 | 0x40, 250)]
    assert script.tally(swapped, index, 100) == (2, 2, 0, 2)


def test_single_end_reads_count_as_read_1(script, index):
    assert script.tally([sam(0, 120), sam(0x10, 2050), sam(0x10, 150)], index, 100) == (3, 3, 2, 1)


def test_reads_off_genes_or_on_both_strands_are_not_used(script, index):
    # intergenic; in the +/- overlap (2301-2400); a spliced read spanning the + gene's intron is used
    reads = [sam(0, 1000), sam(0, 2320), sam(0, 280, "21M200N29M")]
    assert script.tally(reads, index, 100) == (3, 1, 1, 0)


def test_only_the_first_records_are_examined(script, index):
    assert script.tally(FORWARD_PAIR, index, 2) == (2, 2, 2, 0)


@pytest.mark.parametrize(("forward", "reverse", "expected"), [
    (0.97, 0.03, "forward"), (0.8, 0.2, "forward"), (0.1, 0.9, "reverse"), (0.52, 0.48, "unstranded"),
    (0.54, 0.46, "unstranded"), (0.7, 0.3, "undetermined")])
def test_calls_follow_nf_core_thresholds(script, forward, reverse, expected):
    assert script.call(forward, reverse, 0.8, 0.1) == expected


# -- the plan and the rendered workflow --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def library():
    return load_library()


def test_an_unstated_strandedness_is_inferred(library):
    plan = library.plan("rnaseq_de", Entities(organism="human"))
    steps = [s.module for s in plan.steps]
    assert steps.index("star_align") < steps.index("infer_strandedness") < steps.index("featurecounts")
    assert plan.config["strandedness"] == "auto"
    assert any("inferred from the aligned reads" in n for n in plan.notes)
    assert not any("counted as unstranded" in n for n in plan.notes)
    files = render_workflow(plan, library)
    rule = files["workflow/rules/featurecounts.smk"]
    assert 'strandedness="results/infer_strandedness/strandedness.txt"' in rule
    assert "config[\"strandedness\"]" not in rule
    assert "- auto" in files["workflow/schemas/config.schema.yaml"]
    assert 'strandedness: "auto"  # auto (inferred' in files["config/config.yaml"]


def test_a_stated_strandedness_is_kept_and_still_checked(library):
    plan = library.plan("rnaseq_de", Entities(strandedness="reverse", tools_requested=["hisat2"]))
    assert plan.config["strandedness"] == "reverse"
    assert "infer_strandedness" in [s.module for s in plan.steps]
    assert any("flags a disagreement" in n for n in plan.notes)


def test_salmon_needs_no_strandedness_step(library):
    plan = library.plan("rnaseq_de", Entities(tools_requested=["salmon"]))
    assert "infer_strandedness" not in [s.module for s in plan.steps] and "strandedness" not in plan.config
    back = library.plan("rnaseq_de", Entities(tools_requested=["STAR"]), previous=plan)
    assert "infer_strandedness" in [s.module for s in back.steps] and back.config["strandedness"] == "auto"


def test_without_an_inference_step_auto_is_not_offered(library):
    plan = library.plan("alternative_splicing", Entities())
    assert plan.config["strandedness"] == "unstranded"
    schema = render_workflow(plan, library)["workflow/schemas/config.schema.yaml"]
    assert "- auto" not in schema
