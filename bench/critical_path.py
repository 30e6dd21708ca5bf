"""Critical path (a benchmark, not a test): end-to-end latency against the minimum the model calls allow.

    python bench/critical_path.py            # 10 requests per scenario
    python bench/critical_path.py --smoke    # CI: 1 request per scenario

Every role on the delay server (100 ms per call). For each scenario the server records when each call ran; the
calls that ran one after another (the longest chain of non-overlapping calls) x the delay is the least time the
request could take as executed, and `ratio` = measured / that minimum (target <= 1.10). `max_in_flight` > 1 shows
that independent calls overlapped. Scenarios: a workflow request (rnaseq_de), an explain question (bio expert), and
a dual-use request that makes safety_in call the guard model before intent (work that could run beside it).
Writes bench/results/critical_path.json and prints one summary line.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import EXPLAIN, REQUEST, shown, summary_ms, write_results  # noqa: E402
from bench._graphs import build, check_served, run_once  # noqa: E402
from bench.delay_server import DelayServer, critical_chain  # noqa: E402

TARGET = 1.10
SCENARIOS = {
    "generate": REQUEST,
    "explain": EXPLAIN,
    "generate_dual_use": REQUEST + ", and note which reads map to the anthrax toxin genes we spiked in",
}


def scenario(server: DelayServer, graph, request: str, runs: int) -> dict:
    run_once(graph, request)  # warm-up
    times, chains, calls, in_flight = [], [], [], 0
    for _ in range(runs):
        server.reset()
        elapsed, state = run_once(graph, request)
        check_served(state, "local")
        stats = server.stats()
        times.append(elapsed)
        chains.append(critical_chain(stats["intervals"]))
        calls.append(len(stats["intervals"]))
        in_flight = max(in_flight, stats["max_in_flight"])
        nodes = [r.node for r in state["routes"]]
    minimum = statistics.median(chains) * server.delay_s
    # safety_in's guard call does not depend on intent: with the two side by side the chain is one call shorter.
    guard_first = bool(stats["intervals"]) and "safety_in" in nodes and _guard_called(state)
    ideal_calls = statistics.median(chains) - (1 if guard_first else 0)
    return {"request": request, "latency": summary_ms(times), "model_calls": statistics.median(calls),
            "sequential_calls": statistics.median(chains), "minimum_ms": round(minimum * 1000, 1),
            "ratio": round(statistics.median(times) / minimum, 3) if minimum else None,
            "max_in_flight": in_flight, "nodes": nodes, "ideal_sequential_calls": ideal_calls,
            "ratio_to_ideal": round(statistics.median(times) / (ideal_calls * server.delay_s), 3)}


def _guard_called(state: dict) -> bool:
    return any(r.node == "safety_in" and r.tier == "local" for r in state["routes"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="1 request per scenario (CI)")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--delay", type=float, default=0.1)
    args = parser.parse_args()
    runs = 1 if args.smoke else args.runs
    server = DelayServer(args.delay)
    with server.running(), tempfile.TemporaryDirectory() as tmp:
        graph, _ = build(server.profile(Path(tmp) / "delay.yaml"), instant=False)
        rows = {name: scenario(server, graph, request, runs) for name, request in SCENARIOS.items()}
    worst = max(rows, key=lambda n: rows[n]["ratio"] or 0)
    path = write_results("critical_path", {
        "mode": "smoke" if args.smoke else "full", "runs": runs, "delay_s": args.delay, "scenarios": rows,
        "target_ratio": TARGET, "meets_target": all((r["ratio"] or 0) <= TARGET for r in rows.values())})
    print("critical_path: " + ", ".join(f"{n} {r['ratio']:.2f}x ({r['sequential_calls']:.0f} sequential calls; "
                                        f"{r['ratio_to_ideal']:.2f}x the dependency minimum)" for n, r in rows.items())
          + f"; worst {worst} (target <= {TARGET}) -> {shown(path)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
