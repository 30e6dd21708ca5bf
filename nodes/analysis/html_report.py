"""The HTML report: the narrative (which quotes the numbers), notes, figures, tables and every metric."""

from __future__ import annotations

import os
from pathlib import Path

import jinja2

from biopipelines.nodes.analysis.schemas import Analysis

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"


def write_report(analysis: Analysis, out: Path) -> Path:
    """Write out/report.html (figures linked by relative path, so the folder can be moved) and return it."""
    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                                     undefined=jinja2.StrictUndefined)
    figures = [{**f.model_dump(), "rel_png": os.path.relpath(f.png, out),
                "rel_svg": os.path.relpath(f.svg, out) if f.svg else ""} for f in analysis.figures]
    view = {**analysis.model_dump(), "figures": figures}
    source = "analysis model's code (sandboxed)" if analysis.tier != "offline" else "offline template"
    html = environment.get_template("analysis_report.html.j2").render(a=view, figure_source=source)
    path = out / "report.html"
    path.write_text(html, encoding="utf-8")
    return path
