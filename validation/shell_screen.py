"""Screen one shell command string (a shell: directive or a shell() call) against screen_rules.

Placeholders such as {output} or {resources.tmpdir} are left as they are: Snakemake fills them with paths inside
the working directory, so only literal paths can be judged here.
"""

from __future__ import annotations

import re
import shlex

from biopipelines.validation import screen_rules as rules

# Where one simple command ends and the next begins (quotes are not honoured: a split inside an awk program only
# produces words that are not commands, which is harmless for this screen).
_COMMAND_SEPARATOR = re.compile(r"\|\||&&|[;|&\n()`]|\$\(")
_ASSIGNMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")


def screen_shell(command: str) -> list[tuple[str, str]]:
    """(rule_id, message) for every problem found in a shell command; [] when it looks like ordinary work."""
    text = command.replace("\\\n", " ")
    found: list[tuple[str, str]] = []
    for rule in rules.SHELL_PATTERNS:
        if rule.pattern.search(text):
            found.append((rule.rule_id, rule.message))
    for path in rules.REDIRECT_TO_PATH.findall(text):
        if rules.is_outside_path(path):
            found.append(("shell-write-outside", _outside_message(path, "redirects output to")))
    for words in _simple_commands(text):
        for path in _written_paths(words):
            if rules.is_outside_path(path):
                found.append(("shell-write-outside", _outside_message(path, f"'{words[0]}' writes to")))
    return _unique(found)


def _outside_message(path: str, verb: str) -> str:
    return (f"{verb} {path!r}, outside the workflow: write under the rule's output/log paths "
            "or {resources.tmpdir} instead")


def _simple_commands(text: str) -> list[list[str]]:
    commands: list[list[str]] = []
    for segment in _COMMAND_SEPARATOR.split(text):
        try:
            words = shlex.split(segment, comments=False)
        except ValueError:  # unbalanced quotes from a split inside a quoted program
            words = segment.split()
        while words and (_ASSIGNMENT.match(words[0]) or words[0] in rules.COMMAND_PREFIXES):
            words = words[1:]
        if words:
            words[0] = words[0].rsplit("/", 1)[-1]  # /bin/rm -> rm
            commands.append(words)
    return commands


def _written_paths(words: list[str]) -> list[str]:
    name, args = words[0], words[1:]
    if name == "dd":
        return [arg[3:] for arg in args if arg.startswith("of=")]
    operands = [arg for arg in args if not arg.startswith("-")]
    if name in rules.WRITING_COMMANDS:
        return operands
    if name in rules.COPYING_COMMANDS:
        targets = [args[i + 1] for i, arg in enumerate(args[:-1]) if arg in ("-t", "--target-directory")]
        targets += [arg.split("=", 1)[1] for arg in args if arg.startswith("--target-directory=")]
        if not targets and len(operands) >= 2:
            targets.append(operands[-1])
        return targets
    return []


def _unique(found: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return list(dict.fromkeys(found))
