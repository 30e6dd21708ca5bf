"""Deterministic entity extraction: `extract_entities(text) -> Entities`.

Exact, predictable outputs; the conventions live with the vocabularies in nodes/offline/data/*.yaml:
- organism / genome_build: organisms.yaml (first organism named wins; a build names its organism; a build keeps the
  spelling the user gave it: hg38 stays hg38).
- read_layout: "paired-end", "PE150", "2x150", "R1/R2" -> paired; "single-end", "SE50", "1x75" -> single. Mentions
  after a negation ("instead of paired-end", "not single-end") are ignored; both layouts left standing -> None.
- strandedness: "unstranded" / "forward stranded" (fr-secondstrand, ISF) / "reverse stranded" (dUTP,
  fr-firststrand, ISR, TruSeq stranded); plain "stranded" says too little and gives None.
- tools_requested / tools_excluded: canonical ids from the tool registry (library/tools.yaml), polarity rules in
  tool_mentions.py; steps as "step:<id>" ("no trimming" -> tools_excluded ["step:trimming"]).
- tool_choices: requested tools offered as alternatives ("STAR or HISAT2"), taken out of tools_requested; the
  library uses the first it can run (library/choices.py).
- sample_count / conditions: samples.py.
- input_paths: URLs (s3://, gs://, https://, ftp://), absolute, home and ./ paths, and relative paths or file names
  that carry a glob or a data-file extension, in order, trailing punctuation removed.
- accessions: SRA/ENA/DDBJ runs, experiments, samples and studies, GEO series/samples, BioProjects, BioSamples,
  ENCODE and ArrayExpress ids, upper-cased, in order; ids inside a path belong to the path.
- histone_mark / umi / chemistry: assay_details.py.
"""

from __future__ import annotations

import re
from functools import lru_cache

from biopipelines.core.schemas import Entities
from biopipelines.nodes.offline.assay_details import read_assay_details
from biopipelines.nodes.offline.lexicon import Lexicon, OrganismLexicon, load_lexicon
from biopipelines.nodes.offline.samples import DesignReader
from biopipelines.nodes.offline.textnorm import FuzzyVocabulary
from biopipelines.nodes.offline.tool_mentions import ToolMatcher

_DATA_EXT = (r"(?:fastq|fq|fasta|fa|fna|faa|gz|bz2|zst|bam|bai|cram|crai|sam|bed|bedpe|bw|bigwig|bedgraph|vcf|bcf|"
             r"gvcf|gtf|gff|gff3|tsv|csv|txt|yaml|yml|json|smk|h5|h5ad|loom|mtx|pod5|fast5|sra|cool|mcool|hic|"
             r"pairs|xlsx|zip|tar|tgz|sf|xml|nf|py|r|sh|ini|cfg|toml)")
_PATH_CHARS = r"[\w.*?{}\[\],+=@%~\-]"
_URL = re.compile(r"\b(?:s3|gs|az|abfss?|https?|ftp|sftp|file)://[^\s'\"<>()\[\]]+", re.IGNORECASE)
_ROOTED_PATH = re.compile(rf"(?<![\w.:/])(?:~|\.{{1,2}})?/{_PATH_CHARS}+(?:/{_PATH_CHARS}*)*")
_RELATIVE_PATH = re.compile(rf"(?<![\w./:])(?:{_PATH_CHARS}+/)+{_PATH_CHARS}*")
_FILE_NAME = re.compile(rf"(?<![\w./:])[\w*?{{}}\[\]\-+]+(?:\.[\w*?{{}}\-]+)*\.{_DATA_EXT}(?![\w/])", re.IGNORECASE)
_GLOB_OR_EXT = re.compile(rf"[*?{{]|\.{_DATA_EXT}$|/$", re.IGNORECASE)
_TRAILING = ".,;:!?'\")]}"
_SNAKEFILE = re.compile(r"(?:snakefile|\.smk)$", re.IGNORECASE)

