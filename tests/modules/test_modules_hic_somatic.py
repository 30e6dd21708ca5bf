"""Execution tests of the Hi-C modules, and of the shared upstream modules under the tumour/normal design.

Hi-C: the hic recipe (BWA-MEM -5SP, pairtools parse/sort/dedup, cooler cload/zoomify) runs on one simulated
library with a planted contact between two chr1 loci 20 kb apart, exact duplicate pairs and unmappable pairs; the
checks find the valid pair types, the duplicates removed and the planted bin pair far above the background at the
same genomic distance, raw and balanced. TAD calling (HiCExplorer) is not in Debian and is left out.

Somatic: no somatic caller (Mutect2, Strelka2, VarScan) is packaged in Debian 12, so the somatic_variants recipe
runs up to duplicate marking for a simulated tumour and its matched normal; the checks show the BAMs carry the
read-group sample names Mutect2's -normal needs, the planted somatic SNV is in the tumour only, and the rendered
Mutect2 job pairs the tumour with its normal. A rendering check shows Strelka2 picks up Manta's candidate indels.
"""

from __future__ import annotations

import gzip
import re
import subprocess
from collections import Counter
from collections.abc import Callable

import pytest

from biopipelines.core.schemas import Entities
from tests.modules import synthetic as syn
from tests.modules import synthetic_hic_somatic as hs
from tests.modules.harness import (
    SNAKEMAKE, Run, configure, execute, failure_report, render, skip_unless_installed,
)

HIC = ("hic", Entities(tools_excluded=["step:tads"]))
HIC_TINY = {"cooler_cload": {"binsize": hs.BIN}, "cooler_zoomify": {"resolutions": "1000,2000,5000"},
            "bwa_mem_hic": {}, "pairtools_sort": {"memory": "200M"}}
SOMATIC = ("somatic_variants", Entities(tools_requested=["samtools markdup"], tools_excluded=["step:trimming"]))
UPSTREAM = ["reference_fasta", "bwa_index", "bwa_mem", "samtools_sort", "samtools_markdup"]
PAIR = ("patient1_tumour", "patient1_normal")


@pytest.fixture(scope="module")
def hic_run(tmp_path_factory) -> Run:
    root = tmp_path_factory.mktemp("hic_pairtools_cooler")
    modules = render(root, *HIC)
    skip_unless_installed("the Hi-C workflow", modules)
    data = tmp_path_factory.mktemp("hic_data")
    reference = syn.write_reference(data / "reference")
    config = configure(root, reference, hs.hic_reads(data / "reads"), HIC_TINY)
    run = execute(root, modules, config)
    assert run.code == 0, failure_report(run)
    return run


@pytest.fixture(scope="module")
def somatic_run(tmp_path_factory) -> Run:
    """The somatic recipe run up to duplicate marking (the callers are not in Debian)."""
    root = tmp_path_factory.mktemp("somatic_upstream")
    modules = render(root, *SOMATIC)
    skip_unless_installed("the somatic upstream steps", [m for m in modules if m in UPSTREAM])
    data = tmp_path_factory.mktemp("somatic_data")
    reference = syn.write_reference(data / "reference")
    config = configure(root, reference, hs.tumour_normal_reads(data / "reads"))
    targets = [f"results/samtools_markdup/{s}.bam" for s in PAIR]
    run = execute(root, modules, config, targets, timeout=900)
    assert run.code == 0, failure_report(run)
    return run


# -- helpers -----------------------------------------------------------------------------------------------------

def pairs_rows(path) -> tuple[list[str], list[list[str]]]:
    with gzip.open(path, "rt") as handle:
        lines = handle.read().splitlines()
    header = [line for line in lines if line.startswith("#")]
    return header, [line.split("\t") for line in lines if not line.startswith("#")]


def stats(path) -> dict[str, float]:
    found = {}
    for line in path.read_text().splitlines():
        key, _, value = line.partition("\t")
        try:
            found[key] = float(value)
        except ValueError:
            continue
    return found


def cooler_pixels(uri: str, balanced: bool = False) -> dict[tuple[str, int, str, int], float]:
    """{(chrom1, start1, chrom2, start2): count, or the balanced value}."""
    args = ["cooler", "dump", "-t", "pixels", "--join", *(["--balanced"] if balanced else []), uri]
    out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    pixels = {}
    for line in out.splitlines():
        f = line.split("\t")
        value = f[-1] if balanced else f[6]
        if value not in ("", "nan", "NaN"):
            pixels[(f[0], int(f[1]), f[3], int(f[4]))] = float(value)
    return pixels


def planted_vs_background(pixels: dict, binsize: int) -> tuple[float, float]:
    """The planted pixel, and the largest other chr1 pixel at the same distance from the diagonal."""
    (c1, s1, _), (_, s2, _) = hs.CONTACT
    first, second = s1 // binsize * binsize, s2 // binsize * binsize
    offset = second - first
    others = [v for (a, x, b, y), v in pixels.items() if a == b == c1 and y - x == offset and x != first]
    return pixels.get((c1, first, c1, second), 0.0), max(others, default=0.0)


