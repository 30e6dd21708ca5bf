"""The offline intent tier's vocabularies, read from nodes/offline/data/*.yaml and the library's tool registry
(library/tools.yaml), validated once per process.

Each YAML file documents its own conventions in its header; this module only types and loads them.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator

from biopipelines.core.errors import ConfigError
from biopipelines.core.yaml_files import read_config, read_yaml
from biopipelines.library.models import RegisteredTool
from biopipelines.library.tool_registry import load_tool_registry

DATA_DIR = Path(__file__).resolve().parent / "data"
ANALYSIS_TYPES_FILE = Path(__file__).resolve().parents[2] / "library" / "analysis_types.yaml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class StepEntry(_Strict):
    id: str = Field(pattern=r"^[a-z0-9_]+$")
    aliases: list[str] = Field(min_length=1)


class BuildEntry(_Strict):
    name: str
    aliases: list[str] = Field(min_length=1)


class OrganismEntry(_Strict):
    id: str = Field(pattern=r"^[a-z0-9_]+$")
    aliases: list[str] = Field(min_length=1)
    builds: list[BuildEntry] = Field(default_factory=list)


class ConditionEntry(_Strict):
    id: str = Field(pattern=r"^[a-z0-9_]+$")
    aliases: list[str] = Field(min_length=1)


class WeightedPattern(_Strict):
    w: float = Field(gt=0)
    re: str

    @field_validator("re")
    @classmethod
    def _compiles(cls, value: str) -> str:
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"bad regex {value!r}: {exc}") from None
        return value


class StepLexicon(_Strict):
    steps: list[StepEntry]


class ToolLexicon(_Strict):
    """Tools (the library's registry, library/tools.yaml) and whole steps (steps.yaml) a request may name."""

    tools: list[RegisteredTool]
    steps: list[StepEntry]


class OrganismLexicon(_Strict):
    organisms: list[OrganismEntry]
    fuzzy_blocklist: list[str] = Field(default_factory=list)


class ConditionLexicon(_Strict):
    conditions: list[ConditionEntry]
    condition_stopwords: list[str]
    numbers: dict[str, int]
    sample_nouns: list[str]
    group_nouns: dict[str, int]
    replicate_nouns: list[str]


class AssayPatterns(_Strict):
    analysis_types: dict[str, list[WeightedPattern]]
    fuzzy_vocabulary: list[str]


class IntentPatterns(_Strict):
    intents: dict[str, list[WeightedPattern]]


class Exemplars(_Strict):
    intents: dict[str, list[str]]
    analysis_types: dict[str, list[str]]


class ClarifyTexts(_Strict):
    """Templates for the clarifying questions (kept out of code, like prompts)."""

    which_assay: str
    which_assay_and_organism: str
    which_of: str
    assay_examples: str


class Lexicon(_Strict):
    tools: ToolLexicon
    organisms: OrganismLexicon
    conditions: ConditionLexicon
    assays: AssayPatterns
    intents: IntentPatterns
    exemplars: Exemplars
    clarify: ClarifyTexts
    analysis_types: tuple[str, ...]
    analysis_titles: dict[str, str]


def _load(model: type[BaseModel], path: Path) -> BaseModel:
    return read_config(model, path)


def _analysis_types() -> tuple[tuple[str, ...], dict[str, str]]:
    raw = read_yaml(ANALYSIS_TYPES_FILE)
    try:
        entries = raw["analysis_types"]
        slugs = tuple(str(e["slug"]) for e in entries)
        titles = {str(e["slug"]): str(e["title"]) for e in entries}
    except (KeyError, TypeError):
        raise ConfigError(f"{ANALYSIS_TYPES_FILE}: expected analysis_types: [{{slug, title}}, ...]") from None
    return slugs, titles


def _check_slugs(lex: Lexicon) -> None:
    """Every slug named in the data must exist in library/analysis_types.yaml, and every type needs patterns."""
    known = set(lex.analysis_types)
    named = set(lex.assays.analysis_types) | set(lex.exemplars.analysis_types)
    for tool in lex.tools.tools:
        named |= set(tool.implies)
    unknown = sorted(named - known)
    if unknown:
        raise ConfigError(f"{DATA_DIR}: analysis types not in {ANALYSIS_TYPES_FILE.name}: {unknown}")
    missing = sorted(known - set(lex.assays.analysis_types))
    if missing:
        raise ConfigError(f"{DATA_DIR / 'assays.yaml'}: no patterns for analysis types {missing}")


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """All vocabularies, validated; read once per process (the files are package data, not user config)."""
    slugs, titles = _analysis_types()
    lex = Lexicon(
        tools=ToolLexicon(tools=list(load_tool_registry()), steps=_load(StepLexicon, DATA_DIR / "steps.yaml").steps),
        organisms=_load(OrganismLexicon, DATA_DIR / "organisms.yaml"),
        conditions=_load(ConditionLexicon, DATA_DIR / "conditions.yaml"),
        assays=_load(AssayPatterns, DATA_DIR / "assays.yaml"),
        intents=_load(IntentPatterns, DATA_DIR / "intents.yaml"),
        exemplars=_load(Exemplars, DATA_DIR / "exemplars.yaml"),
        clarify=_load(ClarifyTexts, DATA_DIR / "clarify.yaml"),
        analysis_types=slugs,
        analysis_titles=titles,
    )
    _check_slugs(lex)
    return lex
