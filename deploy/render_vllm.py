"""One vLLM launch script per planned process."""

from __future__ import annotations

import shlex

from biopipelines.deploy.plan import GpuPlan, ProcessPlan
from biopipelines.deploy.vllm_flags import VLLM_VERSION


def script_name(proc: ProcessPlan) -> str:
    return f"{proc.role}-{proc.replica}.sh"


def served_names(proc: ProcessPlan) -> list[str]:
    return list(proc.roles)


def serve_argv(proc: ProcessPlan) -> list[str]:
    """`vllm serve` arguments (after `vllm serve`); --quantization only with its matching checkpoint."""
    argv = [proc.checkpoint, "--host", "0.0.0.0", "--port", str(proc.port),
            "--served-model-name", *served_names(proc),
            "--gpu-memory-utilization", f"{proc.gpu_memory_utilization:.2f}",
            "--max-model-len", str(proc.max_model_len), "--dtype", proc.dtype]
    if proc.task == "embed":
        argv += ["--task", "embed"]
    else:
        argv += ["--max-num-seqs", str(proc.max_num_seqs)]
    if proc.quantization:
        argv += ["--quantization", proc.quantization]
    return argv


def render_script(proc: ProcessPlan, gpu: GpuPlan) -> str:
    flags = serve_argv(proc)
    lines = [shlex.quote(flags[0])] + [
        " ".join(shlex.quote(a) for a in flags[i:j])
        for i, j in _flag_spans(flags)]
    body = " \\\n  ".join(lines)
    return (
        "#!/usr/bin/env bash\n"
        f"# {', '.join(proc.roles)} on {gpu.id} ({gpu.type}): {proc.model} as {proc.precision}"
        f" ({proc.checkpoint}).\n"
        f"# Planned: weights {proc.weights_gb} GiB, activations {proc.activation_gb} GiB, KV cache "
        f"{proc.kv_cache_gb} GiB ({proc.kv_tokens} tokens) at utilisation {proc.gpu_memory_utilization:.2f} of "
        f"{gpu.usable_gb} GiB.\n"
        f"# Flags validated against vLLM {VLLM_VERSION}.\n"
        "set -euo pipefail\n"
        f"exec vllm serve {body}\n")


def _flag_spans(argv: list[str]) -> list[tuple[int, int]]:
    """Index ranges of each --flag and its values, so the script shows one flag per line."""
    starts = [i for i, a in enumerate(argv) if a.startswith("--")]
    return [(s, (starts[k + 1] if k + 1 < len(starts) else len(argv))) for k, s in enumerate(starts)]


def argv_from_script(text: str) -> list[str]:
    """Read the `vllm serve` arguments back out of a rendered script (what the tests validate)."""
    joined = text.replace("\\\n", " ")
    line = next(ln for ln in joined.splitlines() if ln.startswith("exec vllm serve "))
    return shlex.split(line)[3:]