def samtools(*args: str) -> str:
    return subprocess.run(["samtools", *args], capture_output=True, text=True, check=True).stdout


# -- Hi-C checks -------------------------------------------------------------------------------------------------

def check_bwa_mem_hic(run: Run) -> None:
    bam = str(run.path("results/bwa_mem_hic/hic_1.hic.bam"))
    assert re.search(r"@RG\tID:hic_1\tSM:hic_1", samtools("view", "-H", bam))
    names = [line.split("\t")[0] for line in samtools("view", bam).splitlines()[:2000]]
    # read-name order: the records of one read pair are adjacent (what pairtools parse needs)
    assert sum(a != b for a, b in zip(names, names[1:], strict=False)) < len(set(names))
    # -P: mates are aligned on their own, so no record is flagged as a proper pair
    flagstat = samtools("flagstat", bam)
    assert re.search(r"^0 \+ 0 properly paired", flagstat, re.M), flagstat
    mapped = int(re.search(r"^(\d+) \+ 0 mapped", flagstat, re.M).group(1))
    assert mapped > 2 * hs.BACKGROUND_PAIRS * 0.95


def check_pairtools_parse(run: Run) -> None:
    header, rows = pairs_rows(run.path("results/pairtools_parse/hic_1.pairs.gz"))
    assert header[0].startswith("## pairs format v1.0")
    simulated = hs.BACKGROUND_PAIRS + hs.CONTACT_PAIRS + hs.DUPLICATES + hs.UNMAPPED
    assert len(rows) == simulated  # one line per read pair
    types = Counter(r[7] for r in rows)
    assert types["NN"] >= hs.UNMAPPED * 0.95  # random sequence maps nowhere
    assert types["UU"] > 0.9 * (simulated - hs.UNMAPPED)
    uu = [r for r in rows if r[7] == "UU"]
    trans = sum(r[1] != r[3] for r in uu)
    assert 0.02 < trans / len(uu) < 0.1  # 5% simulated between chromosomes
    # flipped into upper-triangle order along the .fai's chromosome order
    order = {name: i for i, name in enumerate(syn.CONTIGS)}
    assert all((order[r[1]], int(r[2])) <= (order[r[3]], int(r[4])) for r in uu)
    # the planted contact: chr1:5-6 kb paired with chr1:25-26 kb
    (c1, s1, e1), (c2, s2, e2) = hs.CONTACT
    planted = sum(r[1] == c1 and s1 <= int(r[2]) < e1 and r[3] == c2 and s2 <= int(r[4]) < e2 for r in uu)
    assert planted >= hs.CONTACT_PAIRS


def check_pairtools_sort(run: Run) -> None:
    header, rows = pairs_rows(run.path("results/pairtools_sort/hic_1.sorted.pairs.gz"))
    assert any(line.startswith("#sorted: chr1-chr2-pos1-pos2") for line in header)
    assert len(rows) == hs.BACKGROUND_PAIRS + hs.CONTACT_PAIRS + hs.DUPLICATES + hs.UNMAPPED
    seen, last = set(), None
    for r in rows:
        block = (r[1], r[3])
        if block != last:
            assert block not in seen, f"chromosome pair {block} is split"  # blocks are contiguous
            seen.add(block)
            previous = (-1, -1)
            last = block
        position = (int(r[2]), int(r[4]))
        assert position >= previous, (block, previous, position)
        previous = position


def check_pairtools_dedup(run: Run) -> None:
    deduped = stats(run.path("results/pairtools_dedup/hic_1.dedup.stats.txt"))
    assert deduped["total"] == hs.BACKGROUND_PAIRS + hs.CONTACT_PAIRS + hs.DUPLICATES + hs.UNMAPPED
    assert deduped["pair_types/NN"] == deduped["total_unmapped"] >= hs.UNMAPPED * 0.95
    assert hs.DUPLICATES <= deduped["total_dups"] <= hs.DUPLICATES + 30  # a few chance collisions on the diagonal
    _, kept = pairs_rows(run.path("results/pairtools_dedup/hic_1.nodups.pairs.gz"))
    assert kept and {r[7] for r in kept} <= {"UU", "UR", "RU"}  # valid pairs only
    assert len(kept) == deduped["total_nodups"]
    assert len({(r[1], r[2], r[3], r[4], r[5], r[6]) for r in kept}) == len(kept)  # no exact duplicate left
    _, dups = pairs_rows(run.path("results/pairtools_dedup/hic_1.dups.pairs.gz"))
    assert len(dups) == deduped["total_dups"] and {r[7] for r in dups} == {"DD"}


def check_cooler_cload(run: Run) -> None:
    pixels = cooler_pixels(str(run.path("results/cooler_cload/hic_1.base.cool")))
    planted, background = planted_vs_background(pixels, hs.BIN)
    assert planted >= 0.8 * hs.CONTACT_PAIRS and planted > 10 * max(background, 1)
    # distance decay: pixels next to the diagonal hold more contacts than those 10 bins away
    near = sum(v for (a, x, b, y), v in pixels.items() if a == b and y - x == hs.BIN)
    far = sum(v for (a, x, b, y), v in pixels.items() if a == b and y - x == 10 * hs.BIN)
    assert near > 5 * far > 0
    # every valid pair is counted once
    _, kept = pairs_rows(run.path("results/pairtools_dedup/hic_1.nodups.pairs.gz"))
    assert sum(pixels.values()) == len(kept)


