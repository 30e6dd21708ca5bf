"""Orchestration overhead (a benchmark, not a test): the graph's own time beside model time.

    python bench/overhead.py            # 20 requests per mode
    python bench/overhead.py --smoke    # CI: 2 requests per mode

One `generate` request (rnaseq_de) through the whole graph, twice over: on instant scripted models (the graph's own
time, p50/p95, and each node's time from its route entry), then on the delay server (every model call 100 ms). The
overhead is the delay run's time beyond its model calls (calls x delay), as a fraction of that model time; the target
is <= 2%. Snakemake's checks are replaced by a passing stand-in (cold_start.py measures them).
Writes bench/results/overhead.json and prints one summary line.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import REQUEST, RESULTS_DIR, request_variants, shown, summary_ms, write_results  # noqa: E402
from bench._graphs import build, check_served, client_floor_s, run_once  # noqa: E402
from bench.delay_server import DelayServer  # noqa: E402

TARGET = 0.02


def measure(graph, runs: int, tier: str, start: int) -> tuple[list[float], dict[str, list[float]]]:
    """Each request's wall time, and per node; nodes["cpu"] holds each request's process CPU time (every thread)."""
    run_once(graph, REQUEST)  # warm-up: embedder, library, clients
    times, nodes = [], defaultdict(list)
    for request in request_variants(runs, start=start):
        cpu = time.process_time()
        elapsed, state = run_once(graph, request)
        nodes["cpu"].append(time.process_time() - cpu)
        check_served(state, tier)
        times.append(elapsed)
        for route in state["routes"]:
            nodes[route.node].append(route.latency_ms / 1000)
    return times, nodes


def profile_instant(graph, runs: int) -> Path:
    """Where the graph's own time goes (pip install pyinstrument): the named causes in the README come from here."""
    from pyinstrument import Profiler

    profiler = Profiler(interval=0.0005)
    profiler.start()
    for request in request_variants(runs, start=2 * runs + 1):
        run_once(graph, request)
    profiler.stop()
    path = RESULTS_DIR / "overhead_profile.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(profiler.output_text(unicode=False, color=False))
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="2 requests per mode (CI)")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--delay", type=float, default=0.1, help="seconds per model call on the delay server")
    parser.add_argument("--profile", action="store_true",
                        help="also profile the instant runs with pyinstrument into bench/results/overhead_profile.txt")
    args = parser.parse_args()
    runs = 2 if args.smoke else args.runs
    server = DelayServer(args.delay)
    with server.running(), tempfile.TemporaryDirectory() as tmp:
        profile = server.profile(Path(tmp) / "delay.yaml")
        instant, _ = build(profile, instant=True)
        own, own_nodes = measure(instant, runs, "local", start=1)
        if args.profile:
            profile_instant(instant, runs)
        delayed, _ = build(profile, instant=False)
        run_once(delayed, REQUEST)
        server.reset()
        total, delay_nodes = measure(delayed, runs, "local", start=runs + 1)
        calls = len(server.stats()["intervals"]) / (runs + 1)  # measure() makes one warm-up request too
        floor = client_floor_s(server, runs=max(5, runs))
    model_s = calls * args.delay
    overhead = (statistics.median(total) - model_s) / model_s
    beyond_floor = (statistics.median(total) - calls * (args.delay + floor)) / model_s
    own_fraction = statistics.median(own) / model_s
    own_cpu, delay_cpu = own_nodes.pop("cpu"), delay_nodes.pop("cpu")
    path = write_results("overhead", {
        "mode": "smoke" if args.smoke else "full", "runs": runs, "delay_s": args.delay, "request": REQUEST, "requests": "request_variants: samples, organism and condition vary per run",
        "model_calls_per_request": calls, "model_time_ms": round(model_s * 1000, 1),
        "instant_models": {"request": summary_ms(own), "nodes": {n: summary_ms(v) for n, v in own_nodes.items()}},
        "delay_server": {"request": summary_ms(total), "nodes": {n: summary_ms(v) for n, v in delay_nodes.items()}},
        # process CPU per request, every thread (the delay server is a subprocess, so not in it)
        "cpu_per_request": {"instant_models": summary_ms(own_cpu), "delay_server": summary_ms(delay_cpu)},
        "overhead_fraction": round(overhead, 4), "own_time_fraction_of_model_time": round(own_fraction, 4),
        # a bare ChatOpenAI call's cost beyond the delay, and the overhead left when every call is charged with it
        "client_floor_ms_per_call": round(floor * 1000, 2), "client_floor_fraction": round(calls * floor / model_s, 4),
        "overhead_beyond_client_floor_fraction": round(beyond_floor, 4),
        "target_fraction": TARGET, "meets_target": overhead <= TARGET})
    print(f"overhead: graph alone p50 {statistics.median(own) * 1000:.1f} ms "
          f"(CPU {statistics.median(own_cpu) * 1000:.1f} ms); at {args.delay * 1000:.0f} ms/call "
          f"p50 {statistics.median(total) * 1000:.0f} ms for {calls:.0f} calls = {overhead:+.1%} over model time "
          f"(target <= {TARGET:.0%}); a bare ChatOpenAI call costs {floor * 1000:.1f} ms over the delay, "
          f"{beyond_floor:+.1%} beyond that -> {shown(path)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
