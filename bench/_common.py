"""Shared by the bench scripts: the machine's description, percentiles, the results file and the test graph."""

from __future__ import annotations

import json
import os
import platform
import statistics
from datetime import datetime, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# Tests point this elsewhere, so a smoke run never overwrites the recorded full results.
RESULTS_DIR = Path(os.environ.get("BENCH_RESULTS_DIR") or REPO / "bench" / "results")
# A request every tier can serve: the offline tier knows rnaseq_de, and the delay server answers with it too.
REQUEST = "Differential expression for 6 paired-end mouse liver samples, 3 knockout vs 3 wild type, STAR and DESeq2"
_VARIANT = "Differential expression for {n} paired-end {organism} liver samples, {half} {condition} vs {half} wild type, " \
           "STAR and DESeq2"
_ORGANISMS = ("mouse", "human")
_CONDITIONS = ("knockout", "treated", "mutant", "infected", "stimulated")
_COUNTS = range(6, 50, 2)  # starts with REQUEST's design, so request_variants(n)[0] == REQUEST
EXPLAIN = "Why DESeq2 rather than edgeR for a small RNA-seq experiment?"
_EXPLAIN_VARIANT = "Why DESeq2 rather than edgeR for an RNA-seq experiment with {n} replicates per group?"


def request_variants(count: int, start: int = 0) -> list[str]:
    """`count` requests alike in shape but distinct in plan (samples, organism, condition), so no per-process memo
    of a plan, a draft or a text serves a measured request from an earlier one: 220 kinds, the first is REQUEST.
    A benchmark warms up on the first and measures the ones after it (`start` skips those already used)."""
    combos = [(n, o, c) for c in _CONDITIONS for o in _ORGANISMS for n in _COUNTS]
    return [_VARIANT.format(n=n, half=n // 2, organism=o, condition=c)
            for n, o, c in (combos[k % len(combos)] for k in range(start, start + count))]


def explain_variants(count: int) -> list[str]:
    """`count` distinct questions of one kind (the replicate count differs)."""
    return [_EXPLAIN_VARIANT.format(n=2 + k) for k in range(count)]


def machine() -> dict:
    """Enough to compare runs: the box and how busy it was (other engineers share it)."""
    return {"host": platform.node(), "python": platform.python_version(), "cpus": os.cpu_count(),
            "load_avg_1_5_15": [round(x, 2) for x in os.getloadavg()]}


def pct(values: list[float], q: float) -> float:
    """The q-th percentile (nearest rank) of a non-empty list."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))]


def summary_ms(seconds: list[float]) -> dict:
    ms = [s * 1000 for s in seconds]
    return {"n": len(ms), "p50_ms": round(statistics.median(ms), 2), "p95_ms": round(pct(ms, 95), 2),
            "min_ms": round(min(ms), 2), "max_ms": round(max(ms), 2)}


def write_results(name: str, payload: dict) -> Path:
    out = {"benchmark": name, "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
           "machine": machine(), **payload}
    path = RESULTS_DIR / f"{name}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(out, indent=2) + "\n")
    return path


def shown(path: Path) -> str:
    return str(path.relative_to(REPO)) if path.is_relative_to(REPO) else str(path)


def passing_validate(files: dict[str, str], timeout_s: float) -> list:
    """Stands in for Snakemake's checks where a benchmark measures the graph and model time only (cold_start
    measures the real checks)."""
    from biopipelines.core.schemas import CheckResult

    return [CheckResult(check="snakemake_lint", ok=True), CheckResult(check="snakemake_dry_run", ok=True)]
