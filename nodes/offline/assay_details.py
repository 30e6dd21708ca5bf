"""Assay details in a request: the histone mark, whether reads carry UMIs, and the 10x chemistry.

Canonical forms, so tests and the planner can compare them exactly:
- histone_mark: "H3K27ac", "H3K4me3", "H2A.Z" (H and K upper case, the modification lower case); the first named;
- umi: True for "UMI(s)" / "unique molecular identifiers", False when negated ("no UMIs", "without UMI");
- chemistry: "3' v3.1", "5' v2", "v3" (version only), "multiome" (the first named; quotes and "prime" normalised);
- capture: "exome" for WES / exome / exome capture, "panel" for a targeted or gene panel / capture kit;
- covariates: ["batch"] when the request names batches to model or correct for;
- long_read_platform: "pacbio" (PacBio, HiFi, Iso-Seq, Kinnex), "ont_direct_rna" (Nanopore direct RNA), "ont"
  (Nanopore otherwise); the aligner presets and IsoQuant's data type follow it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_HISTONE = re.compile(r"(?<![A-Za-z0-9])(H2A\.?Z|H[1-4](?:\.\d)?K\d{1,3}(?:me[1-3]|ac|ub\d?|cr|bu))(?![A-Za-z0-9])",
                      re.IGNORECASE)
_UMI = re.compile(r"\bUMIs?\b|\bunique molecular (?:identifiers?|barcodes?)\b", re.IGNORECASE)
_UMI_NEGATED = re.compile(r"\b(?:no|without|lacks?|lacking|not using|don'?t have|do not have|free of)\s+(?:any\s+)?$",
                          re.IGNORECASE)
_END_VERSION = re.compile(r"(?<![\w.])([35])\s*(?:'|’|′|prime\b|p\b|-prime\b)\s*(?:gene expression\s+)?"
                          r"v(\d(?:\.\d)?)\b", re.IGNORECASE)
_VERSION_ONLY = re.compile(r"\bv(\d(?:\.\d)?)\s+chemistry\b|\bchemistry\s+v(\d(?:\.\d)?)\b", re.IGNORECASE)
_EXOME = re.compile(r"\b(?:whole[- ]exomes?|exomes?|WES|exome[- ]seq(?:uencing)?)\b", re.IGNORECASE)
_PANEL = re.compile(r"\b(?:(?:gene|targeted|target|hybrid[- ]capture|amplicon)\s+panels?|capture kits?|"
                    r"targeted (?:sequencing|capture|resequencing)|target(?:ed)? regions?)\b", re.IGNORECASE)
_BATCH = re.compile(r"\bbatch(?:es)?\b|\bbatch[- ]effects?\b|\bsequencing runs? as (?:a )?covariate\b",
                    re.IGNORECASE)
_MULTIOME = re.compile(r"\bmultiome\b|\bscmultiome\b|\bARC\s+(?:chemistry|kit)\b", re.IGNORECASE)


def _canonical_mark(raw: str) -> str:
    if raw.upper().replace(".", "") == "H2AZ":
        return "H2A.Z"
    head, k, rest = re.match(r"(H[1-4](?:\.\d)?)(K\d+)(.+)", raw, re.IGNORECASE).groups()  # type: ignore[union-attr]
    return f"{head.upper()}{k.upper()}{rest.lower()}"


@dataclass(frozen=True)
class AssayDetails:
    histone_mark: str | None = None
    umi: bool | None = None
    chemistry: str | None = None
    capture: str | None = None
    covariates: tuple[str, ...] = ()
    long_read_platform: str | None = None


_PACBIO = re.compile(r"\b(?:pacbio|pacific biosciences|hifi|iso[- ]?seq|kinnex|mas[- ]?seq|sequel|revio)\b",
                     re.IGNORECASE)
_DIRECT_RNA = re.compile(r"\bdirect[- ]?rna\b|\bdrna(?:[- ]seq)?\b", re.IGNORECASE)
_NANOPORE = re.compile(r"\b(?:nanopore|ont|minion|gridion|promethion)\b", re.IGNORECASE)


def read_long_read_platform(text: str) -> str | None:
    if _PACBIO.search(text):
        return "pacbio"
    if _DIRECT_RNA.search(text):
        return "ont_direct_rna"
    return "ont" if _NANOPORE.search(text) else None


def read_assay_details(text: str) -> AssayDetails:
    mark = _HISTONE.search(text)
    umi: bool | None = None
    for match in _UMI.finditer(text):
        negated = bool(_UMI_NEGATED.search(text[max(0, match.start() - 30):match.start()]))
        umi = not negated if umi is None else (umi or not negated)
    chemistry = None
    found = [(m.start(), f"{m.group(1)}' v{m.group(2)}") for m in _END_VERSION.finditer(text)]
    found += [(m.start(), f"v{m.group(1) or m.group(2)}") for m in _VERSION_ONLY.finditer(text)]
    found += [(m.start(), "multiome") for m in _MULTIOME.finditer(text)]
    if found:
        chemistry = min(found)[1]
    capture = "exome" if _EXOME.search(text) else "panel" if _PANEL.search(text) else None
    covariates = ("batch",) if _BATCH.search(text) else ()
    return AssayDetails(histone_mark=_canonical_mark(mark.group(1)) if mark else None, umi=umi, chemistry=chemistry,
                        capture=capture, covariates=covariates, long_read_platform=read_long_read_platform(text))
