"""Append one dated line per `bench/run_all` to the tracked bench/history/runs.jsonl, so that a regression shows in git.

    python bench/history.py            # after a full run: the headline figures of bench/results/*.json
    python bench/history.py --smoke    # a smoke run is not recorded (its counts are too small to compare)

bench/results/*.json stay git-ignored (machine-specific detail); a history line keeps the date, the commit, the
machine and its load, the versions that move the figures, and one number per headline figure. A benchmark whose
results file is missing or older than this run's start (`--since`) is left out rather than reported stale.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench._common import RESULTS_DIR, machine  # noqa: E402

HISTORY = Path(os.environ.get("BENCH_HISTORY_DIR") or REPO / "bench" / "history") / "runs.jsonl"
VERSIONS = ("langgraph", "langchain-core", "langchain-openai", "numpy", "torch", "sentence-transformers",
            "faiss-cpu", "snakemake", "tokenizers")
# figure name -> (results file, keys into its JSON)
FIGURES: dict[str, tuple[str, tuple[str | int, ...]]] = {
    "cli_classify_p50_ms": ("cold_start", ("cli_classify", "p50_ms")),
    "cli_generate_p50_ms": ("cold_start", ("cli_generate", "p50_ms")),
    "cold_imports_s": ("cold_start", ("phases", "imports_s")),
    "cold_embedder_load_s": ("cold_start", ("phases", "embedder_load_s")),
    "warm_generate_p50_s": ("cold_start", ("warm_p50_s",)),
    "warm_outside_snakemake_p50_s": ("cold_start", ("warm_outside_snakemake_p50_s",)),
    "warm_cpu_outside_snakemake_p50_ms": ("cold_start", ("warm_cpu_outside_snakemake_p50_ms",)),
    "classify_warm_p50_ms": ("classify", ("p50_ms",)),
    "overhead_fraction": ("overhead", ("overhead_fraction",)),
    "graph_alone_p50_ms": ("overhead", ("instant_models", "request", "p50_ms")),
    "critical_path_generate_ratio": ("critical_path", ("scenarios", "generate", "ratio")),
    "retrieval_search_p50_ms": ("retrieval", ("search_warm_k5", "p50_ms")),
    "retrieval_index_build_s": ("retrieval", ("index_build", "embed_and_index_s")),
    "fault_budget_ok": ("fault_budget", ("all_within_budget_on_expected_tier",)),
}


def _dig(data: object, keys: tuple[str | int, ...]) -> object:
    for key in keys:
        try:
            data = data[key]  # type: ignore[index]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _results(since: float) -> dict[str, dict]:
    found = {}
    for name in {file for file, _ in FIGURES.values()} | {"concurrency"}:
        path = RESULTS_DIR / f"{name}.json"
        try:
            if path.stat().st_mtime >= since:
                found[name] = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
    return found


def _concurrency(data: dict | None) -> dict:
    levels = (data or {}).get("levels") or []
    top = max(levels, key=lambda row: row.get("sessions", 0), default=None)
    if not top:
        return {}
    return {"concurrency_sessions": top.get("sessions"), "concurrency_req_per_s": top.get("requests_per_s"),
            "concurrency_fraction_of_capacity": top.get("fraction_of_capacity")}


def _versions() -> dict[str, str]:
    found = {}
    for name in VERSIONS:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return found


def _commit() -> str | None:
    done = subprocess.run(["git", "-C", str(REPO), "describe", "--always", "--dirty"], capture_output=True,
                          text=True, check=False)
    return done.stdout.strip() or None


def summary_line(since: float = 0.0) -> dict:
    results = _results(since)
    figures = {name: _dig(results[file], keys) for name, (file, keys) in FIGURES.items() if file in results}
    figures.update(_concurrency(results.get("concurrency")))
    return {"date": datetime.now(timezone.utc).isoformat(timespec="seconds"), "commit": _commit(),
            "machine": machine(), "versions": _versions(),
            "figures": {k: v for k, v in figures.items() if v is not None}}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="a smoke run: print nothing to the history")
    parser.add_argument("--since", type=float, default=0.0, help="ignore results files older than this (epoch s)")
    args, _ = parser.parse_known_args()
    if args.smoke:
        print("history: smoke run, not recorded")
        return 0
    line = summary_line(args.since)
    if not line["figures"]:
        print("history: no results to record (run the benchmarks first)", file=sys.stderr)
        return 1
    HISTORY.parent.mkdir(parents=True, exist_ok=True)
    with HISTORY.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(line, separators=(",", ":")) + "\n")
    shown = HISTORY.relative_to(REPO) if HISTORY.is_relative_to(REPO) else HISTORY
    print(f"history: {len(line['figures'])} figures appended to {shown}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
