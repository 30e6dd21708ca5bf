"""Weight precisions the planner may choose, and the real checkpoint and vLLM flags each one means.

Only checkpoints that exist are used: a quantized precision needs a repo id in the model's `quantized` map in
config/models.yaml. There is no on-the-fly "int8" (vLLM has no such --quantization choice).
"""

from __future__ import annotations

from typing import Literal

from biopipelines.core.errors import InputError
from biopipelines.core.model_catalogue import CatalogueModel

from biopipelines.deploy.gpus import GpuSpec

Precision = Literal["fp16", "gptq_int8", "awq", "gptq_int4"]
PRECISIONS: tuple[Precision, ...] = ("fp16", "gptq_int8", "awq", "gptq_int4")  # the order the planner tries

# Bytes per quantized weight: the packed value plus group-128 metadata (an FP16 scale and a packed zero point
# per 128 weights: 2 + bits/8 bytes per group).
_QUANT_BYTES: dict[str, float] = {"gptq_int8": 1 + (2 + 1) / 128, "awq": 0.5 + (2 + 0.5) / 128,
                                  "gptq_int4": 0.5 + (2 + 0.5) / 128}


def parse_precision(text: str) -> Precision:
    if text not in PRECISIONS:
        raise InputError(f"unknown precision {text!r}; use one of: {', '.join(PRECISIONS)} "
                         "(quantized ones need a published AWQ/GPTQ checkpoint)")
    return text  # type: ignore[return-value]


def bytes_per_weight(precision: Precision) -> float:
    return 2.0 if precision == "fp16" else _QUANT_BYTES[precision]


def checkpoint(model: CatalogueModel, precision: Precision) -> str | None:
    """The repo to serve for this precision, or None when no such checkpoint is published."""
    return model.id if precision == "fp16" else model.quantized.get(precision)


def available(model: CatalogueModel) -> list[Precision]:
    return [p for p in PRECISIONS if checkpoint(model, p)]


def quantization_flag(precision: Precision, gpu: GpuSpec) -> str | None:
    """vLLM --quantization value; Marlin kernels where the GPU has them (compute capability >= 8.0)."""
    if precision == "fp16":
        return None
    method = "awq" if precision == "awq" else "gptq"
    return f"{method}_marlin" if gpu.marlin else method


def dtype_flag(precision: Precision, gpu: GpuSpec) -> str:
    """T4s have no bfloat16 and AWQ/GPTQ kernels run in FP16, so those get `half`; elsewhere the config's dtype."""
    return "auto" if precision == "fp16" and gpu.bf16 else "half"
