"""Kraken-style reports -> Krona text (reads <tab> lineage...) per sample -> one ktImportText HTML chart.

Each report line's direct read count is placed at its full lineage, rebuilt from the name's indentation (two
spaces per level), so the chart's wedges sum to the clade counts without needing Krona's taxonomy database.
"""

import shlex
import subprocess
import sys
import tempfile
from pathlib import Path


def krona_text(report, out):
    lineage = []
    with open(report) as handle, open(out, "w") as text:
        for line in handle:
            fields = line.rstrip("\n").split("\t")
            if len(fields) < 6:
                continue
            raw = fields[5]
            name = raw.lstrip(" ")
            depth = (len(raw) - len(name)) // 2
            direct = int(float(fields[2]))
            if fields[3].strip() == "U":  # unclassified reads: a wedge of their own
                text.write(f"{direct}\tUnclassified\n")
                continue
            lineage = lineage[:depth] + [name]
            if direct > 0:
                text.write(f"{direct}\t" + "\t".join(lineage) + "\n")


def main(reports, samples, html, extra, log):
    if len(reports) != len(samples):
        raise ValueError(f"{len(reports)} reports for {len(samples)} samples")
    with tempfile.TemporaryDirectory() as tmp:
        datasets = []
        for report, sample in zip(reports, samples):
            text = Path(tmp) / f"{sample}.krona.txt"
            krona_text(report, text)
            datasets.append(f"{text},{sample}")
        command = ["ktImportText", "-o", html, *shlex.split(extra), *datasets]
        subprocess.run(command, check=True, stdout=log, stderr=log)


if "snakemake" in globals():
    smk = snakemake  # noqa: F821 (set by Snakemake's script directive)
    with open(smk.log[0], "w") as log:
        sys.stderr = log
        main(list(smk.input.reports), list(smk.params.samples), smk.output.html, str(smk.params.extra), log)
