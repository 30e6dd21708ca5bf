"""Planted-truth checks on a .test/ run's results: (recovered?, one line saying what was found where). They look
for the result by its file name under results/, so they hold for every alternative that writes the recipe's
standard output (DESeq2 or edgeR, bcftools or GATK or FreeBayes, IQ-TREE or FastTree)."""

from __future__ import annotations

import csv
import gzip
from collections.abc import Iterator
from pathlib import Path

from biopipelines.library.testdata import synthetic as syn
from biopipelines.library.testdata import synthetic_cnv as cnv
from biopipelines.library.testdata import synthetic_gwas as gw
from biopipelines.library.testdata import synthetic_hic_somatic as hs
from biopipelines.library.testdata import synthetic_imputation as si
from biopipelines.library.testdata import synthetic_metagenomics as meta
from biopipelines.library.testdata import synthetic_outbreak as ob
from biopipelines.library.testdata import synthetic_smallrna_ribo as srr
from biopipelines.library.testdata import synthetic_splice_methyl as sm
from biopipelines.library.testdata.newick import has_split, tree_splits


def planted_de_gene(test: Path) -> tuple[bool, str]:
    return _top_of_table(test, "*/de_results.tsv", syn.GENE_UP, "gene")


def planted_de_mirna(test: Path) -> tuple[bool, str]:
    return _top_of_table(test, "*/de_results.tsv", srr.MIR_UP, "miRNA")


def planted_cassette_exon(test: Path) -> tuple[bool, str]:
    """DEXSeq's table is sorted by adjusted p-value; its first column is the gene (groupID)."""
    return _top_of_table(test, "*/dexseq_results.tsv", sm.CASSETTE_GENE, "gene")


def _top_of_table(test: Path, pattern: str, planted: str, kind: str) -> tuple[bool, str]:
    """The first data row of the first results/<pattern> table names `planted` (tables sorted by significance)."""
    tables = sorted((test / "results").glob(pattern))
    if not tables:
        return False, f"no results/{pattern} was written"
    with tables[0].open(newline="") as handle:
        rows = csv.reader(handle, delimiter="\t")
        next(rows, None)  # the header
        top = next(rows, None)
    where = tables[0].relative_to(test)
    if not top:
        return False, f"{where} has no rows"
    if top[0] != planted:
        return False, f"the most significant {kind} in {where} is {top[0]}, not the planted {planted}"
    return True, f"the planted {planted} is the most significant {kind} in {where}"


def planted_association(test: Path) -> tuple[bool, str]:
    """The planted causal variant is the lead of the only genome-wide locus."""
    hits = test / "results" / "gwas_report" / "hits.tsv"
    if not hits.is_file():
        return False, "no results/gwas_report/hits.tsv was written"
    with hits.open(newline="") as handle:
        leads = [f"{r['chrom']}:{r['pos']}" for r in csv.DictReader(handle, delimiter="\t")
                 if r.get("class") == "genome_wide" and r.get("lead") == "TRUE"]
    if leads != [gw.CAUSAL]:
        return False, f"genome-wide lead variants in results/gwas_report/hits.tsv: {leads or 'none'}, not {gw.CAUSAL}"
    return True, f"the planted causal variant {gw.CAUSAL} leads the only genome-wide locus in results/gwas_report"


def planted_imputation(test: Path) -> tuple[bool, str]:
    """The imputed genotypes at the masked (untyped) sites agree with the planted truth (concordance > 0.9)."""
    imputed = sorted((test / "results").glob("*/cohort.imputed.vcf.gz"))
    if not imputed:
        return False, "no results/*/cohort.imputed.vcf.gz was written"
    rate, compared = si.concordance(imputed[0])
    where = imputed[0].relative_to(test)
    if compared == 0 or rate <= 0.9:
        return False, f"{where}: imputed genotypes match the truth at {rate:.1%} of {compared} masked genotypes"
    return True, f"{where}: imputed genotypes match the planted truth at {rate:.1%} of {compared} masked genotypes"


def planted_taxa(test: Path) -> tuple[bool, str]:
    """Every planted sequence variant's full taxonomy is among the confident assignments (SINTAX column 4)."""
    tables = sorted((test / "results").glob("*/asv_taxonomy.tsv"))
    if not tables:
        return False, "no results/*/asv_taxonomy.tsv was written"
    assigned = {line.split("\t")[3] for line in tables[0].read_text().splitlines() if line.count("\t") >= 3}
    missing = [name for name, taxonomy in meta.TAXA.items() if taxonomy not in assigned]
    where = tables[0].relative_to(test)
    if missing:
        return False, f"{where} lacks the planted taxonomy of variant(s) {', '.join(missing)}"
    return True, f"all {len(meta.TAXA)} planted variants get their planted species in {where}"


