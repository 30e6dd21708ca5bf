"""Property-based hostile input (hypothesis) on `classify`, `generate` and the REPL.

Whatever arrives (random unicode, control characters, huge strings, raw bytes), each entry point answers without a
traceback and without hanging; where the input is rejected, the exit status is 2 and stderr is one line. `generate`
and the REPL take seconds per request, so they get inputs that are rejected before any model runs, or few examples.
"""

from __future__ import annotations

import subprocess

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from biopipelines.graph.cli import main as cli_main
from biopipelines.graph.request_input import check_request
from tests.cli import REPO, biopipelines_exe, run_cli

pytestmark = pytest.mark.e2e

LIMIT = 20_000  # the offline profile's max_request_chars
SLOW = [HealthCheck.too_slow, HealthCheck.function_scoped_fixture]

unicode_text = st.text(st.characters(codec="utf-8"), max_size=300)
controls = st.text(st.characters(max_codepoint=0x9f, categories=["Cc"]), min_size=1, max_size=50)
binary = st.binary(min_size=1, max_size=400).map(lambda b: b[:len(b) // 2] + b"\x00" + b[len(b) // 2:])
invalid_utf8 = st.binary(max_size=100).map(lambda b: b + b"\xff\xfe" + b)
huge = st.integers(LIMIT + 1, 3 * LIMIT).map(lambda n: ("RNA-seq " * (n // 8 + 1))[:n])
hostile_text = st.one_of(unicode_text, controls, huge, st.tuples(unicode_text, controls, unicode_text).map("".join))


def assert_one_line_error(returncode: int, stderr: str) -> None:
    assert "Traceback" not in stderr, stderr
    assert returncode == 2, stderr
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), stderr


# -- the shared check: any string either comes back clean or raises InputError with one line ----------------------
@settings(max_examples=300, deadline=None)
@given(hostile_text)
def test_check_request_cleans_or_rejects_in_one_line(text: str) -> None:
    from biopipelines.core.errors import InputError

    try:
        cleaned = check_request(text, LIMIT)
    except InputError as exc:
        assert "\n" not in str(exc) and str(exc)
        return
    assert cleaned and len(cleaned) <= LIMIT and cleaned == cleaned.strip()
    cleaned.encode("utf-8")  # never a lone surrogate
    assert not any(c in cleaned for c in "\x00\x1b\x7f\u202e\u200b")


# -- classify, in process (the intent classifier loads once) --------------------------------------------------------
@settings(max_examples=40, deadline=None, suppress_health_check=SLOW)
@given(text=hostile_text)
def test_classify_answers_or_rejects_cleanly(text: str, capsys: pytest.CaptureFixture) -> None:
    code = cli_main(["classify", "--json", text])
    out, err = capsys.readouterr()
    assert "Traceback" not in err and "internal error" not in err, err
    if code == 0:
        assert '"intent"' in out
    else:
        assert_one_line_error(code, err)


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(binary, invalid_utf8, huge.map(str.encode)))
def test_classify_rejects_bad_stdin(data: bytes) -> None:
    result = run_cli("classify", "-", stdin=data, timeout=120)
    assert_one_line_error(result.returncode, result.stderr.decode())


# -- generate: only inputs rejected before the graph runs (a real generation takes seconds) ----------------------
@settings(max_examples=6, deadline=None, suppress_health_check=SLOW)
@given(data=st.one_of(binary, invalid_utf8, huge.map(str.encode), controls.map(str.encode)))
def test_generate_rejects_bad_stdin_and_writes_nothing(data: bytes, tmp_path_factory) -> None:
    out = tmp_path_factory.mktemp("gen") / "out"
    result = run_cli("generate", "-", "--out", str(out), stdin=data, timeout=120)
    assert_one_line_error(result.returncode, result.stderr.decode())
    assert not out.exists()


@settings(max_examples=4, deadline=None, suppress_health_check=SLOW)
# An OS argument cannot hold a NUL byte (exec refuses it before our code runs), so arguments leave it out.
@given(text=st.one_of(huge, st.tuples(controls.filter(lambda t: "\x00" not in t), st.just(" ")).map("".join)))
def test_generate_rejects_bad_arguments(text: str, tmp_path_factory) -> None:
    out = tmp_path_factory.mktemp("gen") / "out"
    result = run_cli("generate", text, "--out", str(out), timeout=120)
    assert_one_line_error(result.returncode, result.stderr.decode())
    assert not out.exists()


# -- the REPL ------------------------------------------------------------------------------------------------------
def _chat_env(home) -> dict:
    return {"PATH": "/usr/bin:/bin", "HOME": str(home), "PYTHONWARNINGS": "ignore"}


@settings(max_examples=3, deadline=None, suppress_health_check=SLOW)
@given(lines=st.lists(st.one_of(binary, invalid_utf8, huge.map(str.encode), controls.map(str.encode)),
                      min_size=1, max_size=4))
def test_repl_on_piped_bytes_rejects_each_line_and_keeps_going(lines: list[bytes], tmp_path_factory) -> None:
    """Raw bytes on a pipe: every bad line gets a one-line error, and the session ends normally at /quit."""
    home = tmp_path_factory.mktemp("chat")
    payload = b"".join(line.replace(b"\n", b" ").replace(b"\r", b" ") + b"\n" for line in lines) + b"/state\n/quit\n"
    done = subprocess.run([biopipelines_exe(), "chat", "--db", str(home / "t.sqlite")], input=payload,
                          capture_output=True, timeout=180, cwd=REPO, env=_chat_env(home))
    out = done.stdout.decode("utf-8", "replace")
    assert done.returncode == 0, out + done.stderr.decode("utf-8", "replace")
    assert "Traceback" not in out and "internal error" not in out, out
    assert '"turn": null' in out  # no rejected line became a turn
    assert "saved (resume with" in out

