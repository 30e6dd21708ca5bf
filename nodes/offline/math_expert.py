"""The offline math expert: read the numbers out of a planning question, compute, and show the working.

Everything a user leaves out gets a stated default taken from the knowledge cards (CV 0.4 in vivo, 0.1 for cell
lines; a 2-fold change; a gene at 1 CPM in a 20M-read library), so the answer can be checked and redone by hand.
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, Field

from biopipelines.core.schemas import Citation, ExpertAnswer
from biopipelines.nodes.offline import stats

if TYPE_CHECKING:  # importing the retriever at run time would pull in FAISS for callers that pass None
    from biopipelines.rag.retriever import Retriever

POWER_CARD = "rnaseq-replicates-power"
FDR_ALPHA_CARD = "multiple-testing-fwer"
TTEST_CARD = "ttest-power"
DEPTH_CARD = "depth-vs-replicates"

DEFAULT_ALPHA = 0.05
DEFAULT_POWER = 0.8
DEFAULT_FOLD_CHANGE = 2.0
DEFAULT_READS = 20e6
DEFAULT_CPM = 1.0
CV_IN_VIVO = 0.4
CV_CELL_LINE = 0.1
DEFAULT_GENES = 20_000
DEFAULT_DE_FRACTION = 0.05

Goal = Literal["sample_size", "power", "detectable_effect"]
Test = Literal["rnaseq", "ttest"]

_VALUE = r"(?P<v>\d+(?:[.,]\d+)?|\.\d+)"  # the number a pattern is after
_NUMBER_WORDS = {w: str(i) for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve".split())}
_OPT = r"\s*(?:of|=|:|is|at|to|about|around|~|<=|<|>=|>)?\s*"


class StatsQuestion(BaseModel):
    """What the question states; None means the user did not say."""

    test: Test = "rnaseq"
    goal: Goal = "sample_size"
    power: float | None = None
    alpha: float | None = None
    fdr: float | None = None
    fold_change: float | None = None
    cv: float | None = None
    total_reads: float | None = None
    mean_count: float | None = None
    cpm: float | None = None
    n_per_group: int | None = None
    n_note: str | None = Field(None, description="How n per group was read, when it needed interpreting")
    effect_size: float | None = None
    genes: int | None = None
    de_genes: int | None = None
    de_fraction: float | None = None
    sample_type: Literal["cell_line", "in_vivo"] | None = None


def _number(text: str) -> float:
    return float(text.replace(",", "."))


def _fraction(value: float, percent: bool) -> float:
    """'80%' and '0.8' and '80' (for power) all mean 0.8."""
    return value / 100.0 if percent or value > 1 else value


def _first(patterns: list[str], text: str) -> re.Match | None:
    for pattern in patterns:
        match = re.search(pattern, text, re.IGNORECASE)
        if match:
            return match
    return None


def _percent_or_fraction(patterns: list[str], text: str) -> float | None:
    match = _first(patterns, text)
    if not match:
        return None
    percent = "%" in match.group(0) or "percent" in match.group(0).lower()
    return _fraction(_number(match.group("v")), percent)


def _integer(text: str) -> int:
    return int(text.replace(",", "").replace("_", ""))


def _parse_reads(text: str) -> float | None:
    scale = {"k": 1e3, "thousand": 1e3, "m": 1e6, "mio": 1e6, "million": 1e6, "b": 1e9, "billion": 1e9}
    unit = r"(?P<u>k|thousand|m|mio|million|b|billion)\b"
    match = _first([rf"{_VALUE}\s*{unit}\s*(?:\w+[\s-]+){{0,2}}?(?:reads|read pairs|fragments|pairs)",
                    rf"(?:depth|sequenc\w*(?:\s+(?:to|at))?){_OPT}{_VALUE}\s*{unit}"], text)
    if match:
        return _number(match.group("v")) * scale[match.group("u").lower()]
    plain = re.search(r"(\d[\d,]{5,})\s*(?:reads|read pairs|fragments)", text, re.IGNORECASE)
    return float(_integer(plain.group(1))) if plain else None


def _parse_n(text: str) -> tuple[int | None, str | None]:
    versus = _first([r"\b(\d+)\s*(?:vs\.?|versus|v\.?|against)\s*(\d+)\b",
                     r"\b(\d+)\s+[\w-]+(?:\s+[\w-]+)?\s+(?:vs\.?|versus|against)\s+(\d+)\b"], text)
    if versus:
        a, b = int(versus.group(1)), int(versus.group(2))
        return min(a, b), None if a == b else f"groups of {a} and {b}: computed for the smaller group, {min(a, b)}"
    explicit = _first([r"\bn\s*=\s*(\d+)", r"\b(\d+)\s*(?:biological\s+)?(?:replicates|reps)\b",
                       r"\b(\d+)\s*(?:\w+\s+)?(?:samples|mice|rats|animals|patients|subjects|donors|cultures)\s*"
                       r"(?:per|in each|for each|each)\s*(?:group|condition|arm|genotype|treatment)"], text)
    if explicit:
        return int(explicit.group(1)), None
    total = re.search(r"\b(\d+)\s*(?:\w+\s+)?(?:samples|mice|animals|patients)\b", text, re.IGNORECASE)
    if total and int(total.group(1)) >= 4:
        n = int(total.group(1)) // 2
        return n, f"{total.group(1)} samples read as two groups of {n}"
    return None, None


def _parse_goal(text: str, n_given: bool) -> Goal:
    low = text.lower()
    if re.search(r"(smallest|minimum|minimal|which|what)\s+(\w+\s+)?(fold|effect|difference|change)|detectable", low):
        return "detectable_effect"
    if re.search(r"how many|sample size|number of (samples|replicates)|replicates do|samples do|need(ed)? for", low):
        return "sample_size"
    if n_given or re.search(r"what('s| is)?\s+(the\s+)?power|how much power|power (do|would|will)", low):
        return "power"
    return "sample_size"


def parse_question(question: str) -> StatsQuestion:
    text = " ".join(question.split())
    text = re.sub(r"\b(" + "|".join(_NUMBER_WORDS) + r")\b", lambda m: _NUMBER_WORDS[m.group(1).lower()], text,
                  flags=re.IGNORECASE)
    low = text.lower()
    v = _VALUE
    parsed = StatsQuestion()
    parsed.power = _percent_or_fraction([rf"{v}\s*(?:%|percent)\s*(?:statistical\s+)?power",
                                         rf"power{_OPT}{v}\s*(?:%|percent)?"], text)
    parsed.fdr = _percent_or_fraction([rf"{v}\s*(?:%|percent)\s*(?:FDR|false discovery)",
                                       rf"(?:FDR|false discovery rate|q-?value|padj|adjusted p(?:-value)?){_OPT}"
                                       rf"{v}\s*(?:%|percent)?"], text)
    parsed.alpha = _percent_or_fraction([rf"(?:alpha|α|significance(?: level)?|p-?value(?: threshold| cut-?off)?|"
                                         rf"\bp){_OPT}{v}\s*(?:%|percent)?"], text)
    parsed.cv = _percent_or_fraction([rf"{v}\s*(?:%|percent)\s*(?:CV|coefficient of variation)",
                                      rf"(?:\bCV\b|coefficient of variation|biological variation){_OPT}"
                                      rf"{v}\s*(?:%|percent)?"], text)
    log2 = re.search(rf"log2\s*(?:fold[- ]?change|FC){_OPT}{v}", text, re.IGNORECASE)
    fold = _first([rf"{v}\s*[- ]?\s*(?:x\s*)?-?fold", rf"fold[- ]?change{_OPT}{v}", rf"\bFC{_OPT}{v}"], text)
    increase = re.search(rf"{v}\s*%\s*(?:increase|decrease|change|difference)", text, re.IGNORECASE)
    if log2:
        parsed.fold_change = 2.0 ** _number(log2.group("v"))
    elif fold:
        parsed.fold_change = _number(fold.group("v"))
    elif increase:
        change = _number(increase.group("v")) / 100.0
        parsed.fold_change = 1.0 - change if "decrease" in increase.group(0).lower() else 1.0 + change
    parsed.total_reads = _parse_reads(text)
    mean = _first([rf"(?:mean|average|expected)\s*(?:read\s*)?(?:count|depth|reads)(?:\s*per\s*gene)?{_OPT}{v}",
                   rf"{v}\s*(?:reads|counts)\s*(?:per|for each|for the)\s*gene", rf"\bmu{_OPT}{v}"], text)
    parsed.mean_count = _number(mean.group("v")) if mean else None
    cpm = _first([rf"{v}\s*CPM\b", rf"\bCPM{_OPT}{v}"], text)
    parsed.cpm = _number(cpm.group("v")) if cpm else None
    effect = _first([rf"(?:effect size|cohen'?s d|\bd){_OPT}{v}"], text)
    parsed.effect_size = _number(effect.group("v")) if effect else None
    parsed.n_per_group, parsed.n_note = _parse_n(text)
    de = _first([r"(?P<v>\d[\d,]*)\s*(?:truly\s+|true\s+)?(?:DE|differentially expressed|changed|regulated)\s+genes"],
                text)
    parsed.de_genes = _integer(de.group("v")) if de else None
    de_pct = re.search(rf"{v}\s*%\s*(?:of (?:the )?genes\s*)?(?:are\s+|being\s+)?(?:truly\s+)?"
                       r"(?:DE|differentially expressed|changed)", text, re.IGNORECASE)
    parsed.de_fraction = _number(de_pct.group("v")) / 100.0 if de_pct else None
    genes = re.search(r"(?P<v>\d[\d,]*)\s*(?:genes|tests|features|transcripts)\b(?!\s*(?:are|being)\s+(?:DE|diff))",
                      text, re.IGNORECASE)
    if genes and (not de or genes.start() != de.start()):
        parsed.genes = _integer(genes.group("v"))
    if re.search(r"cell[- ]?lines?|cultured cells|cell culture|in vitro|ipsc|organoid", low):
        parsed.sample_type = "cell_line"
    elif re.search(r"in[- ]vivo|tissue|patient|human|mouse|mice|rat|animal|clinical|biopsy|blood|cohort", low):
        parsed.sample_type = "in_vivo"
    if parsed.effect_size is not None or re.search(r"\bt[- ]?test|cohen|qpcr|western", low):
        parsed.test = "ttest"
    parsed.goal = _parse_goal(text, parsed.n_per_group is not None)
    return parsed


class _Working:
    """Collects the lines of the answer and the cards they rely on."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.assumptions: list[str] = []
        self.cards: list[str] = []

    def cite(self, card: str) -> None:
        if card not in self.cards:
            self.cards.append(card)


