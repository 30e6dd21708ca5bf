"""Parse one shell command string with tree-sitter-bash into what the shell screen judges.

Every simple command is found wherever it sits: in lists and pipelines, `$( )`, backticks, `<( )`/`>( )`, subshells,
compound statements, loops, function bodies and the expansions of here-documents. Quoting is the grammar's, so a sed
or awk program inside quotes is one argument, never a command.

Snakemake placeholders ({input}, {output.bam}, {params.extra}, {wildcards.sample}, {threads}, ...) are filled in by
Snakemake before bash runs: they become opaque words here (see `snakemake_words`), and `{{`/`}}` become the single
braces bash sees.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

import tree_sitter_bash
from tree_sitter import Language, Node, Parser

# A Snakemake format field: {name}, {name.attr}, {name[0]}, {name:q}, or {} (an f-string part known only at run time).
_FORMAT_TOKEN = re.compile(r"\{\{|\}\}|\{(?:[A-Za-z_][\w.]*(?:\[[^\]{}]*\])*(?::[^{}]*)?)?\}")
_PLACEHOLDER_WORD = "SMKPLACEHOLDER{}X"
_PLACEHOLDER_BACK = re.compile(r"SMKPLACEHOLDER(\d+)X")
_SUBSTITUTIONS = frozenset({"command_substitution", "process_substitution"})


class Word(NamedTuple):
    text: str  # the word as bash sees it after quote removal; expansions keep their source text ($HOME, $(...))
    dynamic: bool  # holds a command/process substitution or a placeholder: its value is only known at run time


class Command(NamedTuple):
    words: tuple[Word, ...]  # name first, then arguments (leading VAR=value assignments dropped)
    line: int
    upstream: tuple[tuple[Word, ...], ...]  # the commands piped into this one, nearest last
    stdin_text: str | None  # the text of a here-document or here-string fed to it


class Redirect(NamedTuple):
    operator: str
    target: Word
    line: int


class Script(NamedTuple):
    commands: tuple[Command, ...]
    redirects: tuple[Redirect, ...]
    functions: tuple[tuple[str, frozenset[str]], ...]  # (name, names of the commands piped inside its body)
    substitution_commands: tuple[tuple[Word, ...], ...]  # commands run inside $( ), ` ` or <( ): their output is text
    error: str | None  # where the grammar could not parse the text, or None


class Placeholders(NamedTuple):
    text: str  # the command with each placeholder replaced by an opaque word
    originals: tuple[str, ...]

    def restore(self, message: str) -> str:
        return _PLACEHOLDER_BACK.sub(lambda m: self.originals[int(m.group(1))], message)


def snakemake_words(command: str) -> Placeholders:
    """Replace Snakemake's format fields by opaque words, and doubled braces by the single brace bash sees."""
    originals: list[str] = []

    def swap(match: re.Match) -> str:
        token = match.group(0)
        if token in ("{{", "}}"):
            return token[0]
        originals.append(token)
        return _PLACEHOLDER_WORD.format(len(originals) - 1)

    return Placeholders(_FORMAT_TOKEN.sub(swap, command), tuple(originals))


def is_placeholder(text: str) -> bool:
    return bool(_PLACEHOLDER_BACK.search(text))


@lru_cache(maxsize=1)
def _parser() -> Parser:
    return Parser(Language(tree_sitter_bash.language()))


@lru_cache(maxsize=2048)  # the library's rule commands are the same text request after request
def parse_shell(text: str) -> Script:
    tree = _parser().parse(text.encode("utf-8"))
    walker = _Walker()
    walker.visit(tree.root_node)
    error = _first_error(tree.root_node) if tree.root_node.has_error else None
    return Script(tuple(walker.commands), tuple(walker.redirects), tuple(walker.functions),
                  tuple(walker.substituted), error)


def _text(node: Node) -> str:
    return node.text.decode("utf-8", "replace")


