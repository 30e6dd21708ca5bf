"""A throwaway Postgres cluster for tests and benchmarks: initdb into a temporary directory, a server on a unix
socket only (no TCP), one database, everything removed afterwards.

initdb refuses to run as root. Under root (as here and in CI) the cluster runs as the unprivileged `nobody`
through `runuser`: its directory is created directly under the system temp dir (pytest's own tmp_path sits in a
0700 directory that `nobody` cannot enter) and chowned to it. Root still connects through the socket.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Iterator

from tests.servers import free_port

MISSING = "postgresql is not installed (make system-deps installs it)"
RUN_AS = "nobody"
STEP_TIMEOUT_S = 120


def pg_bin() -> Path | None:
    """Debian's versioned bin directory (newest first), else wherever initdb is on PATH."""
    for candidate in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (candidate / "initdb").exists() and (candidate / "pg_ctl").exists():
            return candidate
    found = shutil.which("initdb")
    return Path(found).parent if found and shutil.which("pg_ctl") else None


def _run(cmd: list, cwd: Path) -> None:
    result = subprocess.run([str(c) for c in cmd], cwd=cwd, capture_output=True, timeout=STEP_TIMEOUT_S)
    if result.returncode:
        raise RuntimeError(f"{Path(str(cmd[0])).name} ... failed ({result.returncode}): "
                           f"{(result.stderr or result.stdout).decode(errors='replace')[-1500:]}")


@contextlib.contextmanager
def postgres_cluster(bin_dir: Path | None = None) -> Iterator[str]:
    """Yields a libpq DSN (a database `biopipelines`, superuser `postgres`, trust auth over the socket)."""
    bin_dir = bin_dir or pg_bin()
    if bin_dir is None:
        raise RuntimeError(MISSING)
    root = Path(tempfile.mkdtemp(prefix="biopipelines-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:
        user = pwd.getpwnam(RUN_AS)
        os.chown(root, user.pw_uid, user.pw_gid)
        as_user = ["runuser", "-u", RUN_AS, "--"]
    data, port = root / "data", free_port()
    options = f"-k {root} -p {port} -c listen_addresses='' -c fsync=off -c max_connections=200"
    try:
        _run([*as_user, bin_dir / "initdb", "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8"], root)
        _run([*as_user, bin_dir / "pg_ctl", "-D", data, "-l", root / "server.log", "-w", "-t", "60", "-o", options,
              "start"], root)
        try:
            _run([bin_dir / "createdb", "-h", root, "-p", port, "-U", "postgres", "biopipelines"], root)
            yield f"postgresql://postgres@/biopipelines?host={root}&port={port}"
        finally:
            _run([*as_user, bin_dir / "pg_ctl", "-D", data, "-m", "immediate", "-w", "-t", "30", "stop"], root)
    finally:
        shutil.rmtree(root, ignore_errors=True)