def _fmt(value: float, digits: int = 3) -> str:
    return f"{value:.{digits}g}" if value < 0.01 else f"{value:.{digits}f}".rstrip("0").rstrip(".")


def _rnaseq_inputs(q: StatsQuestion, w: _Working) -> tuple[float, float, float, float]:
    """Power, fold change, CV and mean count: as stated, or the documented defaults (recorded as assumptions)."""
    power = q.power if q.power is not None else DEFAULT_POWER
    if q.power is None and q.goal != "power":
        w.assumptions.append(f"power {power:.0%} (the usual planning target)")
    fold_change = q.fold_change if q.fold_change is not None else DEFAULT_FOLD_CHANGE
    if q.fold_change is None and q.goal != "detectable_effect":
        w.assumptions.append(f"fold change {fold_change:g} (none given)")
    if q.cv is not None:
        cv = q.cv
    else:
        cv = CV_CELL_LINE if q.sample_type == "cell_line" else CV_IN_VIVO
        why = {"cell_line": "cell lines", "in_vivo": "in-vivo samples"}.get(
            q.sample_type or "", "sample type not stated, so the cautious in-vivo value")
        w.assumptions.append(f"biological CV {cv:g}, typical for {why} [{POWER_CARD}]")
    if q.mean_count is not None:
        mu = q.mean_count
    else:
        reads = q.total_reads or DEFAULT_READS
        cpm = q.cpm or DEFAULT_CPM
        mu = stats.mean_count_for_gene(reads, cpm)
        if q.cpm is None:
            w.assumptions.append(f"the gene is expressed at {cpm:g} CPM, near the usual low-expression filter, so "
                                 f"mu = {_fmt(reads / 1e6)}M reads x {cpm:g}/1e6 = {_fmt(mu)} reads")
        if q.total_reads is None:
            w.assumptions.append(f"{_fmt(reads / 1e6)}M reads per sample [{DEPTH_CARD}]")
            w.cite(DEPTH_CARD)
    return power, fold_change, cv, mu


