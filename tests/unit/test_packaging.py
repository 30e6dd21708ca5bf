"""The wheel's shape, read from pyproject: every code folder is a listed package under biopipelines.*, and the
locks pin every package with hashes. tests/e2e/test_wheel_install.py builds and installs the wheel for real."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
SETUPTOOLS = PYPROJECT["tool"]["setuptools"]
LOCKS = sorted((REPO / "requirements").glob("*.lock"))


def _package_of(folder: Path) -> str:
    """graph/commands -> biopipelines.graph.commands, through pyproject's package-dir."""
    for package, source in SETUPTOOLS["package-dir"].items():
        relative = folder.relative_to(REPO)
        if relative.parts[: len(Path(source).parts)] == Path(source).parts:
            rest = relative.parts[len(Path(source).parts):]
            return ".".join((package, *rest))
    raise AssertionError(f"{folder} is under no mapped folder")


def test_every_code_folder_is_a_listed_package():
    roots = [REPO / source for source in SETUPTOOLS["package-dir"].values()]
    folders = {p.parent for root in roots for p in root.rglob("__init__.py") if "__pycache__" not in p.parts}
    expected = {_package_of(folder) for folder in folders} | {"biopipelines.config"}
    assert set(SETUPTOOLS["packages"]) == expected


def test_nothing_generic_lands_at_the_top_of_site_packages():
    assert all(name.startswith("biopipelines.") for name in SETUPTOOLS["packages"])
    assert PYPROJECT["project"]["scripts"]["biopipelines"].startswith("biopipelines.graph.")


def test_config_and_domain_data_ship_as_package_data():
    data = SETUPTOOLS["package-data"]
    assert "*.yaml" in data["biopipelines.config"] and "profiles/*.yaml" in data["biopipelines.config"]
    assert any(pattern.startswith("modules/") for pattern in data["biopipelines.library"])
    assert "knowledge/*.md" in data["biopipelines.rag"]


def test_module_tests_are_not_shipped():
    """library/modules/<id>/test/ imports tests.*, which the wheel lacks: no package-data glob may reach it
    (setuptools ships the files a glob matches, as Path.glob finds them)."""
    library = REPO / "library"
    patterns = SETUPTOOLS["package-data"]["biopipelines.library"]
    shipped = {path for pattern in patterns for path in library.glob(pattern) if path.is_file()}
    module_tests = set(library.glob("modules/*/test/*.py"))
    assert module_tests and not shipped & module_tests
    assert (library / "modules/fastp/meta.yaml") in shipped  # the module's own files still ship


def test_major_versions_are_bounded_for_the_clients_that_drift():
    bounded = ("openai", "langchain-core", "langchain-openai", "langchain-community", "langgraph",
               "httpx", "snakemake", "sentence-transformers", "torch")
    specs = {re.split(r"[<>=\[ ]", dep, 1)[0]: dep for dep in PYPROJECT["project"]["dependencies"]}
    for name in bounded:
        assert "<" in specs[name], f"{name} has no upper bound: {specs[name]}"


def test_the_locks_pin_every_package_with_hashes():
    assert {p.name for p in LOCKS} == {"dev.lock", "runtime.lock"}
    for lock in LOCKS:
        text = lock.read_text(encoding="utf-8")
        blocks = [b for b in re.split(r"^(?=[A-Za-z0-9])", text, flags=re.M) if b.strip() and not b.startswith("#")]
        assert len(blocks) > 100, lock
        for block in blocks:
            name = block.split()[0]
            assert re.match(r"[A-Za-z0-9_.\-]+==\S+", name), f"{lock.name}: {name} is not pinned exactly"
            assert "--hash=sha256:" in block, f"{lock.name}: {name} has no hash"
        assert not re.search(r"^torch==", text, re.M), "torch is installed first, from the CPU build"


def test_the_runtime_lock_agrees_with_the_dev_lock():
    def pins(lock: Path) -> dict[str, str]:
        return dict(re.findall(r"^([A-Za-z0-9_.\-]+)==([^ \\\n]+)", lock.read_text(encoding="utf-8"), re.M))

    runtime, dev = pins(REPO / "requirements/runtime.lock"), pins(REPO / "requirements/dev.lock")
    assert {name: dev.get(name) for name in runtime} == runtime
