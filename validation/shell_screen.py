"""Screen one shell command string (a shell: directive or a shell() call) against screen_rules.

The string is parsed by a bash grammar (shell_parse), so quotes are honoured and every simple command is judged,
including those inside `$( )`, backticks, process substitutions, functions and here-documents. Programs handed to a
shell as text (`bash -c '...'`, `eval ...`, a here-document or here-string fed to a shell, `echo '...' | sh`) are
parsed and screened in turn. Placeholders such as {output} or {resources.tmpdir} are opaque words: Snakemake fills
them with paths inside the working directory, so only literal paths can be judged here.

A string the grammar cannot parse is a finding of its own: what the screen cannot read is never passed.
"""

from __future__ import annotations

from biopipelines.validation import screen_rules as rules
from biopipelines.validation.shell_parse import Command, Script, Word, parse_shell, snakemake_words

Finding = tuple[str, str]  # (rule_id, message)


def screen_shell(command: str, snakemake: bool = True) -> list[Finding]:
    """(rule_id, message) for every problem found in a shell command; [] when it looks like ordinary work.

    `snakemake`: the text is a Snakemake shell string, whose {placeholders} and doubled braces are translated first.
    """
    placeholders = snakemake_words(command) if snakemake else None
    try:
        found = _screen_text(placeholders.text if placeholders else command, 0)
    except RecursionError:  # nesting deeper than Python's stack: what cannot be read is not passed
        found = [("shell-unparsed", "nests commands too deeply for the screen to follow")]
    if placeholders is not None:
        found = [(rule_id, placeholders.restore(message)) for rule_id, message in found]
    return _unique(found)


def screen_shell_text(text: str) -> list[Finding]:
    """The coarse pattern scan, for text that is not (or not only) shell: it only finds the worst idioms."""
    return [(rule.rule_id, rule.message) for rule in rules.SHELL_PATTERNS if rule.pattern.search(text)]


def _screen_text(text: str, depth: int) -> list[Finding]:
    if depth > rules.MAX_SHELL_NESTING:
        return [("shell-unparsed", "nests programs in strings too deeply for the screen to follow")]
    script = parse_shell(text)
    found: list[Finding] = []
    if script.error is not None:
        found.append(("shell-unparsed", f"cannot be parsed as shell ({script.error}), so the screen cannot see "
                                        "what it runs"))
    for command in script.commands:
        found += _screen_command(command, depth)
    for redirect in script.redirects:
        target = redirect.target.text
        if target.startswith(rules.NETWORK_DEVICE_PREFIXES):
            found.append(("shell-reverse-shell", "opens a network shell (/dev/tcp, nc -e, socat exec:)"))
        elif ">" in redirect.operator and not _is_descriptor(target) and rules.is_outside_path(target):
            found.append(("shell-write-outside", _outside_message(target, "redirects output to")))
    found += _fork_bombs(script)
    return found


def _screen_command(command: Command, depth: int) -> list[Finding]:
    words = _unwrapped(command.words)
    found = [("shell-privilege", "asks for root privileges (sudo/su)")
             for word in command.words[:len(command.words) - len(words) + 1]
             if _name(word) in rules.PRIVILEGE_COMMANDS]
    if not words:
        return found
    name, args = _name(words[0]), [w.text for w in words[1:]]
    if "$" in words[0].text or "`" in words[0].text:  # a placeholder path ({params.dir}/run.py) is the workflow's
        found.append(("shell-dynamic-code", f"runs a command whose name is only known at run time ({_short(words[0].text)})"))
    if any(text.startswith(rules.NETWORK_DEVICE_PREFIXES) for text in args):
        found.append(("shell-reverse-shell", "opens a network shell (/dev/tcp, nc -e, socat exec:)"))
    found += _network(name, args)
    found += _programs(name, words, command, depth)
    found += _destructive(name, args)
    return found


def _network(name: str, args: list[str]) -> list[Finding]:
    if name in rules.NETWORK_TOOLS:
        if name in ("nc", "ncat", "netcat") and any(_has_flag(a, "ec") for a in args) or name == "socat" and any(
                a.lower().startswith(("exec:", "system:")) for a in args):
            return [("shell-reverse-shell", "opens a network shell (/dev/tcp, nc -e, socat exec:)")]
        return [("shell-network", f"opens a network connection with {name}: a workflow downloads its inputs with "
                                  "curl or wget into its outputs, and sends nothing away")]
    if name in rules.FETCHERS and any(a.split("=", 1)[0] in rules.UPLOAD_OPTIONS for a in args):
        return [("shell-network", f"sends local data away with {name} (upload or POST)")]
    return []


