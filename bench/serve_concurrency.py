"""Serving concurrency (a benchmark, not a test): many sessions at once against `serve --workers 2` on Postgres.

    python bench/serve_concurrency.py            # 50 concurrent sessions
    python bench/serve_concurrency.py --smoke    # CI: 3 sessions

The server is `biopipelines serve` as bench/serve_app.py runs it (the same command and app, with the passing
stand-in for Snakemake's checks that every graph benchmark uses), with 2 worker processes over a throwaway Postgres
cluster (tests/postgres.py); every model role is on the delay server (bench/delay_server.py, 100 ms a call). Each
session is one turn on its own thread, POST /threads/{id}/turns, all sent together over HTTP after a warm-up.
Reported: model calls/s that reached the delay server, turn latency, the server's CPU (all its processes) per turn
and cores busy. The delay server's own capacity is measured with plain HTTP clients at the same concurrency (best of
three); the target is the served model-call rate at 50 sessions >= 80% of it, as in bench/concurrency.py.
Writes bench/results/serve_concurrency.json and prints one summary line.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Iterator

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx  # noqa: E402
import psutil  # noqa: E402

from bench._common import REPO, REQUEST, request_variants, shown, summary_ms, write_results  # noqa: E402
from bench.delay_server import DelayServer  # noqa: E402
from tests.postgres import postgres_cluster  # noqa: E402
from tests.servers import free_port, running  # noqa: E402

TARGET = 0.80
MODEL_NODES = ("intent", "planner", "coder", "validator", "docs")
TURN_TIMEOUT_S = 600


@contextlib.contextmanager
def serving(profile: Path, dsn: str, workers: int, log: Path) -> Iterator[tuple[str, int]]:
    """The server in its own process group; yields its base URL and pid."""
    port = free_port()
    cmd = [sys.executable, str(REPO / "bench" / "serve_app.py"), "serve", "--workers", str(workers), "--port",
           str(port), "--checkpointer", "postgres:" + dsn, "--profile", str(profile)]
    env = {**os.environ, "PYTHONPATH": str(REPO)}  # the workers import bench.serve_app
    base = f"http://127.0.0.1:{port}"
    with running(cmd, base + "/healthz", log, timeout_s=180, env=env, cwd=str(REPO)) as proc:
        yield base, proc.pid


def check_report(report: dict) -> None:
    """A measured turn must have gone where it claims: a validated workflow, each model node on the local tier."""
    if report.get("status") != "validated":
        raise RuntimeError(f"a turn ended as {report.get('status')}: {report.get('answer', '')[:200]}")
    off = [f"{r['node']}:{r['tier']}" for r in report["routes"] if r["node"] in MODEL_NODES and r["tier"] != "local"]
    if off:
        raise RuntimeError(f"nodes served off the local tier: {', '.join(off)}")


async def sessions(base: str, requests: list[str], prefix: str) -> list[float]:
    """All requests at once, each a new thread; their latencies (s)."""
    limits = httpx.Limits(max_connections=len(requests), max_keepalive_connections=len(requests))
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=TURN_TIMEOUT_S) as client:
        async def one(k: int, request: str) -> float:
            started = time.perf_counter()
            response = await client.post(f"/threads/{prefix}-{k}/turns", json={"message": request})
            if response.status_code != 200:
                raise RuntimeError(f"turn {k}: HTTP {response.status_code}: {response.text[:300]}")
            check_report(response.json())
            return time.perf_counter() - started

        return await asyncio.gather(*(one(k, r) for k, r in enumerate(requests)))


def tree_cpu_s(pid: int) -> float:
    """CPU seconds of the server: its supervisor and every worker."""
    procs = [psutil.Process(pid), *psutil.Process(pid).children(recursive=True)]
    total = 0.0
    for proc in procs:
        with contextlib.suppress(psutil.NoSuchProcess):
            times = proc.cpu_times()
            total += times.user + times.system
    return total


def measure(server: DelayServer, base: str, pid: int, count: int, start: int) -> dict:
    server.reset()
    cpu = tree_cpu_s(pid)
    started = time.perf_counter()
    latencies = asyncio.run(sessions(base, request_variants(count, start), "bench"))
    wall = time.perf_counter() - started
    cpu_s = tree_cpu_s(pid) - cpu
    stats = server.stats()
    calls = len(stats["intervals"])
    return {"sessions": count, "wall_s": round(wall, 3), "turns_per_s": round(count / wall, 2),
            "model_calls": calls, "model_calls_per_s": round(calls / wall, 2), "latency": summary_ms(latencies),
            "max_in_flight": stats["max_in_flight"], "server_cpu_ms_per_turn": round(cpu_s * 1000 / count, 1),
            "server_cores_busy": round(cpu_s / wall, 2)}


def run(args: argparse.Namespace, tmp: Path) -> tuple[dict, float]:
    server = DelayServer(args.delay)
    with server.running(), postgres_cluster() as dsn:
        profile = server.profile(tmp / "delay.yaml")
        with serving(profile, dsn, args.workers, tmp / "serve.log") as (base, pid):
            # warm-up: embedder, library and clients in every worker (a burst spreads over the workers)
            warm = request_variants(4 * args.workers, 0)
            asyncio.run(sessions(base, warm, "warm"))
            row = measure(server, base, pid, args.sessions, len(warm))
        capacity = max(asyncio.run(server.capacity(args.sessions, requests=max(20, args.sessions * 5)))
                       for _ in range(3))
    return row, capacity


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="3 sessions (CI)")
    parser.add_argument("--sessions", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--delay", type=float, default=0.1)
    args = parser.parse_args()
    if args.smoke:
        args.sessions = 3
    with tempfile.TemporaryDirectory() as tmp:
        row, capacity = run(args, Path(tmp))
    row["server_capacity_calls_per_s"] = round(capacity, 2)
    row["fraction_of_capacity"] = round(row["model_calls_per_s"] / capacity, 3)
    path = write_results("serve_concurrency", {
        "mode": "smoke" if args.smoke else "full", "workers": args.workers, "checkpointer": "postgres",
        "delay_s": args.delay, "request": REQUEST, "requests": "request_variants: one turn per session, each on "
        "a new thread", "validation": "passing stand-in (bench/_common.passing_validate)", **row,
        "target_fraction": TARGET, "meets_target": row["fraction_of_capacity"] >= TARGET})
    print(f"serve_concurrency: {row['sessions']} sessions on {args.workers} workers {row['turns_per_s']:.1f} turns/s "
          f"p50 {row['latency']['p50_ms']:.0f} ms, {row['fraction_of_capacity']:.0%} of server capacity "
          f"(target >= {TARGET:.0%}), server {row['server_cores_busy']:.2f} cores busy -> {shown(path)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
