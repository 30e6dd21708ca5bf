"""The REPL's "show me the results" turn reaches the analysis node: on a folder named in the line, else on the
last /save folder; with neither it asks which, and other lines still go to the graph."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from biopipelines.core.errors import UserError
from biopipelines.core.settings import load_settings
from biopipelines.graph.repl import ChatSession
from biopipelines.graph.repl_results import results_target
from tests import analysis_results as results
from biopipelines.library.testdata import synthetic as syn


def test_results_turns_are_recognised_and_others_are_not(tmp_path):
    saved = tmp_path / "wf"
    assert results_target("show me the results", saved) == saved
    assert results_target("please plot the DE results", saved) == saved
    assert results_target(f"analyze the results in {tmp_path}", None) == tmp_path
    assert results_target("RNA-seq DE for mouse, 3 vs 3, STAR and DESeq2", saved) is None
    assert results_target("how many replicates give reproducible results?", saved) is None
    with pytest.raises(UserError, match="which workflow"):
        results_target("show me the results", None)


def test_the_repl_answers_show_me_the_results(tmp_path):
    root = results.write_de(tmp_path / "de")
    out = io.StringIO()
    session = ChatSession(load_settings("offline", env={}), tmp_path / "t.sqlite", None, out=out)
    try:
        session.workflow_dir = root  # as /save would have set it
        session.ask("show me the results")
    finally:
        session.close()
    text = out.getvalue()
    assert syn.GENE_UP in text and "report: " in text and (root / "analysis" / "report.html").is_file()
    assert Path(root / "analysis" / "figures" / "volcano.png").is_file()
