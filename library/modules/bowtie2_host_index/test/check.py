"""The host Bowtie2 index files are all written.

Run on the `profiling_kraken2` workflow (tests/modules/workflows/metagenomics.py)."""

from __future__ import annotations

from tests.modules.harness import Run

WORKFLOW = "profiling_kraken2"


def check(run: Run) -> None:
    assert all(run.path(f"resources/bowtie2_host_index/host.{n}.bt2").stat().st_size > 0 for n in (1, 2, 3, 4))
