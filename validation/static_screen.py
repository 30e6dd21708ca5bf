"""The static screen: decide, without executing anything, whether a generated workflow may be handed to Snakemake.

Screens workflow/Snakefile, every *.smk file and whatever they include, after translating Snakemake syntax into the
Python that Snakemake would run (snakefile_parser). The policy itself lives in screen_rules.
"""

from __future__ import annotations

import ast
import posixpath
import re
import threading
from collections.abc import Mapping
from functools import lru_cache
from typing import NamedTuple

from biopipelines.validation import screen_rules as rules
from biopipelines.validation.python_screen import Finding, collect_aliases, include_targets, scan_python
from biopipelines.validation.snakefile_parser import SnakefileSyntaxError, Translation, TranslatorUnavailable, translate

SNAKEFILE_NAMES: tuple[str, ...] = ("workflow/Snakefile", "Snakefile", "workflow/snakefile", "snakefile")
# CPython 3.11 keeps the AST builder's recursion count per interpreter, not per thread: two ast.parse calls at once
# (a served graph screens in many threads) can fail with "SystemError: AST constructor recursion depth mismatch"
# (CPython gh-106905, seen here under `serve` at 50 sessions). One parse at a time; each takes about a millisecond.
_AST_LOCK = threading.Lock()


class _Parsed(NamedTuple):
    findings: list[str]
    includes: list[str]
    tree: ast.Module | None = None
    translation: Translation | None = None
    syntax_error: SnakefileSyntaxError | None = None


def snakemake_sources(files: Mapping[str, str]) -> list[str]:
    """The Snakemake files Snakemake itself could load: the Snakefile first, then every *.smk file."""
    entries = [name for name in SNAKEFILE_NAMES if name in files]
    entries += sorted(name for name in files if name.endswith(".smk"))
    return entries


def screen_workflow(files: Mapping[str, str]) -> list[str]:
    """Findings (one readable line each); an empty list means the workflow may be run in the sandbox.

    `files` maps paths relative to the workflow's root (workflow/Snakefile, workflow/rules/x.smk, ...) to text.
    """
    findings = [f"{name}: file path leaves the workflow directory [path-outside]"
                for name in files if _unsafe_name(name)]
    parsed, include_findings = _parse_reachable(files)
    findings += include_findings
    # included files share one namespace, so an alias imported in one file counts in all of them
    texts = {name: files[name] for name, item in parsed.items() if item.tree is not None}
    aliases: dict[str, str] = {}
    for name, text in texts.items():
        aliases.update(_aliases(name, text))
    shared = tuple(sorted(aliases.items()))
    for name, item in parsed.items():
        findings += item.findings
        if item.tree is not None and item.translation is not None:
            findings += _scan(name, texts[name], shared)
    return list(dict.fromkeys(findings))


# A workflow is mostly the library's vetted rule files, the same text request after request: each file's aliases and
# findings are pure functions of (name, text, the namespace's aliases), so they are computed once per process.
@lru_cache(maxsize=256)
def _aliases(name: str, text: str) -> tuple[tuple[str, str], ...]:
    return tuple(collect_aliases(_parse(name, text).tree).items())


@lru_cache(maxsize=512)
def _scan(name: str, text: str, aliases: tuple[tuple[str, str], ...]) -> tuple[str, ...]:
    item = _parse(name, text)
    found = scan_python(item.tree, item.translation.source_line, dict(aliases))
    return tuple(_format(name, f) for f in sorted(found, key=lambda f: f.line or 0))


def syntax_errors(files: Mapping[str, str]) -> list[SnakefileSyntaxError]:
    """Syntax errors of every Snakemake file that the workflow loads, located in the source files."""
    parsed, _ = _parse_reachable(files)
    return [item.syntax_error for item in parsed.values() if item.syntax_error is not None]


