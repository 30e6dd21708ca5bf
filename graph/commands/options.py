"""Options several commands share."""

from __future__ import annotations

import argparse


def add_profile_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--profile", help="profile name under config/profiles/ or a path to a profile YAML "
                                      "(default: $BIOPIPELINES_PROFILE or 'offline')")
