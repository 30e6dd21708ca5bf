"""report.json: what one turn did, from the final state. Also writes a workflow to disk."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from biopipelines.core.errors import UserError
from biopipelines.llm.cost import summarize
from biopipelines.nodes.state import AgentState, turn_routes

EXIT_CODES = {"validated": 0, "invalid": 3, "partial": 5}
NO_WORKFLOW_EXIT = 4
WORKFLOW_STATUSES = ("validated", "partial", "invalid")


def exit_code(status: str | None) -> int:
    return EXIT_CODES.get(status or "", NO_WORKFLOW_EXIT)


def build_report(state: AgentState, profile: str) -> dict[str, Any]:
    intent = state.get("intent")
    made_workflow = state.get("status") in WORKFLOW_STATUSES
    plan = state.get("plan") if made_workflow else None
    routes = turn_routes(state)
    files = state.get("files", {}) if made_workflow else {}
    return {
        "status": state.get("status"),
        "request": state.get("request", ""),
        "answer": state.get("answer", ""),
        "intent": intent.intent if intent else None,
        "analysis_type": intent.analysis_type if intent else None,
        "confidence": intent.confidence if intent else None,
        "entities": intent.entities.model_dump() if intent else None,
        "tools": list(dict.fromkeys(s.tool for s in plan.steps)) if plan else [],
        "plan": plan.model_dump() if plan else None,
        "asks": [{"ask": a.ask, "label": a.label, "covered_by": a.covered_by or None} for a in plan.asks] if plan else [],
        "files": sorted(files) + (["report.json"] if files else []),
        "validation": [c.model_dump() for c in state.get("validation", [])],
        "attempts": state.get("attempts", 0),
        "safety": state["safety"].model_dump() if state.get("safety") else None,
        "findings": state.get("findings", []),
        "routes": [r.model_dump() for r in routes],
        "totals": {
            "latency_ms": round(sum(r.latency_ms for r in routes), 2),
            "tokens_in": sum(r.tokens_in for r in routes),
            "tokens_out": sum(r.tokens_out for r in routes),
            "cost_usd": round(sum(r.cost_usd for r in routes), 8),
            "tiers": {tier: sum(1 for r in routes if r.tier == tier) for tier in ("local", "cloud", "offline")},
        },
        "cost": summarize(routes).model_dump(),
        "profile": profile,
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }


def prepare_out_dir(out: Path, force: bool) -> None:
    """Never overwrite a user's files by accident."""
    if out.exists() and not out.is_dir():
        raise UserError(f"--out {out} exists and is not a directory")
    if out.is_dir() and any(out.iterdir()) and not force:
        raise UserError(f"--out {out} exists and is not empty; choose a new directory or pass --force")


def write_workflow(out: Path, files: dict[str, str], report: dict[str, Any]) -> None:
    root = out.resolve()
    for rel, content in files.items():
        target = (root / rel).resolve()
        if root not in target.parents:  # the coder's paths are checked already; this is the last line of defence
            raise UserError(f"refusing to write {rel!r} outside {root}")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8")
    (root / "report.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
