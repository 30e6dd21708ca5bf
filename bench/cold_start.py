"""Cold start and the warm offline request (a benchmark, not a test), on the embedded default (offline profile).

    python bench/cold_start.py            # 3 cold CLI generate runs, 7 cold classify runs, 5 warm requests
    python bench/cold_start.py --smoke    # CI: 1 cold CLI run of each, 1 warm request

1. The wall time of `biopipelines generate QUERY --out DIR` from a new process (real validation included), and of
   `biopipelines classify QUERY --json` (target: median <= 1 s). Both read the on-disk caches (exemplar vectors)
   that the first run of a fresh install writes; each classify run's request differs, so nothing else is reused.
2. A new process (`--child`) that times each phase: imports, graph build, embedder load (MiniLM and the intent
   classifier), the first request; then warm requests, each split into its Snakemake subprocesses (the wall time inside
   `Sandbox.run`; lint and the dry run overlap, so the union of their intervals) and everything else.
   Target: warm p50 <= 2.5 s, outside Snakemake <= 300 ms.
Writes bench/results/cold_start.json and prints one summary line.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

T0 = time.perf_counter()
REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

TARGET_WARM_S, TARGET_OUTSIDE_S, TARGET_CPU_S = 2.5, 0.3, 0.03
TARGET_CLASSIFY_S = 1.0


def child(warm_runs: int) -> dict:
    """Runs in a fresh interpreter: the phases of a cold start, then warm requests."""
    phases = {}
    t = time.perf_counter()
    from langchain_core.messages import HumanMessage

    import biopipelines.validation.sandbox as sandbox
    from biopipelines.graph.builder import build_graph
    from biopipelines.llm.factory import ModelFactory
    from biopipelines.core.settings import load_settings
    from biopipelines.nodes.state import RunContext
    from biopipelines.nodes.deps import NodeDeps

    from bench._common import REQUEST, request_variants

    phases["imports_s"] = time.perf_counter() - t

    # Wall time inside Snakemake's subprocesses: the union of their (start, end) intervals, since lint and the dry
    # run overlap (a sum would count the shared time twice).
    spans: list[tuple[float, float]] = []
    original = sandbox.Sandbox.run

    def timed_run(self, *args, **kwargs):
        started = time.perf_counter()
        result = original(self, *args, **kwargs)
        spans.append((started, time.perf_counter()))
        return result

    sandbox.Sandbox.run = timed_run  # this benchmark process only

    t = time.perf_counter()
    settings = load_settings("offline", env={})
    deps = NodeDeps(settings=settings, models=ModelFactory(settings, env={}))
    graph = build_graph(deps=deps)
    phases["graph_build_s"] = time.perf_counter() - t
    t = time.perf_counter()
    deps.intent_classifier  # noqa: B018  loads MiniLM and embeds the intent exemplars
    phases["embedder_load_s"] = time.perf_counter() - t

    def request(text: str) -> tuple[float, float, float, str]:
        spans.clear()
        started, cpu = time.perf_counter(), time.process_time()
        state = graph.invoke({"messages": [HumanMessage(text)]}, context=RunContext())
        return time.perf_counter() - started, union_s(spans), time.process_time() - cpu, state.get("status")

    total, snake, _, status = request(REQUEST)
    phases.update(first_request_s=total, first_request_validation_subprocess_s=snake)
    phases["process_to_first_result_s"] = time.perf_counter() - T0
    # distinct from the first request and from each other, so no memo serves a warm request
    warm = [request(text) for text in request_variants(warm_runs + 1)[1:]]
    return {"phases": {k: round(v, 3) for k, v in phases.items()}, "status": status,
            "warm": [{"total_s": round(a, 3), "snakemake_subprocess_s": round(b, 3), "outside_s": round(a - b, 3),
                      "cpu_outside_snakemake_s": round(c, 4), "status": d} for a, b, c, d in warm]}


def union_s(spans: list[tuple[float, float]]) -> float:
    """Seconds covered by at least one of the intervals."""
    total, end = 0.0, float("-inf")
    for start, stop in sorted(spans):
        if stop > end:
            total += stop - max(start, end)
            end = stop
    return total


def cli_wall(out: Path) -> float:
    from bench._common import REQUEST

    exe = Path(sys.executable).with_name("biopipelines")
    started = time.perf_counter()
    done = subprocess.run([str(exe), "generate", REQUEST, "--out", str(out), "--profile", "offline"],
                          capture_output=True, text=True, timeout=300,
                          env={**os.environ, "BIOPIPELINES_PROFILE": "offline"})
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"biopipelines generate failed ({done.returncode}): {done.stderr.strip()[-300:]}")
    return wall


def cli_classify_wall(query: str) -> float:
    exe = Path(sys.executable).with_name("biopipelines")
    started = time.perf_counter()
    done = subprocess.run([str(exe), "classify", query, "--json", "--profile", "offline"], capture_output=True,
                          text=True, timeout=120, env={**os.environ, "BIOPIPELINES_PROFILE": "offline"})
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"biopipelines classify failed ({done.returncode}): {done.stderr.strip()[-300:]}")
    return wall


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="1 cold run, 1 warm request (CI)")
    parser.add_argument("--cold", type=int, default=3, help="cold CLI runs")
    parser.add_argument("--classify", type=int, default=7, help="cold CLI classify runs")
    parser.add_argument("--warm", type=int, default=5, help="warm requests in the child")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.warm)))
        return 0
    from bench._common import request_variants, shown, summary_ms, write_results

    cold_runs, classify_runs, warm_runs = (1, 1, 1) if args.smoke else (args.cold, args.classify, args.warm)
    cli_classify_wall(request_variants(1)[0])  # the first run of an install writes the exemplar cache: not timed
    classify_walls = [cli_classify_wall(q) for q in request_variants(classify_runs, start=1)]
    with tempfile.TemporaryDirectory() as tmp:
        walls = [cli_wall(Path(tmp) / f"out{i}") for i in range(cold_runs)]
    started = time.perf_counter()
    done = subprocess.run([sys.executable, __file__, "--child", "--warm", str(warm_runs)], capture_output=True,
                          text=True, timeout=600)
    child_wall = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"child failed: {done.stderr.strip()[-500:]}")
    data = json.loads(done.stdout.strip().splitlines()[-1])
    phases = data["phases"]
    phases["interpreter_start_and_exit_s"] = round(child_wall - phases["process_to_first_result_s"], 3)
    warm = data["warm"]
    p50 = statistics.median(w["total_s"] for w in warm)
    outside = statistics.median(w["outside_s"] for w in warm)
    cpu = statistics.median(w["cpu_outside_snakemake_s"] for w in warm)
    path = write_results("cold_start", {
        "mode": "smoke" if args.smoke else "full", "profile": "offline", "cli_generate": summary_ms(walls),
        "cli_classify": summary_ms(classify_walls), "target_cli_classify_s": TARGET_CLASSIFY_S,
        "phases": phases, "warm_requests": warm, "warm_p50_s": round(p50, 3), "warm_outside_snakemake_p50_s":
        round(outside, 3), "warm_cpu_outside_snakemake_p50_ms": round(cpu * 1000, 1), "status": data["status"],
        "target_warm_p50_s": TARGET_WARM_S, "target_outside_s": TARGET_OUTSIDE_S, "target_cpu_ms": TARGET_CPU_S * 1000,
        "meets_target": p50 <= TARGET_WARM_S and outside <= TARGET_OUTSIDE_S, "meets_cpu_target": cpu <= TARGET_CPU_S})
    print(f"cold_start: CLI classify p50 {statistics.median(classify_walls):.2f}s (target <= {TARGET_CLASSIFY_S}s); "
          f"CLI generate p50 {statistics.median(walls):.2f}s (imports {phases['imports_s']:.2f}s, "
          f"embedder {phases['embedder_load_s']:.2f}s, build {phases['graph_build_s']:.2f}s, first request "
          f"{phases['first_request_s']:.2f}s); warm p50 {p50:.2f}s, outside Snakemake {outside * 1000:.0f} ms, "
          f"CPU outside Snakemake {cpu * 1000:.0f} ms (targets <= {TARGET_WARM_S}s / "
          f"{TARGET_OUTSIDE_S * 1000:.0f} ms / {TARGET_CPU_S * 1000:.0f} ms) -> {shown(path)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
