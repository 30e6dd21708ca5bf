"""Wrong strandedness: count one sample's aligned reads with featureCounts under each setting (-s 0, 1, 2), as the
low-assignment failure card advises, and write the setting that assigns most to config.yaml's `strandedness`."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from biopipelines.core.run_record import load_records
from biopipelines.core.yaml_files import read_yaml
from biopipelines.library.healing.patch import HealContext, Patch

SETTINGS = {0: "unstranded", 1: "forward", 2: "reverse"}
COUNTING_RULE = "featurecounts"


def fix_strandedness(context: HealContext) -> Patch | None:
    config = read_yaml(context.config) if context.config.is_file() else None
    # the counting job of this run, else of the latest earlier run that counted (a resumed run may not recount)
    records = [context.record, *reversed(load_records(context.workflow_dir))]
    counting = [j for r in records for j in r.jobs if j.rule == COUNTING_RULE and j.inputs]
    if not isinstance(config, dict) or "strandedness" not in config or not counting or not shutil.which("featureCounts"):
        return None
    bams = [p for p in counting[0].inputs if p.endswith(".bam")]
    gtf = (config.get("reference") or {}).get("gtf")
    if not bams or not gtf:
        return None
    paired = config.get("read_layout", "paired") == "paired"
    assigned = {s: _assigned(context.run_dir, bams[0], gtf, s, paired) for s in SETTINGS}
    best = infer(assigned[1], assigned[2])
    current = str(config["strandedness"])
    if best is None or SETTINGS[best] == current:
        return None
    shares = ", ".join(f"-s {s} ({SETTINGS[s]}): {assigned[s]}" for s in SETTINGS)
    where = context.config.relative_to(context.workflow_dir)
    return Patch(changes=[f"{where}: strandedness: {current} -> {SETTINGS[best]}"],
                 why=f"featureCounts assigned almost nothing under '{current}'; reads assigned on {bams[0]} by "
                     f"setting: {shares}", writes={context.config: _set_key(context.config, SETTINGS[best])})


def infer(forward: int, reverse: int, stranded_share: float = 0.8) -> int | None:
    """featureCounts' -s value: a stranded library puts most assigned reads on one strand (RSeQC's
    infer_experiment reads the same split); an even split is unstranded; nothing assigned decides nothing."""
    if forward + reverse == 0:
        return None
    share = forward / (forward + reverse)
    return 1 if share >= stranded_share else 2 if share <= 1 - stranded_share else 0


def _set_key(path: Path, value: str) -> str:
    """config.yaml's top-level `strandedness:` line replaced in place, so the file's comments stay."""
    text = path.read_text(encoding="utf-8")
    edited, count = re.subn(r"^strandedness:.*$", f'strandedness: "{value}"  # set by biopipelines run --heal',
                            text, count=1, flags=re.MULTILINE)
    return edited if count else text + f'strandedness: "{value}"\n'


def _assigned(run_dir: Path, bam: str, gtf: str, strand: int, paired: bool) -> int:
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "counts.tsv"
        command = ["featureCounts", "-T", "1", "-s", str(strand), "-a", gtf, "-o", str(out),
                   *(["-p", "--countReadPairs"] if paired else []), bam]
        done = subprocess.run(command, cwd=run_dir, capture_output=True, text=True, timeout=600)
        summary = out.with_name("counts.tsv.summary")
        if done.returncode != 0 or not summary.is_file():
            return 0
        match = re.search(r"^Assigned\t(\d+)", summary.read_text(), re.MULTILINE)
        return int(match.group(1)) if match else 0
