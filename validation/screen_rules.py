"""Every rule of the static screen, in one place, so that a reviewer can read (and a later issue extend) the policy.

The screen's code (python_screen, shell_screen, static_screen) only applies these tables.
"""

from __future__ import annotations

import re
from typing import NamedTuple


class ShellPattern(NamedTuple):
    """A shell-string rule: a regex over the command text and the message a coder sees when it matches."""

    rule_id: str
    pattern: re.Pattern[str]
    message: str


# --- Python parts (top-level code, run: blocks, onstart/onsuccess/onerror, input functions, params lambdas) ---

# Importing any of these (or a submodule) is a finding: a workflow's Python code must not talk to the network.
NETWORK_MODULES: frozenset[str] = frozenset({
    "socket", "socketserver", "ssl", "urllib", "urllib2", "urllib3", "requests", "http", "httpx", "aiohttp",
    "ftplib", "smtplib", "poplib", "imaplib", "telnetlib", "xmlrpc", "paramiko", "pycurl", "websocket", "websockets",
})

# Spawning processes belongs in shell: directives, where the screen can read the command.
PROCESS_MODULES: frozenset[str] = frozenset({"subprocess", "pty", "pexpect"})
PROCESS_CALL_PREFIXES: tuple[str, ...] = (
    "os.system", "os.popen", "os.exec", "os.spawn", "os.posix_spawn", "os.fork", "os.forkpty", "pty.spawn",
    "asyncio.create_subprocess",
)

# Code that runs text as code hides what it does from the screen.
DYNAMIC_CODE_CALLS: frozenset[str] = frozenset({
    "eval", "exec", "__import__", "builtins.eval", "builtins.exec", "builtins.__import__", "importlib.import_module",
})

# Modules that run code the screen cannot see (dynamic imports, raw system calls).
DYNAMIC_CODE_MODULES: frozenset[str] = frozenset({"importlib", "builtins", "ctypes", "cffi"})

# Calls whose string arguments are file paths; an absolute path or a `..` escape is a finding.
PATH_CALLS: frozenset[str] = frozenset({
    "open", "io.open", "builtins.open", "codecs.open", "os.open",
    "os.remove", "os.unlink", "os.rmdir", "os.removedirs", "os.mkdir", "os.makedirs", "os.rename", "os.replace",
    "os.symlink", "os.link", "os.chmod", "os.chown", "os.truncate",
    "shutil.rmtree", "shutil.copy", "shutil.copy2", "shutil.copyfile", "shutil.copytree", "shutil.move",
    "pathlib.Path", "pathlib.PosixPath",
})
# Paths every program may use.
ALLOWED_ABSOLUTE_PATHS: frozenset[str] = frozenset({"/dev/null", "/dev/stdout", "/dev/stderr", "/dev/stdin"})
ALLOWED_ABSOLUTE_PREFIXES: tuple[str, ...] = ("/dev/fd/",)



def is_outside_path(path: str) -> bool:
    """Absolute, home-relative or parent-relative paths leave the workflow's working directory."""
    if path in ALLOWED_ABSOLUTE_PATHS or path.startswith(ALLOWED_ABSOLUTE_PREFIXES):
        return False
    if path.startswith(("/", "~", "$HOME", "${HOME}")):
        return True
    return ".." in path.replace("\\", "/").split("/")


# Reading one variable: os.getenv("X"), os.environ.get("X"), os.environ["X"] (a secret-looking name is a finding).
ENV_READ_CALLS: frozenset[str] = frozenset({"os.getenv", "os.getenvb"})
ENV_KEY_METHODS: frozenset[str] = frozenset({"get", "pop", "setdefault", "__getitem__"})
# Calls on os.environ that hand over every variable (and so every secret) at once.
ENV_DUMP_METHODS: frozenset[str] = frozenset({"items", "values", "keys", "copy", "__str__", "__repr__"})

# Snakemake functions whose first argument is a shell command (shell: directives become workflow.shellcmd).
SHELL_CALLS: frozenset[str] = frozenset({"shell", "workflow.shellcmd", "snakemake.shell", "snakemake.shell.shell"})

# Files larger than this are not screened (and so not run): generated workflow sources are a few KB.
MAX_SOURCE_BYTES = 512 * 1024

# --- shell text the parser cannot read (a Snakefile that does not parse; an answer's code block that is not shell) ---

_SHELL_WORD_START = r"(?:^|[\s;&|(`])"

