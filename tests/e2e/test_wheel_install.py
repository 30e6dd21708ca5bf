"""The install a user makes without the checkout: the built wheel, installed from the runtime lock into a new venv
outside the repository, run from a temporary directory. Offline, and through a shipped profile whose endpoints
answer garbage, so the model tier is reached and falls back."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.integration.fault_server import FaultServer

pytestmark = pytest.mark.e2e

REPO = Path(__file__).resolve().parents[2]
REQUEST = "ChIP-seq peak calling for H3K27ac in human, paired-end, with input controls"
GENERIC_NAMES = ("graph", "nodes", "rag", "library", "validation", "deploy", "config")


def _run(*cmd: str | Path, cwd: Path, timeout: float = 900, env: dict | None = None) -> subprocess.CompletedProcess:
    # No PYTHONPATH and a cwd outside the checkout: nothing may be imported from the source tree.
    clean = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return subprocess.run([str(c) for c in cmd], cwd=cwd, capture_output=True, text=True, timeout=timeout,
                          env={**clean, "DEEPSEEK_API_KEY": "", "OPENAI_API_KEY": "", **(env or {})})


def _ok(done: subprocess.CompletedProcess) -> subprocess.CompletedProcess:
    assert done.returncode == 0, (done.stdout[-1500:], done.stderr[-3000:])
    return done


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A venv holding only torch's CPU build, the runtime lock and the wheel; returns its bin/ folder."""
    root = tmp_path_factory.mktemp("wheel_install")
    dist = root / "dist"
    _ok(_run(sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w", dist, REPO,
             cwd=root))
    (wheel,) = dist.glob("biopipelines_agent-*.whl")
    _ok(_run(sys.executable, "-m", "venv", root / "venv", cwd=root))
    pip = root / "venv" / "bin" / "pip"
    _ok(_run(pip, "install", "-q", "torch==2.13.0", cwd=root))
    _ok(_run(pip, "install", "-q", "--require-hashes", "--no-deps", "-r", REPO / "requirements/runtime.lock",
             cwd=root))
    _ok(_run(pip, "install", "-q", "--no-deps", wheel, cwd=root))
    _ok(_run(pip, "check", cwd=root))
    return root / "venv" / "bin"


def test_the_wheel_installs_under_one_namespace(installed, tmp_path):
    where = _ok(_run(installed / "python", "-c", "import biopipelines.core.settings as s, sysconfig; "
                     "print(s.CONFIG_DIR); print(sysconfig.get_paths()['purelib'])", cwd=tmp_path)).stdout.split()
    config_dir, site = Path(where[0]), Path(where[1])
    assert config_dir == site / "biopipelines" / "config" and (config_dir / "profiles" / "offline.yaml").is_file()
    assert not [name for name in GENERIC_NAMES if (site / name).exists()]


def test_the_installed_wheel_generates_offline(installed, tmp_path):
    done = _ok(_run(installed / "biopipelines", "generate", REQUEST, "--out", "wf", "--json", cwd=tmp_path))
    report = json.loads(done.stdout)
    assert report["status"] == "validated" and report["analysis_type"] == "chipseq_peaks"
    assert all(c["ok"] for c in report["validation"]) and (tmp_path / "wf" / "workflow" / "Snakefile").is_file()


def test_the_installed_wheel_reaches_the_model_tier_and_falls_back(installed, tmp_path):
    fault = FaultServer()
    with fault.running():
        done = _run(installed / "biopipelines", "generate", REQUEST, "--out", "wf", "--json",
                    "--profile", "h100_2xt4", "--endpoint", f"*={fault.url('malformed')}", cwd=tmp_path, timeout=600)
    _ok(done)
    report = json.loads(done.stdout)
    assert report["status"] == "validated"
    assert fault.hits["malformed"] > 0  # the model tier was asked
    intent = next(r for r in report["routes"] if r["node"] == "intent")
    assert intent["tier"] == "offline" and fault.url("malformed") in intent["fallback_reason"]