_ACCESSION = re.compile(
    r"(?<![A-Za-z0-9])(?:"
    r"[SED]R[RXSP]\d{5,}|GS[EM]\d{3,}|GDS\d{3,}|GPL\d{2,}|PRJ(?:NA|EB|DB)\d{3,}|SAM(?:N|EA|D)\d{5,}|"
    r"ENC(?:SR|FF|BS|DO|LB)\d{3}[A-Z]{3}|E-[A-Z]{4}-\d+|EGA[DSFC]\d{11}|phs\d{6}(?:\.v\d+\.p\d+)?"
    r")(?![A-Za-z0-9])",
    re.IGNORECASE,
)

_NEGATED_BEFORE = re.compile(
    r"(?:\binstead\s+of|\brather\s+than|\bnot|\bno\s+longer|\bisn'?t|\baren'?t|\bwasn'?t|\bweren'?t|\bnever"
    r"|\bfrom|\binstead\s+of\s+the)\s+(?:the\s+|a\s+|an\s+|being\s+)?$",
    re.IGNORECASE,
)
_PAIRED = re.compile(
    r"\bpaired[\s\-_]*end(?:ed)?\b|\bpair[\s\-_]*end(?:ed)?\b|\bpaired\s+reads\b|\bmate[\s\-]?pairs?\b"
    r"|\bPE[\s\-]?\d{2,3}\b|\b2\s?[x×]\s?\d{2,3}\b|\bR1\s*(?:/|and|&|\+|,)\s*R2\b|\bPE\b(?=\s+(?:reads|data|"
    r"libraries|library|sequencing|run))",
)
_PAIRED_CI = re.compile(r"\bpaired[\s\-_]*end(?:ed)?\b|\bpair[\s\-_]*end(?:ed)?\b|\bpaired\s+reads\b"
                        r"|\bmate[\s\-]?pairs?\b|\bPE[\s\-]?\d{2,3}\b", re.IGNORECASE)
_SINGLE = re.compile(
    r"\bsingle[\s\-_]*end(?:ed)?\b|\bsingle\s+reads\b|\bSE[\s\-]?\d{2,3}\b|\b1\s?[x×]\s?\d{2,3}\b"
    r"|\bSE\b(?=\s+(?:reads|data|libraries|library|sequencing|run))",
)
_SINGLE_CI = re.compile(r"\bsingle[\s\-_]*end(?:ed)?\b|\bsingle\s+reads\b|\bSE[\s\-]?\d{2,3}\b", re.IGNORECASE)
_STRAND = {
    "unstranded": re.compile(r"\b(?:un|non)[\s\-]?stranded\b|\bnot\s+stranded\b|\bstrand[\s\-]?unspecific\b"
                             r"|\bnon[\s\-]?strand[\s\-]?specific\b|\blibtype\s+IU\b|\blib\s*type\s*IU\b", re.I),
    "reverse": re.compile(r"\breverse[\s\-]?strand(?:ed|edness)?\b|\bstranded[\s,]+reverse\b|\bdUTP\b"
                          r"|\bfr[\s\-]?firststrand\b|\bfirst[\s\-]strand(?:ed)?\b|\bISR\b|\btruseq\s+stranded\b"
                          r"|\breverse\s+strand[\s\-]?specific\b|\bantisense[\s\-]strand(?:ed)?\b", re.I),
    "forward": re.compile(r"\bforward[\s\-]?strand(?:ed|edness)?\b|\bstranded[\s,]+forward\b"
                          r"|\bfr[\s\-]?secondstrand\b|\bsecond[\s\-]strand(?:ed)?\b|\bISF\b"
                          r"|\bsense[\s\-]strand(?:ed)?\b|\bforward\s+strand[\s\-]?specific\b", re.I),
}


def _alias_pattern(alias: str) -> str:
    # spaces and hyphens inside an alias are interchangeable and optional: "e. coli" ~ "E.coli", "HIV-1" ~ "HIV1"
    return r"[\s\-]*".join(re.escape(p) for p in re.split(r"[\s\-]+", alias.strip()))


def _mask(text: str, spans: list[tuple[int, int]]) -> str:
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


