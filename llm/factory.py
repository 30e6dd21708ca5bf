"""The model factory: role -> the ordered chat models that may serve it (local replicas, then cloud).

Nodes never build clients. The graph builder takes a factory; tests inject scripted fakes through `injected`,
which stand in for the role's local tier.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Mapping

from biopipelines.core.model_catalogue import ModelCatalogue, Price, default_catalogue
from biopipelines.core.schemas import Tier
from biopipelines.core.settings import EndpointConfig, Settings, StructuredMethod
from biopipelines.llm.endpoint_guard import EndpointGuard

if TYPE_CHECKING:  # a type only: importing language_models pulls LangChain's tracers, half a second of a cold CLI
    from langchain_core.language_models import BaseChatModel

LOCAL_PLACEHOLDER_KEY = "not-needed"  # vLLM and llama.cpp accept any key unless started with --api-key


@dataclass(frozen=True)
class TierModel:
    tier: Tier
    model_name: str
    endpoint: str
    chat: BaseChatModel
    method: StructuredMethod
    price: Price | None = None
    guard: EndpointGuard | None = None  # shared cooldown and in-flight state; None for injected fakes
    max_retries: int = 0
    context_tokens: int | None = None
    power_usd_per_s: float = 0.0  # local GPUs are costed in electricity for the call's duration
    timeout_s: float | None = None  # total wall time of one attempt (httpx's timeout is per read, not per answer)


def _chat_openai(model: str, base_url: str, api_key: str, timeout_s: float, connect_s: float, max_tokens: int,
                 temperature: float) -> BaseChatModel:
    # imported here: the offline path never pays for them
    from langchain_openai import ChatOpenAI
    from openai import Timeout  # the client's own type: httpx.Timeout in openai 1.x-2.x, httpx2.Timeout in 3.x

    return ChatOpenAI(
        model=model,
        base_url=base_url,
        api_key=api_key,
        timeout=Timeout(timeout_s, connect=connect_s),
        max_retries=0,
        temperature=temperature,
        # llama.cpp ignores max_completion_tokens; vLLM and the cloud accept max_tokens in the body too.
        extra_body={"max_tokens": max_tokens},
    )


class ModelFactory:
    """Hands each role its tiers, keyed by role and the settings' profile."""

    def __init__(
        self,
        settings: Settings,
        catalogue: ModelCatalogue | None = None,
        *,
        injected: Mapping[str, BaseChatModel] | None = None,
        env: Mapping[str, str] | None = None,
    ) -> None:
        self.settings = settings
        self._catalogue = catalogue
        self._injected = dict(injected or {})
        self._env = os.environ if env is None else env
        self._cache: dict[str, list[TierModel]] = {}
        self.guard = EndpointGuard(settings.profile.routing)  # one per factory: shared by every node and call

    @property
    def catalogue(self) -> ModelCatalogue:
        if self._catalogue is None:
            self._catalogue = default_catalogue()
        return self._catalogue

    def tiers(self, role: str) -> list[TierModel]:
        if role not in self._cache:
            self._cache[role] = self._build(role)
        return self._cache[role]

    def describe(self, role: str) -> str:
        tiers = self.tiers(role)
        return " -> ".join([f"{t.tier}:{t.model_name}" for t in tiers] + ["offline"])

    def _build(self, role: str) -> list[TierModel]:
        if role in self._injected:
            fake = self._injected[role]
            name = getattr(fake, "model_name", None) or type(fake).__name__
            return [TierModel("local", str(name), f"injected://{role}", fake, "json_object")]
        profile = self.settings.profile
        cfg = profile.role(role)
        tiers = [self._local(ep, cfg.temperature) for ep in cfg.endpoints]
        if cfg.cloud and profile.allow_cloud:
            cloud = self.catalogue.cloud(cfg.cloud.model)
            key = self._env.get(cloud.api_key_env)
            if key:  # without a key the cloud tier cannot serve; doctor reports it
                chat = _chat_openai(cloud.id, cloud.base_url, key, cfg.cloud.timeout_s, 10.0, cfg.cloud.max_tokens,
                                    cfg.temperature)
                tiers.append(TierModel("cloud", cloud.id, cloud.base_url, chat, cfg.cloud.structured_output,
                                       cloud.price_per_mtok, self.guard, max_retries=1, timeout_s=cfg.cloud.timeout_s))
        return tiers

    def _local(self, ep: EndpointConfig, temperature: float) -> TierModel:
        key = (self._env.get(ep.api_key_env) if ep.api_key_env else None) or LOCAL_PLACEHOLDER_KEY
        chat = _chat_openai(ep.model, ep.url, key, ep.timeout_s, ep.connect_timeout_s, ep.max_tokens, temperature)
        return TierModel("local", ep.model, ep.url, chat, ep.structured_output, None, self.guard, ep.max_retries,
                         ep.context_tokens, self.catalogue.power_usd_per_s(ep.gpu) if ep.gpu else 0.0,
                         timeout_s=ep.timeout_s)
