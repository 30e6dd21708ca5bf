"""Entity extraction: an exact table of inputs and outputs (nodes/offline/entities.py and its rules)."""

from __future__ import annotations

import pytest

from biopipelines.core.schemas import Entities
from biopipelines.nodes.offline.entities import extract_entities
from biopipelines.nodes.offline.lexicon import load_lexicon


CASES = [
    # organism and genome build
    ("mouse liver RNA-seq", {"organism": "mouse"}),
    ("murine bone marrow", {"organism": "mouse"}),
    ("Mus musculus cortex samples", {"organism": "mouse"}),
    ("align to mm10", {"organism": "mouse", "genome_build": "mm10"}),
    ("reference GRCm39 please", {"organism": "mouse", "genome_build": "GRCm39"}),
    ("human PBMCs on hg38", {"organism": "human", "genome_build": "hg38"}),
    ("Homo sapiens, GRCh38", {"organism": "human", "genome_build": "GRCh38"}),
    ("old data on GRCh37", {"organism": "human", "genome_build": "GRCh37"}),
    ("legacy hg19 coordinates", {"organism": "human", "genome_build": "hg19"}),
    ("mouze RNA-seq", {"organism": "mouse"}),
    ("zebrafish embryos, GRCz11", {"organism": "zebrafish", "genome_build": "GRCz11"}),
    ("Arabidopsis thaliana seedlings", {"organism": "arabidopsis"}),
    ("E. coli K-12 isolates", {"organism": "e_coli"}),
    ("SARS-CoV-2 swabs", {"organism": "sars_cov_2"}),
    ("S. cerevisiae under heat shock", {"organism": "yeast"}),
    ("urine samples from the clinic", {}),
    ("an in-house pipeline", {}),
    ("human xenografts in mice", {"organism": "human"}),
    # read layout
    ("paired-end reads", {"read_layout": "paired"}),
    ("PE150 on a NovaSeq", {"read_layout": "paired"}),
    ("2x150 bp", {"read_layout": "paired"}),
    ("single-end 50bp", {"read_layout": "single"}),
    ("SE50 libraries", {"read_layout": "single"}),
    ("make it single end", {"read_layout": "single"}),
    ("single-end instead of paired-end", {"read_layout": "single"}),
    ("paired end, not single end", {"read_layout": "paired"}),
    ("some runs are paired-end and some single-end", {}),
    ("1x75 reads", {"read_layout": "single"}),
    # strandedness
    ("reverse stranded dUTP libraries", {"strandedness": "reverse"}),
    ("unstranded polyA", {"strandedness": "unstranded"}),
    ("forward-stranded kit", {"strandedness": "forward"}),
    ("library type fr-firststrand", {"strandedness": "reverse"}),
    ("stranded library", {}),
    ("the libraries are not stranded", {"strandedness": "unstranded"}),
    # tools
    ("use HISAT2 instead of STAR", {"tools_requested": ["hisat2"], "tools_excluded": ["star"]}),
    ("STAR and DESeq2", {"tools_requested": ["star", "deseq2"]}),
    ("count with featureCounts", {"tools_requested": ["featurecounts"]}),
    ("subread for counting", {"tools_requested": ["featurecounts"]}),
    ("align with bowtie 2 then MACS2", {"tools_requested": ["bowtie2", "macs2"]}),
    ("MACS3 peaks", {"tools_requested": ["macs3"]}),
    ("GATK HaplotypeCaller joint calling", {"tools_requested": ["gatk"]}),
    ("bwa mem then HaplotypeCaller", {"tools_requested": ["bwa", "gatk"]}),
    ("bwa-mem2 alignment", {"tools_requested": ["bwa_mem2"]}),
    ("run STAR-Fusion", {"tools_requested": ["star_fusion"]}),
    ("Kraken2 with Bracken", {"tools_requested": ["kraken2", "bracken"]}),
    ("no trimming", {"tools_excluded": ["step:trimming"]}),
    ("skip QC and deduplication", {"tools_excluded": ["step:qc", "step:deduplication"]}),
    ("add adapter trimming", {"tools_requested": ["step:trimming"]}),
    ("replace STAR with HISAT2", {"tools_requested": ["hisat2"], "tools_excluded": ["star"]}),
    ("switch from Trimmomatic to fastp", {"tools_requested": ["fastp"], "tools_excluded": ["trimmomatic"]}),
    ("swap MACS2 for MACS3", {"tools_requested": ["macs3"], "tools_excluded": ["macs2"]}),
    ("don't use Trimmomatic or cutadapt", {"tools_excluded": ["trimmomatic", "cutadapt"]}),
    ("Mutect2, not Strelka2", {"tools_requested": ["mutect2"], "tools_excluded": ["strelka2"]}),
    ("FastQC is not needed", {"tools_excluded": ["fastqc"]}),
    ("why DESeq2 rather than edgeR?", {"tools_requested": ["deseq2"], "tools_excluded": ["edger"]}),
    ("trim with Trim Galore", {"tools_requested": ["trim_galore"]}),
    ("Cell Ranger count", {"tools_requested": ["cellranger"]}),
    # "or" between requested tools offers a choice; "+" joins one alternative; commas alone make a plain list
    ("Methylation analysis using Bismark or bwa-meth + MethylDackel",
     {"tool_choices": [["bismark", "bwa_meth+methyldackel"]]}),
    ("RNA-seq using STAR, RSEM, HISAT2 or Salmon with gene/isoform counts",
     {"tool_choices": [["star", "rsem", "hisat2", "salmon"]]}),
    ("use STAR or HISAT2, then DESeq2", {"tools_requested": ["deseq2"], "tool_choices": [["star", "hisat2"]]}),
    ("fastp, STAR, featureCounts", {"tools_requested": ["fastp", "star", "featurecounts"]}),
    # samples and conditions
    ("6 samples", {"sample_count": 6}),
    ("twelve mice", {"organism": "mouse", "sample_count": 12}),
    ("3 vs 3", {"sample_count": 6}),
    ("3 knockout vs 3 wild type", {"sample_count": 6, "conditions": ["knockout", "wild_type"]}),
    ("three replicates per condition, treated vs untreated",
     {"sample_count": 6, "conditions": ["treated", "untreated"]}),
    ("KO vs WT", {"conditions": ["knockout", "wild_type"]}),
    ("drug versus vehicle, 4 reps each", {"sample_count": 8, "conditions": ["treated", "vehicle"]}),
    ("compare infected with mock", {"conditions": ["infected", "mock"]}),
    ("between tumour and normal", {"conditions": ["tumor", "normal"]}),
    ("5 tumour/normal pairs", {"sample_count": 10, "conditions": ["tumor", "normal"]}),
    ("day 0 vs day 7 vs day 14", {"conditions": ["day_0", "day_7", "day_14"]}),
    ("hypoxia vs normoxia in triplicate", {"sample_count": 6, "conditions": ["hypoxia", "normoxia"]}),
    ("2 conditions with 4 replicates each", {"sample_count": 8}),
    ("n=12", {"sample_count": 12}),
    ("heart vs skeletal muscle", {"conditions": ["heart", "skeletal_muscle"]}),
    ("treated compared to control", {"conditions": ["treated", "control"]}),
    ("STAR vs HISAT2, which is better?", {"tools_requested": ["star", "hisat2"]}),
    ("align reads against GRCh38", {"organism": "human", "genome_build": "GRCh38"}),
    ("this run is slower compared to last time", {}),
    ("6 paired-end mouse liver samples, 3 knockout vs 3 wild type",
     {"organism": "mouse", "read_layout": "paired", "sample_count": 6, "conditions": ["knockout", "wild_type"]}),
    ("three replicates per condition", {}),
    ("10000 cells per sample", {}),
    # paths and accessions
    ("reads in /data/run1/*.fastq.gz", {"input_paths": ["/data/run1/*.fastq.gz"]}),
    ("s3://my-bucket/project/raw/ please", {"input_paths": ["s3://my-bucket/project/raw/"]}),
    ("files are in ~/seq/fastq/.", {"input_paths": ["~/seq/fastq/"]}),
    ("data/raw/*_R{1,2}.fq.gz", {"input_paths": ["data/raw/*_R{1,2}.fq.gz"]}),
    ("sample1_R1.fastq.gz and sample1_R2.fastq.gz",
     {"input_paths": ["sample1_R1.fastq.gz", "sample1_R2.fastq.gz"]}),
    ("tumour/normal is not a path", {"conditions": ["tumor", "normal"]}),
    ("SRR1234567 and SRR1234568", {"accessions": ["SRR1234567", "SRR1234568"]}),
    ("GSE164073 / GSM5000001", {"accessions": ["GSE164073", "GSM5000001"]}),
    ("PRJNA612345 from ENA", {"accessions": ["PRJNA612345"]}),
    ("ENCODE ENCSR000EGM", {"accessions": ["ENCSR000EGM"]}),
    ("ERR3240117 and drr000001", {"accessions": ["ERR3240117", "DRR000001"]}),
    ("E-MTAB-5061 from ArrayExpress", {"accessions": ["E-MTAB-5061"]}),
    ("/data/SRR1234567_1.fastq.gz", {"input_paths": ["/data/SRR1234567_1.fastq.gz"]}),
    # everything at once
    ("Differential expression for 6 paired-end mouse liver samples, 3 knockout vs 3 wild type, STAR and DESeq2",
     {"organism": "mouse", "read_layout": "paired", "tools_requested": ["star", "deseq2"], "sample_count": 6,
      "conditions": ["knockout", "wild_type"]}),
    ("human WGS, 2x150, GRCh38, bwa-mem2 + DeepVariant, no BQSR, data in /mnt/wgs/*.cram",
     {"organism": "human", "genome_build": "GRCh38", "read_layout": "paired",
      "tools_requested": ["bwa_mem2", "deepvariant"], "tools_excluded": ["step:bqsr"],
      "input_paths": ["/mnt/wgs/*.cram"]}),
    # assay details: histone mark, UMIs, 10x chemistry
    ("CUT&Tag for h3k27me3 in mouse ES cells", {"organism": "mouse", "histone_mark": "H3K27me3"}),
    ("ChIP of H3K4ME3 and H3K27ac", {"histone_mark": "H3K4me3"}),
    ("H2A.Z occupancy at promoters", {"histone_mark": "H2A.Z"}),
    ("10x 3' v3.1 PBMCs with UMIs", {"umi": True, "chemistry": "3' v3.1"}),
    ("the reads have no UMIs", {"umi": False}),
    ("unique molecular identifiers sit in read 1", {"umi": True}),
    ("5 prime v2 chemistry for TCR profiling", {"chemistry": "5' v2"}),
    ("old v2 chemistry libraries", {"chemistry": "v2"}),
    ("10x Multiome of brain nuclei", {"chemistry": "multiome"}),
    ("Single Cell 3prime v3 kit", {"chemistry": "3' v3"}),
    # targeted DNA and design covariates
    ("variants from the exome capture data", {"capture": "exome"}),
    ("a 50-gene hybrid capture panel", {"capture": "panel"}),
    ("two sequencing batches to correct for", {"covariates": ["batch"]}),
    # long-read platform (aligner presets follow it)
    ("full-length isoforms from an Iso-Seq run", {"long_read_platform": "pacbio"}),
    ("a Nanopore direct RNA run of embryos", {"long_read_platform": "ont_direct_rna"}),
    ("ONT cDNA reads of neurons", {"long_read_platform": "ont"}),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0][:60] for c in CASES])
