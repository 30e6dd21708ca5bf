"""config/config.yaml (commented), config/samples.tsv, their JSON schemas, and the synthetic .test/ dataset."""

from __future__ import annotations

import copy
import csv
import io
import json
from functools import lru_cache

from biopipelines.core import yaml_io
from biopipelines.core.schemas import WorkflowPlan
from biopipelines.library.models import ModuleSpec, PortType, infers_strandedness

TOP_LEVEL = {
    "samples": "the sample sheet (tab-separated)",
    "read_layout": "paired | single (paired needs the fq2 column)",
    "organism": "organism of the samples",
    "genome_build": "genome build of the reference files below",
    "annotation": "annotation release matching the genome build",
    "strandedness": "unstranded | forward | reverse (most dUTP/TruSeq stranded kits: reverse)",
}
STRANDEDNESS = ["unstranded", "forward", "reverse"]
# where a step infers the strandedness from the reads, `auto` (its default) hands counting that step's call
AUTO_STRANDEDNESS = ("auto (inferred from the aligned reads by the strandedness step) | unstranded | forward | "
                     "reverse (most dUTP/TruSeq stranded kits: reverse)")
SECTIONS = {
    "reference": "Reference files you provide: uncompressed FASTA and GTF with the same contig names. "
                 "The workflow builds every index from them.",
    "de": "Differential expression: design formula, contrast [factor, numerator level, reference level], "
          "FDR level.",
    "targets": "Capture targets of an exome or panel (BED; empty: whole genome) and the padding added to each.",
    "snpeff": "SnpEff: the prebuilt database of the genome build (`snpEff databases` lists them), downloaded once "
              "into resources/snpeff_download/.",
    "genotypes": "Genotypes (a PLINK bed/bim/fam fileset, or a VCF when the VCF import step is chosen), the "
                 "phenotype and covariate tables (tab-separated, FID and IID first), and `phenotype`: the column "
                 "tested (case/control coded 1 = control, 2 = case; or a quantitative trait).",
    # variants of a section for workflows whose section holds other keys (see section_variant)
    "reference_panel": "Reference files you provide: a phased haplotype reference panel (bgzipped VCF, "
                       "indexed) and a genetic map, on the same genome build and contig names as the genotypes.",
    "genotypes_vcf": "Genotypes: the cohort as one bgzipped multi-sample VCF with its .tbi index beside it, on the "
                     "reference panel's genome build and contig names.",
}


def section_variant(key: str, values: dict) -> str:
    """The SECTIONS (and config_notes.yaml) entry that describes this workflow's `key` section: a reference of a
    haplotype panel without a genome FASTA, or genotypes given as a VCF alone, have texts of their own."""
    if key == "reference" and "panel" in values and "fasta" not in values:
        return "reference_panel"
    if key == "genotypes" and set(values) == {"vcf"}:
        return "genotypes_vcf"
    return key


def top_level_notes(modules: list[ModuleSpec]) -> dict[str, str]:
    """The comments of config.yaml's top-level keys for a workflow of these modules."""
    return {**TOP_LEVEL, "strandedness": AUTO_STRANDEDNESS} if infers_strandedness(modules) else TOP_LEVEL


def _value(value: object) -> str:
    return json.dumps(value)  # JSON scalars and lists are valid YAML flow values


def _section(name: str, values: dict, comments: dict[str, str], header: str) -> list[str]:
    lines = ["", f"# {header}"] if header else [""]
    lines.append(f"{name}:" if values else f"{name}: {{}}")  # a bare `name:` would read back as null
    for key, value in values.items():
        comment = f"  # {comments[key]}" if comments.get(key) else ""
        lines.append(f"  {key}: {_value(value)}{comment}")
    return lines


def config_yaml(config: dict, modules: list[ModuleSpec], types: dict[str, PortType]) -> str:
    """config.yaml with a comment on every section and parameter."""
    by_id = {m.id: m for m in modules}
    type_notes = {t.config_key[-1]: t.description for t in types.values() if t.config_key and len(t.config_key) == 2}
    top_level = top_level_notes(modules)
    lines = ["# Every tunable value of the workflow. Paths are relative to the directory Snakemake runs in.", ""]
    for key, value in config.items():
        if isinstance(value, dict):
            continue
        lines.append(f"{key}: {_value(value)}" + (f"  # {top_level[key]}" if key in top_level else ""))
    for key, value in config.items():
        if not isinstance(value, dict):
            continue
        module = by_id.get(key)
        if module is not None:
            comments = {name: p.description for name, p in module.params.items()}
            lines += _section(key, value, comments, f"{module.tool}: {module.description}".strip())
        elif key == "reference":
            lines += _section(key, value, type_notes, SECTIONS[section_variant(key, value)])
        else:  # an input section (genotypes): each path's comment is its port type's description
            notes = {t.config_key[-1]: t.description for t in types.values() if t.config_key and t.config_key[0] == key}
            lines += _section(key, value, notes, SECTIONS.get(section_variant(key, value), ""))
    text = "\n".join(lines) + "\n"
    if yaml_io.load(text) != json.loads(json.dumps(config)):  # the comments must never change the values
        raise AssertionError("config.yaml rendering changed the configuration")
    return text


