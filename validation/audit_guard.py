"""Launcher that runs a Python module (Snakemake) under an audit hook: the sandbox's second layer.

Usage (see snakemake_checks.py):
    python -I audit_guard.py LOG WRITABLE_DIR [WRITABLE_DIR ...] -- -m MODULE [ARGS...]

Namespaces (sandbox.py) are the first layer and are not always available. This hook works everywhere: from the
moment it is installed, the Python code that Snakemake runs while parsing a Snakefile cannot connect or resolve
names on the network, write, delete or rename anything outside WRITABLE_DIRs, start processes, or look up libc
functions through ctypes that would bypass all of this. A blocked operation raises PermissionError and is written
to LOG, and the validator fails the check when LOG is not empty, even when the workflow swallowed the exception.
Standard library only; -I keeps the working directory (the workflow) off sys.path, so a workflow cannot shadow
Snakemake with its own module.
"""

from __future__ import annotations

import os
import runpy
import socket
import sys

# Programs Snakemake itself starts while loading a workflow (platform.processor() runs `uname -p`).
_ALLOWED_PROGRAMS = frozenset({"uname", "/usr/bin/uname", "/bin/uname"})
# Exact read-only probes that snakemake-executor-plugin-slurm runs when Snakemake imports it to build its options
# (is_query_tool_available, get_min_job_age): nothing else may follow these programs, and no other arguments.
_ALLOWED_COMMANDS = frozenset({("which", "sacct"), ("which", "squeue"), ("scontrol", "show", "config")})
_ALLOWED_DEVICES = frozenset({"/dev/null", "/dev/stdout", "/dev/stderr", "/dev/tty"})
_NET_EVENTS = frozenset({"socket.connect", "socket.sendto", "socket.sendmsg", "socket.getaddrinfo",
                         "socket.gethostbyname", "socket.gethostbyaddr", "socket.getnameinfo"})
_PROCESS_EVENTS = frozenset({"os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork", "os.forkpty",
                             "pty.spawn", "os.startfile"})
# path-taking events: event -> indexes of the arguments that are paths being changed
_PATH_EVENTS = {
    "os.mkdir": (0,), "os.remove": (0,), "os.rmdir": (0,), "os.rename": (0, 1), "os.symlink": (1,),
    "os.link": (1,), "os.chmod": (0,), "os.chown": (0,), "os.truncate": (0,), "os.utime": (0,),
    "shutil.rmtree": (0,), "shutil.move": (0, 1), "shutil.copyfile": (1,), "shutil.copytree": (1,),
    "os.chflags": (0,), "os.lchflags": (0,), "os.setxattr": (0,), "os.removexattr": (0,),
}
# libc symbols that would redo through ctypes what the hook forbids
_DANGEROUS_SYMBOLS = frozenset({
    "connect", "socket", "sendto", "sendmsg", "bind", "getaddrinfo", "gethostbyname", "open", "open64", "openat",
    "openat64", "creat", "fopen", "fopen64", "unlink", "unlinkat", "rename", "renameat", "renameat2", "mkdir",
    "mkdirat", "rmdir", "symlink", "link", "chmod", "truncate", "system", "popen", "execve", "execv", "execvp",
    "execl", "execlp", "fork", "vfork", "clone", "posix_spawn", "posix_spawnp", "syscall", "mount", "ptrace",
    "dlopen", "dlsym", "mprotect", "PySys_AddAuditHook",
})
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND


class Guard:
    def __init__(self, log_fd: int, writable: list[str]) -> None:
        self.log_fd = log_fd
        self.writable = [os.path.realpath(d) for d in writable]
        self.cwd_at_start = os.getcwd()

    def _inside(self, path: object) -> bool:
        if isinstance(path, int):  # a file descriptor: it was checked when it was opened
            return True
        if isinstance(path, bytes):
            path = os.fsdecode(path)
        if not isinstance(path, str):
            return True
        if path in _ALLOWED_DEVICES or path.startswith("/dev/fd/"):
            return True
        real = os.path.realpath(path)
        return any(real == d or real.startswith(d + os.sep) for d in self.writable)

    def block(self, what: str) -> None:
        line = f"blocked {what}\n".encode("utf-8", "replace")
        try:
            os.write(self.log_fd, line)
        except OSError:
            pass
        raise PermissionError(f"sandbox guard: {what} is not allowed while validating a workflow")

    def __call__(self, event: str, args: tuple) -> None:
        if event == "open":
            path, mode, flags = args
            writes = any(c in str(mode or "") for c in "wax+") or (isinstance(flags, int) and flags & _WRITE_FLAGS)
            if writes and not self._inside(path):
                self.block(f"writing {path!r}")
        elif event in _PATH_EVENTS:
            for index in _PATH_EVENTS[event]:
                if index < len(args) and not self._inside(args[index]):
                    self.block(f"{event} on {args[index]!r}")
            if event == "os.truncate" and args and args[0] == self.log_fd:
                self.block("truncating the guard's log")
        elif event in _NET_EVENTS:
            self.block(f"network access ({event} {_address(args)})")
        elif event == "socket.bind":
            address = args[1] if len(args) > 1 else None
            if not (isinstance(address, tuple) and len(address) >= 2 and address[1] == 0
                    and address[0] in ("127.0.0.1", "::1", "localhost")):
                self.block(f"binding a socket to {address!r}")
        elif event == "subprocess.Popen":
            executable, argv = args[0], args[1]
            program = executable or (argv[0] if isinstance(argv, (list, tuple)) and argv else argv)
            name = os.fsdecode(program) if isinstance(program, (str, bytes, os.PathLike)) else None
            command = tuple(os.fsdecode(a) for a in argv) if isinstance(argv, (list, tuple)) else ()
            if name not in _ALLOWED_PROGRAMS and command not in _ALLOWED_COMMANDS:
                self.block(f"starting a process ({program!r})")
        elif event in _PROCESS_EVENTS:
            self.block(f"starting a process ({event})")
        elif event == "ctypes.dlsym" and len(args) > 1 and str(args[1]) in _DANGEROUS_SYMBOLS:
            self.block(f"looking up {args[1]!r} through ctypes")


def _address(args: tuple) -> str:
    for arg in args[1:2] if args and isinstance(args[0], socket.socket) else args[:1]:
        return repr(arg)[:80]
    return ""


def main(argv: list[str]) -> int:
    try:
        split = argv.index("--")
    except ValueError:
        split = -1
    if split < 3 or argv[split + 1:split + 2] != ["-m"] or len(argv) < split + 3:
        print("usage: audit_guard.py LOG WRITABLE_DIR... -- -m MODULE [ARGS...]", file=sys.stderr)
        return 2
    log_path, writable = argv[1], argv[2:split]
    module, module_args = argv[split + 2], argv[split + 3:]
    log_fd = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    sys.addaudithook(Guard(log_fd, writable))
    sys.argv = [module, *module_args]
    runpy.run_module(module, run_name="__main__", alter_sys=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
