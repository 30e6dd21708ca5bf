"""The phasing and imputation workflow on library/testdata/synthetic_imputation.py's panel and held-out cohort
(array sites only, with planted QC failures), run with Debian's bcftools, tabix, shapeit4 and beagle.

`imputation_shapeit4` is the recipe's default (SHAPEIT4 phasing, Beagle imputation); `imputation_beagle` phases
with Beagle too (the phasing step's alternative).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from biopipelines.core.schemas import Entities
from biopipelines.library.testdata import synthetic_imputation as si
from tests.modules.harness import Run, execute, render, skip_unless_installed

WORKFLOWS: dict[str, Entities] = {
    "imputation_shapeit4": Entities(),
    "imputation_beagle": Entities(tools_requested=["beagle_phase"]),
}
# A toy panel descended from 8 founders has a tiny effective size: Beagle's human default (100000) would make its
# model expect far more recombination between the panel's haplotypes than there is.
TOY_NE = 20000


def _configure(root: Path, paths: dict[str, Path]) -> dict:
    """Point config.yaml at the synthetic cohort, panel and genetic map."""
    config_path = root / "config" / "config.yaml"
    config = yaml.safe_load(config_path.read_text())
    config["genotypes"]["vcf"] = str(paths["vcf"])
    config["reference"].update(panel=str(paths["panel"]), genetic_map=str(paths["genetic_map"]))
    for module in ("beagle_phase", "beagle_impute"):
        if module in config:
            config[module]["ne"] = TOY_NE
    config_path.write_text(yaml.safe_dump(config, sort_keys=False))
    return config


def build(name: str, tmp: pytest.TempPathFactory) -> Run:
    root = tmp.mktemp(name)
    modules = render(root, "phasing_imputation", WORKFLOWS[name])
    skip_unless_installed(name, modules)
    paths = si.write_all(tmp.mktemp(f"{name}_data"))
    config = _configure(root, paths)
    return execute(root, modules, config, timeout=600)
