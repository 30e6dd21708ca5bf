"""What nodes are given: settings, the model factory, and lazily loaded offline resources.

Heavy resources (the embedder, the retrieval index, the module library) load on first use, so compiling the graph
(Studio imports it) costs nothing, and the offline tier pays for them once per process.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, Callable

from biopipelines.core.schemas import CheckResult
from biopipelines.core.settings import Settings, load_settings
from biopipelines.llm.factory import ModelFactory, TierModel
from biopipelines.nodes.memo import Memo

if TYPE_CHECKING:
    from langchain_core.embeddings import Embeddings

    from biopipelines.core.schemas import WorkflowPlan
    from biopipelines.library import Library
    from biopipelines.nodes.offline.intent import OfflineIntentClassifier
    from biopipelines.nodes.state import RunContext  # a type only: state imports LangGraph's message reducer
    from biopipelines.rag.retriever import Retriever

Validate = Callable[[dict[str, str], float], list[CheckResult]]
# Plan fields the renderer never reads: the planner sets `asks` after rendering its draft, so a key with them would
# miss and the coder would render the same workflow again (tests/unit/test_deps_caches.py holds the renderer to it).
NOT_RENDERED = frozenset({"notes", "offered", "asks"})


def _default_validate(files: dict[str, str], timeout_s: float) -> list[CheckResult]:
    from biopipelines.validation import validate_files

    return validate_files(files, timeout_s=timeout_s)


@dataclass
class NodeDeps:
    settings: Settings
    models: ModelFactory
    validate: Validate = _default_validate
    embeddings_override: Any = None
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _profile_factories: dict[str, ModelFactory] = field(default_factory=dict, repr=False)
    _drafts: Memo = field(default_factory=lambda: Memo(32), repr=False)  # plan -> the library's rendering

    # -- models ------------------------------------------------------------------------------------------------
    def tiers(self, role: str, context: RunContext | dict | None = None) -> list[TierModel]:
        return self.models_for(context).tiers(role)

    def models_for(self, context: RunContext | dict | None) -> ModelFactory:
        """The factory for a run: the builder's, unless the run's context names another profile."""
        profile = context.get("profile") if isinstance(context, dict) else getattr(context, "profile", None)
        if not profile or profile == self.settings.profile.name:
            return self.models
        with self._lock:
            if profile not in self._profile_factories:
                self._profile_factories[profile] = ModelFactory(load_settings(profile))
            return self._profile_factories[profile]

    def deadline(self, context: RunContext | dict | None) -> float:
        """When a turn starting now must stop waiting on models (wall-clock seconds): its budget less the reserve
        kept for the offline tiers and validation."""
        return time.time() + self.models_for(context).settings.profile.model_time_s

    def max_attempts(self, context: RunContext | dict | None) -> int:
        value = context.get("max_attempts") if isinstance(context, dict) else getattr(context, "max_attempts", None)
        return int(value) if value else self.settings.profile.max_attempts

    @cached_property
    def beside(self) -> ThreadPoolExecutor:
        """Threads for work that runs beside a node's model call (the intent classifier, the planner's plan, the
        validator's checks). Kept for the process: a thread started per call takes the GIL from the node until
        Python's 5 ms switch interval passes, delaying the very call it was meant to overlap."""
        return ThreadPoolExecutor(max_workers=32, thread_name_prefix="beside-model")

    # -- offline resources ---------------------------------------------------------------------------------------
    @cached_property
    def embeddings(self) -> "Embeddings":
        if self.embeddings_override is not None:
            return self.embeddings_override
        from biopipelines.rag.embeddings import load_embeddings

        return load_embeddings(self.settings)

    @cached_property
    def library(self) -> "Library":
        from biopipelines.library import load_library

        return load_library()

    def draft(self, plan: "WorkflowPlan") -> dict[str, str]:
        """The library's rendering of `plan`, made once per plan: the planner renders its plan while its model
        thinks, and the coder (every attempt) finds it. A fresh dict each time: callers may update it."""
        from biopipelines.library.render.snakemake import render_workflow

        library = self.library
        key = plan.model_dump_json(exclude=set(NOT_RENDERED))
        return dict(self._drafts.get(key, lambda: render_workflow(plan, library)))

    @cached_property
    def intent_classifier(self) -> "OfflineIntentClassifier":
        from biopipelines.nodes.offline.intent import OfflineIntentClassifier

        return OfflineIntentClassifier(self.embeddings)

    @cached_property
    def knowledge_cards(self) -> list:
        """The method-note cards, parsed once per process (the README's citations read them on every workflow)."""
        from biopipelines.rag.corpus import KNOWLEDGE_DIR, load_cards

        return load_cards(sorted(KNOWLEDGE_DIR.glob("*.md")))

    @cached_property
    def retriever(self) -> "Retriever":
        from biopipelines.rag.retriever import Retriever

        return Retriever.for_embeddings(self.embeddings)
