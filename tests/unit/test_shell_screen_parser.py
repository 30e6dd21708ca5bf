"""The parsed shell screen: quotes honoured, placeholders opaque, hostile commands found wherever they hide, and a
command the grammar cannot read reported with its rule and line. The property tests compose safe idioms at random
(never flagged) and check every hostile case of the corpus (always flagged)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from biopipelines.validation import screen_workflow
from biopipelines.validation.shell_parse import snakemake_words
from tests.shell_corpus import HIDDEN_HOSTILE, hostile_commands

# (command, the rule it breaks): each hides a hostile command somewhere a word splitter does not look
HIDDEN = [(command, rule_id) for command, rule_id in HIDDEN_HOSTILE]


def _rules(command: str) -> set[str]:
    from biopipelines.validation.shell_screen import screen_shell

    return {rule_id for rule_id, _ in screen_shell(command)}


def _rule_file(command: str) -> dict[str, str]:
    return {"workflow/Snakefile": f"rule step:\n    output: 'a.txt'\n    log: 'a.log'\n    shell:\n        {command!r}\n"}


@pytest.mark.parametrize(("command", "rule_id"), HIDDEN, ids=[c[:40] for c, _ in HIDDEN])
def test_hostile_commands_are_found_where_they_hide(command: str, rule_id: str) -> None:
    assert rule_id in _rules(command)


def test_a_quoted_sed_program_is_one_argument() -> None:
    """The 16S rule that the word splitter refused ('/s/$/' read as a redirect target)."""
    command = ("vsearch --fastq_filter {input.merged} --fastaout - 2> {log} "
               "| sed '/^>/s/$/;sample={wildcards.sample}/' > {output.fasta}")
    assert _rules(command) == set()


def test_placeholders_become_opaque_words_and_come_back_in_messages() -> None:
    words = snakemake_words("awk '{{print $1}}' {input.bam} > {output[0]} && echo {}")
    assert "{" not in words.text.replace("{print", "")
    assert words.restore(words.text) == "awk '{print $1}' {input.bam} > {output[0]} && echo {}"
    from biopipelines.validation.shell_screen import screen_shell

    [(rule_id, message)] = screen_shell("cp {input.vcf} /etc/{wildcards.sample}.vcf")
    assert rule_id == "shell-write-outside" and "/etc/{wildcards.sample}.vcf" in message


def test_an_unparseable_command_is_reported_with_its_rule_and_line() -> None:
    findings = screen_workflow(_rule_file('samtools view {input} > "{output}'))
    assert any(f.startswith("workflow/Snakefile line 5:") and "rule step" in f and "[shell-unparsed]" in f
               for f in findings), findings


def test_findings_name_the_rule() -> None:
    findings = screen_workflow(_rule_file("touch {output}; rm -rf /"))
    assert findings == ["workflow/Snakefile line 5: shell command of rule step deletes the filesystem root or the "
                        "home directory [shell-rm-root]"]


# -- properties ---------------------------------------------------------------------------------------------------

PROGRAMS = st.sampled_from([
    "samtools sort -@ {threads} -T {resources.tmpdir}/{wildcards.sample} -o {output.bam} {input}",
    "sed '/^>/s/$/;sample={wildcards.sample}/'",
    "sed -e 's/ /\\t/g' -e '/^#/d'",
    "awk 'BEGIN{{OFS=\"\\t\"}} $3 > 10 {{print $1, $2 > \"/dev/stderr\"}}'",
    "awk -v s={wildcards.sample} '{{n += length($0)}} END {{print s, n}}'",
    "zcat {input.r1}",
    "cut -f 1,3",
    "sort -k1,1 -k2,2n -T {resources.tmpdir}",
    "grep -v '^@' | wc -l",
    "python3 {params.script} --in {input} --threads {threads}",
    "Rscript -e 'cat(\"a > /b\\n\")'",
    "paste <(zcat {input.r1}) <(zcat {input.r2})",
    "tee >(gzip -c > {output.gz})",
    "perl -ne 'print if /^>/ .. /^$/'",
    "echo \"$(basename {input} .bam) done\"",
    "bcftools view {params.extra} {input.vcf}",
])
REDIRECTS = st.sampled_from(["", " > {output}", " >> {log}", " 2> {log}", " > {output.txt} 2>> {log.err}",
                             " 2>&1", " > /dev/null", " &> {log}"])
JOINERS = st.sampled_from([" | ", " && ", "; ", " || true; ", "\n"])


@st.composite
def safe_commands(draw) -> str:
    parts = [draw(PROGRAMS) + draw(REDIRECTS) for _ in range(draw(st.integers(1, 4)))]
    text = parts[0]
    for part in parts[1:]:
        text += draw(JOINERS) + part
    prefix = draw(st.sampled_from(["", "mkdir -p $(dirname {output}) && ", "set -euo pipefail; "]))
    return prefix + text


@settings(max_examples=200, deadline=None)
@given(safe_commands())
def test_compositions_of_safe_idioms_are_never_flagged(command: str) -> None:
    assert _rules(command) == set(), command


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(hostile_commands()), st.sampled_from(["", "touch {output}; ", "zcat {input} | wc -l && "]),
       st.sampled_from(["", " 2> {log}", "; touch {output}"]))
def test_the_hostile_corpus_is_always_flagged(command: str, before: str, after: str) -> None:
    assert _rules(before + command + after), before + command + after


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab $(){}`'\"<>|&;\n\\=-/~#!*[]0")), max_size=60), st.booleans())
def test_any_text_gets_findings_or_none_never_an_exception(text: str, snakemake: bool) -> None:
    from biopipelines.validation.shell_screen import screen_shell

    assert all(rule_id.startswith("shell-") and message for rule_id, message in screen_shell(text, snakemake))
