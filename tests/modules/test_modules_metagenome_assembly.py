"""The metagenome assembly and binning recipe plans the steps Debian cannot run (binning, bin quality). The
Debian-packaged steps run on tests/modules/workflows/metagenome_assembly.py's workflows, and each module's own
output check lives beside the module: library/modules/<id>/test/check.py.
"""

from __future__ import annotations

from biopipelines.core.schemas import Entities
from biopipelines.library import load_library


def test_the_recipe_plans_binning_and_bin_quality():
    """The steps that cannot run here are still planned: depth, MetaBAT2 and CheckM2 by default; CONCOCT and
    SemiBin2 make the depth step unnecessary."""
    library = load_library()
    default = [s.module for s in library.plan("metagenome_assembly", Entities()).steps]
    assert default.index("megahit") < default.index("bowtie2_contig_align") < default.index("metabat2_depth") \
        < default.index("metabat2") < default.index("checkm2")
    for binner in ("concoct", "semibin2"):  # they read the BAMs themselves
        steps = [s.module for s in library.plan("metagenome_assembly", Entities(tools_requested=[binner])).steps]
        assert binner in steps and "metabat2_depth" not in steps and "metabat2" not in steps
    maxbin = [s.module for s in library.plan("metagenome_assembly", Entities(tools_requested=["maxbin2"])).steps]
    assert maxbin.index("metabat2_depth") < maxbin.index("maxbin2")  # MaxBin2 reads the depth table