def check_cooler_zoomify(run: Run) -> None:
    mcool = run.path("results/cooler_zoomify/hic_1.mcool")
    listed = subprocess.run(["cooler", "ls", str(mcool)], capture_output=True, text=True, check=True).stdout
    assert {f"/resolutions/{r}" for r in (1000, 2000, 5000)} <= {line.split("::")[-1] for line in listed.split()}
    for resolution in (1000, 2000):
        uri = f"{mcool}::/resolutions/{resolution}"
        planted, background = planted_vs_background(cooler_pixels(uri, balanced=True), resolution)
        assert planted > 5 * background > 0  # still standing out after balancing
    coarse = cooler_pixels(f"{mcool}::/resolutions/5000")
    assert sum(coarse.values()) == sum(cooler_pixels(f"{mcool}::/resolutions/1000").values())


# -- somatic: shared upstream modules under the tumour/normal design -----------------------------------------------

def allele_fraction(bam, contig: str, pos: int, alt: str) -> float:
    pileup = samtools("mpileup", "-Q", "0", "-r", f"{contig}:{pos}-{pos}", str(bam))
    if not pileup:
        return 0.0
    bases = re.sub(r"\^.|\$", "", pileup.split("\t")[4]).upper()
    return bases.count(alt) / max(1, len(bases))


def test_tumour_normal_bams_are_ready_for_a_paired_somatic_caller(somatic_run):
    run = somatic_run
    for sample in PAIR:
        bam = run.path(f"results/samtools_markdup/{sample}.bam")
        assert re.search(rf"@RG\tID:{sample}\tSM:{sample}\t", samtools("view", "-H", str(bam)))
    contig, pos = hs.SOMATIC_SNV
    tumour = allele_fraction(run.path(f"results/samtools_markdup/{PAIR[0]}.bam"), contig, pos, hs.somatic_snv_alt())
    normal = allele_fraction(run.path(f"results/samtools_markdup/{PAIR[1]}.bam"), contig, pos, hs.somatic_snv_alt())
    assert 0.25 < tumour < 0.75 and normal < 0.05, (tumour, normal)
    germline_contig, germline_pos = syn.SNV  # the germline SNV is in both
    for sample in PAIR:
        bam = run.path(f"results/samtools_markdup/{sample}.bam")
        assert allele_fraction(bam, germline_contig, germline_pos, syn.snv_alt()) > 0.9


def test_mutect2_job_pairs_each_tumour_with_its_normal(somatic_run):
    done = subprocess.run([str(SNAKEMAKE), "-s", "workflow/Snakefile", "-n", "-p", "--forcerun", "gatk_mutect2"],
                          cwd=somatic_run.root, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    jobs = [block for block in done.stdout.split("\n\n") if "Mutect2" in block]
    assert len(jobs) == 1, "Mutect2 runs once, on the tumour only"
    assert f"-I results/samtools_markdup/{PAIR[0]}.bam" in jobs[0]
    assert f"-I results/samtools_markdup/{PAIR[1]}.bam" in jobs[0]
    assert f"-normal {PAIR[1]}" in jobs[0]


def test_strelka2_takes_manta_candidate_indels_of_the_same_tumour(tmp_path):
    """Rendering only (neither tool is in Debian): with Manta on, Strelka2 reads its candidate indels."""
    render(tmp_path, "somatic_variants", Entities(tools_requested=["manta", "strelka2"]))
    rule = (tmp_path / "workflow/rules/strelka2_somatic.smk").read_text()
    assert 'indel_candidates="results/manta_somatic/{sample}.candidateSmallIndels.vcf.gz"' in rule
    assert "--indelCandidates {input.indel_candidates}" in rule
    render(tmp_path / "alone", "somatic_variants", Entities(tools_requested=["strelka2"]))
    alone = (tmp_path / "alone/workflow/rules/strelka2_somatic.smk").read_text()
    assert "indel_candidates" not in alone and 'candidates="",' in alone


CHECKS: dict[str, tuple[str, Callable[[Run], None]]] = {
    "bwa_mem_hic": ("hic", check_bwa_mem_hic),
    "pairtools_parse": ("hic", check_pairtools_parse),
    "pairtools_sort": ("hic", check_pairtools_sort),
    "pairtools_dedup": ("hic", check_pairtools_dedup),
    "cooler_cload": ("hic", check_cooler_cload),
    "cooler_zoomify": ("hic", check_cooler_zoomify),
}


@pytest.mark.parametrize("module", sorted(CHECKS))
def test_hic_module_output_content(hic_run, module):
    assert module in hic_run.modules, f"the Hi-C workflow does not contain {module}"
    CHECKS[module][1](hic_run)


def test_hic_workflow_recovers_the_planted_contact(hic_run):
    check_cooler_cload(hic_run)
    check_cooler_zoomify(hic_run)
