"""Critical path (a benchmark, not a test): end-to-end latency against the minimum the model calls allow.

    python bench/critical_path.py            # 10 requests per scenario
    python bench/critical_path.py --smoke    # CI: 1 request per scenario

Every role on the delay server (100 ms per call). For each scenario the server records when each call ran; the
calls that ran one after another (the longest chain of non-overlapping calls) x the delay is the least time the
request could take as executed, and `ratio` = measured / that minimum (target <= 1.10). `max_in_flight` > 1 shows
that independent calls overlapped. Scenarios: a workflow request (rnaseq_de), an explain question (bio expert), and
a dual-use request that makes the input guard call its model (which runs beside intent). Requests are distinct per
run (bench._common), so no per-process memo serves one from another.
Writes bench/results/critical_path.json and prints one summary line.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import explain_variants, request_variants, shown, summary_ms, write_results  # noqa: E402
from bench._graphs import build, check_served, client_floor_s, run_once  # noqa: E402
from bench.delay_server import DelayServer, critical_chain  # noqa: E402

TARGET = 1.10
DUAL_USE = ", and note which reads map to the anthrax toxin genes we spiked in"
# Each scenario's requests: distinct per run (the first one warms up).
SCENARIOS = {
    "generate": request_variants,
    "explain": explain_variants,
    "generate_dual_use": lambda n: [r + DUAL_USE for r in request_variants(n)],
}


def scenario(server: DelayServer, graph, requests: list[str]) -> dict:
    run_once(graph, requests[0])  # warm-up
    times, chains, calls, in_flight, guard_apart = [], [], [], 0, False
    for request in requests[1:]:
        server.reset()
        elapsed, state = run_once(graph, request)
        check_served(state, "local")
        stats = server.stats()
        times.append(elapsed)
        chains.append(critical_chain(stats["intervals"]))
        calls.append(len(stats["intervals"]))
        in_flight = max(in_flight, stats["max_in_flight"])
        guard_apart = guard_apart or _guard_before_intent(stats["intervals"])
        nodes = [r.node for r in state["routes"]]
    minimum = statistics.median(chains) * server.delay_s
    # The input guard's call does not depend on intent's: run one after the other, the chain is a call too long.
    ideal_calls = statistics.median(chains) - (1 if guard_apart else 0)
    return {"request": requests[-1], "latency": summary_ms(times), "model_calls": statistics.median(calls),
            "sequential_calls": statistics.median(chains), "minimum_ms": round(minimum * 1000, 1),
            "ratio": round(statistics.median(times) / minimum, 3) if minimum else None,
            "max_in_flight": in_flight, "nodes": nodes, "ideal_sequential_calls": ideal_calls,
            "ratio_to_ideal": round(statistics.median(times) / (ideal_calls * server.delay_s), 3)}


def _guard_before_intent(intervals: list[list]) -> bool:
    """Whether the input guard's call (the first text call) ended before intent's call began."""
    guard = next((iv for iv in sorted(intervals) if iv[3] is None), None)
    intent = next((iv for iv in intervals if iv[3] == "IntentResult"), None)
    return guard is not None and intent is not None and guard[1] <= intent[0]


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
        rows = {name: scenario(server, graph, variants(runs + 1)) for name, variants in SCENARIOS.items()}
        floor = client_floor_s(server, runs=max(5, 2 * runs))
    for row in rows.values():  # the minimum again, each call charged with a bare ChatOpenAI call's own cost
        row["ratio_with_client_floor"] = round(
            row["latency"]["p50_ms"] / (row["sequential_calls"] * (args.delay + floor) * 1000), 3)
    worst = max(rows, key=lambda n: rows[n]["ratio"] or 0)
    path = write_results("critical_path", {
        "mode": "smoke" if args.smoke else "full", "runs": runs, "delay_s": args.delay,
        "client_floor_ms_per_call": round(floor * 1000, 2), "scenarios": rows,
        "target_ratio": TARGET, "meets_target": all((r["ratio"] or 0) <= TARGET for r in rows.values())})
    print("critical_path: " + ", ".join(f"{n} {r['ratio']:.2f}x ({r['sequential_calls']:.0f} sequential calls; "
                                        f"{r['ratio_to_ideal']:.2f}x the dependency minimum)" for n, r in rows.items())
          + f"; worst {worst} (target <= {TARGET}); charging each call a bare ChatOpenAI call's "
          f"{floor * 1000:.1f} ms: " + ", ".join(f"{n} {r['ratio_with_client_floor']:.2f}x" for n, r in rows.items())
          + f" -> {shown(path)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