SHELL_PATTERNS: tuple[ShellPattern, ...] = (
    ShellPattern(
        "shell-rm-root",
        re.compile(r"\brm\s+(?:-[^\s]*\s+)*(?:--\s+)?[\"']?(?:/\*?|~/?|\$HOME/?|\$\{HOME\}/?)[\"']?(?=$|[\s;&|)])",
                   re.MULTILINE),
        "deletes the filesystem root or the home directory",
    ),
    ShellPattern(
        "shell-pipe-to-shell",
        re.compile(r"\b(?:curl|wget|fetch)\b[^\n;&]*?\|\s*(?:sudo\s+)?(?:[\w./-]*/)?(?:ba|da|z|k|c|tc|fi)?sh\b"
                   r"|\b(?:curl|wget)\b[^\n;&]*?\|\s*(?:[\w./-]*/)?(?:python3?|perl|ruby)\b"
                   r"|(?:<\(|\$\(|`)\s*(?:curl|wget)\b"),
        "downloads code and runs it (curl/wget piped into a shell or interpreter)",
    ),
    ShellPattern(
        "shell-privilege",
        re.compile(_SHELL_WORD_START + r"(?:sudo|doas|pkexec)\b|" + _SHELL_WORD_START + r"su\s+-c\b", re.MULTILINE),
        "asks for root privileges (sudo/su)",
    ),
    ShellPattern(
        "shell-reverse-shell",
        re.compile(r"/dev/(?:tcp|udp)/"
                   r"|\b(?:nc|ncat|netcat)\b[^\n;|&]*\s-[a-zA-Z]*[ec]\b"
                   r"|\bsocat\b[^\n]*\b(?:exec|system):"),
        "opens a network shell (/dev/tcp, nc -e, socat exec:)",
    ),
    ShellPattern(
        "shell-fork-bomb",
        re.compile(r":\s*\(\s*\)\s*\{[^}]*:\s*\|\s*:"),
        "contains a fork bomb",
    ),
    ShellPattern(
        "shell-device-write",
        re.compile(r"\bmkfs(?:\.\w+)?\b|\bdd\b[^\n;|&]*\bof=/dev/(?!null\b)"),
        "writes to a block device or formats a filesystem",
    ),
)

# --- the parsed shell screen (shell_screen, over shell_parse's commands) ---

# Shells and interpreters: what they read from a pipe, a here-document or `-c` is a program.
SHELLS: frozenset[str] = frozenset({"sh", "bash", "dash", "zsh", "ksh", "ash", "csh", "tcsh", "fish", "busybox"})
INTERPRETERS: frozenset[str] = frozenset({"python", "python2", "python3", "perl", "ruby", "node", "php", "lua"})
# Commands that download; their output is never a program to run.
FETCHERS: frozenset[str] = frozenset({"curl", "wget", "fetch", "aria2c"})
# Commands that open connections other than a download (a workflow fetches its data with curl/wget only).
NETWORK_TOOLS: frozenset[str] = frozenset({
    "nc", "ncat", "netcat", "socat", "telnet", "ssh", "scp", "sftp", "ftp", "tftp", "nmap", "sshpass",
})
# Options of a fetcher that send local data away.
UPLOAD_OPTIONS: tuple[str, ...] = ("-T", "--upload-file", "-d", "--data", "--data-binary", "--data-raw",
                                   "--data-urlencode", "-F", "--form", "--post-file", "--post-data", "--body-file")
PRIVILEGE_COMMANDS: frozenset[str] = frozenset({"sudo", "doas", "pkexec", "su", "runuser"})
# Commands that run their other arguments as a command.
WRAPPER_COMMANDS: frozenset[str] = frozenset({
    "env", "nohup", "time", "exec", "command", "builtin", "nice", "timeout", "stdbuf", "xargs", "sudo", "doas",
    "setsid", "ionice", "chroot", "unbuffer",
})
# Options of a wrapper that take the next word as their value.
WRAPPER_VALUE_OPTIONS: frozenset[str] = frozenset({
    "-u", "-n", "-s", "-k", "-I", "-P", "-L", "-d", "-E", "-a", "-C", "--signal",
    "--kill-after", "--unset", "--chdir", "--max-args", "--max-procs", "--delimiter", "--arg-file",
})
# Targets of rm that are the filesystem root or the home directory.
ROOT_OR_HOME: frozenset[str] = frozenset({
    "/", "/*", "/.", "~", "~/", "~/*", "$HOME", "$HOME/", "$HOME/*", "${HOME}", "${HOME}/", "${HOME}/*",
})
NETWORK_DEVICE_PREFIXES: tuple[str, ...] = ("/dev/tcp/", "/dev/udp/")
# How deep `bash -c '...'` / eval / here-documents fed to a shell are followed before the screen gives up.
MAX_SHELL_NESTING = 4

# Commands that create, change or delete every path they are given.
WRITING_COMMANDS: frozenset[str] = frozenset({
    "mkdir", "touch", "rm", "rmdir", "chmod", "chown", "chgrp", "truncate", "shred", "unlink", "tee",
})
# Commands whose last operand (or -t DIR) is the destination they write to.
COPYING_COMMANDS: frozenset[str] = frozenset({"cp", "mv", "rsync", "install", "ln"})
