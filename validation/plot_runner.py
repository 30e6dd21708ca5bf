"""Launcher that runs a generated plotting script under the audit hook (see audit_guard.py), stricter for reads.

Usage (see plot_sandbox.py):
    python -I plot_runner.py LOG WRITABLE_DIR [WRITABLE_DIR ...] -- SCRIPT

matplotlib (Agg) and numpy are imported, and the font cache built, before the hook is installed: they are trusted
and read files the script may not. From then on the script may write only inside WRITABLE_DIRs and read only
there and in Python's own installation (the stdlib, site-packages, matplotlib's data), so a path it builds at run
time (the user's ~/.ssh, /etc/passwd) is refused even where the static screen could not see it. Network access,
process starts and ctypes look-ups are refused as for Snakemake. Standard library plus matplotlib only.
"""

from __future__ import annotations

import os
import runpy
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # audit_guard.py beside this file (run with -I)

from audit_guard import Guard  # noqa: E402

_SYSTEM_READS = ("/usr/share/fonts", "/usr/share/zoneinfo", "/etc/fonts", "/dev/urandom")


class PlotGuard(Guard):
    """Guard, plus: every file opened for reading lies in a writable folder or Python's installation."""

    def __init__(self, log_fd: int, writable: list[str], readable: list[str]) -> None:
        super().__init__(log_fd, writable)
        self.readable = sorted({os.path.realpath(p) for p in readable if p})

    def __call__(self, event: str, args: tuple) -> None:
        if event == "open" and not self._inside(args[0]) and not self._readable(args[0]):
            self.block(f"reading {args[0]!r}")
        super().__call__(event, args)

    def _readable(self, path: object) -> bool:
        if isinstance(path, bytes):
            path = os.fsdecode(path)
        if not isinstance(path, str):
            return True  # a descriptor: checked when it was opened
        real = os.path.realpath(path)
        return any(real == d or real.startswith(d + os.sep) for d in self.readable)


def _trusted_imports() -> list[str]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.font_manager
    import matplotlib.pyplot  # noqa: F401
    import numpy  # noqa: F401

    matplotlib.font_manager.fontManager.get_default_size()  # builds the font cache now, before the hook
    return [matplotlib.get_data_path()]


def main(argv: list[str]) -> int:
    try:
        split = argv.index("--")
    except ValueError:
        split = -1
    if split < 3 or len(argv) != split + 2:
        print("usage: plot_runner.py LOG WRITABLE_DIR... -- SCRIPT", file=sys.stderr)
        return 2
    log_path, writable, script = argv[1], argv[2:split], argv[split + 1]
    log_fd = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    readable = [*_trusted_imports(), *sys.path, sys.prefix, sys.base_prefix, sys.exec_prefix, *_SYSTEM_READS]
    sys.addaudithook(PlotGuard(log_fd, writable, readable))
    sys.argv = [script]
    runpy.run_path(script, run_name="__main__")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
