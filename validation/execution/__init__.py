"""Running a generated workflow for real: Snakemake as a subprocess, its output read into a run record
(core/run_record.py) with live progress, locally or through a Snakemake profile (SLURM via the executor plugin)."""