def _rnaseq(q: StatsQuestion, w: _Working) -> None:
    w.cite(POWER_CARD)
    power, fold_change, cv, mu = _rnaseq_inputs(q, w)
    w.lines.append("RNA-seq, per gene, negative binomial model (Hart et al. 2013): "
                   "n per group = 2 (z_{1-a/2} + z_power)^2 (1/mu + CV^2) / ln(FC)^2")
    alpha, alpha_source = _per_test_alpha(q, power, w)
    z_a, z_b = stats.z_two_sided(alpha), stats.z_power(power)
    variance = f"(1/{_fmt(mu)} + {cv:g}^2)"
    if q.goal == "power" and q.n_per_group:
        n = q.n_per_group
        achieved = stats.hart_power(n, fold_change, mu, cv, alpha)
        w.lines.append(f"Solved for power (Phi = standard normal CDF): "
                       f"power = Phi( sqrt(n ln(FC)^2 / (2 (1/mu + CV^2))) - z_{{1-a/2}} ) "
                       f"= Phi( sqrt({n} x {math.log(fold_change):.3f}^2 / (2 x {variance})) - {z_a:.3f} ) "
                       f"= {achieved:.1%} power to detect a {fold_change:g}-fold change with {n} per "
                       f"group at alpha {_fmt(alpha)} ({alpha_source}).")
        detectable = stats.hart_detectable_fold_change(n, mu, cv, alpha, power)
        w.lines.append(f"With {n} per group, {power:.0%} power is reached for fold changes of {detectable:.2f} or "
                       f"more.")
    elif q.goal == "detectable_effect" and q.n_per_group:
        n = q.n_per_group
        detectable = stats.hart_detectable_fold_change(n, mu, cv, alpha, power)
        w.lines.append(f"Solved for the fold change: FC = exp( (z_{{1-a/2}} + z_power) sqrt(2 (1/mu + CV^2) / n) ) = "
                       f"exp( ({z_a:.3f} + {z_b:.3f}) x sqrt(2 x {variance} / {n}) ) = {detectable:.2f}-fold is the "
                       f"smallest change detected with {power:.0%} power at alpha {_fmt(alpha)} ({alpha_source}).")
    else:
        n_exact = stats.hart_n_per_group(fold_change, mu, cv, alpha, power)
        n = math.ceil(n_exact)
        w.lines.append(f"n = 2 x ({z_a:.3f} + {z_b:.3f})^2 x {variance} / {math.log(fold_change):.3f}^2 "
                       f"= {n_exact:.2f}, so {n} biological replicates per group ({2 * n} samples in total), "
                       f"for a {fold_change:g}-fold change, {power:.0%} power, alpha {_fmt(alpha)} ({alpha_source}).")
        if q.mean_count is None:
            ceiling = math.ceil(stats.hart_n_per_group(fold_change, 1e12, cv, alpha, power))
            w.lines.append(f"Well-expressed genes (1/mu negligible next to CV^2) need {ceiling} per group: beyond "
                           f"that only more replicates, not more reads, help.")
        if n < 3:
            w.lines.append("Use at least 3 replicates per group regardless: fewer cannot estimate the variance.")


