"""SLURM batch scripts: one job per GPU (--gres=gpu:1) that starts its vLLM processes and publishes endpoints.

Service discovery: once a process answers /health, the job writes endpoints/<gpu-id>.json with its host name and
ports; `biopipelines deploy render --plan plan.json --endpoints endpoints --out .` then rewrites profile.yaml with
the real hosts. Processes that share a GPU start one after another: vLLM sizes its KV cache from the memory it
profiles at start-up, so a second process must not start while the first is still loading.
"""

from __future__ import annotations

import json

from pydantic import BaseModel

from biopipelines.deploy.plan import GpuPlan
from biopipelines.deploy.render_vllm import script_name


class SlurmOptions(BaseModel):
    partition: str = "gpu"
    time: str = "24:00:00"
    cpus_per_task: int = 8
    mem: str = "64G"
    ready_timeout_s: int = 1800


def job_name(gpu: GpuPlan) -> str:
    return f"bp-{gpu.id}"


def render_job(gpu: GpuPlan, opts: SlurmOptions) -> str:
    procs = [{"role": p.role, "roles": p.roles, "port": p.port, "script": script_name(p)} for p in gpu.processes]
    starts = "\n".join(
        f'start "{script_name(p)}" {p.port}' for p in gpu.processes)
    return f"""#!/usr/bin/env bash
#SBATCH --job-name={job_name(gpu)}
#SBATCH --partition={opts.partition}
#SBATCH --gres=gpu:1
#SBATCH --time={opts.time}
#SBATCH --cpus-per-task={opts.cpus_per_task}
#SBATCH --mem={opts.mem}
#SBATCH --output=logs/%x-%j.out
# GPU {gpu.id} ({gpu.type}, {gpu.memory_gb} GB): {len(gpu.processes)} vLLM process(es), utilisation sum \
{gpu.utilization_sum:.2f} (<= 0.95).
set -euo pipefail
DEPLOY_DIR="${{DEPLOY_DIR:-${{SLURM_SUBMIT_DIR:-$(pwd)}}}}"
ENDPOINTS="$DEPLOY_DIR/endpoints"
mkdir -p "$ENDPOINTS" "$DEPLOY_DIR/logs"
HOST="$(hostname -f)"
PIDS=()
cleanup() {{ rm -f "$ENDPOINTS/{gpu.id}.json"; [ ${{#PIDS[@]}} -eq 0 ] || kill "${{PIDS[@]}}" 2>/dev/null || true; }}
trap cleanup EXIT

start() {{  # start one process and wait until it answers /health, so the next one profiles the memory left
  bash "$DEPLOY_DIR/vllm/$1" >"$DEPLOY_DIR/logs/${{1%.sh}}-$SLURM_JOB_ID.log" 2>&1 &
  PIDS+=("$!")
  local waited=0
  until curl -sf "http://127.0.0.1:$2/health" >/dev/null; do
    kill -0 "$!" 2>/dev/null || {{ echo "vllm/$1 exited during start-up; see logs/" >&2; exit 1; }}
    sleep 5; waited=$((waited + 5))
    [ "$waited" -lt {opts.ready_timeout_s} ] || {{ echo "vllm/$1 not healthy after {opts.ready_timeout_s}s" >&2; exit 1; }}
  done
}}

{starts}

# Service discovery: publish this GPU's endpoints atomically for `deploy render --endpoints`.
cat >"$ENDPOINTS/{gpu.id}.json.tmp" <<JSON
{{"gpu": "{gpu.id}", "host": "$HOST", "job_id": "$SLURM_JOB_ID", "processes": {json.dumps(procs)}}}
JSON
mv "$ENDPOINTS/{gpu.id}.json.tmp" "$ENDPOINTS/{gpu.id}.json"
wait -n "${{PIDS[@]}}"  # one process dying ends the job, and the trap withdraws the endpoints
"""


def render_submit_all(gpus: list[GpuPlan]) -> str:
    jobs = "\n".join(f'sbatch "$DIR/slurm/{job_name(g)}.sbatch"' for g in gpus if g.processes)
    return f"""#!/usr/bin/env bash
# Submit every GPU job, then (once they are running) rebuild profile.yaml from the published endpoints:
#   biopipelines deploy render --plan "$DIR/plan.json" --endpoints "$DIR/endpoints" --out "$DIR"
set -euo pipefail
DIR="$(cd "$(dirname "$0")" && pwd)"
cd "$DIR"
mkdir -p logs endpoints
{jobs}
"""
