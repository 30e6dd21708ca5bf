"""The GWAS workflow on library/testdata/synthetic_gwas.py's case/control cohort (PLINK fileset, or the same cohort as
a VCF), run with Debian's plink1.9 (through tests/modules/bin/plink) and plink2, Python 3 and R.

REGENIE (the mixed-model alternative of the association step) is not packaged in Debian: its module is generated
and linted, not executed here.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from biopipelines.core.schemas import Entities
from biopipelines.library.testdata import synthetic_gwas as gw
from tests.modules.harness import Run, execute, render, skip_unless_installed

# name -> (entities, input kind)
WORKFLOWS: dict[str, tuple[Entities, str]] = {
    "gwas_plink": (Entities(), "plink"),
    "gwas_vcf": (Entities(tools_requested=["plink2_vcf_import"]), "vcf"),
}


def _configure(root: Path, paths: dict[str, Path]) -> dict:
    """Point config.yaml's genotypes section at the synthetic cohort; the sample sheet lists its IDs."""
    config_path = root / "config" / "config.yaml"
    config = yaml.safe_load(config_path.read_text())
    config["genotypes"].update({key: str(path) for key, path in paths.items()})
    config["genotypes"]["phenotype"] = gw.PHENOTYPE
    config["plink2_pca"]["n_pcs"] = 4  # a 600-sample, 2,000-variant cohort: a few PCs are enough
    config["plink2_glm"]["n_pcs"] = 4
    config_path.write_text(yaml.safe_dump(config, sort_keys=False))
    return config


def build(name: str, tmp: pytest.TempPathFactory) -> Run:
    entities, kind = WORKFLOWS[name]
    root = tmp.mktemp(name)
    modules = render(root, "gwas", entities)
    skip_unless_installed(name, modules)
    paths = gw.write_cohort(tmp.mktemp(f"{name}_data"))
    if kind == "vcf":
        paths["vcf"] = gw.write_vcf(paths["bed"].parent / "cohort.vcf.gz")
    config = _configure(root, paths)
    return execute(root, modules, config, timeout=300)
