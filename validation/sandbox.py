"""Run commands against a throwaway copy of a workflow, confined as far as this machine allows.

Every run gets: a temporary copy of the workflow (a directory, or {relative path: text} written straight into the
copy) as its working directory, an environment built from
scratch (no inherited variables, so no API keys), HOME and TMPDIR inside the temporary directory, resource limits
(CPU time, address space, file size, open files, no core dumps) and a wall-clock timeout that kills the whole
process group. Where unprivileged user namespaces work (probed once, at first use), the command also runs with no
network (a fresh, empty network namespace), in its own PID namespace (so nothing survives a kill), and with every
mount read-only except the temporary directory. The result says which isolation was active.

The validator adds a second layer that needs no namespaces: Snakemake runs under validation/audit_guard.py, an
audit hook that blocks network access, process starts and writes outside the sandbox, and fails the check when it
had to block anything.
"""

from __future__ import annotations

import functools
import os
import resource
import select
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future
from pathlib import Path
from types import TracebackType

from pydantic import BaseModel, Field

from biopipelines.validation.secret_names import looks_secret

_HERE = Path(__file__).resolve().parent
_JAIL = _HERE / "ns_jail.py"
_PROBE = _HERE / "isolation_probe.py"
# New user namespace (mapped to root inside, still our own uid outside), empty network, private mounts and PIDs.
_FULL_UNSHARE = ("--user", "--map-root-user", "--net", "--mount", "--pid", "--fork", "--kill-child", "--mount-proc")
_NET_ONLY_UNSHARE = ("--user", "--map-root-user", "--net")
_PROBE_TIMEOUT_S = 20.0
# .biopipelines holds run records (and set-aside files) of earlier runs: nothing a check reads
_NOT_COPIED = (".snakemake", ".git", "__pycache__", ".biopipelines")
# setrlimit flags of util-linux's prlimit(1), which sets the limits in the child without a preexec_fn
_PRLIMIT_FLAGS = {resource.RLIMIT_CPU: "--cpu", resource.RLIMIT_AS: "--as", resource.RLIMIT_FSIZE: "--fsize",
                  resource.RLIMIT_NOFILE: "--nofile", resource.RLIMIT_CORE: "--core"}


class SandboxLimits(BaseModel):
    """Per-process resource limits (setrlimit) and how much output comes back."""

    cpu_seconds: int = Field(300, gt=0)
    memory_bytes: int = Field(4 * 1024**3, gt=0, description="RLIMIT_AS: address space per process")
    file_size_bytes: int = Field(512 * 1024**2, gt=0, description="RLIMIT_FSIZE: largest file a process may write")
    open_files: int = Field(1024, gt=0)
    output_chars: int = Field(200_000, gt=0, description="stdout/stderr longer than this keep their head and tail")


class Isolation(BaseModel):
    """What confinement beyond limits and a scrubbed environment this machine supports."""

    network: bool = False
    filesystem: bool = False
    reason: str = Field("", description="Why isolation is missing, when it is")


class SandboxResult(BaseModel):
    command: list[str]
    returncode: int | None
    stdout: str
    stderr: str
    timed_out: bool
    isolated_network: bool
    isolated_filesystem: bool
    duration_s: float
    error: str | None = Field(None, description="Set when the command could not be started at all")

    @property
    def output(self) -> str:
        return f"{self.stdout}\n{self.stderr}".strip()


def detect_isolation() -> Isolation:
    """Which namespaces work here, probed once per process however many threads ask at once (the lint and dry-run
    threads both do); `_probe_once.cache_clear()` re-probes."""
    return _probe_once().result()


def probe_isolation_early() -> None:
    """Start the probe now, in the background (a command calls it before its imports: the probe is a Python start in
    fresh namespaces, ~0.25 s, that the first validation would otherwise wait for)."""
    _probe_once()


@functools.cache
def _probe_once() -> Future[Isolation]:
    # Two threads asking in the same microsecond could each start a probe; both get the same answer.
    future: Future[Isolation] = Future()

    def run() -> None:
        try:
            future.set_result(_probe())
        except BaseException as exc:  # noqa: BLE001 - handed to whoever waits on the answer
            future.set_exception(exc)

    threading.Thread(target=run, name="isolation-probe", daemon=True).start()
    return future


def _probe() -> Isolation:
    unshare = shutil.which("unshare")
    if unshare is None:
        return Isolation(reason="the unshare command (util-linux) is not installed")
    with tempfile.TemporaryDirectory(prefix="biopipelines-probe-") as outer:
        root = Path(outer) / "root"
        (root / "home").mkdir(parents=True)
        (root / "tmp").mkdir()
        env = scrubbed_env(root)
        probe = [sys.executable, "-I", "-S", str(_PROBE), str(root), outer]
        full = [unshare, *_FULL_UNSHARE, sys.executable, "-I", "-S", str(_JAIL), str(root), "--", *probe]
        status, message = _quick_run(full, env, root)
        if status == 0:
            return Isolation(network=True, filesystem=True)
        net_status, net_message = _quick_run([unshare, *_NET_ONLY_UNSHARE, "true"], env, root)
        if net_status == 0:
            return Isolation(network=True, reason=f"read-only filesystem unavailable: {message}")
        return Isolation(reason=f"user namespaces unavailable: {net_message or message}")


