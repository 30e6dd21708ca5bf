#!/bin/sh
# Debian names Gubbins' driver run_gubbins; bioconda names it run_gubbins.py. Options pass through unchanged.
exec run_gubbins "$@"
