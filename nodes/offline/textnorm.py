"""Text normalisation and one-typo correction shared by the intent patterns and entity extraction.

Normalisation makes spelling variants meet one pattern: "RNA-seq", "rna seq" and "RNAseq" all become "rnaseq";
hyphens, slashes and underscores between words become spaces. Typo correction is a small SymSpell: a word of five
or more letters one edit away (insert, delete, substitute, swap neighbours) from a vocabulary word becomes that
word; "varaint" -> "variant", "methlyation" -> "methylation".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

MIN_FUZZY_LEN = 5

_DASHES = re.compile(r"[\u2010-\u2015\u2212]")
_QUOTES = re.compile(r"[\u2018\u2019\u201a\u201b\u2032`´]")
# "RNA-seq" / "scRNA_seq" -> "rnaseq" / "scrnaseq" (the word must start with a letter); with a plain space only
# after assay prefixes ("chip seq"), so that "my seq files" stays apart
_SEQ_JOIN = re.compile(r"\b([a-z][a-z0-9&]*)[\-_]+seq\b")
_SEQ_SPACE_JOIN = re.compile(
    r"\b(rna|mrna|chip|atac|ribo|scrna|snrna|mirna|srna|dnase|methyl|em|bs|hic|cut&run|cut&tag|exome|smallrna)\s+seq\b")
# "RNA sequencing" reads as rnaseq only for assay prefixes; "genome sequencing" must stay as it is
_SEQUENCING_JOIN = re.compile(r"\b(rna|mrna|chip|atac|ribo|scrna|snrna|mirna|dnase)[\s\-_]*sequencing\b")
_SEPARATORS = re.compile(r"[\-_/\\|'\"()\[\]{}<>=+*~#@^$]")
_SPACES = re.compile(r"\s+")
_WORD = re.compile(r"[a-z][a-z0-9]*")


def normalise(text: str) -> str:
    """Lowercase, unify dashes and quotes, join assay "-seq" names, turn word separators into single spaces."""
    text = unicodedata.normalize("NFKC", text)
    text = _DASHES.sub("-", _QUOTES.sub("'", text)).lower()
    text = _SEQUENCING_JOIN.sub(r"\1seq", text)
    text = _SEQ_JOIN.sub(r"\1seq", text)
    text = _SEQ_SPACE_JOIN.sub(r"\1seq", text)
    text = _SEPARATORS.sub(" ", text)
    return _SPACES.sub(" ", text).strip()


def within_one_edit(a: str, b: str) -> bool:
    """True when a and b differ by at most one insertion, deletion, substitution or swap of neighbours."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    if la == lb:
        diff = [i for i in range(la) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]
    short, long_ = (a, b) if la < lb else (b, a)
    i = 0
    while i < len(short) and short[i] == long_[i]:
        i += 1
    return short[i:] == long_[i + 1:]


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1:] for i in range(len(word))}


class FuzzyVocabulary:
    """Corrects single typos toward a fixed vocabulary; exact words and blocklisted words are left alone."""

    def __init__(self, words: Iterable[str], blocklist: Iterable[str] = ()) -> None:
        self._words = {w.lower() for w in words}
        self._blocklist = {w.lower() for w in blocklist}
        # delete-neighbourhood index: each word and each of its one-letter deletions point back to the word
        self._index: dict[str, set[str]] = {}
        for word in self._words:
            if len(word) < MIN_FUZZY_LEN:
                continue
            for key in _deletes(word) | {word}:
                self._index.setdefault(key, set()).add(word)

    def correct(self, token: str) -> str | None:
        """The vocabulary word this token is a typo of, or None (also None when the token is already a word)."""
        if len(token) < MIN_FUZZY_LEN or token in self._words or token in self._blocklist:
            return None
        candidates: set[str] = set()
        for key in _deletes(token) | {token}:
            candidates |= self._index.get(key, set())
        matches = sorted(w for w in candidates if within_one_edit(token, w))
        # two equally near words: a guess would not be predictable, so correct nothing
        return matches[0] if len(matches) == 1 else None

    def correct_text(self, normalised: str) -> str:
        """Apply `correct` to every word of already-normalised text."""
        def fix(match: re.Match[str]) -> str:
            word = match.group(0)
            return self.correct(word) or word

        return _WORD.sub(fix, normalised)