def samples_tsv(rows: list[dict], columns: list[str]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, delimiter="\t", lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows({c: row.get(c, "") for c in columns} for row in rows)
    return out.getvalue()


def _schema(value: object) -> dict:
    if isinstance(value, bool):
        return {"type": "boolean"}
    if isinstance(value, int):
        return {"type": "integer"}
    if isinstance(value, float):
        return {"type": "number"}
    if isinstance(value, str):
        return {"type": "string"}
    if isinstance(value, list):
        return {"type": "array", "items": _schema(value[0]) if value else {}}
    if isinstance(value, dict):
        return {"type": "object", "properties": {k: _schema(v) for k, v in value.items()},
                "required": list(value)}
    return {}


def config_schema(config: dict, auto_strandedness: bool = False) -> str:
    """The JSON schema of config.yaml; `auto_strandedness`: a step infers the strandedness, so `auto` is valid."""
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema",
              "description": "config/config.yaml of this workflow", **_schema(config)}
    schema["properties"]["read_layout"] = {"enum": ["paired", "single"]}
    if "strandedness" in schema["properties"]:
        schema["properties"]["strandedness"] = {"enum": (["auto"] if auto_strandedness else []) + STRANDEDNESS}
    for key in ("organism", "genome_build", "annotation"):
        schema["properties"][key] = {"type": ["string", "null"]}
    if "de" in config:
        schema["properties"]["de"]["properties"]["contrast"] = {
            "type": "array", "items": {"type": "string"}, "minItems": 3, "maxItems": 3}
    return _dumped(json.dumps(schema))


@lru_cache(maxsize=64)
def _dumped(schema_json: str) -> str:
    """The YAML of a schema given as JSON: a schema holds the config's shape, not its values, so every request of a
    recipe has the same one, and the JSON key (C speed) saves a YAML dump (a third of a render). JSON-native data
    (str keys, no tuples) reads back from the key unchanged."""
    return yaml_io.dump(json.loads(schema_json))


def samples_schema(columns: list[str]) -> str:
    return _samples_schema(tuple(columns))


@lru_cache(maxsize=16)
def _samples_schema(columns: tuple[str, ...]) -> str:
    properties: dict = {c: {"type": "string"} for c in columns}
    properties["sample"] = {"type": "string", "pattern": "^[A-Za-z0-9_.-]+$",
                            "description": "sample name: letters, digits, dot, dash, underscore"}
    for column in ("fq1", "fq2"):
        if column in properties:
            properties[column] = {"type": "string", "minLength": 1, "description": f"path of the {column} reads"}
    if "assembly" in properties:
        properties["assembly"] = {"type": "string", "minLength": 1, "description": "path of the genome assembly (FASTA)"}
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema",
              "description": "one row of config/samples.tsv", "type": "object", "properties": properties,
              "required": list(columns)}
    return yaml_io.dump(schema)


def test_dataset(plan: WorkflowPlan, config: dict, columns: list[str],
                 types: dict[str, PortType]) -> dict[str, str]:
    """A synthetic .test/ copy: same config with small placeholder paths, EMPTY read and reference files.
    Enough for `snakemake --directory .test -n` (a dry run reads no file content)."""
    test_config = copy.deepcopy(config)
    files: dict[str, str] = {}
    for port_type in types.values():
        key = port_type.config_key
        if not key or not port_type.test_path:
            continue
        section = test_config
        for part in key[:-1]:
            section = section.get(part) if isinstance(section, dict) else None
        if isinstance(section, dict) and key[-1] in section:
            section[key[-1]] = port_type.test_path
            if port_type.source != "config:samples":
                files[f".test/{port_type.test_path}"] = ""
    rows = []
    for row in plan.samples:
        row = dict(row)
        for column, mate in (("fq1", "R1"), ("fq2", "R2")):
            if column in columns:
                row[column] = f"data/{row['sample']}_{mate}.fastq.gz"
                files[f".test/{row[column]}"] = ""
        for port_type in types.values():  # files named by other sample-sheet columns (an assembly per sample)
            if port_type.column in columns and port_type.test_path:
                row[port_type.column] = port_type.test_path.format(sample=row["sample"])
                files[f".test/{row[port_type.column]}"] = ""
        rows.append(row)
    files[".test/config/config.yaml"] = ("# Synthetic test configuration: the real one with placeholder inputs.\n"
                                         + yaml_io.dump(test_config))
    files[".test/config/samples.tsv"] = samples_tsv(rows, columns)
    return files
