"""Bad input gets exit code 2 and one line on stderr, never a traceback."""

import pytest

from tests.cli import run_cli


def assert_one_line_error(result, *fragments):
    stderr = result.stderr.decode()
    assert result.returncode == 2, stderr
    assert "Traceback" not in stderr
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    for fragment in fragments:
        assert fragment in lines[0]


@pytest.mark.parametrize("command", ["generate", "classify"])
def test_empty_query(tmp_path, command):
    extra = ["--out", str(tmp_path / "o")] if command == "generate" else []
    assert_one_line_error(run_cli(command, "   ", *extra), "empty")


@pytest.mark.parametrize("command", ["generate", "classify"])
def test_one_megabyte_on_stdin(tmp_path, command):
    extra = ["--out", str(tmp_path / "o")] if command == "generate" else []
    result = run_cli(command, "-", *extra, stdin=b"RNA-seq " * (1024 * 1024 // 8))
    assert_one_line_error(result, "limit")
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize("command", ["generate", "classify"])
def test_binary_on_stdin(tmp_path, command):
    extra = ["--out", str(tmp_path / "o")] if command == "generate" else []
    assert_one_line_error(run_cli(command, "-", *extra, stdin=b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe"),
                          "binary")


def test_invalid_utf8_on_stdin(tmp_path):
    assert_one_line_error(run_cli("classify", "-", stdin=b"RNA-seq \xff\xfe mouse"), "UTF-8")


def test_unknown_profile(tmp_path):
    assert_one_line_error(run_cli("generate", "RNA-seq DE", "--out", str(tmp_path / "o"), "--profile", "nope"),
                          "unknown profile 'nope'")


def test_yaml_syntax_error_in_profile(tmp_path):
    profile = tmp_path / "broken.yaml"
    profile.write_text("name: broken\nroles: {intent: [\n")
    assert_one_line_error(run_cli("generate", "RNA-seq DE", "--out", str(tmp_path / "o"), "--profile",
                                  str(profile)), str(profile), "YAML syntax error")


def test_unknown_profile_via_environment(tmp_path):
    assert_one_line_error(run_cli("classify", "RNA-seq", env={"BIOPIPELINES_PROFILE": "missing"}),
                          "unknown profile 'missing'")


def test_non_empty_out_dir_is_never_overwritten(tmp_path):
    out = tmp_path / "o"
    out.mkdir()
    (out / "precious.txt").write_text("keep me")
    assert_one_line_error(run_cli("generate", "RNA-seq DE mouse", "--out", str(out)), "not empty")
    assert (out / "precious.txt").read_text() == "keep me"


def test_validate_on_a_directory_without_workflow(tmp_path):
    assert_one_line_error(run_cli("validate", str(tmp_path)), "no workflow/Snakefile")
