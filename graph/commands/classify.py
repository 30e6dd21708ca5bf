"""`biopipelines classify`: the intent node alone, on the profile's intent tiers."""

from __future__ import annotations

import argparse
import json
import sys

from graph.models import ModelFactory
from graph.request_input import read_request
from graph.settings import load_settings
from nodes.deps import NodeDeps
from nodes.intent import IntentNode


def run_classify(args: argparse.Namespace) -> int:
    settings = load_settings(args.profile)
    query = read_request(args.query, sys.stdin.buffer, settings.profile.max_request_chars)
    node = IntentNode(NodeDeps(settings=settings, models=ModelFactory(settings)))
    update = node({"request": query, "turn": 1, "messages": []})
    result = update["intent"]
    payload = {"intent": result.intent, "analysis_type": result.analysis_type,
               "confidence": round(result.confidence, 3), "entities": result.entities.model_dump(),
               "needs_clarification": result.needs_clarification,
               "clarifying_question": result.clarifying_question, "tier": update["routes"][0].tier}
    if args.json:
        print(json.dumps(payload, indent=2))
    else:
        for key, value in payload.items():
            print(f"{key:>20}: {value}")
    return 0
