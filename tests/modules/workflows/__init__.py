"""The workflow runs the module checks share (harness data, like nf-core's test-datasets): each family file holds
a `WORKFLOWS` table (name -> recipe, entities, synthetic data...) and `build(name, tmp) -> Run`, which plans,
renders, configures and runs one of them. `build()` below finds the family that owns a name; the session fixture
`runs` (tests/modules/conftest.py) calls it at most once per workflow.
"""

from __future__ import annotations

from types import ModuleType

import pytest

from tests.modules.harness import Run
from tests.modules.workflows import (
    cnv, core, gwas, hic_somatic, imputation, longread_assembly, longread_isoforms, metagenome_assembly, metagenomics,
    outbreak, pangenome, sample_identity, sc_fusion, smallrna_ribo, splice_methyl,
)

FAMILIES: tuple[ModuleType, ...] = (core, hic_somatic, longread_assembly, metagenome_assembly, metagenomics,
                                    sc_fusion, smallrna_ribo, splice_methyl, pangenome, cnv, longread_isoforms, gwas,
                                    sample_identity, imputation, outbreak)


def owners() -> dict[str, ModuleType]:
    """Workflow name -> the family module that builds it; a name two families define is an error."""
    found: dict[str, ModuleType] = {}
    for family in FAMILIES:
        clash = set(family.WORKFLOWS) & set(found)
        if clash:
            raise ValueError(f"{family.__name__} defines workflows another family already defines: {sorted(clash)}")
        found.update(dict.fromkeys(family.WORKFLOWS, family))
    return found


def build(name: str, tmp: pytest.TempPathFactory) -> Run:
    return owners()[name].build(name, tmp)