def test_entity_table(text: str, expected: dict) -> None:
    # the whole Entities object must match: an unexpected extra value fails as surely as a missing one
    assert extract_entities(text).model_dump() == Entities(**expected).model_dump()


def test_table_is_large_and_covers_every_field() -> None:
    assert len(CASES) >= 60
    covered = {field for _, expected in CASES for field in expected}
    assert covered == set(Entities.model_fields)


def test_tool_ids_are_canonical() -> None:
    """Every id the extractor can emit is a tool registry id or a step:<id>."""
    lex = load_lexicon()
    known = {t.id for t in lex.tools.tools} | {f"step:{s.id}" for s in lex.tools.steps}
    for text, _ in CASES:
        entities = extract_entities(text)
        assert set(entities.tools_requested) <= known
        assert set(entities.tools_excluded) <= known
        assert not set(entities.tools_requested) & set(entities.tools_excluded)


def test_aliases_do_not_collide_across_tools() -> None:
    seen: dict[str, str] = {}
    for tool in load_lexicon().tools.tools:
        for alias in tool.aliases:
            key = alias.lower().replace("-", "").replace(" ", "").replace("_", "")
            assert seen.setdefault(key, tool.id) == tool.id, f"{alias!r} maps to {seen[key]} and {tool.id}"


def test_every_alias_is_found_as_its_own_tool() -> None:
    for tool in load_lexicon().tools.tools:
        for alias in tool.aliases:
            assert extract_entities(f"please run {alias} on it").tools_requested == [tool.id], alias


def test_extraction_is_deterministic() -> None:
    text = CASES[-2][0]
    assert extract_entities(text) == extract_entities(text)
