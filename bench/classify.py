"""Offline intent classification latency (a benchmark, not a test): warm `classify` p50/p90/p99.

    python bench/classify.py            # every query of tests/data/intent_eval.jsonl, 5 passes
    python bench/classify.py --smoke    # CI: 1 pass over the first 60 queries

Writes bench/results/classify.json and prints one summary line. The target is p50 < 50 ms, warm: the embedder
and exemplar index are loaded and one warm-up pass has run before anything is timed. Each timing is one
OfflineIntentClassifier.classify call (entity extraction, patterns, one MiniLM query embedding, kNN, softmax).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from biopipelines.nodes.offline.intent import OfflineIntentClassifier  # noqa: E402
from biopipelines.rag.embeddings import embedded_default  # noqa: E402

EVAL_SET = REPO / "tests" / "data" / "intent_eval.jsonl"
RESULTS = REPO / "bench" / "results" / "classify.json"
TARGET_P50_MS = 50.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="one pass over 60 queries (CI)")
    parser.add_argument("--passes", type=int, default=5)
    args = parser.parse_args()
    queries = [json.loads(line)["query"] for line in EVAL_SET.read_text(encoding="utf-8").splitlines()
               if line.strip()]
    passes = 1 if args.smoke else max(1, args.passes)
    if args.smoke:
        queries = queries[:60]

    started = time.perf_counter()
    classifier = OfflineIntentClassifier(embedded_default())
    load_s = time.perf_counter() - started
    for query in queries:  # warm-up pass, not timed
        classifier.classify(query)

    latencies = []
    for _ in range(passes):
        for query in queries:
            t0 = time.perf_counter()
            classifier.classify(query)
            latencies.append((time.perf_counter() - t0) * 1000)
    values = np.asarray(latencies)
    result = {
        "benchmark": "classify_offline_warm",
        "mode": "smoke" if args.smoke else "full",
        "queries": len(queries), "passes": passes, "calls": len(latencies),
        "p50_ms": round(float(np.percentile(values, 50)), 2),
        "p90_ms": round(float(np.percentile(values, 90)), 2),
        "p99_ms": round(float(np.percentile(values, 99)), 2),
        "max_ms": round(float(values.max()), 2),
        "load_s": round(load_s, 2),
        "target_p50_ms": TARGET_P50_MS,
        "meets_target": bool(np.percentile(values, 50) < TARGET_P50_MS),
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform(),
                    "load_avg_1m": round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None},
        "measured_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"classify (offline, warm): p50 {result['p50_ms']} ms, p90 {result['p90_ms']} ms over {len(latencies)} "
          f"calls; target p50 < {TARGET_P50_MS:.0f} ms: {'met' if result['meets_target'] else 'NOT met'} "
          f"-> {RESULTS.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
