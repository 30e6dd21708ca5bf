"""Synthetic data for the pan-genome execution test (seeded, so every run is the same).

Four toy genome assemblies of one "species", each one contig of planted genes (ribosome-binding site, ATG, codons
with no in-frame stop, TAA) on both strands, separated by spacers with a stop codon in all six frames, so a gene
finder has nothing else to find:
- CORE_GENES genes in every genome, copies of one ancestral sequence with single-base substitutions: SHARED_SNPS
  shared by isolate_1 and isolate_2 (the planted split {1,2} | {3,4}), and PRIVATE_SNPS of each genome's own;
- ACCESSORY genes present in the genomes their table names only (the presence/absence truth);
- a Prokka --dbdir whose proteins name every planted gene ("Planted core protein 3", "Planted accessory protein 1").
"""

from __future__ import annotations

import random
import subprocess
from pathlib import Path

from biopipelines.library.testdata import synthetic as syn
from biopipelines.library.testdata.synthetic_longread_assembly import CODONS, translate

GENOMES = ["isolate_1", "isolate_2", "isolate_3", "isolate_4"]
CORE_GENES = 6
ACCESSORY = {1: {"isolate_1", "isolate_2"}, 2: {"isolate_3"}, 3: {"isolate_1", "isolate_2", "isolate_4"}}
SHARED_SNPS = 12  # substitutions isolate_1 and isolate_2 share (the internal branch of the tree)
PRIVATE_SNPS = 4  # substitutions of each genome alone
CORE_PRODUCT = "Planted core protein"
ACCESSORY_PRODUCT = "Planted accessory protein"
SPACER = "TTAG" * 30  # TTAG repeats: a stop codon within every 4 codons in all six frames


def _cds(rng: random.Random) -> str:
    return "ATG" + "".join(rng.choice(CODONS) for _ in range(rng.randint(200, 300))) + "TAA"


def ancestral_genes() -> tuple[list[str], dict[int, str]]:
    """The ancestral core genes and the accessory genes."""
    rng = random.Random("pangenome")
    return [_cds(rng) for _ in range(CORE_GENES)], {number: _cds(rng) for number in ACCESSORY}


def _substitution_sites(genes: list[str], rng: random.Random, count: int, taken: set) -> list[tuple[int, int, str]]:
    """`count` new (gene, position, base) single-base substitutions that keep the codon a sense codon."""
    sites = []
    while len(sites) < count:
        gene = rng.randrange(len(genes))
        position = rng.randrange(3, len(genes[gene]) - 3)  # never the start or stop codon
        if (gene, position) in taken:
            continue
        start = position - position % 3
        codon = genes[gene][start:start + 3]
        base = rng.choice([b for b in syn.BASES if b != genes[gene][position]])
        mutated = codon[:position % 3] + base + codon[position % 3 + 1:]
        if mutated in CODONS:
            taken.add((gene, position))
            sites.append((gene, position, base))
    return sites


def planted_snps() -> dict[str, list[tuple[int, int, str]]]:
    """Each genome's substitutions in the core genes: the shared ones of isolate_1 and isolate_2, then its own."""
    core, _ = ancestral_genes()
    rng, taken = random.Random("snps"), set()
    shared = _substitution_sites(core, rng, SHARED_SNPS, taken)
    return {name: (shared if name in ("isolate_1", "isolate_2") else [])
            + _substitution_sites(core, rng, PRIVATE_SNPS, taken) for name in GENOMES}


def variable_sites() -> int:
    """Alignment columns the planted substitutions make variable: every one is at its own position."""
    return SHARED_SNPS + PRIVATE_SNPS * len(GENOMES)


def genome(name: str) -> str:
    core, accessory = ancestral_genes()
    core = list(core)
    for gene, position, base in planted_snps()[name]:
        core[gene] = core[gene][:position] + base + core[gene][position + 1:]
    genes = core + [cds for number, cds in accessory.items() if name in ACCESSORY[number]]
    units = []
    for index, cds in enumerate(genes):
        unit = "AGGAGG" + "TAACAT" + cds  # Shine-Dalgarno box 8 bp upstream of the start codon
        units.append(unit if index % 2 == 0 else syn.revcomp(unit))  # genes on both strands
    return SPACER + SPACER.join(units) + SPACER


def write_assemblies(folder: Path) -> list[dict]:
    """One FASTA per genome (a long contig name, as assemblers write them) and the sample-sheet rows."""
    rows = []
    for name in GENOMES:
        path = syn.write_fasta(folder / f"{name}.fasta", {f"NODE_1_length_{len(genome(name))}_cov_30.0_{name}": genome(name)})
        rows.append({"sample": name, "assembly": str(path)})
    return rows


def write_prokka_db(folder: Path) -> Path:
    """A Prokka --dbdir whose UniProt stand-in names every planted protein (Debian's Prokka ships without the
    non-free databases)."""
    core, accessory = ancestral_genes()
    sprot = folder / "kingdom" / "Bacteria" / "sprot"
    sprot.parent.mkdir(parents=True, exist_ok=True)
    named = [(f"CORE{i}", f"cor{chr(64 + i)}", f"{CORE_PRODUCT} {i}", cds) for i, cds in enumerate(core, 1)]
    named += [(f"ACC{n}", f"acc{chr(64 + n)}", f"{ACCESSORY_PRODUCT} {n}", cds) for n, cds in accessory.items()]
    with sprot.open("w") as handle:
        for ident, gene, product, cds in named:  # Prokka's header convention: >ID EC~~~gene~~~product~~~COG
            handle.write(f">{ident} ~~~{gene}~~~{product}~~~\n{translate(cds)}\n")
    subprocess.run(["makeblastdb", "-dbtype", "prot", "-in", str(sprot)], check=True, capture_output=True)
    return folder
