"""`biopipelines doctor`: every role's tiers and the health of each endpoint."""

from __future__ import annotations

import argparse
import json
import os
from concurrent.futures import ThreadPoolExecutor

from graph.health import probe_endpoint
from graph.settings import ROLES, load_settings
from graph.commands.options import add_profile_option


def add_parser(sub) -> None:
    p = sub.add_parser("doctor", help="show roles, endpoints and their health for a profile")
    p.add_argument("--json", action="store_true", help="print JSON")
    add_profile_option(p)


def run(args: argparse.Namespace) -> int:
    settings = load_settings(args.profile)
    profile = settings.profile
    endpoints = {(ep.url, ep.model, ep.api_key_env) for role in profile.roles.values() for ep in role.endpoints}
    with ThreadPoolExecutor(max_workers=8) as pool:
        probes = dict(zip(endpoints, pool.map(
            lambda e: probe_endpoint(e[0], e[1], (os.environ.get(e[2]) if e[2] else None) or "not-needed"),
            endpoints)))
    rows = []
    for role in ROLES:
        cfg = profile.role(role)
        health = [probes[(ep.url, ep.model, ep.api_key_env)].as_dict() for ep in cfg.endpoints]
        cloud = None
        if cfg.cloud:
            key_env = next((c.api_key_env for c in _cloud_models() if c.id == cfg.cloud.model), None)
            cloud = {"model": cfg.cloud.model, "allowed": profile.allow_cloud,
                     "key_present": bool(key_env and os.environ.get(key_env))}
        rows.append({"role": role, "model_id": cfg.model_id, "endpoints": health, "cloud": cloud,
                     "offline": True})
    down = [e for r in rows for e in r["endpoints"] if not e["healthy"]]
    report = {"profile": profile.name, "source": settings.profile_source, "roles": rows,
              "healthy": not down}
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print(f"profile {profile.name} ({settings.profile_source})")
        for r in rows:
            tiers = [f"local {e['model']}@{e['url']}: {'ok' if e['healthy'] else 'DOWN'} "
                     f"({e['detail'] if not e['healthy'] else str(e['latency_ms']) + ' ms'})" for e in r["endpoints"]]
            if r["cloud"]:
                c = r["cloud"]
                state = "ok" if c["allowed"] and c["key_present"] else ("not allowed" if not c["allowed"] else "no key")
                tiers.append(f"cloud {c['model']}: {state}")
            tiers.append("offline: ok")
            print(f"  {r['role']:<11} " + " -> ".join(tiers))
    return 0 if not down else 1


def _cloud_models():
    from graph.model_catalogue import default_catalogue

    return default_catalogue().cloud_models
