"""Find an executed workflow's result files: the plan in report.json names the steps, each step's module declares
its outputs (library/modules/<id>/meta.yaml), and the declared paths are matched on disk."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from typing import TYPE_CHECKING

from biopipelines.core.errors import InputError
from biopipelines.nodes.analysis.schemas import Kind, ResultFiles

if TYPE_CHECKING:
    from biopipelines.library import Library

KINDS: dict[str, Kind] = {
    "rnaseq_de": "de", "small_rnaseq": "de", "riboseq": "de",
    "chipseq_peaks": "peaks", "atacseq": "peaks", "cutandrun": "peaks",
    "germline_variants": "variants", "somatic_variants": "variants", "viral_consensus": "variants",
    "longread_variants": "variants",
    "metagenomic_profiling": "taxa", "amplicon_16s": "taxa",
    "scrnaseq_10x": "single_cell",
}
# The output types each kind needs before there is anything to analyse.
NEEDED: dict[Kind, tuple[str, ...]] = {
    "de": ("de_results",),
    "peaks": ("peaks",),
    "variants": ("vcf",),
    "taxa": ("taxon_table", "asv_table", "metaphlan_profile", "bracken_table"),
    "single_cell": ("sc_qc_metrics", "sc_filtered_counts", "sc_raw_counts"),
}
_WILDCARD = re.compile(r"\{[^}]+\}")


def read_report(root: Path) -> dict:
    """report.json at the workflow's root (as `generate` writes it) or under config/; for a workflow's .test/ run
    (`analyze DIR/.test`), the workflow's own."""
    if not root.is_dir():
        raise InputError(f"{root}: no such directory")
    candidates = [root / "report.json", root / "config" / "report.json"]
    if root.resolve().name == ".test":
        candidates.append(root.resolve().parent / "report.json")
    for candidate in candidates:
        if candidate.is_file():
            try:
                return json.loads(candidate.read_text(encoding="utf-8"))
            except (ValueError, UnicodeDecodeError) as exc:
                raise InputError(f"{candidate}: not valid JSON ({exc})") from exc
    raise InputError(f"{root}: no report.json: is this a directory written by `biopipelines generate`?")


def locate(root: Path, library: "Library") -> ResultFiles:
    """The result files of the workflow in `root`; InputError when there are none yet to analyse."""
    report = read_report(root)
    plan = report.get("plan") or {}
    analysis_type = str(report.get("analysis_type") or plan.get("recipe") or "")
    kind = KINDS.get(analysis_type)
    if kind is None:
        raise InputError(f"{root}: no analysis template for {analysis_type or 'an unknown analysis type'} "
                         f"(supported: {', '.join(sorted(KINDS))})")
    files: dict[str, list[Path]] = {}
    for step in plan.get("steps", []):
        for type_, paths in _step_outputs(root, step.get("module", ""), library).items():
            files.setdefault(type_, []).extend(p for p in paths if p not in files.get(type_, []))
    found = ResultFiles(root=root, analysis_type=analysis_type, kind=kind, title=str(plan.get("title", "")),
                        files=files, conditions=_conditions(root, plan))
    if not found.all(*NEEDED[kind]):
        wanted = " or ".join(NEEDED[kind])
        raise InputError(f"{root}: no results yet ({wanted} not found under results/): run the workflow first")
    return found


def _step_outputs(root: Path, module_id: str, library: "Library") -> dict[str, list[Path]]:
    try:
        spec = library.module(module_id)
    except Exception:  # a module renamed since the workflow was written: nothing to find for it
        return {}
    found: dict[str, list[Path]] = {}
    for port in spec.outputs:
        pattern = _WILDCARD.sub("*", port.path) if port.path else ""
        if not pattern:
            continue
        matches = sorted(p for p in root.glob(pattern) if p.exists())
        if matches:
            found.setdefault(port.type, []).extend(matches)
    return found


def _conditions(root: Path, plan: dict) -> dict[str, str]:
    """sample -> condition from config/samples.tsv (the user's edited sheet), else from the plan."""
    sheet = root / "config" / "samples.tsv"
    rows: list[dict] = []
    if sheet.is_file():
        with sheet.open(encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle, delimiter="\t"))
    rows = rows or list(plan.get("samples") or [])
    return {str(r["sample"]): str(r.get("condition") or "") for r in rows if r.get("sample")}
