"""Readers and planted-truth comparisons that several module checks of the longread_assembly workflows
(tests/modules/workflows/longread_assembly.py) share; a helper only one check uses stays in that check.py."""

from __future__ import annotations

import subprocess
from pathlib import Path

from biopipelines.library.testdata import synthetic as syn
from biopipelines.library.testdata import synthetic_longread_assembly as lra
from tests.modules.harness import Run
from tests.modules.readers import fasta, vcf_records


def identity_to_bacterium(contigs: Path, tmp: Path) -> tuple[float, int]:
    """(matching bases / aligned length over all contigs, bases of the truth covered) from minimap2's PAF."""
    truth = lra.write_bacterium(tmp)
    paf = subprocess.run(["minimap2", "-c", "-x", "asm5", str(truth), str(contigs)], capture_output=True,
                         text=True, check=True).stdout
    rows = [line.split("\t") for line in paf.splitlines()]
    primary = [r for r in rows if "tp:A:P" in r]
    matches = sum(int(r[9]) for r in primary)
    block = sum(int(r[10]) for r in primary)
    covered = sum(int(r[8]) - int(r[7]) for r in primary)
    return matches / max(1, block), covered


def planted_deletion_call(path: Path) -> tuple[int, int, str]:
    """(POS, END, GT) of the DEL call closest to the planted deletion; fails when none is called on its contig."""
    contig, start, end = syn.DELETION
    found = []
    for fields in vcf_records(path):
        info = dict(item.split("=", 1) for item in fields[7].split(";") if "=" in item)
        if fields[0] == contig and info.get("SVTYPE") == "DEL":
            stop = int(info["END"]) if "END" in info else int(fields[1]) + abs(int(info["SVLEN"]))
            found.append((int(fields[1]), stop, fields[9].split(":")[0] if len(fields) > 9 else ""))
    assert found, f"the planted deletion was not called: {vcf_records(path)}"
    return min(found, key=lambda f: abs(f[0] - start) + abs(f[1] - end))


def check_short_read_assembly(run: Run, path: str) -> None:
    contigs = fasta(run.path(path))
    lengths = sorted((len(s) for s in contigs.values()), reverse=True)
    assert 0.95 * lra.BACTERIUM_LENGTH <= sum(lengths) <= 1.05 * lra.BACTERIUM_LENGTH, lengths
    assert lengths[0] >= 0.5 * lra.BACTERIUM_LENGTH, lengths  # random sequence: few or no repeats to break it
    identity, covered = identity_to_bacterium(run.path(path), run.root)
    assert identity > 0.999 and covered > 0.97 * lra.BACTERIUM_LENGTH, (identity, covered)


def assert_planted_deletion_called(path: Path) -> None:
    """The planted homozygous deletion is called within 50 bp of both ends (cuteSV and Sniffles alike)."""
    pos, stop, genotype = planted_deletion_call(path)
    contig, start, end = syn.DELETION
    assert abs(pos - start) < 50 and abs(stop - end) < 50, (pos, stop)
    assert genotype == "1/1"
