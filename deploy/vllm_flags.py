"""The vLLM `serve` flags this project emits, with the types and choices vLLM itself defines for them.

Validated against vLLM's own argument definitions, read from vllm-project/vllm:
  vllm/engine/arg_utils.py (EngineArgs.add_cli_args) at commit 001999d2f360c2c5da23a916510c273b1a73d06c, the 0.7
  release line; `--task` choices are config.py's TaskOption of that line ("embed" exists since 0.7.0);
  `--quantization` choices are QUANTIZATION_METHODS (vllm/model_executor/layers/quantization/__init__.py);
  `--host`/`--port` come from vllm/entrypoints/openai/cli_args.py (make_arg_parser).
These flags keep their meaning through vLLM 0.9.x. From 0.10 `--task embed` is deprecated in favour of
`--runner pooling --convert embed`; this module pins the 0.7-0.9 spelling, and `--task embed` is what it emits.
There is no `int8` quantization choice: INT8 means a published GPTQ-Int8 checkpoint served with `gptq`.
"""

from __future__ import annotations

import argparse
from typing import Sequence

VLLM_VERSION = "0.7 line (arg_utils.py @ 001999d2f360); flags unchanged through 0.9.x"

TASK_CHOICES = ("auto", "generate", "embedding", "embed", "classify", "score", "reward")
# The QUANTIZATION_METHODS present throughout 0.7-0.9 (later releases only add to this list).
QUANTIZATION_CHOICES = (
    "aqlm", "awq", "deepspeedfp", "tpu_int8", "fp8", "fbgemm_fp8", "modelopt", "marlin", "gguf", "gptq_marlin_24",
    "gptq_marlin", "awq_marlin", "gptq", "compressed-tensors", "bitsandbytes", "qqq", "hqq", "experts_int8",
    "neuron_quant", "ipex")
DTYPE_CHOICES = ("auto", "half", "float16", "bfloat16", "float", "float32")
KV_CACHE_DTYPE_CHOICES = ("auto", "fp8", "fp8_e5m2", "fp8_e4m3")


class FlagError(ValueError):
    """An emitted command line that vLLM's parser would reject."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse would print and exit; the caller wants an exception
        raise FlagError(message)


def _unit_fraction(text: str) -> float:
    value = float(text)
    if not 0 < value <= 1:  # vLLM's CacheConfig rejects anything outside (0, 1]
        raise argparse.ArgumentTypeError(f"gpu_memory_utilization must be in (0, 1], got {value}")
    return value


def serve_parser() -> argparse.ArgumentParser:
    """`vllm serve MODEL ...`, restricted to the flags we use, with vLLM's types and choices."""
    p = _Parser(prog="vllm serve", add_help=False, allow_abbrev=False)
    p.add_argument("model_tag")
    p.add_argument("--host", type=str)
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--served-model-name", nargs="+", type=str)
    p.add_argument("--task", choices=TASK_CHOICES, default="auto")
    p.add_argument("--dtype", choices=DTYPE_CHOICES, default="auto")
    p.add_argument("--kv-cache-dtype", choices=KV_CACHE_DTYPE_CHOICES, default="auto")
    p.add_argument("--max-model-len", type=int)
    p.add_argument("--gpu-memory-utilization", type=_unit_fraction, default=0.90)
    p.add_argument("--max-num-seqs", type=int)
    p.add_argument("--quantization", "-q", choices=QUANTIZATION_CHOICES)
    p.add_argument("--enforce-eager", action="store_true")
    p.add_argument("--trust-remote-code", action="store_true")
    p.add_argument("--download-dir", type=str)
    return p


def validate(argv: Sequence[str]) -> argparse.Namespace:
    """Parse `vllm serve` arguments (without the leading `vllm serve`) as vLLM would; FlagError if rejected."""
    args = serve_parser().parse_args(list(argv))
    if args.port is not None and not 0 < args.port < 65536:
        raise FlagError(f"port {args.port} out of range")
    if args.max_model_len is not None and args.max_model_len <= 0:
        raise FlagError("--max-model-len must be positive")
    return args
