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
from biopipelines.library.testdata import synthetic_gwas as gw
from biopipelines.library.testdata import synthetic_imputation as si
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
    root = _workflow(tmp_path, library, "riboseq")
    with pytest.raises(UserError, match="empty placeholders made for the dry run.*synthetic data exist for: .*"
                                        "germline_variants, .*rnaseq_de"):
        prepare_test_data(root)
    assert empty_placeholders(root / ".test")


def test_a_dataset_with_its_own_samples_replaces_the_sheet_and_fills_every_config_path(library, tmp_path):
    """CNV calling brings four exomes and a capture BED: the sheet lists them (in the generated columns), the
    targets section points at the BED, and no config or sheet path is left empty."""
    root = _workflow(tmp_path, library, "cnv_calling", sample_count=2)
    prepare_test_data(root)
    test = root / ".test"
    assert empty_placeholders(test) == []
    config = yaml.safe_load((test / "config" / "config.yaml").read_text())
    assert config["targets"]["bed"].startswith("data/synthetic/") and (test / config["targets"]["bed"]).stat().st_size
    with (test / config["samples"]).open() as handle:
        reader = csv.DictReader(handle, delimiter="\t")
        rows = list(reader)
    assert [r["sample"] for r in rows] == ["sample_1", "sample_2", "sample_3", "sample_4"]
    assert all(gzip.open(test / r["fq1"]).read(1) == b"@" for r in rows)


def test_genotype_inputs_outside_the_sheet_are_filled_too(library, tmp_path):
    """GWAS reads PLINK files named in config's genotypes section, not in the sheet."""
    root = _workflow(tmp_path, library, "gwas")
    assert any(p.endswith(".bed") for p in empty_placeholders(root / ".test"))
    prepare_test_data(root)
    config = yaml.safe_load((root / ".test" / "config" / "config.yaml").read_text())
    assert empty_placeholders(root / ".test") == []
    assert config["genotypes"]["phenotype"] == "t2d" and config["plink2_glm"]["n_pcs"] == 4
    fam = (root / ".test" / config["genotypes"]["fam"]).read_text().splitlines()
    assert len(fam) == len(gw.cohort()["samples"]) > 500


def test_the_imputation_panel_map_and_cohort_are_filled_with_their_indexes(library, tmp_path):
    """Phasing and imputation read a panel and a genetic map (reference section) and a cohort VCF (genotypes):
    all three are filled, the VCFs with their tabix indexes, and Beagle gets the toy panel's effective size."""
    root = _workflow(tmp_path, library, "phasing_imputation")
    prepare_test_data(root)
    test = root / ".test"
    config = yaml.safe_load((test / "config" / "config.yaml").read_text())
    assert empty_placeholders(test) == []
    for path in (config["reference"]["panel"], config["genotypes"]["vcf"]):
        assert (test / path).stat().st_size and (test / f"{path}.tbi").stat().st_size
    assert (test / config["reference"]["genetic_map"]).read_text().split("\t")[0] in si.CHROMOSOMES
    assert config["beagle_impute"]["ne"] == 20000


def test_dataset_groups_take_the_names_the_request_gave(tmp_path):
    from biopipelines.library.testdata.fill import _relabel_groups

    ours = [{"sample": "a", "condition": "control"}, {"sample": "b", "condition": "treated"}]
    sheet = [{"condition": "wild_type"}, {"condition": "knockout"}]
    assert [r["condition"] for r in _relabel_groups(ours, sheet)] == ["wild_type", "knockout"]
    assert _relabel_groups(ours, [{"condition": "x"}]) == ours  # group counts differ: left as made


def test_chip_data_brings_the_toy_blacklist_and_an_artefact_pile_in_chip_samples_only(library, tmp_path):
    """The ChIP dataset fills reference.blacklist with a BED covering ARTEFACT, where every ChIP sample (not the
    input) has a pile of reads for MACS to call and the blacklist filter to drop."""
    root = _workflow(tmp_path, library, "chipseq_peaks", sample_count=1)
    prepare_test_data(root)
    test = root / ".test"
    assert empty_placeholders(test) == []
    config = yaml.safe_load((test / "config" / "config.yaml").read_text())
    contig, start, end = syn.BLACKLIST
    assert (test / config["reference"]["blacklist"]).read_text().split("\t")[:3] == [contig, str(start), str(end)]
    with (test / config["samples"]).open() as handle:
        rows = {r["sample"]: r for r in csv.DictReader(handle, delimiter="\t")}
    window = syn.genome()[contig][syn.ARTEFACT[1] - 400:syn.ARTEFACT[1] + 400]
    # mate 1 of a fragment in the 800 bp window (a read with a simulated error is missed: fine for a count)
    piled = {name: sum(read in window or syn.revcomp(read) in window for read in _reads(test / r["fq1"]))
             for name, r in rows.items()}
    chip = [n for n, r in rows.items() if r["control"]]
    # about 90 background fragments start in the window; the ChIP sample has ~300 more there
    assert chip and all(piled[n] > piled["input_1"] + 150 for n in chip) and piled["input_1"] < 150, piled


def test_planted_peak_truth_requires_the_blacklisted_artefact_gone_from_the_filtered_peaks(tmp_path):
    from biopipelines.library.testdata.truth import planted_peak

    contig, summit = syn.PEAK
    bl_contig, start, end = syn.BLACKLIST
    good = f"{contig}\t{summit - 200}\t{summit + 200}\tp1\t500\t.\t40\t90\t80\t200\n"
    artefact = f"{bl_contig}\t{start + 300}\t{end - 300}\tp2\t200\t.\t10\t30\t25\t100\n"
    raw = tmp_path / "results" / "macs3_callpeak" / "chip_1" / "chip_1.peaks.bed"
    kept = tmp_path / "results" / "bedtools_blacklist" / "chip_1.peaks.bed"
    raw.parent.mkdir(parents=True)
    kept.parent.mkdir(parents=True)
    raw.write_text(good + artefact)
    kept.write_text(good)
    ok, said = planted_peak(tmp_path)
    assert ok and "artefact" in said, said
    kept.write_text(good + artefact)  # the filter let the artefact through
    ok, said = planted_peak(tmp_path)
    assert not ok and "still has a peak in the blacklisted" in said, said
    raw.write_text(good)  # MACS never called the artefact: the filter was not tested
    kept.write_text(good)
    ok, said = planted_peak(tmp_path)
    assert not ok and "not tested" in said, said
    kept.unlink()  # no filter step (optional, left out): only the strongest-peak test
    assert planted_peak(tmp_path)[0]
