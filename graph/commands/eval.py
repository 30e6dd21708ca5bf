"""`biopipelines eval FILE.jsonl`: intent and analysis-type accuracy, tool recall and latency on a labelled set;
with --generate also status accuracy, workflows of the wrong analysis and ask-coverage precision and recall."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from biopipelines.graph.commands.options import add_profile_option


def add_parser(sub) -> None:
    p = sub.add_parser("eval", help="evaluate intent classification on a labelled JSONL file")
    p.add_argument("file", metavar="FILE", help="JSONL: one {\"query\", \"intent\"?, \"analysis_type\"?, "
                   "\"tools\"?, \"status\"?, \"asks\"?, \"not_done\"?, \"split\"?} per line")
    p.add_argument("--generate", action="store_true",
                   help="also run the whole graph for workflow requests and report the validated rate (slow)")
    p.add_argument("--split", help="evaluate only the rows of this split (e.g. holdout)")
    p.add_argument("--limit", type=int, help="evaluate only the first N rows")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.add_argument("--sweep", metavar="KEY=V1,V2,...",
                   help="calibrate an open-set threshold of config/intent.yaml (assay_points, knn_only_similarity, "
                        "tie_ratio): the offline classifier's accuracy on the dev rows at each value")
    add_profile_option(p)


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.1f}%"


def _print_summary(name: str, s: dict) -> None:
    lat = s["latency_ms"]
    line = (f"{name:>8}: n={s['n']}  intent {_pct(s['intent_accuracy'])} (n={s['intent_n']})  analysis type "
            f"{_pct(s['analysis_type_accuracy'])} (n={s['analysis_type_n']})  tool recall {_pct(s['tool_recall'])} "
            f"(n={s['tools_expected']})  latency p50 {lat['p50']:.1f} ms p90 {lat['p90']:.1f} ms")
    print(line)
    if "generate" in s:
        g = s["generate"]
        print(f"{'':>8}  generated {g['runs']}: {g['workflows']} workflows, {g['validated']} validated "
              f"({_pct(g['validated_rate'])}); statuses {g['statuses']}")
    if "fidelity" in s:
        f = s["fidelity"]
        print(f"{'':>8}  status {_pct(f['status_accuracy'])} (n={f['n']}); workflows of the wrong analysis: "
              f"{f['wrong_analysis']}")
        for expected, got in f["status_confusion"].items():
            print(f"{'':>10}expected {expected:<20} got " + ", ".join(f"{k} x{v}" for k, v in sorted(got.items())))
    if "asks" in s:
        a = s["asks"]
        print(f"{'':>8}  ask coverage (ask, covered?) precision {_pct(a['coverage_precision'])} recall "
              f"{_pct(a['coverage_recall'])} (n={a['pairs_expected']} expected pairs, {a['rows']} rows expected "
              f"validated/partial); ask extraction precision {_pct(a['extraction_precision'])} recall "
              f"{_pct(a['extraction_recall'])}")


def _print_confusion(confusion: dict[str, dict[str, int]]) -> None:
    print("\nanalysis type confusion (expected: correct/total, then what the rest became)")
    for expected, got in confusion.items():
        total = sum(got.values())
        wrong = ", ".join(f"{k} x{v}" for k, v in sorted(got.items(), key=lambda kv: -kv[1]) if k != expected)
        print(f"  {expected:<24} {got.get(expected, 0):>3}/{total:<3} {wrong}")


def run(args: argparse.Namespace) -> int:
    from biopipelines.core.errors import InputError
    from biopipelines.graph.evaluation import Evaluator, load_rows, report
    from biopipelines.core.settings import load_settings
    from biopipelines.nodes.intent import analysis_type_slugs

    if args.limit is not None and args.limit < 1:
        raise InputError("--limit must be a positive number of rows")
    settings = load_settings(args.profile)
    rows = load_rows(Path(args.file), analysis_type_slugs())
    if args.split:
        rows = [r for r in rows if r.split == args.split]
        if not rows:
            raise InputError(f"{args.file}: no rows with split {args.split!r}")
    rows = rows[: args.limit] if args.limit else rows
    if args.sweep:
        return _run_sweep(args, settings, rows)
    evaluator = Evaluator(settings, generate=args.generate)
    evaluator.warm_up()

    def progress(done: int, total: int) -> None:
        if not args.json and sys.stderr.isatty():
            print(f"\r{done}/{total}", end="", file=sys.stderr, flush=True)

    result = report(evaluator.run(rows, progress))
    result["file"] = str(args.file)
    result["profile"] = settings.profile.name
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    if sys.stderr.isatty():
        print("", file=sys.stderr)
    _print_summary("all", result["all"])
    for name, summary in result["splits"].items():
        _print_summary(name, summary)
    _print_confusion(result["all"]["confusion"])
    if result["misses"]:
        print(f"\nmisses ({len(result['misses'])}):")
        for miss in result["misses"]:
            print(f"  [{miss['split'] or '-'}] {miss['query'][:90]!r}: got {miss['got']}, want {miss['expected']}")
            if "asks" in miss:
                print(f"      asks: got {miss['asks']['got']}, want {miss['asks']['expected']}")
    return 0


def _run_sweep(args: argparse.Namespace, settings, rows) -> int:
    from biopipelines.graph.calibration import dev_rows, parse_sweep, sweep
    from biopipelines.llm.factory import ModelFactory
    from biopipelines.nodes.deps import NodeDeps

    key, values = parse_sweep(args.sweep)
    rows = dev_rows(rows, args.file)
    result = sweep(rows, NodeDeps(settings=settings, models=ModelFactory(settings)).embeddings, key, values)
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    print(f"{key} on the {result['split']} split (n={result['n']}; intent n={result['intent_n']}, "
          f"analysis type n={result['analysis_type_n']}); configured: {result['configured']}")
    for point in result["points"]:
        mark = "  <- configured" if point["value"] == result["configured"] else ""
        print(f"  {point['value']:>7g}  intent {_pct(point['intent_accuracy'])}  analysis type "
              f"{_pct(point['analysis_type_accuracy'])}{mark}")
    return 0
