"""Workflow validation: a static screen, then `snakemake --lint` and a dry run inside a sandboxed subprocess."""

from biopipelines.validation.snakemake_checks import validate_dir, validate_files
from biopipelines.validation.static_screen import screen_workflow

__all__ = ["screen_workflow", "validate_dir", "validate_files"]