def _quick_run(command: list[str], env: dict[str, str], cwd: Path) -> tuple[int | None, str]:
    try:
        done = subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True, timeout=_PROBE_TIMEOUT_S,
                              stdin=subprocess.DEVNULL)
    except (OSError, subprocess.SubprocessError) as exc:
        return None, str(exc)
    return done.returncode, (done.stderr or done.stdout).strip()[-300:]


def scrubbed_env(root: Path, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """A minimal environment built from nothing: tools on PATH, HOME/TMPDIR/caches inside the sandbox."""
    home = root / "home"
    path = dict.fromkeys([str(Path(sys.executable).parent), "/usr/local/bin", "/usr/bin", "/bin"])
    env = {
        "PATH": os.pathsep.join(path),
        "HOME": str(home),
        "TMPDIR": str(root / "tmp"),
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "XDG_CACHE_HOME": str(home / ".cache"),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "PYTHONNOUSERSITE": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    for name, value in (extra or {}).items():
        if looks_secret(name):
            raise ValueError(f"refusing to pass the secret-looking variable {name} into the sandbox")
        env[name] = value
    return env


def _rlimit_pairs(limits: SandboxLimits) -> list[tuple[int, tuple[int, int]]]:
    """(resource, (soft, hard)) for each limit, worked out in the parent."""
    wanted = [
        (resource.RLIMIT_CPU, limits.cpu_seconds),
        (resource.RLIMIT_AS, limits.memory_bytes),
        (resource.RLIMIT_FSIZE, limits.file_size_bytes),
        (resource.RLIMIT_NOFILE, limits.open_files),
        (resource.RLIMIT_CORE, 0),
    ]
    pairs = []
    for which, value in wanted:
        _soft, hard = resource.getrlimit(which)
        if hard != resource.RLIM_INFINITY:
            value = min(value, hard)  # an unprivileged process cannot raise its hard limit
        pairs.append((which, (value, value)))
    return pairs


def _prlimit_prefix(limits: SandboxLimits) -> list[str] | None:
    """The limits as a prlimit(1) command prefix, where prlimit is installed. Without a preexec_fn, subprocess starts
    the child with vfork: a fork of this process (the embedder's weights, the library) copies its page tables,
    about 5 ms of CPU per Snakemake check."""
    prlimit = shutil.which("prlimit")
    if prlimit is None:
        return None
    return [prlimit, *(f"{_PRLIMIT_FLAGS[which]}={soft}:{hard}" for which, (soft, hard) in _rlimit_pairs(limits)), "--"]


def _rlimit_setter(limits: SandboxLimits) -> Callable[[], None]:
    """The limits as a preexec_fn: the child (after fork) only makes the setrlimit calls."""
    pairs = _rlimit_pairs(limits)

    def apply() -> None:
        for which, pair in pairs:
            resource.setrlimit(which, pair)

    return apply


def _not_copied(folder: str, names: list[str]) -> set[str]:
    """Skipped folders, and what is not a file, folder or link: a workflow that ran may leave a tool's named pipes
    (STAR's _STARtmp fifos after a failure), which copytree cannot copy and no check needs."""
    skipped = set(names) & set(_NOT_COPIED)
    for name in set(names) - skipped:
        mode = os.lstat(os.path.join(folder, name)).st_mode
        if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode) or stat.S_ISLNK(mode)):
            skipped.add(name)
    return skipped


def _write_files(work: Path, files: Mapping[str, str]) -> None:
    """Write {relative path: text} under `work`, skipping what a directory copy skips. os calls rather than pathlib:
    two checks write ~40 files each per request, and pathlib's per-call overhead was a third of that."""
    made: set[str] = set()
    for name, text in files.items():
        if any(part in _NOT_COPIED for part in name.split("/")):
            continue
        target = os.path.join(work, name)
        folder = os.path.dirname(target)
        if folder not in made:
            os.makedirs(folder, exist_ok=True)
            made.add(folder)
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
        try:
            if text:
                os.write(fd, text.encode("utf-8"))
        finally:
            os.close(fd)


