"""The plan: what `plan-gpus --json` prints and `deploy render --plan` reads."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from biopipelines.deploy.precision import Precision


class ProcessPlan(BaseModel):
    """One vLLM process. Figures are GiB (the `_gb` names follow the issue's JSON shape)."""

    model_config = ConfigDict(extra="forbid")
    role: str = Field(description="Primary role; also the first --served-model-name")
    roles: list[str] = Field(description="Every role this process serves (coder and validator share one)")
    model: str = Field(description="Catalogue id in config/models.yaml")
    checkpoint: str = Field(description="Repo vLLM loads: the model itself, or its published AWQ/GPTQ checkpoint")
    precision: Precision
    quantization: str | None = Field(description="vLLM --quantization, matching the checkpoint; None for FP16")
    dtype: str
    task: Literal["generate", "embed"]
    replica: int = 0
    gpu_memory_utilization: float
    weights_gb: float
    activation_gb: float
    kv_cache_gb: float
    kv_tokens: int = Field(description="Tokens the KV cache holds at this utilisation")
    max_model_len: int
    max_num_seqs: int
    port: int


class GpuPlan(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    type: str
    memory_gb: int
    usable_gb: float
    utilization_sum: float
    outside_budget_gb: float = Field(description="CUDA contexts and graphs of its processes, beyond the fractions")
    processes: list[ProcessPlan]


class Unplaced(BaseModel):
    model_config = ConfigDict(extra="forbid")
    role: str
    roles: list[str]
    model: str
    precision: Precision | None
    max_model_len: int
    reason: str
    suggestion: str
    alternatives: list[str] = Field(default_factory=list)


class Plan(BaseModel):
    model_config = ConfigDict(extra="forbid")
    inventory: str
    preset: str | None = None
    vllm_version: str
    cloud_roles: list[str] = Field(default_factory=list)
    cloud_model: str | None = None
    gpus: list[GpuPlan]
    unplaced: list[Unplaced] = Field(default_factory=list)
    seed_comparison: list[dict] = Field(default_factory=list)
    selection_reasons: dict[str, str] = Field(default_factory=dict,
                                              description="role -> why the priority selection chose its model")
