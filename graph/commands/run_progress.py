"""Live progress of a run on standard error: jobs done/total, the rules running now, elapsed time.

On a terminal it is one rich status line redrawn in place; elsewhere (CI logs, pipes) a plain line per change, so
the progress is visible in both without control characters in a log file.
"""

from __future__ import annotations

import sys
import time

from rich.console import Console
from rich.live import Live
from rich.text import Text

from biopipelines.core.run_record import RunRecord


def progress_line(record: RunRecord, running: list[str], elapsed_s: float) -> str:
    total = record.jobs_total if record.jobs_total is not None else "?"
    minutes, seconds = divmod(int(elapsed_s), 60)
    now_running = ", ".join(running) if running else "-"
    failed = sum(1 for j in record.jobs if j.status == "failed")
    failures = f" | {failed} failed" if failed else ""
    return f"[{record.jobs_done}/{total} jobs] running: {now_running}{failures} | {minutes}:{seconds:02d} elapsed"


class RunProgress:
    """A listener for validation.execution.runner.execute; use as a context manager."""

    def __init__(self, console: Console | None = None) -> None:
        self.console = console or Console(file=sys.stderr)
        self.started = time.monotonic()
        self.live: Live | None = None
        self.last = ""

    def __enter__(self) -> "RunProgress":
        if self.console.is_terminal:
            self.live = Live(Text("starting Snakemake..."), console=self.console, refresh_per_second=4,
                             transient=False)
            self.live.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        if self.live is not None:
            self.live.__exit__(*exc)

    def __call__(self, record: RunRecord, running: list[str]) -> None:
        line = progress_line(record, running, time.monotonic() - self.started)
        if self.live is not None:
            self.live.update(Text(line))
        elif line.split(" | ")[0:2] != self.last.split(" | ")[0:2]:  # plain output: only when the jobs change
            print(line, file=self.console.file, flush=True)
        self.last = line
