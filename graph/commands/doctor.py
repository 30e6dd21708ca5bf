"""`biopipelines doctor`: every role's tiers and the health of each endpoint.

Each endpoint is probed once (`/v1/models` must list the configured served name, then a 1-token completion, timed).
The exit code is 1 when a role the profile gives a model has no healthy model tier (no local replica up, and no
usable cloud tier); the offline tier always works and does not count as healthy for that purpose.
"""

from __future__ import annotations

import argparse
import json
import os
from concurrent.futures import ThreadPoolExecutor

from biopipelines.core.settings import ROLES, load_settings
from biopipelines.graph.commands.endpoint_option import add_endpoint_option
from biopipelines.graph.commands.options import add_profile_option


def add_parser(sub) -> None:
    p = sub.add_parser("doctor", help="show roles, endpoints and their health for a profile")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--timeout", type=float, default=5.0, help="seconds per probe (default 5)")
    add_profile_option(p)
    add_endpoint_option(p)


def run(args: argparse.Namespace) -> int:
    from biopipelines.llm.health import probe_endpoint
    from biopipelines.core.model_catalogue import default_catalogue

    settings = load_settings(args.profile, endpoints=args.endpoint)
    profile = settings.profile
    endpoints = sorted({(ep.url, ep.model, ep.api_key_env) for role in profile.roles.values()
                        for ep in role.endpoints}, key=str)
    with ThreadPoolExecutor(max_workers=8) as pool:
        probes = dict(zip(endpoints, pool.map(
            lambda e: probe_endpoint(e[0], e[1], (os.environ.get(e[2]) if e[2] else None) or "not-needed",
                                     args.timeout), endpoints)))
    catalogue = default_catalogue()
    rows, unhealthy_roles = [], []
    for role in ROLES:
        cfg = profile.role(role)
        health = [probes[(ep.url, ep.model, ep.api_key_env)].as_dict() for ep in cfg.endpoints]
        cloud = None
        if cfg.cloud:
            model = next((c for c in catalogue.cloud_models if c.id == cfg.cloud.model), None)
            key = bool(model and os.environ.get(model.api_key_env))
            cloud = {"model": cfg.cloud.model, "allowed": profile.allow_cloud, "key_present": key,
                     "usable": profile.allow_cloud and key}
        wants_model = bool(cfg.endpoints or (cloud and cloud["allowed"]))
        healthy = any(h["healthy"] for h in health) or bool(cloud and cloud["usable"])
        if wants_model and not healthy:
            unhealthy_roles.append(role)
        rows.append({"role": role, "model_id": cfg.model_id, "endpoints": health, "cloud": cloud, "offline": True,
                     "model_tier_healthy": healthy if wants_model else None})
    report = {"profile": profile.name, "source": settings.profile_source, "roles": rows,
              "unhealthy_roles": unhealthy_roles, "healthy": not unhealthy_roles}
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        _print_table(report)
    return 1 if unhealthy_roles else 0


def _print_table(report: dict) -> None:
    print(f"profile {report['profile']} ({report['source']})")
    print(f"  {'role':<11} {'tier':<8} {'model':<22} {'status':<11} {'latency':>9}  endpoint / detail")
    for r in report["roles"]:
        for e in r["endpoints"]:
            latency = f"{e['latency_ms']:.0f} ms" if e["latency_ms"] is not None else "-"
            status = "ok" if e["healthy"] else "DOWN"
            detail = e["url"] if e["healthy"] else f"{e['url']}: {e['detail']}"
            print(f"  {r['role']:<11} {'local':<8} {e['model'][:22]:<22} {status:<11} {latency:>9}  {detail}")
        if r["cloud"]:
            c = r["cloud"]
            state = "ok" if c["usable"] else ("not allowed" if not c["allowed"] else "no key")
            print(f"  {r['role']:<11} {'cloud':<8} {c['model'][:22]:<22} {state:<11} {'-':>9}")
        print(f"  {r['role']:<11} {'offline':<8} {'(deterministic)':<22} {'ok':<11} {'-':>9}")
    if report["unhealthy_roles"]:
        print(f"no healthy model tier for: {', '.join(report['unhealthy_roles'])} (the offline tier will serve)")
