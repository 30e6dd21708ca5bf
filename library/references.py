"""Organism -> genome build, annotation and reference file paths for config.yaml."""

from __future__ import annotations

import re

from pydantic import BaseModel, Field

from biopipelines.library.models import Organism


class ReferenceChoice(BaseModel):
    organism: str | None = None
    genome_build: str | None = None
    annotation: str | None = None
    macs_gsize: str | None = None
    snpeff_db: str | None = Field(default=None, description="prebuilt SnpEff database")
    paths: dict[str, str] = Field(default_factory=dict, description="config `reference:` section")
    hints: dict[str, str] = Field(default_factory=dict, description="where to get a reference file the user sets "
                                  "(config key -> what to download for this build)")
    notes: list[str] = Field(default_factory=list)


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", text).strip("_")


def choose_reference(organism: Organism | None, organism_name: str | None, build_name: str | None) -> ReferenceChoice:
    """Default build and annotation for the organism; a build the user named wins and keeps its spelling."""
    notes: list[str] = []
    build, known = build_name, None
    if organism is None:
        notes.append(f"No default genome for organism {organism_name!r}: set the reference paths in config/config.yaml."
                     if organism_name else
                     "No organism given: set the reference FASTA and annotation paths in config/config.yaml.")
    else:
        build = build_name or organism.default_build
        known = organism.build(build)
        if known is None:
            notes.append(f"{build} is not a build the library knows for {organism.name}: it is used as given; "
                         "set the annotation (GTF) path yourself.")
        else:
            build = known.name
            if known.notes:
                notes.append(f"{known.name}: {known.notes}")
        if build_name is None:
            annotation = known.annotation if known else None
            notes.append(f"Genome build defaulted to {build} for {organism.name}"
                         + (f" with the {annotation} annotation." if annotation else "."))
    folder = f"reference/{_slug(build)}" if build else "reference"
    paths = {"fasta": f"{folder}/genome.fa", "gtf": f"{folder}/annotation.gtf",
             "transcriptome": f"{folder}/transcripts.fa"}
    hints = {"blacklist": _blacklist_hint(build, known.blacklist if known else None)} if build else {}
    return ReferenceChoice(organism=organism.id if organism else organism_name, genome_build=build,
                           annotation=known.annotation if known else None,
                           macs_gsize=organism.macs_gsize if organism else None,
                           snpeff_db=known.snpeff_db if known else None, paths=paths, notes=notes, hints=hints)


def _blacklist_hint(build: str, entry: str | None) -> str:
    """Where to get the build's blacklist: references.yaml's "<file>; <how to match contig names>", or none."""
    if not entry:
        return f"No ENCODE blacklist is published for {build}: an empty file, or a list of your own"
    file, _, match = entry.partition("; ")
    return f"For {build}: lists/{file} of github.com/Boyle-Lab/Blacklist" + (f"; {match}" if match else "")


def snpeff_section(reference: ReferenceChoice, earlier: dict, notes: list[str]) -> dict:
    """config.yaml's snpeff section: the SnpEff database of the build (kept from the previous plan of the same
    build), or an empty name and a note where SnpEff has no prebuilt database the library knows for it."""
    database = earlier.get("database") or reference.snpeff_db or ""
    if not database:
        notes.append(f"No prebuilt SnpEff database known for {reference.genome_build or 'this genome'}: set "
                     "snpeff.database in config/config.yaml (`snpEff databases` lists them), or build one with "
                     "`snpEff build -gtf22` and serve it with snpeff_download.repository.")
    return {"database": database}
