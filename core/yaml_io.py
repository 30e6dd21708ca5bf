"""YAML through libyaml where PyYAML was built with it, else PyYAML's pure-Python classes; the safe subset either
way. A workflow render parses and dumps its config on every request, and the pure-Python classes made that ~90% of
the render's time (about 9 of 10 ms); libyaml does the same in a tenth."""

from __future__ import annotations

from typing import Any

import yaml

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def load(text: str) -> Any:
    return yaml.load(text, Loader=_LOADER)  # noqa: S506 - a safe loader (libyaml's or PyYAML's)


def dump(data: Any, *, sort_keys: bool = False) -> str:
    return yaml.dump(data, Dumper=_DUMPER, sort_keys=sort_keys, allow_unicode=False)
