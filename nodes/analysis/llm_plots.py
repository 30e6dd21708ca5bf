"""The LLM tier of the analysis node: the analysis model writes plotting code, which runs in the validation sandbox
(validation/plot_sandbox.py). A script that is refused, fails, or draws no readable PNG is reported and the
template's figures serve instead."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, Field

from biopipelines.nodes.analysis.figures import describe, is_blank
from biopipelines.nodes.analysis.schemas import Figure, ResultFiles
from biopipelines.validation.plot_sandbox import run_plot_script

# Output types each kind's script is given, and the figures it is asked for.
INPUTS = {
    "de": ("de_results", "normalized_counts"),
    "peaks": ("peaks", "bedgraph"),
    "variants": ("vcf",),
    "taxa": ("taxon_table", "asv_table", "metaphlan_profile", "bracken_table"),
    "single_cell": ("sc_qc_metrics",),
}
WANTED = {
    "de": "volcano (label the top 10 genes by adjusted p), MA plot, PCA of samples, sample-distance heatmap",
    "peaks": "peaks per sample (bar), peak width histogram",
    "variants": "variant counts per type, transitions vs transversions, depth (INFO/DP) histogram",
    "taxa": "stacked bar plot of the top 10 taxa per sample (relative abundance)",
    "single_cell": "per-cell QC histograms (total_counts, n_genes_by_counts, pct_counts_mt)",
}
MAX_FILES = 12
PREVIEW_LINES = 4


class ScriptOutcome(BaseModel):
    figures: list[Figure] = Field(default_factory=list)
    problem: str = ""  # why the template served instead, when it did


def script_inputs(files: ResultFiles) -> dict[str, Path]:
    """{name under data/: file}: unique flat names, at most MAX_FILES, small text files first."""
    chosen: dict[str, Path] = {}
    for path in files.all(*INPUTS[files.kind])[:MAX_FILES]:
        name = path.name if path.name not in chosen else f"{path.parent.name}_{path.name}"
        chosen[name] = path
    return chosen


def describe_inputs(inputs: dict[str, Path]) -> str:
    """The files for the prompt: name and first lines (VCF headers skipped)."""
    import gzip

    parts = []
    for name, path in inputs.items():
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rt", encoding="utf-8", errors="replace") as handle:
            lines = [line.rstrip("\n")[:200] for line in handle if not line.startswith("##")][:PREVIEW_LINES]
        parts.append(f"- data/{name}:\n" + "\n".join(f"    {line}" for line in lines))
    return "\n".join(parts)


def run_script(code: str, inputs: dict[str, Path], folder: Path, timeout_s: float) -> ScriptOutcome:
    result = run_plot_script(code, inputs, folder, timeout_s=timeout_s)
    if not result.ok:
        what = "; ".join(result.blocked[:3]) or result.error
        kind = "blocked" if result.blocked else "failed"
        return ScriptOutcome(problem=f"the model's plotting code was {kind} ({what[:300]})")
    figures = []
    for png in (p for p in result.figures if p.suffix == ".png"):
        try:
            if not is_blank(png):
                figures.append(describe(png))
        except ValueError:
            continue
    if not figures:
        return ScriptOutcome(problem="the model's plotting code drew no readable, non-blank PNG")
    return ScriptOutcome(figures=figures)
