"""`biopipelines analyze`: the offline templates on result folders with planted truths (tests/analysis_results.py).

The planted DE gene is among the volcano's labelled genes and named in the summary; the planted SNV is named in the
variant summary; every figure is read back as an image (size and non-blank pixels), with its SVG beside it; the
HTML report quotes the numbers and links the figures."""

from __future__ import annotations

from pathlib import Path

import pytest

from biopipelines.core.errors import InputError
from biopipelines.core.settings import load_settings
from biopipelines.llm.factory import ModelFactory
from biopipelines.nodes.analysis.figures import image_size, is_blank
from biopipelines.nodes.analysis.node import analyze
from biopipelines.nodes.deps import NodeDeps
from tests import analysis_results as results
from biopipelines.library.testdata import synthetic as syn


@pytest.fixture(scope="module")
def deps() -> NodeDeps:
    settings = load_settings("offline", env={})
    return NodeDeps(settings=settings, models=ModelFactory(settings))


def assert_real_figures(analysis, names: set[str]) -> None:
    assert {f.name for f in analysis.figures} >= names
    for figure in analysis.figures:
        height, width = image_size(figure.png)
        assert (width, height) == (figure.width, figure.height) and width >= 300 and height >= 200
        assert not is_blank(figure.png), f"{figure.name} is blank"
        assert figure.svg is not None and b"<svg" in figure.svg.read_bytes()[:2000]


def test_de_labels_the_planted_gene_and_names_it(deps, tmp_path):
    update = analyze(deps, results.write_de(tmp_path / "de"))
    analysis = update["analysis"]
    volcano = next(f for f in analysis.figures if f.name == "volcano")
    assert syn.GENE_UP in volcano.labels
    assert syn.GENE_UP in analysis.summary and analysis.metrics["top_gene"] == syn.GENE_UP
    assert analysis.metrics["genes_tested"] == len(syn.genes())
    assert_real_figures(analysis, {"volcano", "ma", "pca", "sample_distances"})
    pca = next(f for f in analysis.figures if f.name == "pca")
    assert set(pca.labels) == {f"{c}_{r}" for c in ("control", "treated") for r in (1, 2, 3)}
    assert analysis.tables[0].rows[0][0] == syn.GENE_UP
    assert update["routes"][0].tier == "offline"


def test_edger_tables_of_small_rna_and_riboseq_read_the_same_way(deps, tmp_path):
    analysis = analyze(deps, results.write_de(tmp_path / "mirna", "edger", "small_rnaseq"))["analysis"]
    volcano = next(f for f in analysis.figures if f.name == "volcano")
    assert syn.GENE_UP in volcano.labels and analysis.metrics["top_gene"] == syn.GENE_UP
    assert analysis.tables[0].columns[-1] == "logCPM"
    assert_real_figures(analysis, {"volcano", "ma", "pca", "sample_distances"})


def test_variant_summary_names_the_planted_snv(deps, tmp_path):
    analysis = analyze(deps, results.write_variants(tmp_path / "wgs"))["analysis"]
    contig, pos = syn.SNV
    planted = f"{contig}:{pos} {syn.snv_ref()}>{syn.snv_alt()}"
    assert planted in analysis.summary
    assert analysis.metrics["n_SNV"] == 1 and analysis.metrics["median_depth"] == 50
    assert "Ti/Tv" in analysis.summary
    assert_real_figures(analysis, {"variant_summary"})


def test_peaks_count_widths_and_frip(deps, tmp_path):
    analysis = analyze(deps, results.write_peaks(tmp_path / "chip"))["analysis"]
    assert analysis.metrics["peaks_total"] == 2 and 0.3 < analysis.metrics["frip_chip_1"] < 0.6
    assert "FRiP" in analysis.summary
    assert_real_figures(analysis, {"peak_counts", "peak_widths", "frip"})


def test_taxa_stacked_bars(deps, tmp_path):
    analysis = analyze(deps, results.write_taxa(tmp_path / "meta"))["analysis"]
    assert "Bacteroides (60.0%)" in analysis.summary
    stacked = next(f for f in analysis.figures if f.name == "taxa_stacked")
    assert stacked.labels[:2] == ["Ruminococcus", "Bacteroides"]  # ranked by total share
    assert_real_figures(analysis, {"taxa_stacked"})


def test_single_cell_qc_and_an_embedding(deps, tmp_path):
    analysis = analyze(deps, results.write_single_cell(tmp_path / "sc"))["analysis"]
    assert analysis.metrics["cells"] == 60
    assert any("PCA" in note for note in analysis.notes)  # no UMAP without the h5ad: said, not hidden
    assert_real_figures(analysis, {"cell_qc", "cells_pca"})


def test_the_report_quotes_the_numbers_and_links_the_figures(deps, tmp_path):
    analysis = analyze(deps, results.write_de(tmp_path / "de"), tmp_path / "out")["analysis"]
    html = analysis.report.read_text()
    assert analysis.report == tmp_path / "out" / "report.html"
    assert syn.GENE_UP in html and f"{analysis.metrics['significant']} has" in html
    assert 'src="figures/volcano.png"' in html and 'href="figures/volcano.svg"' in html


def test_a_folder_without_results_is_one_clear_error(deps, tmp_path):
    root = results.write_de(tmp_path / "de")
    for path in (root / "results").rglob("*.tsv"):
        path.unlink()
    with pytest.raises(InputError, match="no results yet"):
        analyze(deps, root)
    with pytest.raises(InputError, match="no such directory"):
        analyze(deps, tmp_path / "missing")
    with pytest.raises(InputError, match="no report.json"):
        analyze(deps, tmp_path)
