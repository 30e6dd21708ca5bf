"""CNVkit call gives the planted heterozygous deletion copy number 1 and the planted duplication copy number 3,
each as one segment whose ends lie within one exon spacing of the planted ones, and every other segment of every
sample copy number 2; the exported VCF has one DEL (sample_1) and one DUP (sample_2) record over them.

Run on the `cnv_cnvkit` workflow (tests/modules/workflows/cnv.py)."""

from __future__ import annotations

from biopipelines.library.testdata import synthetic_cnv as cnv
from tests.modules.harness import Run
from tests.modules.outputs_cnv import overlaps, planted, rows
from tests.modules.readers import vcf_records

WORKFLOW = "cnv_cnvkit"


def check(run: Run) -> None:
    truth = planted()
    for sample in cnv.SAMPLES:
        segments = rows(run, f"results/cnvkit_call/{sample}.call.cns")
        region, copies = truth.get(sample, (None, 2))
        changed = [s for s in segments if s["cn"] != "2"]
        if region is None:
            assert not changed, (sample, changed)
            continue
        assert len(changed) == 1, (sample, segments)
        call = changed[0]
        assert int(call["cn"]) == copies and overlaps(call, region), (sample, call)
        assert abs(int(call["start"]) - region[1]) <= cnv.EXON_SPACING, (call, region)
        assert abs(int(call["end"]) - region[2]) <= cnv.EXON_SPACING, (call, region)
        records = vcf_records(run.path(f"results/cnvkit_call/{sample}.cnv.vcf"))
        kinds = [dict(i.split("=", 1) for i in r[7].split(";") if "=" in i)["SVTYPE"] for r in records]
        assert kinds == ["DEL" if copies < 2 else "DUP"], (sample, records)
