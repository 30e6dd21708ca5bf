"""Turn Snakemake's console output into short, fix-oriented feedback (for a person or an LLM coder)."""

from __future__ import annotations

import re
from pathlib import Path

_LINT_TARGET = re.compile(
    r"^Lints for (?:rule (?P<rule>\S+) \(line (?P<line>\d+), (?P<file>.+)\)|snakefile (?P<sf>.+)):$")
_LINT_ITEM = re.compile(r"^ {4}\* (?P<title>.+):$")
_ERROR_START = re.compile(r"^(?:[A-Z]\w*(?:Error|Exception|Exit)\b|Error\b|Traceback \(most recent call last\))")
_FRAME = re.compile(r'^\s*File "(?P<file>[^"]+)", line \d+')
_BANNER_KEYS = re.compile(r"^\s+(?:Date|Workflow ID|Platform|Host|User|Snakemake version|Python version|Command|"
                          r"Snakefile|Base directory|Run directory|Working directory|Config file\(s\)|Config MD5):")
_NOISE = (
    "Assuming unrestricted shared filesystem usage.", "Building DAG of jobs...", "SNAKEMAKE", "=========",
    "Select jobs to execute...", "host:", "Using shell:", "Provided cores:", "Rules claiming more threads",
)
_JOB_ROW = re.compile(r"^(?P<rule>\S+)\s+(?P<count>\d+)$")


def relativize(text: str, work_dir: Path) -> str:
    """Sandbox paths -> paths relative to the workflow root, as the coder wrote them."""
    root = str(work_dir)
    return text.replace(root + "/", "").replace(root, ".")


def parse_lints(text: str) -> list[str]:
    """One line per lint: "rule align (workflow/rules/align.smk line 3): No log directive defined"."""
    lints: list[str] = []
    target: str | None = None
    for line in text.splitlines():
        header = _LINT_TARGET.match(line)
        if header:
            if header["rule"]:
                target = f"rule {header['rule']} ({header['file']} line {header['line']})"
            else:
                target = header["sf"]
            continue
        item = _LINT_ITEM.match(line)
        if item and target:
            lints.append(f"{target}: {item['title'].rstrip('.')}")
        elif line and not line.startswith(" "):
            target = None
    return lints


def job_summary(text: str) -> str:
    """ "3 jobs: a x2, all x1" from the first 'Job stats' table of a dry run."""
    rows: list[tuple[str, int]] = []
    lines = text.splitlines()
    try:
        start = lines.index("Job stats:")
    except ValueError:
        return "no jobs to run (all outputs exist or no targets)" if "Nothing to be done" in text else ""
    for line in lines[start + 3:]:
        row = _JOB_ROW.match(line.strip())
        if not row:
            break
        rows.append((row["rule"], int(row["count"])))
    jobs = dict(rows)
    total = jobs.pop("total", sum(jobs.values()))
    return f"{total} jobs: " + ", ".join(f"{rule} x{count}" for rule, count in jobs.items())


def summarize_error(text: str, limit: int = 1500) -> str:
    """The error itself, without banner, progress lines or frames inside Snakemake/Python; at most `limit` chars."""
    lines = [line.rstrip() for line in text.splitlines() if not _is_noise(line)]
    start = next((i for i, line in enumerate(lines) if _ERROR_START.match(line)), None)
    if start is None:
        lines = lines[-20:]
    else:
        lines = lines[start:]
    kept: list[str] = []
    skip_frame = False
    for line in lines:
        frame = _FRAME.match(line)
        if frame:
            skip_frame = _is_library(frame["file"])
            if skip_frame:
                continue
        elif skip_frame and line.startswith((" ", "\t")):
            continue  # the code and caret lines under a library frame
        else:
            skip_frame = False
        if line.strip() or (kept and kept[-1].strip()):
            kept.append(line)
    return _clip("\n".join(kept).strip(), limit)


def _is_noise(line: str) -> bool:
    stripped = line.strip()
    return bool(_BANNER_KEYS.match(line)) or any(stripped.startswith(noise) for noise in _NOISE)


def _is_library(path: str) -> bool:
    return path.startswith("/") or "site-packages" in path or path.startswith("<")


def _clip(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text.rfind("\n", 0, limit - 20)
    return text[: cut if cut > 0 else limit - 20] + "\n[... output cut ...]"
