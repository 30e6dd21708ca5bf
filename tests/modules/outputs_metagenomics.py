"""Readers and planted-truth comparisons that several module checks of the metagenomics workflows
(tests/modules/workflows/metagenomics.py) share; a helper only one check uses stays in that check.py."""

from __future__ import annotations

from biopipelines.library.testdata import synthetic_metagenomics as syn
from tests.modules.harness import Run
from tests.modules.readers import tsv


def kraken_report(path) -> dict[str, tuple[int, str]]:
    """{taxid: (clade reads, rank code)}"""
    rows = {}
    for line in path.read_text().splitlines():
        fields = line.split("\t")
        rows[fields[4].strip()] = (int(fields[1]), fields[3].strip())
    return rows


def fasta(path) -> dict[str, str]:
    records, name = {}, None
    for line in path.read_text().splitlines():
        if line.startswith(">"):
            name = line[1:].split(";")[0]
            records[name] = ""
        elif name is not None:
            records[name] += line.strip()
    return records


def planted_asvs(asvs: dict[str, str]) -> dict[str, str]:
    """{planted variant: ASV id} for the ASVs whose sequence is exactly a planted variant."""
    by_sequence = {seq: asv for asv, seq in asvs.items()}
    return {name: by_sequence[seq] for name, seq in syn.variants().items() if seq in by_sequence}


def check_asv_table(run: Run, asv_path: str, table_path: str, id_column: str) -> None:
    asvs = fasta(run.path(asv_path))
    planted = planted_asvs(asvs)
    assert set(planted) == set(syn.ABUNDANCE), f"planted variants not recovered exactly: {sorted(planted)}"
    assert syn.chimera() not in asvs.values(), "the planted chimera survived"
    assert len(asvs) <= len(syn.ABUNDANCE) + 1, f"{len(asvs)} ASVs for 4 planted variants"
    rows = {row[id_column]: row for row in tsv(run.path(table_path))}
    for sample in syn.AMPLICON_SAMPLES:
        counts = {name: float(rows[asv][sample]) for name, asv in planted.items()}
        total = sum(counts.values())
        assert total > 0.7 * syn.AMPLICON_PAIRS, (sample, total)
        for name, share in syn.expected_shares(sample).items():
            assert abs(counts[name] / total - share) < 0.03, (sample, name, counts[name] / total, share)
