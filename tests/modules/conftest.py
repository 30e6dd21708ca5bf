"""Execution tests of library modules: they run real tools on synthetic data (marker `modules`, added here so the
test files can also be imported by other tests without an unregistered-marker warning).

tests/modules/ is the shared harness of the catalogue's module checks (library/modules/<id>/test/check.py):
harness.py renders and runs a workflow, workflows/ defines the shared workflow runs, synthetic_*.py (on the package's
library/testdata/synthetic.py) make the shared test datasets with their planted truths (like nf-core's
test-datasets), readers.py and outputs_<family>.py read tool outputs for several checks, and test_modules_*.py keep
the end-to-end tests of whole workflows."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.modules.harness import RunOnce
from tests.modules.workflows import build

HERE = Path(__file__).resolve().parent


def pytest_configure(config):
    config.addinivalue_line("markers", "modules: runs library modules for real with the Debian tools on PATH")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if HERE in Path(str(item.fspath)).resolve().parents:
            item.add_marker("modules")


@pytest.fixture(scope="session")
def runs(tmp_path_factory: pytest.TempPathFactory) -> RunOnce:
    """Each shared workflow built and run at most once per session, on first use."""
    return RunOnce(lambda name: build(name, tmp_path_factory))
