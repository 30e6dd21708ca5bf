"""`biopipelines library list [--json]` and `library show TOOL`: what a user sees when browsing the catalogue."""

from __future__ import annotations

import json

import pytest

from biopipelines.graph.cli import main
from biopipelines.library import load_library


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_list_json_covers_every_analysis_type_and_module(capsys):
    code, out, _ = run(capsys, "library", "list", "--json")
    data = json.loads(out)
    library = load_library()
    assert code == 0
    assert {a["slug"] for a in data["analysis_types"]} == set(library.analysis_types)
    assert {m["id"] for m in data["modules"]} == set(library.modules)
    star = next(m for m in data["modules"] if m["id"] == "star_align")
    assert star["package"] == "star" and star["version"] == library.module("star_align").package.version
    assert "rnaseq_de:align" in star["used_in"]
    served = {a["slug"] for a in data["analysis_types"] if a["recipe"]}
    assert served == {a.slug for a in library.analysis_types.values() if a.recipe}


def test_list_text_says_which_types_have_a_recipe(capsys):
    code, out, _ = run(capsys, "library", "list")
    library = load_library()
    served = sum(1 for a in library.analysis_types.values() if a.recipe)
    assert code == 0 and f"{served} of {len(library.analysis_types)} have a recipe" in out
    assert "not yet (closest: scrnaseq_10x)" in out  # an unserved type names its closest recipe


@pytest.mark.parametrize(("name", "module"), [("STAR", "star_align"), ("bwa mem", "bwa_mem"),
                                              ("featureCounts", "featurecounts"), ("Delly", "delly_call")])
def test_show_finds_tools_by_forgiving_names(capsys, name, module):
    code, out, _ = run(capsys, "library", "show", name)
    spec = load_library().module(module)
    assert code == 0
    assert out.startswith(f"{spec.tool} ({module})")
    assert f"{spec.package.name}={spec.package.version}" in out and "checked:" in out  # the pin and its source
    assert "Citation: https://doi.org/" in out


def test_show_json_has_pins_ports_params_and_card(capsys):
    code, out, _ = run(capsys, "library", "show", "mosdepth", "--json")
    data = json.loads(out)
    assert code == 0 and data["id"] == "mosdepth"
    assert data["packages"][0]["pin_source"] and data["debian_packages"][0]["package"] == "mosdepth"
    assert {p["name"] for p in data["inputs"]} == {"bam", "bai"} and "extra" in data["params"]
    assert "coverage" in data["card"].lower()


@pytest.mark.parametrize(("name", "expected"), [("cellranger", "no module for 'cellranger'"),
                                                ("samtools", "matches several modules")])
def test_show_unknown_or_ambiguous_names_fail_in_one_line(capsys, name, expected):
    code, out, err = run(capsys, "library", "show", name)
    assert code == 2 and out == ""
    assert expected in err and len(err.strip().splitlines()) == 1
