"""Drive `biopipelines chat` through a pseudo-terminal, as a user at a keyboard would."""

from __future__ import annotations

import sys
from pathlib import Path

import pexpect

from tests.cli import REPO, biopipelines_exe

PROMPT = "you> "


def spawn_chat(db: Path, *args: str) -> pexpect.spawn:
    """A chat session on checkpoint file `db`, with a clean environment and HOME beside the database."""
    child = pexpect.spawn(biopipelines_exe(), ["chat", "--db", str(db), *args], cwd=str(REPO), timeout=300,
                          encoding="utf-8", env={"PATH": "/usr/bin:/bin", "HOME": str(db.parent),
                                                 "PYTHONWARNINGS": "ignore"})
    child.logfile_read = sys.stdout
    return child
