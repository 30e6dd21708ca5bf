"""Run inside a candidate sandbox to prove its isolation (see sandbox.detect_isolation). Standard library only.

Usage: python -I -S isolation_probe.py WRITABLE_DIR FORBIDDEN_DIR
Exit 0 when WRITABLE_DIR is writable, FORBIDDEN_DIR is not, and no TCP connection to 127.0.0.1 can be made.
"""

from __future__ import annotations

import os
import socket
import sys


def _can_write(directory: str) -> bool:
    path = os.path.join(directory, "probe")
    try:
        with open(path, "w", encoding="utf-8") as fh:
            fh.write("x")
    except OSError:
        return False
    os.unlink(path)
    return True


def _can_connect_loopback() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 9), timeout=2):
            return True
    except ConnectionRefusedError:
        return True  # refused means the loopback network is reachable
    except OSError:
        return False


def main(argv: list[str]) -> int:
    writable, forbidden = argv[1], argv[2]
    problems = []
    if not _can_write(writable):
        problems.append("sandbox directory is not writable")
    if _can_write(forbidden):
        problems.append("a directory outside the sandbox is writable")
    if _can_connect_loopback():
        problems.append("the loopback network is reachable")
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