def planted_cnvs(test: Path) -> tuple[bool, str]:
    """The deletion sample has a copy-number-1 segment over the deleted genes, the duplication sample a
    copy-number-3 segment over the duplicated ones, and no other sample has a change."""
    planted = {cnv.DELETION_SAMPLE: (cnv.planted_region(cnv.DELETED_GENES), 1),
               cnv.DUPLICATION_SAMPLE: (cnv.planted_region(cnv.DUPLICATED_GENES), 3)}
    for sample in cnv.SAMPLES:
        calls = test / "results" / "cnvkit_call" / f"{sample}.call.cns"
        if not calls.is_file():
            return False, f"no {calls.relative_to(test)} was written"
        with calls.open(newline="") as handle:
            changed = [r for r in csv.DictReader(handle, delimiter="\t") if r["cn"] != "2"]
        region, copies = planted.get(sample, (None, 2))
        found = [(r["chromosome"], int(r["start"]), int(r["end"]), int(r["cn"])) for r in changed]
        if region is None and found:
            return False, f"{sample} has no planted CNV, but CNVkit calls {found}"
        if region is not None and not any(c == region[0] and s < region[2] and e > region[1] and n == copies
                                          for c, s, e, n in found):
            return False, f"{sample}: no copy-number-{copies} call over {region}; calls: {found or 'none'}"
    return True, (f"the planted deletion ({cnv.DELETION_SAMPLE}, CN 1) and duplication ({cnv.DUPLICATION_SAMPLE}, "
                  "CN 3) are called, and nothing else, in results/cnvkit_call")


