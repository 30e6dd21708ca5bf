#!/bin/sh
# Debian installs CNVkit's command line as `cnvkit`; bioconda as `cnvkit.py`. Options pass through unchanged.
exec cnvkit "$@"
