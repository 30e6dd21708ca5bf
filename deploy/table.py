"""The plan as rich tables for the terminal."""

from __future__ import annotations

import sys

from rich.console import Console
from rich.table import Table

from biopipelines.deploy.plan import Plan


def print_plan(plan: Plan, console: Console | None = None) -> None:
    # piped output keeps full rows instead of rich's 80-column default
    console = console or Console(width=None if sys.stdout.isatty() else 160)
    title = f"GPU plan for {plan.inventory}" + (f" (preset {plan.preset})" if plan.preset else "")
    table = Table(title=title, caption=f"GiB; vLLM {plan.vllm_version}")
    for col in ("GPU", "roles", "model", "precision", "util", "weights", "KV cache", "KV tokens", "ctx", "port"):
        table.add_column(col, justify="right" if col in {"util", "weights", "KV cache", "KV tokens", "ctx",
                                                         "port"} else "left")
    for gpu in plan.gpus:
        label = f"{gpu.id} ({gpu.memory_gb} GB, sum {gpu.utilization_sum:.2f})"
        if not gpu.processes:
            table.add_row(label, "-", "idle", "", "", "", "", "", "", "")
        for k, p in enumerate(gpu.processes):
            table.add_row(label if k == 0 else "", ",".join(p.roles) + (f" #{p.replica}" if p.replica else ""),
                          p.checkpoint, p.precision, f"{p.gpu_memory_utilization:.2f}", f"{p.weights_gb:.2f}",
                          f"{p.kv_cache_gb:.2f}", str(p.kv_tokens) if p.task == "generate" else "embed",
                          str(p.max_model_len), str(p.port))
    console.print(table)
    for role, why in plan.selection_reasons.items():
        console.print(f"{role}: {why}", markup=False)
    if plan.cloud_roles:
        console.print(f"cloud ({plan.cloud_model or 'none configured'}): {', '.join(plan.cloud_roles)}")
    for u in plan.unplaced:
        console.print(f"[red]unplaced[/red] {','.join(u.roles)}: {u.model}: {u.reason}")
        console.print(f"  smallest change: {u.suggestion}")
        for alt in u.alternatives:
            console.print(f"  or: {alt}")
    rows = [r for r in plan.seed_comparison if "role" in r]
    if rows:
        seed = Table(title="Seed hand estimates vs computed weights (GB = 1e9 bytes)")
        for col in ("role", "seed", "computed", "served as", "differs"):
            seed.add_column(col)
        for r in rows:
            computed = "-" if r["computed_weights_gb"] is None else f"{r['computed_weights_gb']:.2f}"
            seed.add_row(r["role"], f"~{r['seed_weights_gb']:g}", computed, r["served_as"],
                         "yes" if r["differs"] else "no")
        console.print(seed)
    for r in plan.seed_comparison:
        if "note" in r:
            console.print(f"seed note: {r['note']}")