def _per_test_alpha(q: StatsQuestion, power: float, w: _Working) -> tuple[float, str]:
    """The per-gene significance level: given, derived from an FDR target (Jung 2005), or the nominal 0.05."""
    if q.alpha is not None:
        return q.alpha, "as given"
    if q.fdr is None:
        w.assumptions.append(f"per-test alpha {DEFAULT_ALPHA} two-sided; a genome-wide FDR needs a smaller one "
                             f"(give an FDR to plan for it) [{FDR_ALPHA_CARD}]")
        w.cite(FDR_ALPHA_CARD)
        return DEFAULT_ALPHA, "nominal"
    w.cite(FDR_ALPHA_CARD)
    genes = q.genes or DEFAULT_GENES
    if q.de_genes:
        m1 = q.de_genes
    else:
        m1 = max(1, round(genes * (q.de_fraction or DEFAULT_DE_FRACTION)))
    if q.genes is None:
        w.assumptions.append(f"{genes:,} genes tested")
    if q.de_genes is None and q.de_fraction is None:
        w.assumptions.append(f"{DEFAULT_DE_FRACTION:.0%} of genes ({m1:,}) truly changed")
    alpha = stats.bh_per_test_alpha(q.fdr, genes, m1, power)
    w.lines.append(f"Per-test alpha for BH FDR {_fmt(q.fdr)} (Jung 2005): alpha* = m1 x power x q / ((m - m1)(1 - q)) "
                   f"= {m1:,} x {power:g} x {_fmt(q.fdr)} / ({genes - m1:,} x {1 - q.fdr:g}) = {_fmt(alpha)}.")
    return alpha, f"from FDR {_fmt(q.fdr)}"