def word_of(node: Node) -> Word:
    """The value of one argument node as bash would see it, as far as it is known before running."""
    kind = node.type
    if kind == "raw_string":
        return Word(_text(node)[1:-1], False)
    if kind == "ansi_c_string":
        return Word(_text(node)[2:-1].encode("utf-8").decode("unicode_escape", "replace"), False)
    if kind == "string":
        inner = _text(node)[1:-1]
        dynamic = any(_contains(child, _SUBSTITUTIONS) for child in node.named_children)
        return Word(re.sub(r'\\([\\"$`])', r"\1", inner), dynamic or is_placeholder(inner))
    if kind == "concatenation":
        parts = [word_of(child) for child in node.children]
        return Word("".join(p.text for p in parts), any(p.dynamic for p in parts))
    if kind in _SUBSTITUTIONS:
        return Word(_text(node), True)
    if kind == "word":
        text = re.sub(r"\\(.)", r"\1", _text(node))
        return Word(text, is_placeholder(text))
    return Word(_text(node), kind not in ("number", "simple_expansion", "expansion"))


def _contains(node: Node, kinds: frozenset[str]) -> bool:
    return node.type in kinds or any(_contains(child, kinds) for child in node.named_children)


def _first_error(node: Node) -> str:
    for child in _descendants(node):
        if child.type == "ERROR" or child.is_missing:
            snippet = _text(child)[:40] or child.type
            return f"line {child.start_point[0] + 1}: near {snippet!r}"
    return "somewhere in the text"


def _descendants(node: Node):
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(current.children))


def _stage_command(stage: Node) -> Node | None:
    """The command of one pipeline stage (it may be wrapped in a redirected statement)."""
    if stage.type == "redirected_statement":
        stage = stage.child_by_field_name("body") or stage
    return stage if stage.type == "command" else None


class _Walker:
    def __init__(self) -> None:
        self.commands: list[Command] = []
        self.redirects: list[Redirect] = []
        self.functions: list[tuple[str, frozenset[str]]] = []
        self.substituted: list[tuple[Word, ...]] = []

    def visit(self, node: Node) -> None:
        for current in _descendants(node):
            kind = current.type
            if kind == "command":
                self.commands.append(self._command(current))
            elif kind == "file_redirect":
                self._redirect(current)
            elif kind == "function_definition":
                self._function(current)
            elif kind in _SUBSTITUTIONS:
                self.substituted += [_words(c) for c in _descendants(current) if c.type == "command"]

    def _command(self, node: Node) -> Command:
        upstream: tuple[tuple[Word, ...], ...] = ()
        holder = node.parent.parent if node.parent and node.parent.type == "redirected_statement" else node.parent
        if holder is not None and holder.type == "pipeline":
            stages = [_stage_command(s) for s in holder.named_children]
            position = next(i for i, s in enumerate(stages) if s is not None and s.id == node.id)
            upstream = tuple(_words(s) for s in stages[:position] if s is not None)
        return Command(_words(node), node.start_point[0] + 1, upstream, _stdin_text(node))

    def _redirect(self, node: Node) -> None:
        target = node.child_by_field_name("destination")
        if target is None:
            return
        operator = "".join(_text(c) for c in node.children if not c.is_named)
        self.redirects.append(Redirect(operator, word_of(target), node.start_point[0] + 1))

    def _function(self, node: Node) -> None:
        name = node.child_by_field_name("name")
        body = node.child_by_field_name("body")
        if name is None or body is None:
            return
        piped = frozenset(_words(c)[0].text for p in _descendants(body) if p.type == "pipeline"
                          for c in _descendants(p) if c.type == "command" and _words(c))
        self.functions.append((_text(name), piped))


def _words(node: Node) -> tuple[Word, ...]:
    words = []
    name = node.child_by_field_name("name")
    if name is not None:
        words.append(word_of(name.named_children[0]) if name.named_children else Word(_text(name), False))
    words += [word_of(arg) for arg in node.children_by_field_name("argument")]
    return tuple(words)


def _stdin_text(node: Node) -> str | None:
    redirects = list(node.children)
    # the grammar hangs `a && bash <<EOF` 's here-document on the whole list: it belongs to the list's last command
    holder = node
    while holder.parent is not None and holder.parent.type in ("list", "pipeline") and \
            holder.parent.named_children[-1].id == holder.id:
        holder = holder.parent
    if holder.parent is not None and holder.parent.type == "redirected_statement":
        redirects += holder.parent.children_by_field_name("redirect")
    for redirect in redirects:
        if redirect.type == "heredoc_redirect":
            body = next((c for c in redirect.named_children if c.type == "heredoc_body"), None)
            return _text(body) if body is not None else ""
        if redirect.type == "herestring_redirect" and redirect.named_children:
            return word_of(redirect.named_children[-1]).text
    return None