def _parse_reachable(files: Mapping[str, str]) -> tuple[dict[str, _Parsed], list[str]]:
    """Translate the Snakefile, every *.smk file and, transitively, what they include."""
    parsed: dict[str, _Parsed] = {}
    findings: list[str] = []
    queue = [(name, None) for name in snakemake_sources(files)]
    while queue:
        name, included_by = queue.pop(0)
        if name in parsed or _unsafe_name(name):
            continue
        if name not in files:
            if included_by:  # Snakemake would fail here too; say so before anything runs
                findings.append(f"{included_by}: includes {name!r}, which is not among the workflow's files "
                                "[include-missing]")
            continue
        parsed[name] = _parse(name, files[name])
        for include in parsed[name].includes:
            target = posixpath.normpath(posixpath.join(posixpath.dirname(name), include))
            if target.startswith("../"):
                findings.append(f"{name}: includes {include!r}, outside the workflow [py-include-outside]")
            else:
                queue.append((target, name))
    return parsed, findings


def _unsafe_name(name: str) -> bool:
    return name.startswith(("/", "~")) or ".." in name.replace("\\", "/").split("/")


def _format(name: str, finding: Finding) -> str:
    where = f"{name} line {finding.line}" if finding.line else name
    return f"{where}: {finding.message} [{finding.rule_id}]"


# The validator and safety_out screen the same rule files in one turn: translate each text once. Results are only
# read by callers (findings are copied, trees walked), so sharing them is safe.
@lru_cache(maxsize=256)
def _parse(name: str, text: str) -> _Parsed:
    if len(text.encode("utf-8", "replace")) > rules.MAX_SOURCE_BYTES:
        return _Parsed([f"{name}: larger than {rules.MAX_SOURCE_BYTES} bytes, not screened and not run [too-large]"],
                       [])
    try:
        translation = translate(text, name)
    except SnakefileSyntaxError as exc:
        # Snakemake cannot run a file it cannot parse either; scan the raw text for the worst patterns anyway.
        return _Parsed(_text_scan(name, text), [], syntax_error=exc)
    except TranslatorUnavailable as exc:
        return _Parsed([f"{name}: cannot be screened ({exc}); refusing to run it [screen-unavailable]"], [])
    except Exception as exc:  # noqa: BLE001 -- whatever the translator trips on, fail closed rather than run it
        return _Parsed([f"{name}: cannot be screened ({exc.__class__.__name__}: {exc}); refusing to run it "
                        "[screen-unavailable]"], [])
    try:
        tree = parse_python(translation.code, name)
    except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
        return _Parsed([f"{name}: cannot be screened ({exc.__class__.__name__}); refusing to run it "
                        "[screen-unavailable]"], [])
    return _Parsed([], include_targets(tree), tree, translation)


def parse_python(code: str, name: str) -> ast.Module:
    with _AST_LOCK:
        return ast.parse(code, filename=name)


def _text_scan(name: str, text: str) -> list[str]:
    """A coarse scan for files that do not parse: imports, exec-like calls and the shell patterns."""
    modules = "|".join(sorted(rules.NETWORK_MODULES | rules.PROCESS_MODULES | rules.DYNAMIC_CODE_MODULES))
    python_patterns = (
        ("py-import", re.compile(rf"^\s*(?:import|from)\s+(?:{modules})\b", re.MULTILINE),
         "imports a forbidden module"),
        ("py-dynamic-code", re.compile(r"\b(?:eval|exec|__import__)\s*\("), "runs text as code"),
        ("py-process-call", re.compile(r"\bos\.(?:system|popen|exec\w*|spawn\w*)\s*\("), "spawns a process"),
    )
    found = []
    for rule_id, pattern, message in python_patterns:
        for match in pattern.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            found.append(f"{name} line {line}: {message} (file does not parse; scanned as text) [{rule_id}]")
    for rule in rules.SHELL_PATTERNS:
        match = rule.pattern.search(text)
        if match:
            line = text.count("\n", 0, match.start()) + 1
            found.append(f"{name} line {line}: {rule.message} (file does not parse; scanned as text) [{rule.rule_id}]")
    return found
