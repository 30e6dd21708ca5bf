"""Which tools a workflow's rules call from PATH: each module's meta.yaml names the Debian binaries its rule runs,
or says why Debian has none (`no_debian`). Running .test/ with the system tools (`validate --execute`, the module
tests) needs every one of them."""

from __future__ import annotations

import shutil

from biopipelines.library.catalogue import Library


def required_binaries(library: Library, modules: list[str]) -> list[str]:
    """The binaries the modules' rules call, in order; a module with no Debian package is named as
    "<package> (not packaged in Debian)"."""
    needed: list[str] = []
    for module in modules:
        spec = library.module(module)
        names = [b for p in spec.debian for b in p.binaries] or [f"{spec.package.name} (not packaged in Debian)"]
        needed += [name for name in names if name not in needed]
    return needed


def missing_binaries(library: Library, modules: list[str], path: str) -> list[str]:
    """required_binaries that are not found on `path` (os.pathsep-separated)."""
    return [b for b in required_binaries(library, modules) if " " in b or shutil.which(b, path=path) is None]
