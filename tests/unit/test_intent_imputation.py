"""Phasing and imputation requests (a covered type since issue 16) are read as phasing_imputation with their
deliverables, while association studies on imputed data stay GWAS and read no imputation ask."""

from __future__ import annotations

import pytest

from biopipelines.nodes.offline.asks import read_asks
from biopipelines.nodes.offline.intent import OfflineIntentClassifier
from biopipelines.rag.embeddings import embedded_default

IMPUTATION = {
    "Impute genotypes of my cohort VCF against the 1000 Genomes reference panel with Beagle": {"imputed_genotypes"},
    "phase my cohort VCF and impute it against the 1000 Genomes panel": {"phased_haplotypes", "imputed_genotypes"},
    "impute missing genotypes of 200 array samples with Beagle": {"imputed_genotypes"},
    "pre-phase with SHAPEIT and impute": {"phased_haplotypes", "imputed_genotypes"},
}
GWAS = ["Run a GWAS on imputed dosages with PLINK",
        "GWAS of imputed genotypes from the Michigan server with REGENIE",
        "Test 500k SNPs for association with type 2 diabetes in a case-control cohort, with QC and a Manhattan plot."]


@pytest.fixture(scope="module")
def classifier() -> OfflineIntentClassifier:
    return OfflineIntentClassifier(embedded_default())


@pytest.mark.parametrize("text", sorted(IMPUTATION))
def test_imputation_requests_are_phasing_imputation_with_their_asks(classifier, text):
    result = classifier.classify(text)
    assert result.analysis_type == "phasing_imputation" and not result.needs_clarification
    asks = {kind.id for kind in read_asks(text, "phasing_imputation")}
    assert asks == IMPUTATION[text]  # a "cohort VCF" is the input, not a request for variant calls


@pytest.mark.parametrize("text", GWAS)
def test_association_on_imputed_data_stays_gwas(classifier, text):
    result = classifier.classify(text)
    assert result.analysis_type == "gwas" and not result.needs_clarification
    assert not {"phased_haplotypes", "imputed_genotypes"} & {kind.id for kind in read_asks(text, "gwas")}


def test_read_based_phasing_of_long_reads_is_not_the_phasing_ask():
    asks = {kind.id for kind in read_asks("Call variants from nanopore reads and phase the genotypes", "longread_variants")}
    assert "phased_haplotypes" not in asks


def test_phasing_with_beagle_names_the_beagle_phasing_step():
    """'Phase with Beagle' asks for Beagle's phasing step, not only for the tool that already imputes."""
    from biopipelines.core.schemas import Entities
    from biopipelines.library import load_library
    from biopipelines.nodes.offline.lexicon import load_lexicon
    from biopipelines.nodes.offline.tool_mentions import ToolMatcher

    matcher = ToolMatcher(load_lexicon().tools)
    requested, _ = matcher.classify("phase with Beagle and impute with Beagle against the HGDP panel")
    assert "beagle_phase" in requested
    plan = load_library().plan("phasing_imputation", Entities(tools_requested=requested))
    assert [s.module for s in plan.steps][:3] == ["bcftools_impute_prep", "beagle_phase", "beagle_impute"]
