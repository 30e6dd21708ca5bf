"""Launcher run inside fresh user + mount namespaces: make the whole filesystem read-only except one directory.

Usage (see sandbox.py): unshare --user --map-root-user --mount ... python -I -S ns_jail.py WRITABLE_DIR -- CMD...

Standard library only and started with -S, so nothing from site-packages runs before the jail is in place. Any
mount that cannot be made read-only aborts with exit status 125 (fail closed) instead of running the command.
"""

from __future__ import annotations

import ctypes
import os
import re
import sys

MS_RDONLY = 0x1
MS_NOSUID = 0x2
MS_NODEV = 0x4
MS_NOEXEC = 0x8
MS_REMOUNT = 0x20
MS_NOSYMFOLLOW = 0x100
MS_NOATIME = 0x400
MS_NODIRATIME = 0x800
MS_BIND = 0x1000
MS_REC = 0x4000
MS_RELATIME = 0x200000
MS_STRICTATIME = 0x1000000

# Locked flags of mounts inherited from the parent namespace must be repeated on remount, or the kernel refuses.
_PRESERVED_FLAGS = {
    "nosuid": MS_NOSUID, "nodev": MS_NODEV, "noexec": MS_NOEXEC, "nosymfollow": MS_NOSYMFOLLOW,
    "noatime": MS_NOATIME, "nodiratime": MS_NODIRATIME, "relatime": MS_RELATIME, "strictatime": MS_STRICTATIME,
}
# Kernel pseudo-filesystems: /proc is the namespace's own, /dev must stay writable for /dev/null and ptys.
_LEFT_ALONE = ("/proc", "/sys", "/dev")
JAIL_FAILED = 125


def _unescape(field: str) -> str:
    return re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), field)


def _mounts() -> list[tuple[str, list[str]]]:
    """(mount point, per-mount options) from /proc/self/mountinfo."""
    with open("/proc/self/mountinfo", encoding="utf-8") as fh:
        return [(_unescape(fields[4]), fields[5].split(",")) for fields in (line.split() for line in fh)]


def _inside(path: str, directory: str) -> bool:
    return path == directory or path.startswith(directory.rstrip("/") + "/")


def make_read_only_except(writable: str) -> None:
    libc = ctypes.CDLL(None, use_errno=True)

    def mount(source: str | None, target: str, flags: int, fstype: str | None = None) -> None:
        src = source.encode() if source is not None else None
        kind = fstype.encode() if fstype is not None else None
        if libc.mount(src, target.encode(), kind, ctypes.c_ulong(flags), None) != 0:
            err = ctypes.get_errno()
            raise OSError(err, f"mount {target}: {os.strerror(err)}")

    mount(writable, writable, MS_BIND | MS_REC)  # its own mount, so remounting its parent read-only spares it
    for target, options in _mounts():
        if "ro" in options or _inside(target, writable) or any(_inside(target, d) for d in _LEFT_ALONE):
            continue
        flags = MS_REMOUNT | MS_BIND | MS_RDONLY
        for option in options:
            flags |= _PRESERVED_FLAGS.get(option, 0)
        mount(None, target, flags)
    if os.path.isdir("/dev/shm"):  # the host's shared memory would outlive the run: give it a private, empty one
        mount("tmpfs", "/dev/shm", MS_NOSUID | MS_NODEV, fstype="tmpfs")


def main(argv: list[str]) -> int:
    if len(argv) < 4 or argv[2] != "--":
        print("usage: ns_jail.py WRITABLE_DIR -- COMMAND [ARGS...]", file=sys.stderr)
        return 2
    writable, command = os.path.realpath(argv[1]), argv[3:]
    try:
        cwd = os.getcwd()
        make_read_only_except(writable)
        # The working directory was entered before the bind mount existed and still points at the old,
        # now read-only mount: enter it again through the new one.
        os.chdir(cwd)
    except OSError as exc:
        print(f"sandbox: cannot make the filesystem read-only: {exc}", file=sys.stderr)
        return JAIL_FAILED
    try:
        os.execv(command[0], command)  # keeps the environment the sandbox prepared
    except OSError as exc:
        print(f"sandbox: cannot run {command[0]}: {exc}", file=sys.stderr)
    return 127


if __name__ == "__main__":
    sys.exit(main(sys.argv))
