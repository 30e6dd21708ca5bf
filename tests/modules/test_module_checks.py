"""Every catalogue module's own check (library/modules/<id>/test/check.py), run the way snakemake-wrappers tests its
wrappers: the module's shared workflow (tests/modules/workflows/) is planned and rendered by the library, run by
Snakemake once per session (no conda: the Debian tools on PATH) on synthetic data with a planted truth, and the
module's output content is checked there.

A workflow's checks skip only when a binary its modules need is missing, naming it (CI installs them with apt).
"""

from __future__ import annotations

import pytest

from tests.modules.checks import check_paths, module_check
from tests.modules.harness import RunOnce
from tests.modules.workflows import owners


@pytest.mark.parametrize("module", sorted(check_paths()))
def test_module_output_content(runs: RunOnce, module: str) -> None:
    found = module_check(module)
    runs.check(module, found.workflow, found.check)


def test_every_module_check_names_a_shared_workflow_and_its_planted_truth() -> None:
    workflows = owners()
    for module in check_paths():
        found = module_check(module)
        assert found.workflow in workflows, f"{module}: WORKFLOW {found.workflow!r} is not a shared workflow"
        assert found.doc.strip(), f"{module}: test/check.py has no docstring saying what planted truth it checks"
