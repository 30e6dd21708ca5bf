"""Contig depths from Bowtie2 follow the planted abundances in each sample.

Run on the `metagenome_megahit` workflow (tests/modules/workflows/metagenome_assembly.py)."""

from __future__ import annotations

import re

from biopipelines.library.testdata import synthetic_metagenome_assembly as meta
from tests.modules.harness import Run
from tests.modules.outputs_metagenome_assembly import origin, planted_kmers, read_fasta
from tests.modules.readers import samtools

WORKFLOW = "metagenome_megahit"


def _genome_depths(run: Run, sample: str) -> dict[str, float]:
    """Mean depth of each planted genome's contigs in the sample's BAM (reads x read length / contig length)."""
    contigs = read_fasta(run.path("results/contig_filter/contigs.fa"))
    planted = planted_kmers()
    bases: dict[str, float] = {}
    length: dict[str, int] = {}
    for line in samtools("idxstats", str(run.path(f"results/bowtie2_contig_align/{sample}.bam"))).splitlines():
        name, size, mapped, _ = line.split("\t")
        if name == "*":
            continue
        genome = origin(contigs[name], planted)
        bases[genome] = bases.get(genome, 0) + int(mapped) * meta.syn.READ_LEN
        length[genome] = length.get(genome, 0) + int(size)
    return {g: bases[g] / length[g] for g in bases}


def check(run: Run) -> None:
    for sample, planted in meta.DEPTH.items():
        summary = run.path(f"results/bowtie2_contig_align/{sample}.bowtie2.log").read_text()
        assert float(re.search(r"([\d.]+)% overall alignment rate", summary).group(1)) > 95
        assert "SO:coordinate" in samtools("view", "-H", str(run.path(f"results/bowtie2_contig_align/{sample}.bam")))
        depths = _genome_depths(run, sample)  # idxstats needs the .bai the rule wrote
        assert set(depths) == set(meta.GC)
        for genome, depth in depths.items():
            # fastp trims a little; the depth tracks the planted abundance within 20%
            assert 0.8 * planted[genome] < depth < 1.1 * planted[genome], (sample, genome, depth)
    # the across-sample profiles differ: genome_a falls from sample 1 to 2, the others rise
    first, second = _genome_depths(run, "sample_1"), _genome_depths(run, "sample_2")
    assert first["genome_a"] > 3 * second["genome_a"] and second["genome_b"] > 1.5 * first["genome_b"]
