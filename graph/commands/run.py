"""`biopipelines run DIR`: execute a generated workflow through Snakemake, with live progress and a run record.

Tools come from PATH (no conda unless --use-conda): the generated envs pin bioconda, which a cluster or laptop
without channel access cannot solve. `--profile slurm` submits through the workflow's profiles/slurm with
snakemake-executor-plugin-slurm; `--heal` classifies a failure, patches config/resources, re-validates and resumes.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from biopipelines.core.errors import UserError


def add_parser(sub) -> None:
    p = sub.add_parser("run", help="run a generated workflow with Snakemake (progress, run record, healing)")
    p.add_argument("directory", metavar="DIR", help="a workflow directory written by `biopipelines generate`")
    p.add_argument("--cores", type=int, default=1, help="cores Snakemake may use (default 1)")
    p.add_argument("--profile", help="local (default), slurm (the workflow's profiles/slurm) or a path to a "
                                     "Snakemake profile folder or config.yaml")
    p.add_argument("--test", action="store_true", help="run on the workflow's .test/ data and config")
    p.add_argument("--use-conda", action="store_true", help="let Snakemake build the workflow's conda envs")
    p.add_argument("--heal", action="store_true", help="on a known failure, patch config/resources, re-validate "
                                                      "and resume (at most max_heal_attempts times)")
    p.add_argument("--max-heal-attempts", type=int, help="override the setting max_heal_attempts")


def run(args: argparse.Namespace) -> int:
    directory = workflow_dir(args.directory)
    if args.cores < 1:
        raise UserError("--cores must be at least 1")
    if args.test:
        from biopipelines.graph.commands.run_test_data import prepare_test_data

        prepare_test_data(directory)
    from biopipelines.graph.commands.run_progress import RunProgress
    from biopipelines.graph.commands.run_session import RunSession
    from biopipelines.validation.execution.profile import local_profile, profile_source
    from biopipelines.validation.execution.runner import RunRequest

    local = args.profile in (None, "local")
    profile = local_profile(directory) if local else profile_source(directory, args.profile)
    request = RunRequest(workflow_dir=directory, cores=args.cores, test=args.test, profile=profile,
                         use_conda=args.use_conda)
    session = RunSession(request, heal=args.heal, max_heal_attempts=_heal_attempts(args))
    with RunProgress() as progress:
        record = session.run(progress)
    print(session.summary(record))
    return 0 if record.status == "succeeded" else (130 if record.status == "interrupted" else 6)


def workflow_dir(name: str) -> Path:
    path = Path(name).expanduser()
    if not path.is_dir():
        raise UserError(f"{path}: no such directory")
    if not (path / "workflow" / "Snakefile").is_file():
        raise UserError(f"{path} has no workflow/Snakefile; point at a generated workflow directory")
    return path.resolve()


def _heal_attempts(args: argparse.Namespace) -> int:
    if args.max_heal_attempts is not None:
        if args.max_heal_attempts < 0:
            raise UserError("--max-heal-attempts must be 0 or more")
        return args.max_heal_attempts
    from biopipelines.core.settings import load_settings

    return load_settings().profile.max_heal_attempts

