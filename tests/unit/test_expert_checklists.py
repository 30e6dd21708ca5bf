"""Per-recipe expert checklists (library/checklists/*.yaml): every recipe has one, every item names its source, and
every item is checked against a render of its recipe (for the request the item names), not just declared."""

from __future__ import annotations

import pytest

from biopipelines.core.schemas import Entities
from biopipelines.library import load_library
from biopipelines.library.checklist import ChecklistItem, failures, load_checklists
from biopipelines.library.render.snakemake import render_workflow

CHECKLISTS = load_checklists()
ITEMS = [(recipe, item) for recipe, checklist in sorted(CHECKLISTS.items()) for item in checklist.items]


@pytest.fixture(scope="module")
def library():
    return load_library()


@pytest.fixture(scope="module")
def render(library):
    cache: dict[str, dict[str, str]] = {}

    def files(recipe: str, item: ChecklistItem) -> dict[str, str]:
        key = f"{recipe}:{sorted(item.request.items())}"
        if key not in cache:
            plan = library.plan(recipe, Entities(organism="human", **item.request))
            cache[key] = render_workflow(plan, library)
        return cache[key]

    return files


def test_every_recipe_has_a_checklist(library):
    assert set(CHECKLISTS) == set(library.recipes)


@pytest.mark.parametrize("recipe,item", ITEMS, ids=[f"{r}-{i.id}" for r, i in ITEMS])
def test_checklist_item_holds_in_the_rendered_workflow(render, recipe, item):
    assert item.source.strip() and item.practice.strip()
    assert failures(item, render(recipe, item)) == []


def test_a_failing_check_is_reported():
    item = ChecklistItem.model_validate({"id": "x", "practice": "p", "source": "s", "checks": [
        {"file": "a.txt", "contains": ["here", "missing"], "absent": ["here"]}, {"file": "b/*.smk", "matches": ["^z"]}]})
    problems = failures(item, {"a.txt": "here"})
    assert problems == ["x: a.txt lacks 'missing'", "x: a.txt still has 'here'", "x: no rendered file b/*.smk"]
