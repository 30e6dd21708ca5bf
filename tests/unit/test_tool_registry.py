"""One place for a tool's spellings: the library's tool registry (library/tools.yaml). The offline intent tier and
the library's ToolIndex both read it, and no module repeats a spelling of its own tool in meta.yaml."""

from __future__ import annotations

import re

import pytest

from biopipelines.core.errors import ConfigError
from biopipelines.library import load_library
from biopipelines.library.tool_registry import load_tool_registry
from biopipelines.nodes.offline.lexicon import load_lexicon

WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9+._-]*")


def words(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]", "", w.lower()) for w in WORD.findall(text))


def test_the_offline_lexicon_reads_the_registry():
    assert load_lexicon().tools.tools == list(load_tool_registry())


def test_no_module_repeats_a_spelling_of_its_own_tool():
    library = load_library()
    repeated = {module_id: [a for a in library.module(module_id).aliases if words(a) in {words(s) for s in spellings}]
                for module_id, spellings in library.tool_index.registry_names.items()}
    assert {m: a for m, a in repeated.items() if a} == {}


def test_a_registry_spelling_names_the_module_of_a_one_module_family():
    index = load_library().tool_index
    assert index.match("Trim Galore") == {"trim_galore"}  # the spelling lives only in library/tools.yaml
    assert "Trim Galore" not in load_library().module("trim_galore").aliases
    assert index.match("metaFlye") == {"flye"}


def test_a_suite_spelling_names_no_single_module_of_a_bigger_family():
    # "GATK4" spells the whole suite; the library runs nine GATK programs, so it names none of them strongly
    names = load_library().tool_index.registry_names
    assert not {m for m in names if m.startswith("gatk_")}
    assert names["flye"] == next(t.aliases for t in load_tool_registry() if t.id == "flye")


def test_a_duplicate_registry_entry_is_one_line(tmp_path):
    path = tmp_path / "tools.yaml"
    path.write_text("tools:\n  - {id: star, aliases: [STAR]}\n  - {id: star, aliases: [Star]}\n")
    with pytest.raises(ConfigError, match="listed twice"):
        load_tool_registry(path)
