"""Profiles and settings.

Precedence, highest first: explicit argument / LangGraph runtime context > environment (BIOPIPELINES_*) >
profile YAML > built-in defaults. Secrets never live here: an endpoint names the environment variable that holds
its key (`api_key_env`), and the key is read only when a client is built.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal, Mapping, Sequence

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from biopipelines.core.errors import ConfigError
from biopipelines.core.yaml_files import read_yaml, validate

# The folder that holds graph/, nodes/, library/, config/...: the checkout in development, site-packages/biopipelines
# in an installed wheel. Package data is found from here, never from the working directory.
PACKAGE_ROOT = Path(__file__).resolve().parent.parent
CONFIG_DIR = PACKAGE_ROOT / "config"
PROFILES_DIR = CONFIG_DIR / "profiles"
DEFAULT_PROFILE = "offline"

Role = Literal["intent", "planner", "coder", "validator", "analysis", "math", "bio", "docs", "embeddings", "safety"]
ROLES: tuple[str, ...] = Role.__args__  # type: ignore[attr-defined]
StructuredMethod = Literal["json_schema", "function_calling", "json_object"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class EndpointConfig(_Strict):
    """One OpenAI-compatible server (a vLLM process, a llama.cpp server...)."""

    url: str = Field(description="Base URL including /v1, e.g. http://gpu1:8001/v1")
    model: str = Field(description="Served model name (vllm --served-model-name)")
    structured_output: StructuredMethod = Field(
        "json_schema", description="vLLM takes json_schema; llama.cpp needs function_calling or json_object")
    api_key_env: str | None = Field(None, description="Environment variable holding the API key, if any")
    timeout_s: float = Field(60.0, gt=0)
    connect_timeout_s: float = Field(5.0, gt=0)
    max_tokens: int = Field(1024, gt=0)
    max_retries: int = Field(2, ge=0, le=5, description="Retries on 429/5xx only, with jittered backoff")
    context_tokens: int | None = Field(
        None, gt=0, description="The served context length; a longer prompt goes to the cloud tier instead")
    gpu: str | None = Field(None, description="GPU model serving it (a key of models.yaml `gpus`), for power cost")

    @field_validator("url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError(f"must start with http:// or https://, got {value!r}")
        return value.rstrip("/")


class CloudConfig(_Strict):
    """A cloud fallback model; its provider facts come from models.yaml `cloud_models`."""

    model: str
    structured_output: StructuredMethod = "function_calling"
    timeout_s: float = Field(60.0, gt=0)
    max_tokens: int = Field(2048, gt=0)


class RoutingConfig(_Strict):
    """How calls are spread over replicas and when an endpoint is put in cooldown."""

    cooldown_failures: int = Field(3, ge=1, description="Failures within the window that open the breaker")
    cooldown_window_s: float = Field(60.0, gt=0)
    cooldown_s: float = Field(30.0, gt=0, description="How long a failing endpoint is skipped (first time)")
    max_cooldown_s: float = Field(600.0, gt=0, description="Cap on the cooldown, which doubles while failures go on")
    open_on_timeout: bool = Field(
        True, description="A timed-out call opens the breaker at once (a hung server must not spend the time "
        "budget again); false for one slow CPU server where long prompts time out and short ones still answer")
    replica_policy: Literal["least_in_flight", "round_robin"] = "least_in_flight"
    retry_initial_s: float = Field(0.5, gt=0, description="First backoff; doubles per retry, with jitter")
    retry_max_s: float = Field(4.0, gt=0)
    max_retry_after_s: float = Field(
        5.0, ge=0, description="A 429 asking to wait longer than this is not retried: the call moves down the chain")


class RoleConfig(_Strict):
    model_id: str | None = Field(None, description="Catalogue id in config/models.yaml")
    endpoints: list[EndpointConfig] = Field(default_factory=list)
    cloud: CloudConfig | None = None
    temperature: float = 0.0


class Profile(_Strict):
    name: str
    description: str = ""
    allow_cloud: bool = False
    max_attempts: int = Field(3, ge=1, le=10)
    max_heal_attempts: int = Field(
        2, ge=0, le=5, description="How many times `biopipelines run --heal` may patch a failed run and resume it")
    time_budget_s: float = Field(300.0, gt=0, description="Wall time one turn may take, from safety_in to the end")
    offline_reserve_s: float = Field(
        30.0, ge=0, description="Part of the budget kept for the offline tiers and validation: model calls are cut "
        "off this long before the budget ends (a stalled server then costs at most budget - reserve)")
    max_request_chars: int = Field(20_000, gt=0)
    validation_timeout_s: float = Field(120.0, gt=0)
    intent_veto_confidence: float = Field(
        0.85, ge=0, le=1, description="An intent model's answer that contradicts the offline classifier at or above "
        "this confidence is rejected (the offline tier then serves, and the route entry says why)")
    coder_offline_fallback: bool = Field(
        True, description="When the LLM coder's last attempt still fails validation, render from the module library")
    routing: RoutingConfig = Field(default_factory=RoutingConfig)
    roles: dict[Role, RoleConfig] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _reserve_within_budget(self) -> "Profile":
        if self.offline_reserve_s >= self.time_budget_s:
            raise ValueError(f"offline_reserve_s ({self.offline_reserve_s:g}) must be less than time_budget_s "
                             f"({self.time_budget_s:g})")
        return self

    @property
    def model_time_s(self) -> float:
        """How long a turn may wait on models: the budget less the offline reserve."""
        return self.time_budget_s - self.offline_reserve_s

    def role(self, role: str) -> RoleConfig:
        return self.roles.get(role, RoleConfig())  # type: ignore[arg-type]


class Settings(BaseModel):
    """What the graph and CLI run with: a resolved profile plus where it came from."""

    profile: Profile
    profile_source: str
    checkpoint_db: Path = Path.home() / ".biopipelines" / "threads.sqlite"


_ENV_OVERRIDES: dict[str, str] = {
    "BIOPIPELINES_MAX_ATTEMPTS": "max_attempts",
    "BIOPIPELINES_MAX_HEAL_ATTEMPTS": "max_heal_attempts",
    "BIOPIPELINES_ALLOW_CLOUD": "allow_cloud",
    "BIOPIPELINES_TIME_BUDGET_S": "time_budget_s",
    "BIOPIPELINES_MAX_REQUEST_CHARS": "max_request_chars",
}


def resolve_profile_path(name_or_path: str) -> Path:
    """A profile is a name under config/profiles/ or a path to a YAML file."""
    candidate = Path(name_or_path).expanduser()
    if candidate.suffix in {".yaml", ".yml"} or os.sep in name_or_path:
        if not candidate.is_file():
            raise ConfigError(f"profile file not found: {candidate}")
        return candidate
    path = PROFILES_DIR / f"{name_or_path}.yaml"
    if not path.is_file():
        known = ", ".join(sorted(p.stem for p in PROFILES_DIR.glob("*.yaml")))
        raise ConfigError(f"unknown profile {name_or_path!r}; known profiles: {known} (or pass a path to a YAML file)")
    return path


def load_profile(name_or_path: str) -> tuple[Profile, Path]:
    path = resolve_profile_path(name_or_path)
    data = read_yaml(path)
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: a profile must be a YAML mapping, got {type(data).__name__}")
    data.setdefault("name", path.stem)
    return validate(Profile, data, path), path


CHAT_ROLES: tuple[str, ...] = tuple(r for r in ROLES if r != "embeddings")  # what `--endpoint '*=URL'` covers


def parse_endpoint_overrides(items: Sequence[str] | None) -> dict[str, tuple[str, str | None]]:
    """`ROLE=URL` or `ROLE=URL#MODEL` (`*` for every chat role) -> {role: (url, model or None)}."""
    out: dict[str, tuple[str, str | None]] = {}
    for item in items or ():
        role, sep, target = item.partition("=")
        role = role.strip()
        if not sep or not target.strip():
            raise ConfigError(f"--endpoint {item!r}: expected ROLE=URL (or ROLE=URL#MODEL; ROLE may be '*')")
        if role != "*" and role not in ROLES:
            raise ConfigError(f"--endpoint {item!r}: unknown role {role!r}; roles: *, {', '.join(ROLES)}")
        url, _, model = target.strip().partition("#")
        if not url.startswith(("http://", "https://")):
            raise ConfigError(f"--endpoint {item!r}: the URL must start with http:// or https://")
        for r in (CHAT_ROLES if role == "*" else (role,)):
            out[r] = (url.rstrip("/"), model or None)
    return out


def _apply_endpoints(merged: dict, endpoints: Mapping[str, tuple[str, str | None]]) -> None:
    """Point roles at one URL: keep each role's endpoint options (timeouts, method), replace URL and replicas."""
    roles = merged.setdefault("roles", {})
    for role, (url, model) in endpoints.items():
        cfg = roles.setdefault(role, {})
        first = (cfg.get("endpoints") or [{}])[0]
        cfg["endpoints"] = [{**first, "url": url, "model": model or first.get("model") or role}]


def load_settings(
    profile: str | None = None,
    overrides: Mapping[str, Any] | None = None,
    env: Mapping[str, str] | None = None,
    endpoints: Sequence[str] | None = None,
) -> Settings:
    """Resolve settings with the documented precedence."""
    env = os.environ if env is None else env
    name = profile or env.get("BIOPIPELINES_PROFILE") or DEFAULT_PROFILE
    base, path = load_profile(name)
    merged = base.model_dump()
    for var, key in _ENV_OVERRIDES.items():
        if env.get(var):
            merged[key] = env[var]
    for key, value in (overrides or {}).items():
        if value is not None:
            merged[key] = value
    _apply_endpoints(merged, parse_endpoint_overrides(endpoints))
    try:
        resolved = Profile.model_validate(merged)
    except ValidationError as exc:
        err = exc.errors()[0]
        key = ".".join(str(p) for p in err["loc"])
        raise ConfigError(f"setting {key}: {err['msg']} (from environment or arguments over {path})") from None
    db = env.get("BIOPIPELINES_CHECKPOINT_DB")
    extra = {"checkpoint_db": Path(db).expanduser()} if db else {}
    return Settings(profile=resolved, profile_source=str(path), **extra)
