"""The Snakemake workflow catalog's standardized-usage files: config/README.md, .snakemake-workflow-catalog.yml,
LICENSE, and the report captions of the outputs that `snakemake --report` collects (workflow/report/*.rst)."""

from __future__ import annotations

import datetime
import json

import jinja2

from biopipelines.core import yaml_io
from biopipelines.library.models import ModuleSpec, Port, PortType
from biopipelines.library.render.config_files import SECTIONS, section_variant, top_level_notes

# Left for the user to fill in: the renderer cannot know who owns the analysis.
LICENSE_HOLDER = "<COPYRIGHT HOLDER: replace with your name or institution>"


def report_category(port: Port, types: dict[str, PortType]) -> str | None:
    """The report category of an output: its own, else its type's; None keeps it out of the report."""
    if port.temp or port.directory:  # a temporary file is gone by report time; a folder would need patterns
        return None
    return port.report or types[port.type].report


def caption_name(module: ModuleSpec, port: Port) -> str:
    return f"{module.id}_{port.name}"


def caption_rst(templates: jinja2.Environment, module: ModuleSpec, port: Port, types: dict[str, PortType]) -> str:
    return templates.get_template("snakemake/caption.rst.j2").render(
        type_description=types[port.type].description, tool=module.tool, version=module.packages[0].version,
        rule=module.id, module_description=module.description, port_description=port.description,
        path=port.path, per_sample=module.scope == "per_sample")


def _cell(value: object) -> str:
    return str(value).replace("|", "\\|")  # a pipe would end the Markdown table cell


def _rows(values: dict, notes: dict[str, str]) -> list[tuple[str, str, str]]:
    return [(key, _cell(json.dumps(value)), _cell(notes.get(key, ""))) for key, value in values.items()]


def config_readme(templates: jinja2.Environment, notes_text: str, title: str, config: dict,
                  modules: list[ModuleSpec], types: dict[str, PortType], columns: list[str]) -> str:
    """config/README.md: every key of this workflow's config.yaml, its value here and what it means."""
    notes = yaml_io.load(notes_text)
    by_id = {m.id: m for m in modules}
    type_notes = {t.config_key[-1]: t.description for t in types.values() if t.config_key and len(t.config_key) == 2}
    top = {k: v for k, v in config.items() if not isinstance(v, dict)}
    sections = []
    for key, values in config.items():
        if not isinstance(values, dict):
            continue
        module = by_id.get(key)
        if module is not None:
            section_notes = {name: p.description for name, p in module.params.items()}
            sections.append({"key": key, "title": f"{module.tool} (rule `{key}`)", "intro": module.description,
                             "rows": _rows(values, section_notes)})
        else:
            variant = section_variant(key, values)
            key_notes = type_notes if key == "reference" else notes["sections"].get(variant, {})
            sections.append({"key": key, "title": SECTIONS.get(variant, key).split(":")[0],
                             "intro": SECTIONS.get(variant, ""), "rows": _rows(values, key_notes)})
    return templates.get_template("snakemake/config_README.md.j2").render(
        title=title, samples_path=config.get("samples", "config/samples.tsv"),
        columns=[(c, _cell(notes["columns"].get(c, ""))) for c in columns],
        top_level=_rows(top, top_level_notes(modules)), sections=sections)


def catalog_files(templates: jinja2.Environment, title: str, modules: list[ModuleSpec],
                  year: int | None = None) -> dict[str, str]:
    """The catalog settings file, the MIT LICENSE and the report's workflow description."""
    catalog = templates.get_template("snakemake/snakemake-workflow-catalog.yml.j2")
    return {
        ".snakemake-workflow-catalog.yml": catalog.render(),
        "LICENSE": templates.get_template("snakemake/LICENSE.j2").render(
            year=year or datetime.date.today().year, holder=LICENSE_HOLDER),
        "workflow/report/workflow.rst": templates.get_template("snakemake/workflow.rst.j2").render(
            title=title, modules=modules),
    }
