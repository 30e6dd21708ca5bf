"""Snakemake (Python) expressions for wired inputs, outputs, logs and benchmarks."""

from __future__ import annotations

import json

from biopipelines.library.models import ModuleSpec, Port
from biopipelines.library.wiring import Binding

# input functions defined in common.smk
SAMPLE_SETS = {"all": "get_samples()", "treatment": "get_treatment_samples()"}
READS = {1: "fastq_r1", 2: "fastq_r2"}


def py_str(text: str) -> str:
    return json.dumps(text)


def output_expr(port: Port) -> str:
    expr = py_str(port.path or "")
    if port.directory:
        expr = f"directory({expr})"
    if port.temp:
        expr = f"temp({expr})"
    return expr


def _step_expr(binding: Binding) -> str:
    path = py_str(binding.output.path if binding.output else "")
    if binding.expand:
        return f"expand({path}, sample={SAMPLE_SETS[binding.expand]})"
    if binding.port.of == "control":
        return f"control_of({path})"
    return path


def input_expr(binding: Binding, indent: int = 8) -> str:
    """The right-hand side of `name=...` in a rule's input section."""
    if binding.kind == "step":
        return _step_expr(binding)
    if binding.kind == "config":
        return "config" + "".join(f"[{py_str(k)}]" for k in binding.config_key or ())
    if binding.kind == "samples":
        return READS[binding.port.mate or 1]
    pad = " " * indent
    items = [("*" if item.expand else "") + _step_expr(item) for item in binding.items]
    return "[\n" + "".join(f"{pad}    {item},\n" for item in items) + f"{pad}]"


def target_expr(module: ModuleSpec, port: Port) -> str:
    """An output as a target of the `all` rule: per-sample outputs expanded over their samples."""
    path = py_str(port.path or "")
    if module.scope == "per_sample":
        return f"expand({path}, sample={SAMPLE_SETS[module.sample_set]})"
    return path


def log_expr(module: ModuleSpec, kind: str = "logs", suffix: str = "log") -> str:
    name = f"{module.id}/{{sample}}" if module.scope == "per_sample" else module.id
    return py_str(f"{kind}/{name}.{suffix}")
