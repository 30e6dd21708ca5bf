"""`biopipelines plan-gpus`: which models fit on which GPUs, at what precision, with how much KV cache."""

from __future__ import annotations

import argparse
import sys

from biopipelines.graph.commands.options import add_profile_option


def add_parser(sub) -> None:
    p = sub.add_parser("plan-gpus", help="plan which models fit on which GPUs (vLLM memory model)")
    p.add_argument("--inventory", help='GPUs, e.g. "t4:10", "h100:1,t4:2", "l4:4,t4:4" (default: the preset\'s)')
    p.add_argument("--preset", help="one of the strategy's fleets in config/fleet_presets.yaml (l4x1, l4x2_cloud, "
                                    "l4x3, l4_t4, l4x4_t4x4, t4x10, h100_a, h100_b, h100_c, h100_2xt4); without "
                                    "it, and with no model in the profile, each role's model is chosen by priority")
    p.add_argument("--select", action="append", default=[], metavar="ROLE=MODEL[:PRECISION]",
                   help="override a role's model, e.g. docs=google/gemma-2-9b-it:fp16 (precisions: fp16, "
                        "gptq_int8, awq, gptq_int4); repeatable")
    p.add_argument("--min-context", action="append", default=[], metavar="ROLE=TOKENS",
                   help="smallest max-model-len a role needs (default: 8192 or the model's limit); repeatable")
    p.add_argument("--replicas", action="append", default=[], metavar="ROLE=N", help="processes per role")
    p.add_argument("--cloud", action="append", default=[], metavar="ROLE", help="serve ROLE from the cloud only")
    p.add_argument("--allow-cloud", action="store_true",
                   help="when choosing models by priority, send roles that fit nowhere to the cloud (as a profile "
                        "with allow_cloud does)")
    p.add_argument("--json", action="store_true", help="print the plan as JSON (input of `deploy render --plan`)")
    p.add_argument("--out", metavar="PLAN.json", help="also write the plan JSON to this file")
    add_profile_option(p)


def by_priority(args: argparse.Namespace, gpus, profile):
    """Each role's model from config/models.yaml priorities; --select pins a role."""
    from biopipelines.core.model_catalogue import default_catalogue
    from biopipelines.deploy.auto_select import auto_select
    from biopipelines.deploy.gpus import default_gpu_catalogue
    from biopipelines.deploy.selection import parse_select

    cat = default_catalogue()
    allow_cloud = profile.allow_cloud or args.allow_cloud
    cloud_model = next((c.cloud.model for c in profile.roles.values() if c.cloud), None)
    if allow_cloud and cloud_model is None and cat.cloud_models:
        cloud_model = cat.cloud_models[0].id
    pinned = dict(parse_select(text) for text in args.select)
    chosen = auto_select(args.inventory, gpus, cat, default_gpu_catalogue(), allow_cloud=allow_cloud,
                         cloud_model=cloud_model, pinned=pinned)
    return chosen.request, chosen.reasons


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from biopipelines.core.errors import InputError
    from biopipelines.core.model_catalogue import default_catalogue
    from biopipelines.core.settings import load_settings

    from biopipelines.deploy.gpus import default_gpu_catalogue, parse_inventory
    from biopipelines.deploy.planner import plan
    from biopipelines.deploy.presets import get_preset, seed_comparison
    from biopipelines.deploy.selection import apply_overrides, from_preset, from_profile
    from biopipelines.deploy.table import print_plan

    if args.preset:
        preset = get_preset(args.preset)
        req = from_preset(args.preset, preset)
        if args.inventory:
            req.inventory = args.inventory
    else:
        if not args.inventory:
            raise InputError("give --inventory (e.g. t4:2) or --preset NAME")
        req = from_profile(args.inventory, load_settings(args.profile).profile)
    gpus = parse_inventory(req.inventory)  # a malformed inventory is the first thing to report
    reasons: dict[str, str] = {}
    if not args.preset and not req.selections:  # the profile names no local model: choose by priority
        req, reasons = by_priority(args, gpus, load_settings(args.profile).profile)
    req = apply_overrides(req, args.select, args.min_context, args.replicas, args.cloud)
    result = plan(req, gpus, default_catalogue(), default_gpu_catalogue())
    result.selection_reasons = reasons
    if args.preset:
        result.seed_comparison = seed_comparison(preset, result)
    if args.out:
        try:
            Path(args.out).write_text(result.model_dump_json(indent=2) + "\n", encoding="utf-8")
        except OSError as exc:
            raise InputError(f"cannot write {args.out}: {exc.strerror or exc}") from None
    if args.json:
        print(result.model_dump_json(indent=2))
    else:
        print_plan(result)
    offline = [role for role, why in reasons.items() if why.startswith("offline")]
    if offline:
        print(f"note: no local model fits for {', '.join(offline)}; the offline tier serves them "
              "(--allow-cloud, or a profile with allow_cloud, sends them to the cloud)", file=sys.stderr)
    if result.unplaced:
        first = result.unplaced[0]
        more = f" (+{len(result.unplaced) - 1} more unplaced)" if len(result.unplaced) > 1 else ""
        print(f"error: {first.role} does not fit: {first.reason}. Smallest change: {first.suggestion}{more}",
              file=sys.stderr)
        return 2
    return 0
