"""GPU types (config/gpus.yaml) and inventories such as "h100:1,t4:2"."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from biopipelines.core.errors import InputError
from biopipelines.core.settings import CONFIG_DIR
from biopipelines.core.yaml_files import read_config


class GpuSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    memory_gb: int = Field(gt=0, description="Marketing size (16 for a T4)")
    usable_gib: float = Field(gt=0, description="Total the driver reports, in GiB; vLLM's utilisation applies to it")
    compute_capability: float
    bf16: bool
    marlin: bool
    usd_per_hour: float | None = Field(None, ge=0, description="Assumed price of one GPU-hour, for `cost`")


class GpuCatalogue(BaseModel):
    gpus: dict[str, GpuSpec]

    def spec(self, kind: str) -> GpuSpec:
        if kind not in self.gpus:
            raise InputError(f"unknown GPU type {kind!r}; known: {', '.join(self.gpus)}")
        return self.gpus[kind]


class Gpu(BaseModel):
    """One physical GPU of an inventory."""

    id: str
    type: str
    spec: GpuSpec


def load_gpu_catalogue(path: Path | None = None) -> GpuCatalogue:
    return read_config(GpuCatalogue, path or CONFIG_DIR / "gpus.yaml")


@lru_cache(maxsize=1)
def default_gpu_catalogue() -> GpuCatalogue:
    return load_gpu_catalogue()


def parse_inventory(text: str, catalogue: GpuCatalogue | None = None) -> list[Gpu]:
    """'h100:1,t4:2' -> [h100-0, t4-0, t4-1] (ids are stable: type plus index)."""
    catalogue = catalogue or default_gpu_catalogue()
    gpus: list[Gpu] = []
    seen: set[str] = set()
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        kind, sep, count = part.partition(":")
        kind = kind.strip().lower()
        if not sep or not count.strip().isdigit() or int(count) < 1:
            raise InputError(f"inventory item {part!r} must look like TYPE:COUNT, e.g. t4:2")
        if kind in seen:
            raise InputError(f"inventory names {kind!r} twice; give one count per GPU type")
        seen.add(kind)
        spec = catalogue.spec(kind)
        gpus += [Gpu(id=f"{kind}-{i}", type=kind, spec=spec) for i in range(int(count))]
    if not gpus:
        raise InputError(f"empty inventory {text!r}; give e.g. --inventory t4:2 or l4:1,t4:2")
    return gpus