def _ttest(q: StatsQuestion, w: _Working) -> None:
    w.cite(TTEST_CARD)
    alpha = q.alpha if q.alpha is not None else DEFAULT_ALPHA
    if q.alpha is None:
        w.assumptions.append(f"alpha {alpha} two-sided")
    power = q.power if q.power is not None else DEFAULT_POWER
    if q.power is None and q.goal != "power":
        w.assumptions.append(f"power {power:.0%}")
    w.lines.append("Two-sample t-test, exact power from the noncentral t distribution "
                   "(df = 2n - 2, noncentrality = d sqrt(n/2)).")
    if q.goal in ("power", "detectable_effect") and q.n_per_group:
        n = q.n_per_group
        if q.effect_size is not None and q.goal == "power":
            achieved = stats.ttest_power(q.effect_size, n, alpha)
            w.lines.append(f"With d = {q.effect_size:g} and {n} per group at alpha {_fmt(alpha)}: power = "
                           f"{achieved:.1%}.")
        d = stats.ttest_detectable_effect(n, alpha, power)
        w.lines.append(f"With {n} per group, {power:.0%} power needs an effect of d = {d:.2f} standard deviations "
                       f"or more.")
        return
    d = q.effect_size
    if d is None:
        d = 1.0
        w.assumptions.append("effect size d = 1 standard deviation (none given)")
    n = stats.ttest_n_per_group(d, alpha, power)
    approx = 2 * (stats.z_two_sided(alpha) + stats.z_power(power)) ** 2 / d**2
    w.lines.append(f"For d = {d:g}, alpha {_fmt(alpha)}, {power:.0%} power: n = {n} per group (exact power "
                   f"{stats.ttest_power(d, n, alpha):.1%}); the normal approximation "
                   f"2 (z_{{1-a/2}} + z_power)^2 / d^2 gives {approx:.1f}, which underestimates small samples.")


def _citations(cards: list[str], retriever: "Retriever | None") -> list[Citation]:
    if retriever is not None:
        titles = {card: retriever.card_title(card) for card in cards}
    else:
        from biopipelines.rag.corpus import load_cards  # reads the Markdown only; no embeddings needed

        titles = {c.id: c.title for c in load_cards() if c.id in cards}
    return [Citation(card=card, title=titles[card]) for card in cards if titles.get(card)]


def answer_statistics(question: str, retriever: "Retriever | None" = None) -> ExpertAnswer:
    """A worked power / sample-size answer. The retriever, when given, supplies the cited cards' titles."""
    q = parse_question(question)
    w = _Working()
    try:
        if q.test == "ttest":
            _ttest(q, w)
        else:
            _rnaseq(q, w)
    except ValueError as exc:
        return ExpertAnswer(answer=f"I could not compute this: {exc}. Please restate the numbers (for example "
                                   f"'2-fold change, 80% power, CV 0.4, FDR 0.05').")
    if q.n_note:
        w.assumptions.append(q.n_note)
    text = "\n".join(w.lines)
    if w.assumptions:
        text += "\nAssumptions: " + "; ".join(w.assumptions) + "."
    return ExpertAnswer(answer=text, citations=_citations(w.cards, retriever))