class Sandbox:
    """A temporary copy of a workflow in which commands run confined. Use as a context manager.

    `workflow` is a directory to copy, or {relative path: text} to write: a generated workflow is written once,
    straight into the copy, instead of to a directory that is then copied (a third of a check's own CPU)."""

    def __init__(self, workflow: Path | Mapping[str, str], limits: SandboxLimits | None = None,
                 isolation: Isolation | None = None) -> None:
        self._source = workflow if isinstance(workflow, Mapping) else Path(workflow)
        self._limits = limits or SandboxLimits()
        self._isolation = isolation
        self._root: Path | None = None

    def __enter__(self) -> Sandbox:
        self._root = Path(tempfile.mkdtemp(prefix="biopipelines-sandbox-")).resolve()
        try:
            if isinstance(self._source, Mapping):
                (self._root / "work").mkdir()
                _write_files(self._root / "work", self._source)
            else:
                shutil.copytree(self._source, self._root / "work", symlinks=True, ignore=_not_copied)
            (self._root / "home").mkdir()
            (self._root / "tmp").mkdir()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self._root is not None:
            shutil.rmtree(self._root, ignore_errors=True)
            self._root = None

    @property
    def root(self) -> Path:
        if self._root is None:
            raise RuntimeError("Sandbox is not entered")
        return self._root

    @property
    def work_dir(self) -> Path:
        return self.root / "work"

    @property
    def isolation(self) -> Isolation:
        if self._isolation is None:
            self._isolation = detect_isolation()
        return self._isolation

    def run(self, command: Sequence[str], timeout_s: float,
            extra_env: Mapping[str, str] | None = None) -> SandboxResult:
        """Run `command` with the copy as working directory. Never raises for the command's own failures: they
        come back in the result."""
        env = scrubbed_env(self.root, extra_env)
        isolation = self.isolation
        program = shutil.which(command[0], path=env["PATH"]) if command else None
        if program is None:
            name = command[0] if command else "an empty command"
            return _not_started(command, isolation, f"cannot start {name}: not found on the sandbox PATH")
        argv = self._wrap([program, *command[1:]], isolation)
        prefix = _prlimit_prefix(self._limits)
        started = time.monotonic()
        out_path, err_path = self.root / "stdout.log", self.root / "stderr.log"
        # Files rather than pipes: a grandchild that escapes the kill cannot keep us waiting for EOF.
        with open(out_path, "wb") as out, open(err_path, "wb") as err:
            try:
                proc = subprocess.Popen([*prefix, *argv] if prefix else argv, cwd=self.work_dir, env=env,
                                        stdin=subprocess.DEVNULL, stdout=out, stderr=err, start_new_session=True,
                                        preexec_fn=None if prefix else _rlimit_setter(self._limits))
            except (OSError, subprocess.SubprocessError) as exc:
                return _not_started(command, isolation, f"cannot start {command[0]}: {exc}")
            timed_out = False
            try:
                returncode: int | None = _wait(proc, max(timeout_s, 0.1))
            except subprocess.TimeoutExpired:
                timed_out = True
                _kill_group(proc.pid)
                try:
                    returncode = proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    returncode = None
        return SandboxResult(command=list(command), returncode=returncode, stdout=self._read(out_path),
                             stderr=self._read(err_path), timed_out=timed_out,
                             isolated_network=isolation.network, isolated_filesystem=isolation.filesystem,
                             duration_s=round(time.monotonic() - started, 3))

    def _wrap(self, command: list[str], isolation: Isolation) -> list[str]:
        """Prefix the command with the namespaces this machine supports (command[0] is an absolute path)."""
        unshare = shutil.which("unshare")
        if unshare is None or not isolation.network:
            return command
        if not isolation.filesystem:
            return [unshare, *_NET_ONLY_UNSHARE, *command]
        jail = [sys.executable, "-I", "-S", str(_JAIL), str(self.root), "--"]
        return [unshare, *_FULL_UNSHARE, *jail, *command]

    def _read(self, path: Path) -> str:
        text = path.read_text(encoding="utf-8", errors="replace")
        limit = self._limits.output_chars
        if len(text) <= limit:
            return text
        half = limit // 2
        return f"{text[:half]}\n[... {len(text) - limit} characters cut ...]\n{text[-half:]}"


def _wait(proc: subprocess.Popen, timeout_s: float) -> int:
    """Popen.wait(timeout) without its polling loop (a waitpid and a sleep every 50 ms or less): block on a pidfd
    until the child exits or the timeout passes. Raises subprocess.TimeoutExpired as Popen.wait does."""
    try:
        pidfd = os.pidfd_open(proc.pid)
    except (AttributeError, OSError):  # not Linux >= 5.3, or the child is already reaped
        return proc.wait(timeout=timeout_s)
    try:
        ready, _, _ = select.select([pidfd], [], [], timeout_s)
    finally:
        os.close(pidfd)
    if not ready:
        raise subprocess.TimeoutExpired(proc.args, timeout_s)
    return proc.wait()


def _not_started(command: Sequence[str], isolation: Isolation, error: str) -> SandboxResult:
    return SandboxResult(command=list(command), returncode=None, stdout="", stderr="", timed_out=False,
                         isolated_network=isolation.network, isolated_filesystem=isolation.filesystem,
                         duration_s=0.0, error=error)


def _kill_group(pgid: int) -> None:
    try:
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def run_sandboxed(command: Sequence[str], workflow_dir: Path, timeout_s: float,
                  limits: SandboxLimits | None = None, extra_env: Mapping[str, str] | None = None) -> SandboxResult:
    """One command in a fresh sandbox (copy, run, clean up)."""
    with Sandbox(workflow_dir, limits) as box:
        return box.run(command, timeout_s, extra_env)
