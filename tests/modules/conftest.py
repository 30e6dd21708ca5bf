"""Execution tests of library modules: they run real tools on synthetic data (marker `modules`, added here so the
test files can also be imported by other tests without an unregistered-marker warning)."""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent


def pytest_configure(config):
    config.addinivalue_line("markers", "modules: runs library modules for real with the Debian tools on PATH")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if HERE in Path(str(item.fspath)).resolve().parents:
            item.add_marker("modules")
