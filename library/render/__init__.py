"""Renderers: one module per workflow language (snakemake.py today), all fed by library.wiring."""
