"""One way to read a YAML file into pydantic: every problem is one line naming the file, the key and what is wrong.

Config, catalogue, lexicon, safety rules and deployment plans all load through here, each raising its own
UserError subclass (ConfigError by default), so the CLI prints one line and exits 2.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from biopipelines.core import yaml_io
from biopipelines.core.errors import ConfigError, UserError

M = TypeVar("M", bound=BaseModel)


def read_yaml(path: Path, error: type[UserError] = ConfigError) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise error(f"{path}: cannot read: {exc}") from None
    try:
        return yaml_io.load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1} column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise error(f"{path}:{where}: YAML syntax error: {problem}") from None


def one_line(where: str, exc: ValidationError) -> str:
    """`where: key.path: message (+N more)`: the first problem of a validation error, as a user reads it."""
    err = exc.errors()[0]
    key = ".".join(str(p) for p in err["loc"]) or "(top level)"
    more = f" (+{exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
    return f"{where}: {key}: {err['msg']}{more}"


def validate(model: type[M], data: Any, where: str | Path, error: type[UserError] = ConfigError) -> M:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise error(one_line(str(where), exc)) from None


def read_config(model: type[M], path: Path, error: type[UserError] = ConfigError) -> M:
    """A YAML file validated into `model`; any problem is one `error` line naming the file and the key."""
    return validate(model, read_yaml(path, error), path, error)
