"""Translate Snakemake source into the Python that Snakemake would run, without running it.

Snakemake's own parser (`snakemake.parser.parse`) is a tokenizer-level translator: it reads text and returns Python
source plus a map from generated lines back to the file's lines. Translating and `compile()`-ing that source executes
nothing, so the static screen can look at exactly what Snakemake would execute, and syntax errors can be reported
with the real file and line (Snakemake's CLI loses them behind `KeyError: <line>` for parser-raised errors).
"""

from __future__ import annotations

import io
import tokenize
from typing import TextIO

from pydantic import BaseModel, Field


class Translation(BaseModel):
    """Python code generated from one Snakemake file, with generated-line -> source-line mapping."""

    code: str
    linemap: dict[int, int] = Field(default_factory=dict)

    def source_line(self, generated_line: int) -> int:
        return self.linemap.get(generated_line, generated_line)


class SnakefileSyntaxError(Exception):
    """A syntax error located in the Snakemake source (not in the generated Python)."""

    def __init__(self, file: str, line: int | None, message: str, text: str | None = None) -> None:
        super().__init__(message)
        self.file = file
        self.line = line
        self.message = message
        self.text = text

    def describe(self) -> str:
        """One compact, fix-oriented description, e.g. for an LLM coder."""
        where = f" line {self.line}" if self.line else ""
        out = f"SyntaxError at {self.file}{where}: {self.message}"
        if self.text and self.text.strip():
            out += f"\n    {self.text.strip()}"
        return out


class TranslatorUnavailable(Exception):
    """Snakemake (or the parser interface this module relies on) is missing: the caller must not trust a screen."""


class _SourceFile:
    """What snakemake.parser expects of a source: a printable path."""

    def __init__(self, name: str) -> None:
        self._name = name

    def get_path_or_uri(self, secret_free: bool = False) -> str:
        return self._name


class _SourceCache:
    def __init__(self, text: str) -> None:
        self._text = text

    def open(self, _source: _SourceFile) -> TextIO:
        return io.StringIO(self._text)


class _WorkflowStub:
    """The parser only asks the workflow for its source cache."""

    def __init__(self, text: str) -> None:
        self.sourcecache = _SourceCache(text)


def translate(text: str, name: str) -> Translation:
    """Snakemake source -> compiled-checked Python. Raises SnakefileSyntaxError or TranslatorUnavailable."""
    try:
        from snakemake.parser import parse  # lazy: heavy import, and only needed when a workflow is checked
    except ImportError as exc:
        raise TranslatorUnavailable(f"snakemake is not importable: {exc}") from exc
    lines = text.splitlines()
    linemap: dict[int, int] = {}
    try:
        code, _rulecount = parse(_SourceFile(name), _WorkflowStub(text), linemap)
    except tokenize.TokenError as exc:
        raise _token_error(exc, text, name) from exc
    except SyntaxError as exc:  # raised by Snakemake's parser or tokenize: line numbers are the source's own
        raise SnakefileSyntaxError(name, exc.lineno, exc.msg, _line(lines, exc.lineno)) from exc
    except (AttributeError, TypeError) as exc:  # the parser's interface changed under us
        raise TranslatorUnavailable(f"snakemake.parser.parse cannot be driven: {exc!r}") from exc
    translation = Translation(code=code, linemap=linemap)
    try:
        compile(code, name, "exec", dont_inherit=True)
    except SyntaxError as exc:  # line numbers of the generated code: map them back
        line = translation.source_line(exc.lineno) if exc.lineno else None
        raise SnakefileSyntaxError(name, line, exc.msg, _line(lines, line)) from exc
    except (ValueError, RecursionError, MemoryError) as exc:  # e.g. null bytes, absurd nesting
        raise SnakefileSyntaxError(name, None, f"cannot compile: {exc}") from exc
    return translation


def _line(lines: list[str], number: int | None) -> str | None:
    if number is None or not 1 <= number <= len(lines):
        return None
    return lines[number - 1]


def _token_error(exc: tokenize.TokenError, text: str, name: str) -> SnakefileSyntaxError:
    """tokenize only says 'EOF in multi-line statement'; find the bracket or string that was never closed."""
    message = str(exc.args[0]) if exc.args else "tokenize error"
    position = exc.args[1] if len(exc.args) > 1 else None
    lines = text.splitlines()
    if "string" in message and position:
        return SnakefileSyntaxError(name, position[0], "unterminated triple-quoted string starts here",
                                    _line(lines, position[0]))
    opened = _unclosed_bracket(text)
    if opened is not None:
        bracket, line = opened
        return SnakefileSyntaxError(name, line, f"'{bracket}' is never closed", _line(lines, line))
    return SnakefileSyntaxError(name, position[0] if position else None, message)


def _unclosed_bracket(text: str) -> tuple[str, int] | None:
    """The innermost bracket still open when tokenizing stops, with its line."""
    stack: list[tuple[str, int]] = []
    pairs = {")": "(", "]": "[", "}": "{"}
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type != tokenize.OP:
                continue
            if token.string in "([{":
                stack.append((token.string, token.start[0]))
            elif token.string in pairs and stack and stack[-1][0] == pairs[token.string]:
                stack.pop()
    except (tokenize.TokenError, SyntaxError):
        pass
    return stack[-1] if stack else None
