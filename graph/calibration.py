"""Calibration sweeps of the offline classifier's open-set thresholds (config/intent.yaml `open_set`).

`biopipelines eval FILE --sweep KEY=V1,V2,...` classifies the file's dev rows once per value, the other thresholds
held at their configured values, and reports intent and analysis-type accuracy at each, so the configured value can
be justified. Only the dev split is swept: a threshold chosen on the holdout would make its figure a training one.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from biopipelines.core.errors import InputError
from biopipelines.core.yaml_files import one_line
from biopipelines.graph.evaluation import EvalRow

SWEPT_SPLIT = "dev"


def parse_sweep(spec: str) -> tuple[str, list[float]]:
    """`knn_only_similarity=0.5,0.55,0.6` -> (key, values); any problem is one InputError."""
    from biopipelines.nodes.intent_policy import OpenSetThresholds, load_intent_config

    key, sep, raw = spec.partition("=")
    key = key.strip()
    keys = list(OpenSetThresholds.model_fields)
    if not sep or key not in keys:
        raise InputError(f"--sweep: expected KEY=V1,V2,... with KEY one of {', '.join(keys)}")
    try:
        values = [float(v) for v in raw.split(",") if v.strip()]
    except ValueError:
        raise InputError(f"--sweep {key}: values must be numbers separated by commas") from None
    if not values:
        raise InputError(f"--sweep {key}: no values")
    configured = load_intent_config().open_set.model_dump()
    for value in values:
        try:
            OpenSetThresholds.model_validate({**configured, key: value})
        except ValidationError as exc:
            raise InputError(one_line(f"--sweep {key}={value}", exc)) from None
    return key, values


def dev_rows(rows: list[EvalRow], path: str) -> list[EvalRow]:
    dev = [r for r in rows if r.split == SWEPT_SPLIT]
    if not dev:
        raise InputError(f"{path}: --sweep calibrates on the {SWEPT_SPLIT!r} split and this file has no such rows")
    return dev


def sweep(rows: list[EvalRow], embeddings: Any, key: str, values: list[float]) -> dict[str, Any]:
    """Accuracy of the offline classifier on `rows` at each value of the threshold `key`."""
    from biopipelines.nodes.intent_policy import load_intent_config
    from biopipelines.nodes.offline.intent import Calibration, OfflineIntentClassifier

    intent_rows = [r for r in rows if r.intent is not None]
    type_rows = [r for r in rows if r.has_type_label]
    points = []
    for value in values:
        classifier = OfflineIntentClassifier(embeddings, calibration=Calibration.from_config(**{key: value}))
        results = {r.query: classifier.classify(r.query) for r in rows}
        points.append({
            "value": value,
            "intent_accuracy": _ratio(sum(results[r.query].intent == r.intent for r in intent_rows), len(intent_rows)),
            "analysis_type_accuracy": _ratio(sum(results[r.query].analysis_type == r.analysis_type
                                                 for r in type_rows), len(type_rows)),
        })
    return {"key": key, "configured": getattr(load_intent_config().open_set, key), "split": SWEPT_SPLIT,
            "n": len(rows), "intent_n": len(intent_rows), "analysis_type_n": len(type_rows), "points": points}


def _ratio(num: int, den: int) -> float | None:
    return round(num / den, 4) if den else None