class EntityExtractor:
    """Compiled once from the lexicon; `extract` is pure."""

    def __init__(self, lexicon: Lexicon) -> None:
        self._tools = ToolMatcher(lexicon.tools)
        self._design = DesignReader(lexicon.conditions)
        self._organism_re, self._organism_keys = self._compile_organisms(lexicon.organisms)
        single_words = {a.lower() for o in lexicon.organisms.organisms for a in o.aliases if re.fullmatch(r"[a-z]+", a)}
        self._fuzzy = FuzzyVocabulary(single_words, lexicon.organisms.fuzzy_blocklist)
        self._fuzzy_ids = {a.lower(): o.id for o in lexicon.organisms.organisms for a in o.aliases}

    @staticmethod
    def _compile_organisms(lex: OrganismLexicon) -> tuple[re.Pattern[str], dict[str, tuple[str, str | None]]]:
        keys: dict[str, tuple[str, str | None]] = {}
        items: list[tuple[str, str]] = []
        for o in lex.organisms:
            for a in o.aliases:
                key = f"k{len(keys)}"
                keys[key] = (o.id, None)
                items.append((key, a))
            for b in o.builds:
                for a in b.aliases:
                    key = f"k{len(keys)}"
                    keys[key] = (o.id, b.name)
                    items.append((key, a))
        items.sort(key=lambda kv: -len(kv[1]))
        body = "|".join(f"(?P<{k}>{_alias_pattern(a)})" for k, a in items)
        # "human-readable" and "mouse-like" are not organisms
        tail = r"(?![A-Za-z0-9])(?!-(?:readable|friendly|like|made|level|scale))"
        return re.compile(rf"(?<![A-Za-z0-9])(?:{body}){tail}", re.IGNORECASE), keys

    # --- spans that other extractors must not read --------------------------------------------------------
    @staticmethod
    def _paths(text: str) -> tuple[list[str], list[tuple[int, int]]]:
        found: list[tuple[int, int, str]] = []

        def take(start: int, raw: str) -> None:
            value = raw.rstrip(_TRAILING)
            end = start + len(value)
            if len(value) < 2 or any(s < end and start < e for s, e, _ in found):
                return
            found.append((start, end, value))

        for m in _URL.finditer(text):
            take(m.start(), m.group(0))
        for m in _ROOTED_PATH.finditer(text):
            take(m.start(), m.group(0))
        for m in _RELATIVE_PATH.finditer(text):
            if _GLOB_OR_EXT.search(m.group(0).rstrip(_TRAILING)):
                take(m.start(), m.group(0))
        for m in _FILE_NAME.finditer(text):
            take(m.start(), m.group(0))
        found.sort()
        values: list[str] = []
        for _, _, v in found:
            if v not in values:
                values.append(v)
        return values, [(s, e) for s, e, _ in found]

    @staticmethod
    def _accessions(text: str) -> tuple[list[str], list[tuple[int, int]]]:
        values: list[str] = []
        spans: list[tuple[int, int]] = []
        for m in _ACCESSION.finditer(text):
            value = m.group(0)
            value = value if value.startswith("phs") else value.upper()
            spans.append((m.start(), m.end()))
            if value not in values:
                values.append(value)
        return values, spans

    # --- single-valued fields -----------------------------------------------------------------------------
    def _organism(self, text: str) -> tuple[str | None, str | None]:
        hits: list[tuple[int, str, str | None]] = []
        for m in self._organism_re.finditer(text):
            ident, build = self._organism_keys[m.lastgroup or ""]
            hits.append((m.start(), ident, build))
        for m in re.finditer(r"[A-Za-z]{5,}", text):
            fixed = self._fuzzy.correct(m.group(0).lower())
            if fixed is not None:
                hits.append((m.start(), self._fuzzy_ids[fixed], None))
        hits.sort(key=lambda h: h[0])
        organism = hits[0][1] if hits else None
        build = next((b for _, _, b in hits if b is not None), None)
        return organism, build

    @staticmethod
    def _standing(text: str, patterns: list[re.Pattern[str]]) -> list[int]:
        """Start offsets of mentions not governed by a negation."""
        starts: list[int] = []
        for pattern in patterns:
            for m in pattern.finditer(text):
                if not _NEGATED_BEFORE.search(text[max(0, m.start() - 40):m.start()]):
                    starts.append(m.start())
        return starts

    def _layout(self, text: str) -> str | None:
        paired = self._standing(text, [_PAIRED, _PAIRED_CI])
        single = self._standing(text, [_SINGLE, _SINGLE_CI])
        if paired and not single:
            return "paired"
        if single and not paired:
            return "single"
        return None

    def _strandedness(self, text: str) -> str | None:
        standing = {name: self._standing(text, [p]) for name, p in _STRAND.items()}
        named = [name for name, starts in standing.items() if starts]
        if "unstranded" in named and len(named) > 1:
            # "not stranded" also reads as a stranded mention; the explicit unstranded one is meant
            named = [n for n in named if n == "unstranded" or not all(
                _STRAND["unstranded"].search(text[max(0, s - 10):s + 20]) for s in standing[n])]
        return named[0] if len(named) == 1 else None

    def placeholders(self, text: str) -> str:
        """The text with each path replaced by "inputpath" ("snakefile" for a Snakefile) and each accession by
        "accession": what the intent patterns and the embedder read, so that a path's folder names
        ("/data/chip/") cannot pose as words of the request."""
        paths, path_spans = self._paths(text)
        pieces: list[tuple[int, int, str]] = []
        for (start, end), value in zip(path_spans, [text[s:e] for s, e in path_spans]):
            pieces.append((start, end, "snakefile" if _SNAKEFILE.search(value) else "inputpath"))
        masked = _mask(text, path_spans)
        pieces += [(s, e, "accession") for s, e in self._accessions(masked)[1]]
        out, last = [], 0
        for start, end, token in sorted(pieces):
            out += [text[last:start], f" {token} "]
            last = end
        out.append(text[last:])
        return "".join(out)

    def organism_spans(self, text: str) -> list[tuple[int, int]]:
        """Where the text names an organism (not a build): a tool named like one there ("medaka fin") is no tool."""
        return [(m.start(), m.end()) for m in self._organism_re.finditer(text)
                if self._organism_keys[m.lastgroup or ""][1] is None]

    def extract(self, text: str) -> Entities:
        paths, path_spans = self._paths(text)
        masked = _mask(text, path_spans)
        accessions, acc_spans = self._accessions(masked)
        masked = _mask(masked, acc_spans)
        organism, build = self._organism(masked)
        # an organism named like a tool ("Atlantic salmon") is no request for the tool; the design still reads it
        # ("twelve mice")
        tool_text = _mask(masked, self.organism_spans(masked))
        requested, excluded = self._tools.classify(tool_text)
        choices = self._tools.choices(tool_text, requested)
        offered = {tool for choice in choices for option in choice for tool in option.split("+")}
        requested = [tool for tool in requested if tool not in offered]
        # tools and builds are never experimental conditions ("STAR vs HISAT2", "against GRCh38")
        not_conditions = [(m.start, m.end) for m in self._tools.mentions(tool_text)]
        not_conditions += [(m.start(), m.end()) for m in self._organism_re.finditer(masked)
                           if self._organism_keys[m.lastgroup or ""][1] is not None]
        design = self._design.read(_mask(masked, not_conditions))
        details = read_assay_details(masked)
        return Entities(
            organism=organism,
            genome_build=build,
            read_layout=self._layout(masked),  # type: ignore[arg-type]
            strandedness=self._strandedness(masked),  # type: ignore[arg-type]
            tools_requested=requested,
            tools_excluded=excluded,
            tool_choices=choices,
            sample_count=design.sample_count,
            conditions=design.conditions,
            input_paths=paths,
            accessions=accessions,
            histone_mark=details.histone_mark,
            umi=details.umi,
            chemistry=details.chemistry,
            capture=details.capture,  # type: ignore[arg-type]
            covariates=list(details.covariates),
            long_read_platform=details.long_read_platform,  # type: ignore[arg-type]
        )


@lru_cache(maxsize=1)
def default_extractor() -> EntityExtractor:
    """The extractor over the packaged lexicon, compiled once per process."""
    return EntityExtractor(load_lexicon())


def extract_entities(text: str) -> Entities:
    """Entities named in one user message (see the module docstring for the exact rules)."""
    return default_extractor().extract(text)
