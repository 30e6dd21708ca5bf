"""`biopipelines deploy render`: vLLM launch scripts, SLURM jobs and an app profile from a plan."""

from __future__ import annotations

import argparse


def add_parser(sub) -> None:
    p = sub.add_parser("deploy", help="deployment files for a GPU plan")
    actions = p.add_subparsers(dest="deploy_action", required=True, metavar="ACTION")
    r = actions.add_parser("render", help="write vllm/*.sh, slurm/*.sbatch, submit_all.sh and profile.yaml")
    r.add_argument("--plan", required=True, metavar="PLAN.json", help="from `biopipelines plan-gpus --json`")
    r.add_argument("--out", required=True, metavar="DIR")
    r.add_argument("--name", help="profile name (default: the preset or 'fleet')")
    r.add_argument("--endpoints", metavar="DIR", help="endpoints/*.json published by the SLURM jobs: use their "
                                                      "real hosts in profile.yaml")
    r.add_argument("--partition", default="gpu")
    r.add_argument("--time", default="24:00:00", help="SLURM time limit per GPU job")


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from biopipelines.deploy.render import load_plan, render_all
    from biopipelines.deploy.render_slurm import SlurmOptions

    plan = load_plan(Path(args.plan))
    out = Path(args.out)
    written = render_all(plan, out, name=args.name or plan.preset or "fleet",
                         slurm=SlurmOptions(partition=args.partition, time=args.time),
                         endpoints=Path(args.endpoints) if args.endpoints else None)
    for path in written:
        print(path)
    print(f"check the fleet: biopipelines doctor --profile {out / 'profile.yaml'}")
    return 0
