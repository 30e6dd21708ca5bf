"""Hash every library render variant (the 198 of tests/unit/test_library.py: each recipe's defaults and every
alternative of every step, both read layouts), to show a refactor leaves the rendered workflows byte-identical.

    python -m bench.render_hashes OUT.json      # prints the count and one hash over all variants
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

from biopipelines.library import load_library
from biopipelines.library.render.snakemake import render_workflow
from tests.unit.test_library import VARIANTS


def variant_hashes() -> dict[str, str]:
    library = load_library()
    return {name: hashlib.sha256(json.dumps(render_workflow(library.plan(recipe, entities), library),
                                            sort_keys=True).encode()).hexdigest()
            for name, recipe, entities in VARIANTS}


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m bench.render_hashes OUT.json", file=sys.stderr)
        return 2
    hashes = variant_hashes()
    Path(argv[0]).write_text(json.dumps(hashes, indent=1, sort_keys=True), encoding="utf-8")
    print(len(hashes), "variants", hashlib.sha256(json.dumps(hashes, sort_keys=True).encode()).hexdigest())
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
