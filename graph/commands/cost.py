"""`biopipelines cost`: monthly cost of a fleet preset against cloud-only and hybrid (see deploy/fleet_cost.py)."""

from __future__ import annotations

import argparse


def add_parser(sub) -> None:
    p = sub.add_parser("cost", help="monthly cost of a fleet preset vs cloud-only and hybrid")
    p.add_argument("--profile", "--preset", dest="preset", required=True, metavar="PRESET",
                   help="a fleet preset of config/fleet_presets.yaml (e.g. l4x2_cloud, t4x10, h100_b)")
    p.add_argument("--requests-per-day", type=int, required=True, metavar="N", help="requests per day (>= 1)")
    p.add_argument("--gpu-price", action="append", default=[], metavar="TYPE=USD",
                   help="price of one GPU-hour, overriding config/gpus.yaml (e.g. l4=0.60); repeatable")
    p.add_argument("--duty-cycle", type=float, default=1.0,
                   help="share of the month the fleet runs (default 1.0: always up)")
    p.add_argument("--cloud-model", help="cloud model of config/models.yaml to price cloud tokens at "
                                         "(default: the preset's, else the first)")
    p.add_argument("--routes", metavar="REPORT.json",
                   help="take tokens per role from this report's route entries instead of config/route_tokens.yaml")
    p.add_argument("--json", action="store_true", help="print JSON")


def _gpu_prices(args: argparse.Namespace, kinds: list[str]) -> dict[str, float]:
    from biopipelines.core.errors import InputError
    from biopipelines.deploy.gpus import default_gpu_catalogue

    given: dict[str, float] = {}
    for text in args.gpu_price:
        kind, sep, value = text.partition("=")
        try:
            given[kind.strip().lower()] = float(value)
        except ValueError:
            raise InputError(f"--gpu-price {text!r} must look like TYPE=USD, e.g. l4=0.60") from None
        if not sep or given[kind.strip().lower()] < 0:
            raise InputError(f"--gpu-price {text!r} must look like TYPE=USD, e.g. l4=0.60")
    prices = {}
    for kind in kinds:
        price = given.get(kind, default_gpu_catalogue().spec(kind).usd_per_hour)
        if price is None:
            raise InputError(f"no price for {kind} in config/gpus.yaml; give --gpu-price {kind}=USD")
        prices[kind] = price
    return prices


def _tokens(args: argparse.Namespace):
    import json
    from pathlib import Path

    from pydantic import ValidationError

    from biopipelines.core.errors import InputError
    from biopipelines.deploy.fleet_cost import load_recorded_tokens, tokens_from_routes
    from biopipelines.core.schemas import RouteEntry

    if not args.routes:
        return load_recorded_tokens()
    try:
        report = json.loads(Path(args.routes).read_text(encoding="utf-8"))
        routes = [RouteEntry.model_validate(r) for r in report["routes"]]
    except (OSError, ValueError, KeyError, TypeError, ValidationError) as exc:
        raise InputError(f"--routes {args.routes}: not a report.json with route entries ({exc.__class__.__name__})") \
            from None
    turns = len({r.turn for r in routes}) or 1
    return tokens_from_routes(routes, turns, source=f"route entries of {args.routes}")


def run(args: argparse.Namespace) -> int:
    from biopipelines.core.errors import InputError
    from biopipelines.deploy.fleet_cost import fleet_cost
    from biopipelines.deploy.fleet_cost_table import print_fleet_cost
    from biopipelines.core.model_catalogue import default_catalogue

    from biopipelines.deploy.gpus import parse_inventory
    from biopipelines.deploy.presets import get_preset

    if args.requests_per_day < 1 or not 0 < args.duty_cycle <= 1:
        raise InputError("--requests-per-day must be >= 1 and --duty-cycle in (0, 1]")
    preset = get_preset(args.preset)
    gpus = parse_inventory(preset.inventory)
    inventory: dict[str, int] = {}
    for gpu in gpus:
        inventory[gpu.type] = inventory.get(gpu.type, 0) + 1
    cat = default_catalogue()
    cloud_id = args.cloud_model or preset.cloud_model or (cat.cloud_models[0].id if cat.cloud_models else None)
    if cloud_id is None:
        raise InputError("config/models.yaml lists no cloud model to price the cloud options with")
    result = fleet_cost(preset=args.preset, inventory=inventory, local_roles=set(preset.select) - set(preset.cloud),
                        cloud_roles=set(preset.cloud), tokens=_tokens(args), cloud=cat.cloud(cloud_id),
                        gpu_usd_per_hour=_gpu_prices(args, list(inventory)), requests_per_day=args.requests_per_day,
                        duty_cycle=args.duty_cycle)
    if args.json:
        print(result.model_dump_json(indent=2))
    else:
        print_fleet_cost(result)
    return 0
