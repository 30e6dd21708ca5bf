"""Catalogue lint, in the spirit of nf-core `modules lint`: every module folder has the same files and fields.

`lint_catalogue()` returns a list of problems (empty when the catalogue is clean); the unit tests fail on any.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from biopipelines.library.catalogue import LIBRARY_ROOT, MODULE_FILES, parse_model, read_yaml
from biopipelines.library.errors import CatalogueError
from biopipelines.library.models import ModuleSpec

PIN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*=[0-9][A-Za-z0-9_.]*$")  # pkg=version, nothing looser
RULE_DIRECTIVES = ("log:", "benchmark:", "threads:", "resources:", "conda:")
CARD_FIELDS = ("id", "title", "tool", "tags")
WORKFLOW_KEYS = {"samples", "read_layout", "organism", "genome_build", "annotation", "reference"}


def _env_problems(folder: Path, module: ModuleSpec) -> list[str]:
    path = folder / "environment.yaml"
    env = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    problems = []
    if env.get("channels") != ["conda-forge", "bioconda"]:
        problems.append(f"{path}: channels must be [conda-forge, bioconda] in that order")
    deps = env.get("dependencies") or []
    for dep in deps:
        if not isinstance(dep, str) or not PIN.match(dep):
            problems.append(f"{path}: dependency {dep!r} is not pinned as pkg=version")
    if sorted(deps) != sorted(p.spec for p in module.packages):
        problems.append(f"{path}: dependencies {deps} differ from meta.yaml packages "
                        f"{[p.spec for p in module.packages]}")
    return problems


def _rule_problems(folder: Path, module: ModuleSpec) -> list[str]:
    path = folder / "rule.smk.j2"
    text = path.read_text(encoding="utf-8")
    cached = re.search(r"^\s+cache:", text, re.M)
    # Snakemake refuses a benchmark on a rule cached between workflows: a cache hit has no run to time
    required = [d for d in RULE_DIRECTIVES if not (cached and d == "benchmark:")]
    problems = [f"{path}: missing `{d}`" for d in required if not re.search(rf"^\s+{d}", text, re.M)]
    if cached and re.search(r"^\s+benchmark:", text, re.M):
        problems.append(f"{path}: a rule with `cache:` cannot have `benchmark:` (Snakemake refuses both)")
    if cached and module.scope != "reference":
        problems.append(f"{path}: only reference preparation (scope: reference) is cached between workflows")
    for port in module.outputs:
        if port.report and (port.directory or port.temp):
            problems.append(f"{path}: output {port.name} is in the report but is a directory or temporary")
    if not re.search(rf"^rule {module.id}:", text, re.M):
        problems.append(f"{path}: the rule must be named {module.id}")
    if module.script and "script:" not in text:
        problems.append(f"{path}: meta.yaml names a script but the rule has no script: directive")
    for kind, ports in (("input", module.inputs), ("output", module.outputs)):
        used = set(re.findall(rf"{{{{\s*{kind}\.(\w+)", text))
        unknown = used - {p.name for p in ports}
        if unknown:
            problems.append(f"{path}: {kind}.{', '.join(sorted(unknown))} not declared in meta.yaml")
    params = set(re.findall(r'{{\s*cfg\s*}}\["(\w+)"\]', text)) | set(
        re.findall(rf"""config\[["']{module.id}["']\]\[["'](\w+)["']\]""", text))
    if params - set(module.params):
        problems.append(f"{path}: parameters {sorted(params - set(module.params))} not declared in meta.yaml")
    if set(module.params) - params:
        problems.append(f"{path}: meta.yaml parameters {sorted(set(module.params) - params)} unused by the rule")
    keys = set(re.findall(r"""config\[["'](\w+)["']\]""", text)) - {module.id} - WORKFLOW_KEYS
    if keys - set(module.config_keys):
        problems.append(f"{path}: reads config keys {sorted(keys - set(module.config_keys))} not listed in "
                        "config_keys")
    return problems


def _card_problems(folder: Path, module: ModuleSpec, seen_ids: dict[str, str]) -> list[str]:
    path = folder / "card.md"
    parts = path.read_text(encoding="utf-8").split("---", 2)
    if len(parts) < 3 or parts[0].strip():
        return [f"{path}: no YAML front matter"]
    front = yaml.safe_load(parts[1]) or {}
    problems = [f"{path}: front matter lacks {f}" for f in CARD_FIELDS if not front.get(f)]
    card_id = str(front.get("id", ""))
    if not re.match(r"^[a-z0-9_]+$", card_id):
        problems.append(f"{path}: id {card_id!r} must be lowercase")
    if card_id in seen_ids:
        problems.append(f"{path}: id {card_id!r} also used by {seen_ids[card_id]}")
    seen_ids[card_id] = str(path)
    if not front.get("doi") and not front.get("citation"):
        problems.append(f"{path}: a tool card needs a doi (or, for software without a paper, a citation)")
    if front.get("doi") and not re.match(r"^10\.\d{4,9}/\S+$", str(front["doi"])):
        problems.append(f"{path}: doi {front['doi']!r} is not a DOI")
    if len(parts[2].split()) < 80:
        problems.append(f"{path}: the card body is too short to be useful (under 80 words)")
    return problems


def lint_module(folder: Path, seen_ids: dict[str, str] | None = None) -> list[str]:
    missing = [f"{folder}: missing {name}" for name in MODULE_FILES if not (folder / name).is_file()]
    if missing:
        return missing
    try:
        module = parse_model(ModuleSpec, read_yaml(folder / "meta.yaml"), folder / "meta.yaml")
    except CatalogueError as exc:
        return [str(exc)]
    problems = []
    if module.id != folder.name:
        problems.append(f"{folder}/meta.yaml: id {module.id!r} differs from the folder name")
    if module.script and not (folder / "scripts" / module.script).is_file():
        problems.append(f"{folder}: scripts/{module.script} is missing")
    problems += _env_problems(folder, module)
    problems += _rule_problems(folder, module)
    problems += _card_problems(folder, module, seen_ids if seen_ids is not None else {})
    return problems


def _test_problems(folder: Path) -> list[str]:
    """A module whose tool Debian packages must carry an execution test beside it (test/check.py, as nf-core lint
    checks that a module has its tests), run for real by tests/modules/."""
    try:
        module = parse_model(ModuleSpec, read_yaml(folder / "meta.yaml"), folder / "meta.yaml")
    except CatalogueError:
        return []  # already reported by lint_module
    if module.debian and not (folder / "test" / "check.py").is_file():
        return [f"{folder}: {module.id} runs Debian-packaged tools ({', '.join(d.package for d in module.debian)}) "
                "but no execution test runs it (test/check.py is missing)"]
    return []


def lint_catalogue(root: Path | str | None = None, execution_tests: bool = False) -> list[str]:
    """Problems in every module folder under root/modules (default: this package's catalogue). With
    `execution_tests` (a source checkout: the wheel does not ship test/ folders), a Debian-packaged module without
    test/check.py is a problem too."""
    modules = Path(root or LIBRARY_ROOT) / "modules"
    seen: dict[str, str] = {}
    problems = []
    for folder in sorted(p for p in modules.iterdir() if p.is_dir()):
        problems += lint_module(folder, seen)
        if execution_tests:
            problems += _test_problems(folder)
    return problems