def _programs(name: str, words: tuple[Word, ...], command: Command, depth: int) -> list[Finding]:
    """Programs handed over as text: screened in turn where known, a finding where only known at run time."""
    found: list[Finding] = []
    runs_code = name in rules.SHELLS or name in rules.INTERPRETERS
    if name in rules.SHELLS or name in ("eval", "source", "."):
        if any(_fetched(w) for w in words[1:]):
            return [_pipe_to_shell()]
    if runs_code and any(_name(up[0]) in rules.FETCHERS for up in command.upstream if up):
        return [_pipe_to_shell()]
    program = _inline_program(name, words)
    if program is not None:
        if program.dynamic:
            found.append(("shell-dynamic-code", f"runs a program only known at run time ({name} {_short(program.text)})"))
        elif name in rules.SHELLS or name == "eval":
            found += _screen_text(program.text, depth + 1)
    elif name in rules.SHELLS and len(words) == 1:  # the program comes from stdin
        if command.stdin_text is not None:
            found += _screen_text(command.stdin_text, depth + 1)
        elif command.upstream:
            found += _piped_program(command.upstream[-1], depth)
    return found


def _inline_program(name: str, words: tuple[Word, ...]) -> Word | None:
    """The program text of `eval ARGS` or `bash -c TEXT`, or None."""
    if name == "eval" and len(words) > 1:
        return Word(" ".join(w.text for w in words[1:]), any(w.dynamic for w in words[1:]))
    if name in rules.SHELLS:
        for index, word in enumerate(words[1:-1], start=1):
            if word.text.startswith("-") and not word.text.startswith("--") and "c" in word.text:
                return words[index + 1]
    return None


def _piped_program(upstream: tuple[Word, ...], depth: int) -> list[Finding]:
    if upstream and _name(upstream[0]) in ("echo", "printf") and not any(w.dynamic for w in upstream[1:]):
        return _screen_text(" ".join(w.text for w in upstream[1:] if not w.text.startswith("-")), depth + 1)
    return [("shell-dynamic-code", "pipes a program into a shell: the screen cannot see what it runs")]


def _destructive(name: str, args: list[str]) -> list[Finding]:
    found: list[Finding] = []
    if name == "rm" and any(a in rules.ROOT_OR_HOME for a in args if not a.startswith("-")):
        found.append(("shell-rm-root", "deletes the filesystem root or the home directory"))
    if name.startswith("mkfs") or name == "dd" and any(a.startswith("of=/dev/") and a != "of=/dev/null"
                                                        for a in args):
        found.append(("shell-device-write", "writes to a block device or formats a filesystem"))
    for path in _written_paths(name, args):
        if rules.is_outside_path(path) and not found:
            found.append(("shell-write-outside", _outside_message(path, f"'{name}' writes to")))
    return found


def _fork_bombs(script: Script) -> list[Finding]:
    return [("shell-fork-bomb", "contains a fork bomb") for name, piped in script.functions if name in piped]


def _unwrapped(words: tuple[Word, ...]) -> tuple[Word, ...]:
    """The command a wrapper runs: `env X=1 nohup timeout 5 rm -rf /` is judged as `rm -rf /`."""
    while words and _name(words[0]) in rules.WRAPPER_COMMANDS:
        wrapper, rest = _name(words[0]), list(words[1:])
        while rest and (rest[0].text.startswith("-") or "=" in rest[0].text and wrapper == "env"):
            option = rest.pop(0).text
            if option in rules.WRAPPER_VALUE_OPTIONS and rest:
                rest.pop(0)
        if wrapper in ("timeout", "nice", "chroot") and rest:
            rest.pop(0)  # the duration, the niceness or the new root
        words = tuple(rest)
    return words


def _written_paths(name: str, args: list[str]) -> list[str]:
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


def _name(word: Word) -> str:
    return word.text.rsplit("/", 1)[-1]  # /bin/rm -> rm


def _fetched(word: Word) -> bool:
    """`<(curl ...)` or `$(wget ...)`: an argument whose text is a download."""
    if not word.dynamic:
        return False
    script = parse_shell(word.text.lstrip("<>$\"`"))
    return any(c.words and _name(c.words[0]) in rules.FETCHERS for c in script.commands)


def _has_flag(arg: str, letters: str) -> bool:
    return arg.startswith("-") and not arg.startswith("--") and any(letter in arg[1:] for letter in letters)


def _is_descriptor(target: str) -> bool:
    return target.isdigit() or target == "-"


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit] + "..."


def _pipe_to_shell() -> Finding:
    return ("shell-pipe-to-shell", "downloads code and runs it (curl/wget piped into a shell or interpreter)")


def _outside_message(path: str, verb: str) -> str:
    return (f"{verb} {path!r}, outside the workflow: write under the rule's output/log paths "
            "or {resources.tmpdir} instead")


def _unique(found: list[Finding]) -> list[Finding]:
    return list(dict.fromkeys(found))
