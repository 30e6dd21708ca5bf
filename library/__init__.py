"""The workflow module library: tool modules, recipes, planning and rendering.

    from biopipelines.library import load_library
    library = load_library()
    plan = library.plan("rnaseq_de", entities)            # core.schemas.WorkflowPlan
    files = render_workflow(plan, library)                 # from library.render.snakemake
"""

from biopipelines.library.catalogue import Library, load_library
from biopipelines.library.errors import CatalogueError, UnsupportedAnalysis

__all__ = ["CatalogueError", "Library", "UnsupportedAnalysis", "load_library"]
