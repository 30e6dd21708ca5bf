"""Typed results of the analysis node: what the model may answer, what each figure shows, what the report says."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

Kind = Literal["de", "peaks", "variants", "taxa", "single_cell"]


class PlotCode(BaseModel):
    """The analysis model's answer: one Python script that draws the figures."""

    code: str = Field(description="A Python script: reads the listed files under data/, saves figures/NAME.png and "
                      "figures/NAME.svg with matplotlib (Agg backend)")
    notes: str = Field("", description="One or two sentences on what the figures show")


class Figure(BaseModel):
    name: str
    title: str
    png: Path
    svg: Path | None = None
    width: int = 0
    height: int = 0
    labels: list[str] = Field(default_factory=list, description="Text drawn on the figure (e.g. gene labels)")


class Table(BaseModel):
    name: str
    columns: list[str]
    rows: list[list[str]]


class ResultFiles(BaseModel):
    """What the workflow produced, by output type: type -> existing files."""

    root: Path
    analysis_type: str
    kind: Kind
    title: str = ""
    files: dict[str, list[Path]] = Field(default_factory=dict)
    conditions: dict[str, str] = Field(default_factory=dict, description="sample -> condition, where known")

    def first(self, *types: str) -> Path | None:
        for kind in types:
            if self.files.get(kind):
                return self.files[kind][0]
        return None

    def all(self, *types: str) -> list[Path]:
        return [p for kind in types for p in self.files.get(kind, [])]


class Analysis(BaseModel):
    """The numbers (computed deterministically, whoever draws the figures), the figures and the narrative."""

    kind: Kind
    analysis_type: str
    title: str = ""
    metrics: dict[str, float | int | str] = Field(default_factory=dict)
    findings: list[str] = Field(default_factory=list, description="Sentences that quote the numbers")
    figures: list[Figure] = Field(default_factory=list)
    tables: list[Table] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list, description="Caveats: missing data, a blocked LLM script")
    tier: str = "offline"
    report: Path | None = None

    @property
    def summary(self) -> str:
        return " ".join(self.findings)
