"""Port wiring: where each module input comes from. Shared by planning (to add missing reference steps) and by
every renderer (to write the inputs), so a second workflow language reuses it unchanged.

An input of type T comes from, in order:
1. the latest step before it in the plan with an output of type T (the same mate for reads);
2. a reference step later in the plan providing T (reference preparation has no order of its own);
3. the type's `source` in types.yaml: the sample sheet for reads, a config.yaml path for genome files,
   unless the port forbids it (`config_fallback: false`: a FASTA whose indexes must sit beside it).
Optional inputs are wired only by rules 1-2. `collect` inputs gather every output of the type in the plan.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from biopipelines.library.models import Layout, ModuleSpec, Port, PortType


class WiringError(ValueError):
    """A required input has no provider: the plan is incomplete (a catalogue bug, not a user error)."""


@dataclass(frozen=True)
class Binding:
    kind: Literal["step", "config", "samples", "collect"]
    port: Port
    producer: ModuleSpec | None = None  # kind "step"
    output: Port | None = None  # the producer's output port
    expand: str | None = None  # sample set to expand over: the consumer gathers a per-sample output of all samples
    config_key: tuple[str, ...] | None = None  # kind "config"
    column: str | None = None  # kind "samples": a sample-sheet column other than the reads
    items: tuple["Binding", ...] = field(default=())  # kind "collect"

    @property
    def source(self) -> str:
        """Who provides it: a module id, "config", "samples" or "collect"."""
        return self.producer.id if self.producer else self.kind


class Wiring:
    def __init__(self, modules: list[ModuleSpec], types: dict[str, PortType], layout: Layout) -> None:
        self.modules = modules
        self.types = types
        self.layout = layout

    def _providers(self, port: Port, consumer: int) -> list[tuple[int, ModuleSpec, Port]]:
        found = []
        for index, module in enumerate(self.modules):
            if index == consumer:
                continue
            for output in module.outputs_for(self.layout):
                if output.type == port.type and (port.mate is None or output.mate in (None, port.mate)):
                    found.append((index, module, output))
        return found

    def _step_binding(self, consumer: ModuleSpec, port: Port, producer: ModuleSpec, output: Port) -> Binding:
        if producer.scope == "per_sample" and consumer.scope == "reference":
            raise WiringError(f"{consumer.id}.{port.name}: a reference step cannot take per-sample {port.type}")
        expand = producer.sample_set if producer.scope == "per_sample" and consumer.scope != "per_sample" else None
        return Binding("step", port, producer=producer, output=output, expand=expand)

    def resolve(self, index: int, port: Port) -> Binding | None:
        consumer = self.modules[index]
        providers = self._providers(port, index)
        if port.collect:
            return Binding("collect", port, items=tuple(
                self._step_binding(consumer, port, m, o) for _, m, o in providers))
        before = [p for p in providers if p[0] < index]
        later_reference = [p for p in providers if p[0] > index and p[1].scope == "reference"]
        chosen = before[-1] if before else (later_reference[0] if later_reference else None)
        if chosen is not None:
            return self._step_binding(consumer, port, chosen[1], chosen[2])
        if port.optional or not port.config_fallback:
            return None
        port_type = self.types[port.type]
        if port_type.source == "samples":
            return Binding("samples", port, column=port_type.column)
        if port_type.config_key:
            return Binding("config", port, config_key=port_type.config_key)
        return None

    def missing(self) -> list[tuple[int, Port]]:
        """Required inputs without a provider, in plan order."""
        gaps = []
        for index, module in enumerate(self.modules):
            for port in module.inputs_for(self.layout):
                if not port.optional and not port.collect and self.resolve(index, port) is None:
                    gaps.append((index, port))
        return gaps

    def bindings(self, index: int) -> dict[str, Binding]:
        """Every wired input of the module at `index` (optional ones only when provided)."""
        module = self.modules[index]
        wired: dict[str, Binding] = {}
        for port in module.inputs_for(self.layout):
            binding = self.resolve(index, port)
            if binding is None and not port.optional:
                raise WiringError(f"{module.id}: nothing in the plan provides input {port.name} ({port.type})")
            if binding is not None:
                wired[port.name] = binding
        for group in module.requires_one_of:
            if not set(group) & set(wired):
                raise WiringError(f"{module.id} needs one of {', '.join(group)}; no step in the plan provides them")
        return wired

    def consumed(self) -> set[tuple[str, str]]:
        """(module id, output name) pairs some other step reads."""
        used = set()
        for index in range(len(self.modules)):
            for binding in self.bindings(index).values():
                for item in binding.items or (binding,):
                    if item.producer is not None and item.output is not None:
                        used.add((item.producer.id, item.output.name))
        return used
