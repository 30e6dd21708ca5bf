"""One realistic request per analysis type (tests/data/requests_per_type.yaml) through `biopipelines generate`
(offline tier): a type with a recipe gives a validated workflow (partial where the request also asks for
what the recipe lacks), a type without one an honest `unsupported`
answer (exit 4) that names the supported analyses, never a silent substitute."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from biopipelines.library import load_library
from tests.cli import run_cli

pytestmark = pytest.mark.e2e

REQUESTS = yaml.safe_load((Path(__file__).resolve().parents[1] / "data" / "requests_per_type.yaml").read_text())[
    "requests"]


def test_there_is_one_request_per_analysis_type():
    assert sorted(r["type"] for r in REQUESTS) == sorted(load_library().analysis_types)


@pytest.mark.parametrize("item", REQUESTS, ids=[r["type"] for r in REQUESTS])
def test_generate_answers_each_analysis_type(tmp_path, item):
    library = load_library()
    analysis = library.analysis_types[item["type"]]
    result = run_cli("generate", item["request"], "--out", str(tmp_path / "out"), "--json", timeout=600)
    report = json.loads(result.stdout)
    assert report["analysis_type"] == item["type"], report.get("message")
    if analysis.recipe:
        expected = item.get("status", "validated")  # `partial`: the request also asks for what the recipe lacks
        assert result.returncode == {"validated": 0, "partial": 5}[expected], result.stderr.decode()[-2000:]
        assert report["status"] == expected
        assert all(c["ok"] for c in report["validation"])
    else:
        assert result.returncode == 4 and report["status"] == "unsupported"
        text = json.dumps(report)
        assert all(slug in text for slug in library.recipes)  # says what is supported
        assert not (tmp_path / "out" / "workflow").exists()  # and writes no substitute workflow