def planted_contact(test: Path) -> tuple[bool, str]:
    """In each library's deduplicated pairs, the planted pair of 1 kb bins holds most of the planted contacts and
    over ten times the pairs of any other bin pair at the same distance."""
    (contig, first, _), (_, second, _) = hs.CONTACT
    tables = sorted((test / "results").glob("*/*.nodups.pairs.gz"))
    if not tables:
        return False, "no results/*/*.nodups.pairs.gz was written"
    for table in tables:
        bins: dict[int, int] = {}
        with gzip.open(table, "rt") as handle:
            for line in handle:
                fields = line.split("\t")
                if line.startswith("#") or len(fields) < 5 or fields[1] != contig or fields[3] != contig:
                    continue
                low, high = sorted((int(fields[2]) // hs.BIN, int(fields[4]) // hs.BIN))
                if high - low == (second - first) // hs.BIN:
                    bins[low] = bins.get(low, 0) + 1
        planted = bins.pop(first // hs.BIN, 0)
        background = max(bins.values(), default=0)
        if planted < 0.8 * hs.CONTACT_PAIRS or planted <= 10 * max(background, 1):
            return False, (f"{table.relative_to(test)}: {planted} pairs join the planted bins (of "
                           f"{hs.CONTACT_PAIRS} planted); the most at the same distance elsewhere: {background}")
    return True, (f"the planted contact {contig}:{first}-{second} stands out in the deduplicated pairs of "
                  f"{len(tables)} librar{'y' if len(tables) == 1 else 'ies'}")


def planted_clade(test: Path) -> tuple[bool, str]:
    """The core-genome tree (IQ-TREE's .treefile or FastTree's .nwk) separates isolate_1 and isolate_2."""
    trees = sorted((test / "results").glob("*/*.treefile")) + sorted((test / "results").glob("*/*.nwk"))
    if not trees:
        return False, "no results/*/*.treefile or *.nwk was written"
    newick = trees[0].read_text()
    clade = {"isolate_1", "isolate_2"}
    if not clade <= tree_splits(newick)[0] or not has_split(newick, clade):
        return False, f"{trees[0].relative_to(test)} does not separate the planted clade {sorted(clade)}: {newick}"
    return True, f"{trees[0].relative_to(test)} recovers the planted clade {{isolate_1, isolate_2}}"


def planted_outbreak(test: Path) -> tuple[bool, str]:
    """The tree separates the planted clades, and the SNP distance matrix gives the transmission pair the smallest
    distance, exactly the planted one."""
    trees = sorted((test / "results").glob("*/*.treefile")) + sorted((test / "results").glob("*/*.nwk"))
    matrices = sorted((test / "results").glob("*/snp_distances.tsv"))
    if not trees or not matrices:
        return False, "no results/*/*.treefile (or *.nwk) and results/*/snp_distances.tsv were written"
    newick = trees[0].read_text()
    for clade in (ob.CLADE_A, ob.CLADE_B):
        if not clade <= tree_splits(newick)[0] or not has_split(newick, set(clade)):
            return False, f"{trees[0].relative_to(test)} does not separate the planted clade {sorted(clade)}: {newick}"
    with matrices[0].open(newline="") as handle:
        rows = list(csv.reader(handle, delimiter="\t"))
    names = rows[0][1:]
    found = {frozenset((row[0], b)): int(v) for row in rows[1:] for b, v in zip(names, row[1:]) if row[0] != b}
    pairs = {p: d for p, d in found.items() if p <= set(ob.ISOLATES)}
    closest = min(pairs, key=pairs.get, default=None)
    where = matrices[0].relative_to(test)
    if closest != frozenset(ob.PAIR) or pairs[closest] != ob.PAIR_DISTANCE:
        return False, (f"{where}: the closest isolates are {sorted(closest or [])} at {pairs.get(closest)} SNPs, not "
                       f"the planted pair {sorted(ob.PAIR)} at {ob.PAIR_DISTANCE}")
    return True, (f"{trees[0].relative_to(test)} separates the planted clades and {where} puts the planted pair "
                  f"{sorted(ob.PAIR)} closest, {ob.PAIR_DISTANCE} SNP apart")


def planted_snv(test: Path) -> tuple[bool, str]:
    contig, position = syn.SNV
    change = f"{syn.snv_ref()}>{syn.snv_alt()} at {contig}:{position}"
    for vcf, fields in _vcf_records(test):
        if fields[0] == contig and fields[1] == str(position) and syn.snv_alt() in fields[4].split(","):
            return True, f"the planted {change} is in {vcf.relative_to(test)}"
    return False, f"no VCF under results/ has the planted {change}"


def planted_peak(test: Path) -> tuple[bool, str]:
    """Each sample's strongest peak (highest -log10 q, narrowPeak column 9) covers the planted site within 300 bp;
    where the blacklist filter ran, the planted artefact MACS called is gone from its peaks and the planted site
    stays."""
    contig, summit = syn.PEAK
    beds = sorted((test / "results").rglob("*.peaks.bed"))
    if not beds:
        return False, "no results/**/*.peaks.bed was written"
    filtered = _blacklist_filtered(test, beds)
    if filtered:
        return False, filtered
    for bed in beds:
        peaks = [line.split("\t") for line in bed.read_text().splitlines() if line.count("\t") >= 8]
        if not peaks:
            return False, f"{bed.relative_to(test)} has no peaks"
        best = max(peaks, key=lambda p: float(p[8]))
        if not (best[0] == contig and int(best[1]) - 300 < summit < int(best[2]) + 300):
            return False, (f"the strongest peak in {bed.relative_to(test)} is {best[0]}:{best[1]}-{best[2]}, not the "
                           f"planted site {contig}:{summit}")
    kept = sorted((test / "results" / "bedtools_blacklist").glob("*.peaks.bed"))
    dropped = (f"; the blacklisted artefact {syn.ARTEFACT[0]}:{syn.ARTEFACT[1]} was called by MACS and is gone from "
               f"the {len(kept)} blacklist-filtered peak file{'s' if len(kept) != 1 else ''}") if kept else ""
    return True, (f"the strongest peak of each of {len(beds)} peak files covers the planted site "
                  f"{contig}:{summit}{dropped}")


def _blacklist_filtered(test: Path, beds: list[Path]) -> str:
    """What is wrong with the blacklist-filtered peaks (results/bedtools_blacklist/), if any: a peak left in the
    blacklisted region, or no MACS peak there at all (the filter then proved nothing). "" when right or not run."""
    kept = [b for b in beds if b.parent.name == "bedtools_blacklist"]
    if not kept:
        return ""
    contig, start, end = syn.BLACKLIST

    def inside(bed: Path) -> list[str]:
        rows = [line.split("\t") for line in bed.read_text().splitlines() if line.count("\t") >= 2]
        return ["\t".join(r[:3]) for r in rows if r[0] == contig and int(r[1]) < end and int(r[2]) > start]

    for bed in kept:
        if inside(bed):
            return (f"{bed.relative_to(test)} still has a peak in the blacklisted {contig}:{start}-{end}: "
                    f"{inside(bed)[0]}")
    raw = [b for b in beds if b not in kept]
    if not any(inside(b) for b in raw):
        return (f"no unfiltered peak file calls the planted artefact {syn.ARTEFACT[0]}:{syn.ARTEFACT[1]}, so the "
                "blacklist filter was not tested")
    return ""


def planted_deletion(test: Path) -> tuple[bool, str]:
    """A DEL call within 50 bp of both ends of the planted 1 kb deletion."""
    contig, start, end = syn.DELETION
    for vcf, fields in _vcf_records(test):
        info = dict(item.split("=", 1) for item in fields[7].split(";") if "=" in item)
        if (fields[0] == contig and info.get("SVTYPE") == "DEL" and info.get("END", "").isdigit()
                and abs(int(fields[1]) - start) < 50 and abs(int(info["END"]) - end) < 50):
            return True, f"the planted deletion {contig}:{start}-{end} is called in {vcf.relative_to(test)}"
    return False, f"no VCF under results/ calls the planted deletion {contig}:{start}-{end}"


def _vcf_records(test: Path) -> Iterator[tuple[Path, list[str]]]:
    """(file, fields) of every record of every results/**/*.vcf.gz, with at least the 8 fixed columns."""
    for vcf in sorted((test / "results").rglob("*.vcf.gz")):
        with gzip.open(vcf, "rt") as handle:
            for line in handle:
                fields = line.rstrip("\n").split("\t")
                if not line.startswith("#") and len(fields) >= 8:
                    yield vcf, fields
