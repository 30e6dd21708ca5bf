"""The sandbox itself: scrubbed environment, limits, timeout, and the isolation it reports."""

from __future__ import annotations

import os
import socket
import sys
from pathlib import Path

import pytest

from biopipelines.validation.sandbox import Isolation, Sandbox, SandboxLimits, detect_isolation, run_sandboxed, scrubbed_env


@pytest.fixture()
def workflow_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "wf"
    folder.mkdir()
    (folder / "data.txt").write_text("hello\n")
    return folder


def _python(code: str) -> list[str]:
    return [sys.executable, "-c", code]


def test_runs_in_a_copy_with_scrubbed_environment(workflow_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BIOPIPELINES_FAKE_API_KEY", "sk-fake-0123456789")
    code = "import os; print(open('data.txt').read().strip()); print(sorted(os.environ)); print(os.getcwd())"
    result = run_sandboxed(_python(code), workflow_dir, timeout_s=30)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "hello"
    assert "BIOPIPELINES_FAKE_API_KEY" not in result.stdout and "sk-fake" not in result.stdout
    assert "'HOME'" in lines[1] and "'PATH'" in lines[1]
    assert lines[2] != str(workflow_dir)  # a temporary copy, not the original


def test_home_and_tmpdir_point_into_the_sandbox(workflow_dir: Path) -> None:
    with Sandbox(workflow_dir) as box:
        result = box.run(_python("import os; print(os.environ['HOME']); print(os.environ['TMPDIR'])"), 30)
        home, tmp = result.stdout.split()
        assert Path(home).is_relative_to(box.root) and Path(tmp).is_relative_to(box.root)
    assert not Path(home).exists()  # the sandbox is removed on exit


def test_the_copy_is_writable_and_is_what_the_command_sees(workflow_dir: Path) -> None:
    with Sandbox(workflow_dir) as box:
        result = box.run(_python("import os; os.makedirs('.snakemake/log'); open('new.txt', 'w').write('x')"), 30)
        assert result.returncode == 0, result.stderr
        assert (box.work_dir / "new.txt").read_text() == "x"
    assert not (workflow_dir / "new.txt").exists()


def test_secret_looking_extra_env_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="GITHUB_TOKEN"):
        scrubbed_env(tmp_path, {"GITHUB_TOKEN": "x"})
    assert scrubbed_env(tmp_path, {"SNAKEMAKE_PROFILE": "none"})["SNAKEMAKE_PROFILE"] == "none"


def test_wall_clock_timeout_kills_the_process_group(workflow_dir: Path) -> None:
    # a child that ignores its parent's death must die too
    code = ("import subprocess, sys, time; "
            "subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)']); time.sleep(60)")
    result = run_sandboxed(_python(code), workflow_dir, timeout_s=1.5)
    assert result.timed_out
    assert result.duration_s < 15


def test_file_size_limit_applies(workflow_dir: Path) -> None:
    limits = SandboxLimits(file_size_bytes=1024 * 1024)
    code = "open('big.bin', 'wb').write(b'0' * (4 * 1024 * 1024))"
    with Sandbox(workflow_dir, limits=limits) as box:
        result = box.run(_python(code), 30)
        assert result.returncode != 0
        assert not (box.work_dir / "big.bin").exists() or (box.work_dir / "big.bin").stat().st_size <= 1024 * 1024


def test_missing_program_is_a_result_not_an_exception(workflow_dir: Path) -> None:
    result = run_sandboxed(["no-such-program-biopipelines"], workflow_dir, timeout_s=5)
    assert result.returncode is None and result.error and "not found" in result.error


def test_network_is_isolated_or_reported_missing(workflow_dir: Path, listener: socket.socket) -> None:
    port = listener.getsockname()[1]
    code = (f"import socket\ntry:\n    socket.create_connection(('127.0.0.1', {port}), timeout=2)\n"
            "    print('connected')\nexcept OSError as exc:\n    print('blocked', exc)\n")
    result = run_sandboxed(_python(code), workflow_dir, timeout_s=30)
    assert result.isolated_network == detect_isolation().network
    if result.isolated_network:
        assert result.stdout.startswith("blocked"), result.stdout
        with pytest.raises(TimeoutError):
            listener.accept()
    else:
        assert result.stdout.startswith("connected")


def test_writes_outside_the_copy_are_blocked_or_reported(workflow_dir: Path, tmp_path: Path) -> None:
    marker = tmp_path / "marker.txt"
    result = run_sandboxed(_python(f"open({str(marker)!r}, 'w').write('x')"), workflow_dir, timeout_s=30)
    if result.isolated_filesystem:
        assert not marker.exists()
        assert "Read-only file system" in result.stderr
        shared = Path("/dev/shm") / f"biopipelines-test-{os.getpid()}"
        result = run_sandboxed(_python(f"open({str(shared)!r}, 'w').write('x')"), workflow_dir, timeout_s=30)
        assert result.returncode == 0 and not shared.exists()  # a private /dev/shm, gone with the sandbox
    else:
        assert detect_isolation().reason  # says why the filesystem is not isolated


@pytest.mark.parametrize(
    "isolation",
    [Isolation(reason="simulated: no user namespaces"), Isolation(network=True, reason="simulated: network only")],
    ids=["none", "network-only"],
)
def test_weaker_isolation_modes_still_scrub_limit_and_time_out(
    workflow_dir: Path, isolation: Isolation, monkeypatch: pytest.MonkeyPatch
) -> None:
    if isolation.network and not detect_isolation().network:
        pytest.skip("this machine cannot create network namespaces")
    monkeypatch.setenv("BIOPIPELINES_FAKE_API_KEY", "sk-fake-0123456789")
    with Sandbox(workflow_dir, isolation=isolation) as box:
        result = box.run(_python("import os; print(sorted(os.environ)); open('out.txt', 'w').write('x')"), 30)
        assert result.returncode == 0, result.stderr
        assert "FAKE_API_KEY" not in result.stdout and (box.work_dir / "out.txt").exists()
        assert (result.isolated_network, result.isolated_filesystem) == (isolation.network, False)
        result = box.run(_python("import time; time.sleep(60)"), 1.0)
        assert result.timed_out and result.duration_s < 10
