"""Every isolate's pseudogenome is reference-length, carries exactly its planted substitutions at the planted
sites, and isolate_5's region without reads is masked as N.

Run on the `outbreak_gubbins_iqtree` workflow (tests/modules/workflows/outbreak.py)."""

from __future__ import annotations

from biopipelines.library.testdata import synthetic as syn
from biopipelines.library.testdata import synthetic_outbreak as ob
from tests.modules.harness import Run
from tests.modules.readers import fasta

WORKFLOW = "outbreak_gubbins_iqtree"


def check(run: Run) -> None:
    reference = syn.genome()
    offsets = {"chr1": 0, "chr2": len(reference["chr1"])}
    alts, carriers, recombinant = ob.planted()
    for sample in ob.ISOLATES:
        seq = fasta(run.path(f"results/pseudogenome/{sample}.fa"))[sample]
        assert len(seq) == sum(len(s) for s in reference.values())
        sites = [s for s, who in carriers.items() if sample in who] + (recombinant if sample == ob.RECOMBINANT else [])
        for contig, pos in sites:
            assert seq[offsets[contig] + pos - 1] == alts[(contig, pos)], (sample, contig, pos)
        # nothing else differs from the reference except masked bases
        changed = [i for i, (a, b) in enumerate(zip(seq, "".join(reference.values()))) if a != b and a != "N"]
        assert len(changed) == len(sites), (sample, len(changed), len(sites))
    contig, start, end = ob.MISSING
    seq = fasta(run.path(f"results/pseudogenome/{ob.MISSING_SAMPLE}.fa"))[ob.MISSING_SAMPLE]
    assert set(seq[offsets[contig] + start - 1:offsets[contig] + end]) == {"N"}
    assert any(line.startswith(f"{contig}\t") for line in
               run.path(f"results/pseudogenome/{ob.MISSING_SAMPLE}.mask.bed").read_text().splitlines())
