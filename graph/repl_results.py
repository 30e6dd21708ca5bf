"""The REPL's "show me the results" turn: recognised here, before the graph, and answered by the analysis node on a
workflow folder (one named in the line, else the last one /save wrote in this session)."""

from __future__ import annotations

import re
from pathlib import Path

from biopipelines.core.errors import UserError

# A request about results, not a workflow request: "show me the results", "plot the results in out/wf".
RESULTS_TURN = re.compile(r"\b(show|plot|analy[sz]e|visuali[sz]e|summari[sz]e|report)\b(\s+\w+){0,3}\s+results?\b",
                          re.I)


def results_target(text: str, last_saved: Path | None) -> Path | None:
    """The folder a results turn is about; None when `text` is not a results turn."""
    if not RESULTS_TURN.search(text):
        return None
    for token in re.findall(r"[\w./~-]+", text):
        if ("/" in token or token.startswith((".", "~"))) and Path(token).expanduser().is_dir():
            return Path(token).expanduser()
    if last_saved is not None:
        return last_saved
    raise UserError("which workflow's results? Say 'show me the results in DIR', or /save DIR first")


def results_lines(update: dict) -> list[str]:
    """What the REPL prints for the node's answer: the narrative, notes, figures and the report."""
    analysis = update["analysis"]
    lines = [analysis.summary, *(f"note: {n}" for n in analysis.notes)]
    lines += [f"  {f.png}" for f in analysis.figures]
    lines.append(f"report: {analysis.report} (figures by the {update['routes'][0].tier} tier)")
    return lines
