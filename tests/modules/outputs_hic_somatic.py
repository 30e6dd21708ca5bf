"""Readers and planted-truth comparisons that several module checks of the hic_somatic workflows
(tests/modules/workflows/hic_somatic.py) share; a helper only one check uses stays in that check.py."""

from __future__ import annotations

import gzip
import subprocess

from biopipelines.library.testdata import synthetic_hic_somatic as hs


def pairs_rows(path) -> tuple[list[str], list[list[str]]]:
    with gzip.open(path, "rt") as handle:
        lines = handle.read().splitlines()
    header = [line for line in lines if line.startswith("#")]
    return header, [line.split("\t") for line in lines if not line.startswith("#")]


def cooler_pixels(uri: str, balanced: bool = False) -> dict[tuple[str, int, str, int], float]:
    """{(chrom1, start1, chrom2, start2): count, or the balanced value}."""
    args = ["cooler", "dump", "-t", "pixels", "--join", *(["--balanced"] if balanced else []), uri]
    out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    pixels = {}
    for line in out.splitlines():
        f = line.split("\t")
        value = f[-1] if balanced else f[6]
        if value not in ("", "nan", "NaN"):
            pixels[(f[0], int(f[1]), f[3], int(f[4]))] = float(value)
    return pixels


def planted_vs_background(pixels: dict, binsize: int) -> tuple[float, float]:
    """The planted pixel, and the largest other chr1 pixel at the same distance from the diagonal."""
    (c1, s1, _), (_, s2, _) = hs.CONTACT
    first, second = s1 // binsize * binsize, s2 // binsize * binsize
    offset = second - first
    others = [v for (a, x, b, y), v in pixels.items() if a == b == c1 and y - x == offset and x != first]
    return pixels.get((c1, first, c1, second), 0.0), max(others, default=0.0)
