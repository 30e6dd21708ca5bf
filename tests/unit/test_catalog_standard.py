"""The Snakemake workflow catalog's standardized-usage items, on every render variant of tests/unit/test_library.py:
config/README.md, .snakemake-workflow-catalog.yml and LICENSE; report captions that exist; reference preparation
cached between workflows; and Snakefiles that `snakefmt --check` leaves unchanged (the catalog's formatting check).
`snakemake --lint` and the dry runs of the same variants are in test_library.py."""

from __future__ import annotations

import datetime
import importlib.util
import posixpath
import re
import subprocess
import sys

import pytest
import yaml

from biopipelines.core.schemas import Entities
from biopipelines.library import load_library
from biopipelines.library.render.catalog_files import LICENSE_HOLDER
from biopipelines.library.render.snakemake import render_workflow
from tests.unit.test_library import VARIANT_IDS, VARIANTS, run_in_subprocess, write_tree

CAPTION = re.compile(r'caption="([^"]+)"')
# The catalog pins snakefmt >=0.11.5,<0.12 (snakemake-workflow-catalog pixi.toml) and runs
# `snakefmt --check -v workflow/Snakefile workflow/rules/*.smk` on every listed workflow.
SNAKEFMT = importlib.util.find_spec("snakefmt")


@pytest.fixture(scope="module")
def rendered() -> dict[str, dict[str, str]]:
    library = load_library()
    return {name: render_workflow(library.plan(recipe, entities), library) for name, recipe, entities in VARIANTS}


def _top_level_keys(files: dict[str, str]) -> list[str]:
    return list(yaml.safe_load(files["config/config.yaml"]))


@pytest.mark.parametrize("variant", VARIANT_IDS)
def test_catalog_files_are_there_and_well_formed(rendered, variant):
    files = rendered[variant]
    settings = yaml.safe_load(files[".snakemake-workflow-catalog.yml"])
    usage = settings["usage"]
    assert usage["mandatory-flags"]["desc"] and "--sdm conda" in usage["mandatory-flags"]["flags"]
    assert usage["software-stack-deployment"]["conda"] is True
    assert usage["report"] is True
    license_text = files["LICENSE"]
    assert license_text.startswith("MIT License\n")
    assert f"Copyright (c) {datetime.date.today().year} {LICENSE_HOLDER}" in license_text


@pytest.mark.parametrize("variant", VARIANT_IDS)
def test_config_readme_explains_every_key_of_this_workflow(rendered, variant):
    files = rendered[variant]
    readme = files["config/README.md"]
    config = yaml.safe_load(files["config/config.yaml"])
    for key, value in config.items():
        assert f"`{key}`" in readme, f"config/README.md does not mention {key}"
        for inner in value if isinstance(value, dict) else ():
            assert f"| `{inner}` |" in readme, f"config/README.md does not explain {key}.{inner}"
    for column in files["config/samples.tsv"].splitlines()[0].split("\t"):
        assert f"| `{column}` |" in readme
    # every row says what the key means (an empty meaning column would be a generic table)
    assert not re.search(r"^\| `[^`]+` \| `[^`]*` \|\s*\|$", readme, re.M)


@pytest.mark.parametrize("variant", VARIANT_IDS)
def test_every_report_caption_exists(rendered, variant):
    files = rendered[variant]
    referenced = set()
    for path, text in files.items():
        if path.startswith("workflow/rules/") and path.endswith(".smk"):
            for caption in CAPTION.findall(text):  # relative to the rule file, as Snakemake resolves it
                referenced.add(posixpath.normpath(posixpath.join("workflow/rules", caption)))
    assert referenced, "no output of this workflow is in the report"
    assert 'report: "report/workflow.rst"' in files["workflow/Snakefile"]
    referenced.add("workflow/report/workflow.rst")
    captions = {p for p in files if p.startswith("workflow/report/")}
    assert referenced == captions  # none missing, none left over
    assert all(files[p].strip() for p in captions)


def test_multiqc_de_table_and_peaks_are_reported(rendered):
    multiqc = rendered["rnaseq_de-default"]["workflow/rules/multiqc.smk"]
    assert re.search(r'report=report\(\s*"results/multiqc/multiqc_report.html",\s*'
                     r'caption="../report/multiqc_report.rst",\s*category="Quality control",?\s*\)', multiqc)
    assert 'category="Differential expression"' in rendered["rnaseq_de-default"]["workflow/rules/deseq2.smk"]
    assert 'category="Peaks"' in rendered["chipseq_peaks-default"]["workflow/rules/macs3_callpeak.smk"]
    assert 'category="Variants"' in rendered["germline_variants-default"]["workflow/rules/bcftools_stats.smk"]


def test_reference_preparation_is_cached_between_workflows():
    library = load_library()
    cached = {m.id for m in library.modules.values()
              if re.search(r"^    cache: True$", library.read_text(f"modules/{m.id}/rule.smk.j2"), re.M)}
    reference = {m.id for m in library.modules.values() if m.scope == "reference"}
    assert cached == reference - {"reference_fasta"}  # the FASTA copy does no work worth caching
    assert {"bwa_index", "star_index", "bowtie2_index", "salmon_index", "samtools_faidx"} <= cached


@pytest.mark.skipif(SNAKEFMT is None, reason="snakefmt is not installed in this environment (the catalog pins "
                    ">=0.11.5,<0.12; pip install 'snakefmt>=0.11.5,<0.12' to run this check)")
def test_every_snakefile_is_snakefmt_clean(rendered, tmp_path):
    paths = []
    for name in VARIANT_IDS:
        write_tree(tmp_path / name, rendered[name])
        paths += [str(tmp_path / name / "workflow" / "Snakefile"),
                  *map(str, sorted((tmp_path / name / "workflow" / "rules").glob("*.smk")))]
    check = subprocess.run([sys.executable, "-m", "snakefmt", "--check", "--compact-diff", *paths],
                           capture_output=True, text=True, timeout=600)
    assert check.returncode == 0, check.stdout[-4000:] + check.stderr[-4000:]


def test_snakemake_builds_the_report_with_its_captions(tmp_path):
    """`snakemake --report` on .test/ with every output present (empty): each reported output and caption is found."""
    library = load_library()
    files = render_workflow(library.plan("rnaseq_de", Entities(organism="human")), library)
    for output in ("deseq2/de_results.tsv", "deseq2/normalized_counts.tsv", "deseq2/plots.pdf",
                   "multiqc/multiqc_report.html", "infer_strandedness/strandedness.tsv"):
        files[f".test/results/{output}"] = ""
    write_tree(tmp_path, files)
    result = run_in_subprocess(tmp_path, ["-s", "workflow/Snakefile", "--directory", ".test", "--report",
                                          str(tmp_path / "report.zip")])
    assert result["code"] == 0, result["output"][-4000:]
    assert (tmp_path / "report.zip").is_file()
