"""Request entities that change config.yaml beyond module defaults: capture targets and design covariates.

An entity the workflow cannot honour (a covariate without a DE step, a capture kit for a recipe with no targets
section) is named in the plan's notes rather than silently dropped.
"""

from __future__ import annotations

from biopipelines.core.schemas import Entities

BED_SUFFIXES = (".bed", ".bed.gz", ".interval_list", ".intervals")
PLACEHOLDER_TARGETS = "resources/targets.bed"


def apply_capture(config: dict, entities: Entities, notes: list[str]) -> None:
    """Exome or panel data: the targets section names the kit's BED (given, or a placeholder to fill in)."""
    if not entities.capture:
        return
    if "targets" not in config:
        notes.append(f"The request names {entities.capture} data, but this workflow has no target-interval "
                     "setting: it runs on the whole genome (not done: restricting to the capture targets).")
        return
    given = [p for p in entities.input_paths if p.lower().endswith(BED_SUFFIXES)]
    if given:
        config["targets"]["bed"] = given[0]
        return
    if not config["targets"]["bed"]:
        config["targets"]["bed"] = PLACEHOLDER_TARGETS
        notes.append(f"{entities.capture.capitalize()} data: calling runs on the capture targets; put your kit's "
                     f"target BED at {PLACEHOLDER_TARGETS} (or set targets.bed in config/config.yaml).")


def apply_covariates(config: dict, entities: Entities, notes: list[str]) -> None:
    """Named nuisance factors (batch) join the DE design formula ahead of the tested factor."""
    if not entities.covariates:
        return
    if "de" not in config:
        notes.append(f"The request names {', '.join(entities.covariates)} as a covariate, but this workflow has no "
                     "design formula (not done: modelling it).")
        return
    design = config["de"]["design"]
    terms = [t for t in entities.covariates if t not in design]
    if terms:
        config["de"]["design"] = "~ " + " + ".join(terms) + " + " + design.lstrip("~ ").strip()
        notes.append(f"{', '.join(terms).capitalize()} is modelled as a covariate ({config['de']['design']}): "
                     "fill in the batch column of config/samples.tsv.")


# long-read RNA settings per platform: PacBio HiFi/Iso-Seq reads are accurate (splice:hq) and, as FLNC, sense
# stranded; ONT direct RNA reads are sense stranded (-uf) and noisier (-k14, as minimap2's manual advises)
LONG_READ_RNA = {
    "pacbio": {"minimap2_splice": {"preset": "splice:hq", "platform": "PACBIO"},
               "isoquant": {"data_type": "pacbio_ccs", "stranded": "forward",
                            "extra": "--model_construction_strategy default_pacbio"}},
    "ont_direct_rna": {"minimap2_splice": {"extra_prefix": "-uf -k14"}, "isoquant": {"stranded": "forward"}},
}


def apply_long_read_platform(config: dict, entities: Entities, notes: list[str]) -> None:
    """The long-read platform the request names sets the spliced aligner's preset and IsoQuant's data type."""
    settings = LONG_READ_RNA.get(entities.long_read_platform or "", {})
    changed = []
    for module, values in settings.items():
        if module not in config:
            continue
        for key, value in values.items():
            if key == "extra_prefix":
                config[module]["extra"] = f"{value} {config[module]['extra']}".strip()
                changed.append(f"{module}.extra starts with {value}")
            else:
                config[module][key] = value
                changed.append(f"{module}.{key} = {value}")
    if changed:
        reads = {"pacbio": "PacBio HiFi/Iso-Seq", "ont_direct_rna": "Nanopore direct RNA"}[entities.long_read_platform]
        notes.append(f"{reads} reads: {', '.join(changed)} (config/config.yaml).")


def apply_request(config: dict, entities: Entities, notes: list[str]) -> None:
    apply_capture(config, entities, notes)
    apply_covariates(config, entities, notes)
    apply_long_read_platform(config, entities, notes)
