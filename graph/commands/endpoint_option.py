"""`--endpoint ROLE=URL`: point roles at another server for one run (generate, classify, chat, doctor)."""

from __future__ import annotations

import argparse


def add_endpoint_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--endpoint", action="append", default=[], metavar="ROLE=URL[#MODEL]",
                   help="override a role's endpoint for this run (repeatable); ROLE '*' means every chat role; "
                        "#MODEL sets the served model name (default: the profile's, else the role name)")
