"""Saving figures (PNG and SVG, Agg backend) and reading PNGs back to check they are real images."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from biopipelines.nodes.analysis.schemas import Figure

if TYPE_CHECKING:
    from matplotlib.figure import Figure as MplFigure

DPI = 100


def new_figure(width: float = 6.0, height: float = 4.5) -> "MplFigure":
    """A figure that never touches a display: matplotlib.figure.Figure with an Agg canvas, not pyplot's state."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure as MplFigure

    figure = MplFigure(figsize=(width, height), dpi=DPI)
    FigureCanvasAgg(figure)
    return figure


def save(figure: "MplFigure", folder: Path, name: str, title: str, labels: list[str] | None = None) -> Figure:
    folder.mkdir(parents=True, exist_ok=True)
    figure.tight_layout()
    png, svg = folder / f"{name}.png", folder / f"{name}.svg"
    figure.savefig(png, dpi=DPI)
    figure.savefig(svg)
    return describe(png, title, labels)


def describe(png: Path, title: str = "", labels: list[str] | None = None) -> Figure:
    """A Figure entry for a PNG on disk, with its pixel size read back from the file."""
    height, width = image_size(png)
    svg = png.with_suffix(".svg")
    return Figure(name=png.stem, title=title or png.stem.replace("_", " "), png=png,
                  svg=svg if svg.is_file() else None, width=width, height=height, labels=labels or [])


def image_size(png: Path) -> tuple[int, int]:
    """(height, width) of a PNG; raises ValueError when the file is not a readable PNG."""
    from matplotlib.image import imread

    try:
        pixels = imread(png)
    except Exception as exc:  # a truncated or fake file
        raise ValueError(f"{png.name} is not a readable PNG: {exc}") from exc
    return int(pixels.shape[0]), int(pixels.shape[1])


def is_blank(png: Path) -> bool:
    """True when every pixel has the same colour (an empty canvas)."""
    from matplotlib.image import imread

    pixels = imread(png)
    flat = pixels.reshape(-1, pixels.shape[-1]) if pixels.ndim == 3 else pixels.reshape(-1, 1)
    return bool((flat == flat[0]).all())
