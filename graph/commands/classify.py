"""`biopipelines classify`: the intent node alone, on the profile's intent tiers."""

from __future__ import annotations

import argparse
import json
import sys

from biopipelines.graph.commands.endpoint_option import add_endpoint_option
from biopipelines.graph.commands.options import add_profile_option


def add_parser(sub) -> None:
    p = sub.add_parser("classify", help="show the intent, analysis type and entities of a request")
    p.add_argument("query", metavar="QUERY", help="the request, or - to read it from standard input")
    p.add_argument("--json", action="store_true", help="print JSON")
    add_profile_option(p)
    add_endpoint_option(p)


def run(args: argparse.Namespace) -> int:
    # Imported here: the CLI imports every command's module to build its parser (see cli.py).
    from biopipelines.core.settings import load_settings
    from biopipelines.graph.request_input import read_request
    from biopipelines.llm.factory import ModelFactory
    from biopipelines.nodes.deps import NodeDeps
    from biopipelines.nodes.intent_reading import offline_reading

    settings = load_settings(args.profile, endpoints=args.endpoint)
    query = read_request(args.query, sys.stdin.buffer, settings.profile.max_request_chars)
    deps = NodeDeps(settings=settings, models=ModelFactory(settings))
    # With no model to ask (the offline profile), the node's answer is the offline reading: computed without the
    # node's LangGraph and LangChain imports, which would double a cold start.
    result, tier = offline_reading(deps, query), "offline"
    if result is None:
        from biopipelines.nodes.intent import IntentNode

        update = IntentNode(deps)({"request": query, "turn": 1, "messages": []})
        result, tier = update["intent"], update["routes"][0].tier
    payload = {"intent": result.intent, "analysis_type": result.analysis_type,
               "confidence": round(result.confidence, 3), "entities": result.entities.model_dump(),
               "needs_clarification": result.needs_clarification,
               "clarifying_question": result.clarifying_question, "tier": tier}
    if args.json:
        print(json.dumps(payload, indent=2))
    else:
        for key, value in payload.items():
            print(f"{key:>20}: {value}")
    return 0
