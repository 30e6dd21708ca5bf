"""The per-process caches that keep a warm request's CPU down return what a fresh computation would, and fresh
results when their input changes."""

from __future__ import annotations

from pathlib import Path

import pytest

from biopipelines.core.schemas import AskCoverage, Entities
from biopipelines.core.settings import load_settings
from biopipelines.library import load_library
from biopipelines.library.render.snakemake import render_workflow
from biopipelines.llm.factory import ModelFactory
from biopipelines.nodes.deps import NOT_RENDERED, NodeDeps
from biopipelines.nodes.docs import DocsNode, method_notes
from biopipelines.nodes.library_links.tool_lookup import _step_words
from biopipelines.validation.sandbox import Sandbox


@pytest.fixture(scope="module")
def deps() -> NodeDeps:
    settings = load_settings("offline", env={})
    return NodeDeps(settings=settings, models=ModelFactory(settings, env={}))


@pytest.fixture(scope="module")
def plan(deps: NodeDeps):
    return deps.library.plan("rnaseq_de", Entities(organism="mouse", read_layout="paired"))


def test_the_renderer_reads_none_of_the_fields_the_draft_key_leaves_out(deps: NodeDeps, plan) -> None:
    assert NOT_RENDERED == {"notes", "offered", "asks"}
    changed = plan.model_copy(update={"notes": ["a note"], "offered": ["an offer"],
                                      "asks": [AskCoverage(ask="qc", label="QC", covered_by=["fastqc"])]})
    assert render_workflow(changed, deps.library) == render_workflow(plan, deps.library)


def test_draft_is_rendered_once_per_rendered_content(deps: NodeDeps, plan, monkeypatch: pytest.MonkeyPatch) -> None:
    import biopipelines.library.render.snakemake as snakemake

    calls = []
    real = snakemake.render_workflow
    monkeypatch.setattr(snakemake, "render_workflow", lambda p, lib: calls.append(p) or real(p, lib))
    fresh = NodeDeps(settings=deps.settings, models=deps.models)
    fresh.__dict__["library"] = deps.library
    first = fresh.draft(plan)
    first["workflow/Snakefile"] = "edited by a caller"  # a copy: the memo's entry is not touched
    again = fresh.draft(plan.model_copy(update={"asks": [AskCoverage(ask="qc", label="QC")]}))
    assert len(calls) == 1 and again == real(plan, deps.library)
    more = plan.model_copy(update={"samples": plan.samples[:2]})
    assert fresh.draft(more) == real(more, deps.library) != again and len(calls) == 2


def test_docs_reading_is_cached_per_modules_and_recipe(deps: NodeDeps, plan) -> None:
    node = DocsNode(deps)
    first = node.reading(plan)
    assert node.reading(plan.model_copy(update={"samples": []})) is first
    assert first == method_notes(plan, deps.library, deps.knowledge_cards)
    fewer = plan.model_copy(update={"steps": plan.steps[:1]})
    assert node.reading(fewer) == method_notes(fewer, deps.library, deps.knowledge_cards)


def test_step_words_are_per_library(deps: NodeDeps) -> None:
    words = _step_words(deps.library)
    assert isinstance(words, frozenset) and words and _step_words(deps.library) is words
    other = load_library.__wrapped__() if hasattr(load_library, "__wrapped__") else load_library()
    assert _step_words(other) == words


def test_sandbox_writes_a_mapping_straight_into_its_copy(tmp_path: Path) -> None:
    files = {"workflow/Snakefile": "rule all:\n", ".test/data/a.fq": "", ".snakemake/stale": "x", "README.md": "é"}
    with Sandbox(files) as box:
        written = sorted(p.relative_to(box.work_dir).as_posix() for p in box.work_dir.rglob("*") if p.is_file())
        assert written == [".test/data/a.fq", "README.md", "workflow/Snakefile"]  # as a directory copy skips .snakemake
        assert (box.work_dir / "README.md").read_text(encoding="utf-8") == "é"
        root = box.root
    assert not root.exists()


def test_config_schema_cache_follows_the_config_shape() -> None:
    from biopipelines.core import yaml_io
    from biopipelines.library.render.config_files import config_schema, samples_schema

    small = {"read_layout": "paired", "samples": "config/samples.tsv", "star": {"threads": 4}}
    first = config_schema(small)
    assert config_schema({**small, "samples": "other.tsv"}) == first  # values differ, shape does not
    wider = config_schema({**small, "star": {"threads": 4, "extra": "--x"}})
    assert wider != first and "extra" in yaml_io.load(wider)["properties"]["star"]["properties"]
    assert yaml_io.load(samples_schema(["sample", "fq1"]))["required"] == ["sample", "fq1"]
    assert "fq2" in yaml_io.load(samples_schema(["sample", "fq1", "fq2"]))["properties"]


def test_limits_apply_without_prlimit_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    import biopipelines.validation.sandbox as sandbox

    monkeypatch.setattr(sandbox, "_prlimit_prefix", lambda limits: None)  # the preexec_fn fallback
    code = "open('big.bin', 'wb').write(b'0' * (4 * 1024 * 1024))"
    with Sandbox({"a.txt": "x"}, limits=sandbox.SandboxLimits(file_size_bytes=1024 * 1024)) as box:
        assert box.run([sys.executable, "-c", code], 30).returncode != 0
        assert box.run([sys.executable, "-c", "print(open('a.txt').read())"], 30).stdout.strip() == "x"


def test_the_isolation_probe_runs_once_however_many_threads_ask(monkeypatch: pytest.MonkeyPatch) -> None:
    import threading
    import time

    import biopipelines.validation.sandbox as sandbox
    from biopipelines.validation.sandbox import Isolation

    probes = []

    def slow_probe() -> Isolation:
        probes.append(1)
        time.sleep(0.2)
        return Isolation(reason="simulated")

    monkeypatch.setattr(sandbox, "_probe", slow_probe)
    sandbox._probe_once.cache_clear()
    try:
        sandbox.probe_isolation_early()  # returns at once: the probe runs in the background
        answers = []
        threads = [threading.Thread(target=lambda: answers.append(sandbox.detect_isolation())) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(probes) == 1 and {a.reason for a in answers} == {"simulated"}
    finally:
        sandbox._probe_once.cache_clear()  # the next caller probes this machine for real
