"""Routing under endpoint faults (a benchmark, not a test): wall time of one structured call per fault scenario.

    python bench/fault_budget.py            # every scenario, 3 runs each
    python bench/fault_budget.py --smoke    # CI: 1 run each

Each run is a fresh ModelFactory (no cooldown carried over) calling the intent role on one endpoint of the
fault-injecting test server (tests/integration/fault_server.py) on loopback, with a 1.5 s total timeout, one retry and
a 20 s profile time budget. The target: every scenario's worst run ends inside the budget, on the expected tier.
Writes bench/results/fault_budget.json and prints one summary line.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import yaml  # noqa: E402
from langchain_core.messages import HumanMessage  # noqa: E402

from biopipelines.core.schemas import IntentResult  # noqa: E402
from biopipelines.core.settings import load_settings  # noqa: E402
from biopipelines.llm.chain import call_structured  # noqa: E402
from biopipelines.llm.factory import ModelFactory  # noqa: E402
from tests.integration.fault_server import FaultServer, refused_url  # noqa: E402

RESULTS = REPO / "bench" / "results" / "fault_budget.json"
BUDGET_S, TIMEOUT_S = 20.0, 1.5
SCENARIOS = {"ok": "local", "r500": "offline", "r429": "offline", "slow": "offline", "cut": "offline",
             "malformed": "offline", "wrong_model": "offline", "hang": "offline", "refused": "offline"}
GOOD = IntentResult(intent="generate_workflow", analysis_type="rnaseq_de", confidence=0.9)


def one_call(url: str, tmp: Path) -> tuple[float, str, str | None]:
    ep = {"url": url, "model": "served", "structured_output": "json_schema", "timeout_s": TIMEOUT_S,
          "connect_timeout_s": 1.0, "max_retries": 1}
    path = tmp / "p.yaml"
    path.write_text(yaml.safe_dump({"name": "bench", "time_budget_s": BUDGET_S, "offline_reserve_s": 5.0,
                                    "roles": {"intent": {"endpoints": [ep]}},
                                    "routing": {"retry_initial_s": 0.2, "retry_max_s": 1.0}}))
    factory = ModelFactory(load_settings(str(path), env={}), env={})
    started = time.perf_counter()
    served = call_structured(factory.tiers("intent"), IntentResult, [HumanMessage("RNA-seq DE")],
                             lambda: IntentResult(intent="unknown", confidence=0.1), "intent")
    return time.perf_counter() - started, served.tier, served.fallback_reason


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="one run per scenario (CI)")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    runs = 1 if args.smoke else args.runs
    server = FaultServer()
    server.answer = GOOD.model_dump_json()
    server.slow_s = TIMEOUT_S * 2
    rows = {}
    with server.running(), tempfile.TemporaryDirectory() as tmp:
        one_call(server.url("ok"), Path(tmp))  # warm-up: imports and the first client
        for name, expected in SCENARIOS.items():
            url = refused_url() if name == "refused" else server.url(name)
            results = [one_call(url, Path(tmp)) for _ in range(runs)]
            times = [r[0] for r in results]
            rows[name] = {"expected_tier": expected, "tiers": sorted({r[1] for r in results}),
                          "max_s": round(max(times), 3), "min_s": round(min(times), 3),
                          "reason": results[-1][2], "ok": all(r[1] == expected for r in results)
                          and max(times) < BUDGET_S}
    ok = all(r["ok"] for r in rows.values())
    worst = max(rows, key=lambda n: rows[n]["max_s"])
    out = {"benchmark": "fault_budget", "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
           "host": platform.node(), "python": platform.python_version(), "runs": runs, "budget_s": BUDGET_S,
           "timeout_s": TIMEOUT_S, "scenarios": rows, "all_within_budget_on_expected_tier": ok}
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(out, indent=2) + "\n")
    print(f"fault_budget: {len(rows)} scenarios x {runs} runs, worst {worst} {rows[worst]['max_s']:.2f}s "
          f"(budget {BUDGET_S:.0f}s), {'all on expected tier' if ok else 'FAILED'} -> {RESULTS.relative_to(REPO)}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
