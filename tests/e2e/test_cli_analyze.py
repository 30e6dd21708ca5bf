"""`biopipelines analyze DIR` as a user runs it: a report on results, and one line with exit 2 for a folder that
is missing, is no generated workflow, or has not been run yet (never a traceback)."""

from __future__ import annotations

import json

import pytest

from tests import analysis_results as results
from tests.cli import run_cli
from biopipelines.library.testdata import synthetic as syn


def test_analyze_writes_figures_and_a_report(tmp_path):
    root = results.write_variants(tmp_path / "wgs")
    done = run_cli("analyze", str(root), "--json")
    assert done.returncode == 0, done.stderr.decode()
    payload = json.loads(done.stdout)
    contig, pos = syn.SNV
    assert f"{contig}:{pos} " in " ".join(payload["findings"])
    assert (root / "analysis" / "report.html").is_file()
    assert all((root / "analysis" / "figures" / f"{f['name']}.svg").is_file() for f in payload["figures"])
    assert payload["route"]["node"] == "analysis" and payload["route"]["tier"] == "offline"


@pytest.mark.parametrize("case", ["missing", "not_a_workflow", "not_run_yet", "no_template", "corrupt_table"])
def test_bad_folders_are_one_line_and_exit_2(case, tmp_path):
    target = tmp_path / "wf"
    if case == "not_a_workflow":
        target.mkdir()
    elif case == "not_run_yet":
        results.write_de(target)
        for path in (target / "results").rglob("*"):
            if path.is_file():
                path.unlink()
    elif case == "no_template":
        results.write_de(target)
        report = json.loads((target / "report.json").read_text())
        (target / "report.json").write_text(json.dumps({**report, "analysis_type": "hic"}))
    elif case == "corrupt_table":
        results.write_de(target)
        (target / "results" / "deseq2" / "de_results.tsv").write_bytes(b"\x00\xffnot a table\n")
    done = run_cli("analyze", str(target))
    err = done.stderr.decode()
    assert done.returncode == 2, err
    assert err.startswith("error: ") and err.count("\n") == 1 and "Traceback" not in err
