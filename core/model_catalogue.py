"""config/models.yaml: the seed strategy's models, their architecture facts and cloud prices."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from biopipelines.core.errors import ConfigError
from biopipelines.core.settings import CONFIG_DIR
from biopipelines.core.yaml_files import read_config


class Architecture(BaseModel):
    model_config = ConfigDict(extra="forbid")
    layers: int
    attention_heads: int
    kv_heads: int
    head_dim: int
    hidden_size: int
    context_length: int
    # Optional facts the GPU planner uses: AWQ/GPTQ keep the embedding (and an untied lm_head) in FP16.
    vocab_size: int | None = None
    tie_word_embeddings: bool | None = None


class CatalogueModel(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    strategy: bool = Field(False, description="One of the 20 models the local-model strategy names")
    strategy_id: str | None = Field(None, description="The id the strategy wrote, where the published one differs")
    params_b: float = Field(gt=0)
    license: str
    roles: list[str]
    architecture: Architecture
    source: str
    checked: Literal["config", "id"] = "config"
    note: str | None = None
    vllm: bool = Field(True, description="False for architectures vLLM cannot serve; the planner skips them")
    embedding_dim: int | None = None
    embedded_package: str | None = None
    # Published quantized checkpoints by precision (real repo ids only), e.g. {awq: Qwen/Qwen2.5-7B-Instruct-AWQ}.
    quantized: dict[Literal["awq", "gptq_int4", "gptq_int8"], str] = Field(default_factory=dict)


class Price(BaseModel):
    input: float = Field(ge=0)
    output: float = Field(ge=0)


class CloudModel(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    provider: str
    base_url: str
    api_key_env: str
    price_per_mtok: Price


class GpuPower(BaseModel):
    model_config = ConfigDict(extra="forbid")
    watts: float = Field(gt=0, description="Board power (TDP) while serving")


class RolePriority(BaseModel):
    model_config = ConfigDict(extra="forbid")
    models: list[str] = Field(min_length=1, description="P1 first")
    note: str = ""


class ModelCatalogue(BaseModel):
    models: list[CatalogueModel]
    priorities: dict[str, RolePriority] = Field(default_factory=dict)
    priority_order: list[str] = Field(default_factory=list, description="Which role claims GPU memory first")
    cloud_models: list[CloudModel] = Field(default_factory=list)
    gpus: dict[str, GpuPower] = Field(default_factory=dict)
    electricity_usd_per_kwh: float = Field(0.15, ge=0)

    def power_usd_per_s(self, gpu: str | None) -> float:
        """What one second of a local GPU costs in electricity; 0 when the GPU is unknown."""
        spec = self.gpus.get(gpu or "")
        return spec.watts / 1000 * self.electricity_usd_per_kwh / 3600 if spec else 0.0

    def model(self, model_id: str) -> CatalogueModel | None:
        return next((m for m in self.models if m.id == model_id), None)

    def cloud(self, model_id: str) -> CloudModel:
        found = next((m for m in self.cloud_models if m.id == model_id), None)
        if found is None:
            known = ", ".join(m.id for m in self.cloud_models)
            raise ConfigError(f"cloud model {model_id!r} is not in config/models.yaml cloud_models (known: {known})")
        return found


def _check_priorities(cat: ModelCatalogue, path: Path) -> None:
    if set(cat.priority_order) != set(cat.priorities):
        raise ConfigError(f"{path}: priority_order must name each role of priorities once")
    for role, prio in cat.priorities.items():
        missing = [m for m in prio.models if cat.model(m) is None]
        if missing:
            raise ConfigError(f"{path}: priorities.{role}: not in models: {', '.join(missing)}")


def load_catalogue(path: Path | None = None) -> ModelCatalogue:
    path = path or CONFIG_DIR / "models.yaml"
    cat = read_config(ModelCatalogue, path)
    _check_priorities(cat, path)
    return cat


@lru_cache(maxsize=1)
def default_catalogue() -> ModelCatalogue:
    return load_catalogue()
