"""A fake SLURM for tests: sbatch, squeue, sacct, scancel, sinfo, scontrol and srun that run jobs on this machine.

snakemake-executor-plugin-slurm calls the real command lines (sbatch --parsable ... --wrap=..., sacct -X --parsable2
--format=JobIdRaw,State --name RUN, the jobstep's srun -n1 ...); these answer them, so the plugin's own submission
and status path runs. State lives in $FAKE_SLURM_DIR: jobs/<id>.json per job, and a log of every call (calls.log).
Only what the plugin uses is implemented; a job runs detached with `sh -c`, its output in sbatch's --output file.
"""

from __future__ import annotations

import fcntl
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

STATE = Path(os.environ.get("FAKE_SLURM_DIR", "/tmp/fake-slurm"))
FLAGS = {"--parsable", "--requeue", "--no-requeue", "-X", "--parsable2", "--noheader", "-n1", "--exclusive"}


def _jobs() -> Path:
    (STATE / "jobs").mkdir(parents=True, exist_ok=True)
    return STATE / "jobs"


def _options(args: list[str]) -> tuple[dict[str, str], list[str]]:
    options, rest, i = {}, [], 0
    while i < len(args):
        arg = args[i]
        if rest or not arg.startswith("-"):  # the first operand ends the options (srun's command follows)
            rest.append(arg)
        elif "=" in arg:
            key, _, value = arg.partition("=")
            options[key] = value
        elif arg not in FLAGS and i + 1 < len(args):
            options[arg] = args[i + 1]
            i += 1
        else:
            options[arg] = ""
        i += 1
    return options, rest


def _save(job: dict) -> None:
    path = _jobs() / f"{job['id']}.json"
    scratch = path.with_suffix(f".{os.getpid()}.tmp")  # the job runner and scancel may write at once
    scratch.write_text(json.dumps(job))
    scratch.replace(path)


def _new_id() -> str:
    """The next job id, claimed atomically: the plugin submits several jobs at once."""
    with open(_jobs().parent / "ids.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        job_id = str(100 + len(list(_jobs().glob("*.json"))))
        (_jobs() / f"{job_id}.json").write_text("{}")
        return job_id


def _load(job_id: str) -> dict:
    return json.loads((_jobs() / f"{job_id}.json").read_text())


def sbatch(args: list[str]) -> int:
    options, rest = _options(args)
    script = options.get("--wrap") or (sys.stdin.read() if rest[:1] == ["/dev/stdin"] else Path(rest[0]).read_text())
    job_id = _new_id()
    output = options.get("--output", f"slurm-{job_id}.out").replace("%j", job_id)
    job = {"id": job_id, "name": options.get("--job-name", ""), "state": "PENDING", "output": output,
           "script": script, "mem": options.get("--mem", ""),
           "cwd": options.get("-D") or options.get("--chdir") or os.getcwd(), "submit": args}
    _save(job)
    subprocess.Popen([sys.executable, __file__, "_run", job_id], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                     stderr=subprocess.DEVNULL, start_new_session=True)
    print(job_id)
    return 0


def _run(job_id: str) -> int:
    job = _load(job_id)
    Path(job["output"]).parent.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "SLURM_JOB_ID": job_id, "SLURM_JOBID": job_id}
    with open(job["output"], "w") as out:
        proc = subprocess.Popen(["sh", "-c", job["script"]], cwd=job["cwd"], stdout=out, stderr=subprocess.STDOUT,
                                env=env, start_new_session=True)
        job.update(state="RUNNING", pid=proc.pid)
        _save(job)
        code = proc.wait()
    job = _load(job_id)
    if job["state"] != "CANCELLED":
        job["state"] = "COMPLETED" if code == 0 else ("OUT_OF_MEMORY" if code in (-9, 137) else "FAILED")
    _save(job)
    return 0


def _matching(options: dict[str, str]) -> list[dict]:
    jobs = [json.loads(p.read_text()) for p in sorted(_jobs().glob("*.json"))]
    name = options.get("--name")
    return [j for j in jobs if "id" in j and (name is None or j["name"] == name)]  # {} is an id being claimed


def sacct(args: list[str]) -> int:
    options, _ = _options(args)
    if "-o" in options or "-nu" in options:  # the plugin asks for the user's default account
        print("fakeaccount")
        return 0
    for job in _matching(options):
        print(f"{job['id']}|{job['state']}")
    return 0


def squeue(args: list[str]) -> int:
    options, _ = _options(args)
    for job in _matching(options):
        print(f"{job['id']}|{job['state']}")
    return 0


def scancel(args: list[str]) -> int:
    _, ids = _options(args)
    for job_id in ids:
        job = _load(job_id)
        if job.get("pid") and job["state"] in ("PENDING", "RUNNING"):
            try:
                os.killpg(job["pid"], signal.SIGTERM)
            except ProcessLookupError:
                pass
        job["state"] = "CANCELLED"
        _save(job)
    return 0


def srun(args: list[str]) -> int:
    """The jobstep's `srun -n1 --cpu-bind=q --cpus-per-task=N CMD...` or `srun ... sh -s` (script on stdin)."""
    _, command = _options(args)
    os.execvp(command[0], command)
    return 127


def main(argv: list[str]) -> int:
    tool, args = argv[0], argv[1:]
    with open(_jobs().parent / "calls.log", "a") as calls:
        calls.write(json.dumps([time.time(), tool, *args]) + "\n")
    handlers = {"sbatch": sbatch, "sacct": sacct, "squeue": squeue, "scancel": scancel, "srun": srun,
                "sinfo": lambda a: print("debug* up infinite 1 idle localhost") or 0,
                "scontrol": lambda a: print("MinJobAge = 300 sec") or 0,
                "sacctmgr": lambda a: print("fakeaccount") or 0, "sshare": lambda a: print("fakeaccount") or 0}
    if tool == "_run":
        return _run(args[0])
    return handlers[tool](args)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
