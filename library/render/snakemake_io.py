"""Snakemake (Python) expressions for wired inputs, outputs, logs and benchmarks, laid out as snakefmt lays them out.

snakefmt formats each rule parameter alone with black, so a call that would overflow is written here the way black
writes it; the rendered files then pass `snakefmt --check` (the catalog's formatting check) unchanged.
"""

from __future__ import annotations

import json

from biopipelines.library.models import ModuleSpec, Port
from biopipelines.library.wiring import Binding

# input functions defined in common.smk
SAMPLE_SETS = {"all": "get_samples()", "treatment": "get_treatment_samples()"}
READS = {1: "fastq_r1", 2: "fastq_r2"}
# snakefmt hands black `f(<parameter>)` at 88 - 4 * 2 + 3 = 83 columns and indents the result 4 further than black
# did: a whole parameter fits when its line is at most 88 columns without its comma, and a line of a split one (its
# comma included) when it is at most 87.
WHOLE_PARAM_WIDTH = 88
SPLIT_LINE_WIDTH = 87
PARAM_INDENT = 8  # `        name=value,` inside a rule section


def py_str(text: str) -> str:
    return json.dumps(text)


def layout_call(func: str, args: list[str], column: int, indent: int) -> str:
    """`func(args)` starting at `column` of a line indented by `indent` and followed by a comma, as black writes it:
    on one line when it fits, else the arguments on one line inside the brackets, else one argument a line."""
    flat = f"{func}({', '.join(args)})"
    whole_param = indent == PARAM_INDENT
    if column + len(flat) + (0 if whole_param else 1) <= (WHOLE_PARAM_WIDTH if whole_param else SPLIT_LINE_WIDTH):
        return flat
    pad = " " * indent
    body = ", ".join(args)
    if indent + 4 + len(body) <= SPLIT_LINE_WIDTH:
        return f"{func}(\n{pad}    {body}\n{pad})"
    return f"{func}(\n" + "".join(f"{pad}    {arg},\n" for arg in args) + f"{pad})"


def output_expr(port: Port, name: str, report: tuple[str, str] | None = None) -> str:
    """The right-hand side of `name=...` in a rule's output section; `report` = (caption path, category)."""
    column = PARAM_INDENT + len(name) + 1
    expr = py_str(port.path or "")
    if port.directory:
        expr = layout_call("directory", [expr], column + (5 if port.temp else 0), PARAM_INDENT)
    if port.temp:
        expr = layout_call("temp", [expr], column, PARAM_INDENT)
    if report:
        caption, category = report
        expr = layout_call("report", [expr, f"caption={py_str(caption)}", f"category={py_str(category)}"],
                           column, PARAM_INDENT)
    return expr


def _step_expr(binding: Binding, column: int, indent: int) -> str:
    path = py_str(binding.output.path if binding.output else "")
    if binding.expand:
        return layout_call("expand", [path, f"sample={SAMPLE_SETS[binding.expand]}"], column, indent)
    if binding.port.of == "control":
        return layout_call("control_of", [path], column, indent)
    return path


def input_expr(binding: Binding, name: str) -> str:
    """The right-hand side of `name=...` in a rule's input section."""
    if binding.kind == "step":
        return _step_expr(binding, PARAM_INDENT + len(name) + 1, PARAM_INDENT)
    if binding.kind == "config":
        return "config" + "".join(f"[{py_str(k)}]" for k in binding.config_key or ())
    if binding.kind == "samples":
        return f"sample_file({py_str(binding.column)})" if binding.column else READS[binding.port.mate or 1]
    if not binding.items:  # an optional collect with no producer in this plan
        return "[]"
    pad = " " * (PARAM_INDENT + 4)
    items = []
    for item in binding.items:
        star = "*" if item.expand else ""
        items.append(star + _step_expr(item, PARAM_INDENT + 4 + len(star), PARAM_INDENT + 4))
    return "[\n" + "".join(f"{pad}{item},\n" for item in items) + f"{' ' * PARAM_INDENT}]"


def target_expr(module: ModuleSpec, port: Port) -> str:
    """An output as a target of the `all` rule: per-sample outputs expanded over their samples."""
    path = py_str(port.path or "")
    if module.scope == "per_sample":
        return layout_call("expand", [path, f"sample={SAMPLE_SETS[module.sample_set]}"], PARAM_INDENT, PARAM_INDENT)
    return path


def log_expr(module: ModuleSpec, kind: str = "logs", suffix: str = "log") -> str:
    name = f"{module.id}/{{sample}}" if module.scope == "per_sample" else module.id
    return py_str(f"{kind}/{name}.{suffix}")
