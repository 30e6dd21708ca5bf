"""Per-recipe expert checklists (library/checklists/<recipe>.yaml): best-practice items, each with the nf-core,
GATK or ENCODE source it comes from and checks against the files a render of the recipe writes.

An item is honoured only when every check passes on the rendered workflow (for the request the item names), so a
checklist cannot claim a practice the generated files do not carry. Practices not done yet are listed as gaps, with
why, and are never counted as items.
"""

from __future__ import annotations

import fnmatch
import re
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from biopipelines.library.catalogue import read_yaml

CHECKLIST_DIR = Path(__file__).parent / "checklists"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FileCheck(Strict):
    file: str = Field(description="a rendered path, or a glob over the rendered paths (all matches are joined)")
    contains: list[str] = Field(default_factory=list, description="substrings that must all be there")
    matches: list[str] = Field(default_factory=list, description="regular expressions that must all match")
    absent: list[str] = Field(default_factory=list, description="substrings that must not be there")


class ChecklistItem(Strict):
    id: str
    practice: str
    source: str = Field(description="the nf-core pipeline, GATK or ENCODE guideline the practice comes from")
    request: dict = Field(default_factory=dict, description="Entities fields of the request this item is rendered for")
    checks: list[FileCheck] = Field(min_length=1)


class Gap(Strict):
    practice: str
    source: str
    why: str


class Checklist(Strict):
    recipe: str
    items: list[ChecklistItem] = Field(min_length=1)
    changes: list[str] = Field(default_factory=list, description="what the review changed in the recipe, and why")
    gaps: list[Gap] = Field(default_factory=list)


def load_checklists(folder: Path = CHECKLIST_DIR) -> dict[str, Checklist]:
    lists = [Checklist.model_validate(read_yaml(path)) for path in sorted(folder.glob("*.yaml"))]
    return {c.recipe: c for c in lists}


def _text(files: dict[str, str], pattern: str) -> str | None:
    if pattern in files:
        return files[pattern]
    found = [files[p] for p in sorted(files) if fnmatch.fnmatch(p, pattern)]
    return "\n".join(found) if found else None


def failures(item: ChecklistItem, files: dict[str, str]) -> list[str]:
    """Why the rendered files do not carry the item (empty: they do)."""
    problems = []
    for check in item.checks:
        text = _text(files, check.file)
        if text is None:
            problems.append(f"{item.id}: no rendered file {check.file}")
            continue
        problems += [f"{item.id}: {check.file} lacks {s!r}" for s in check.contains if s not in text]
        problems += [f"{item.id}: {check.file} does not match {r!r}" for r in check.matches
                     if not re.search(r, text, re.MULTILINE)]
        problems += [f"{item.id}: {check.file} still has {s!r}" for s in check.absent if s in text]
    return problems
