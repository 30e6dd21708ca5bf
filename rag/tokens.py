"""Text units shared by indexing and answering: word tokens for BM25, sentences, and quotable sentence units.

The index stores passages and sentence units cut by these functions: after changing how text is split, bump
rag.corpus.CHUNKER_VERSION so that existing indexes are rebuilt.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"[a-z0-9][a-z0-9'+-]*[a-z0-9+]|[a-z0-9]")

# Function words and question phrasing that carry no topic; tool names such as "star" or "salmon" are kept.
STOPWORDS = frozenset("""
a about above after again against all also am an and any are as at be because been before being below between both
but by can could did do does doing down during each few for from further had has have having he her here hers how i
if in into is it its itself just me more most my no nor not now of off on once only or other our out over own same
she should so some such than that the their them then there these they this those through to too under until up
very was we were what when where which while who whom why will with would you your yours use used using get
instead vs versus better best between choose choosing pick tell explain difference rather than one two much many
need needed want really
""".split())


def stem(word: str) -> str:
    """A deliberately tiny plural stemmer, so 'replicates' meets 'replicate'; 'analysis' and 'bias' stay whole."""
    if len(word) <= 4 or word.endswith(("ss", "is", "us", "as")):
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith("sses"):
        return word[:-2]
    return word[:-1] if word.endswith("s") else word


def tokenize(text: str) -> list[str]:
    words = _WORD.findall(text.lower().replace("-seq", "seq"))
    return [stem(w) for w in words if w not in STOPWORDS and len(w) > 1]


_ABBREVIATIONS = ("et al.", "e.g.", "i.e.", "vs.", "approx.", "cf.", "Fig.", "no.")
_BOUNDARY = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9(\"'])")


def split_sentences(text: str) -> list[str]:
    """Sentences of a passage; a full stop after 'et al.' or 'e.g.' does not end a sentence."""
    sentences: list[str] = []
    for piece in _BOUNDARY.split(" ".join(text.split())):
        if sentences and sentences[-1].endswith(_ABBREVIATIONS):
            sentences[-1] = f"{sentences[-1]} {piece}"
        else:
            sentences.append(piece)
    return [s for s in sentences if s]


_PRONOUN_START = re.compile(r"(It|Its|This|These|They|Their|Both|Such|Here|Then)\b")


def quotable_units(text: str) -> list[str]:
    """Sentences that can be quoted on their own: one that opens with 'It'/'This'... stays with the one before it,
    since quoted alone it would lose what it refers to."""
    units: list[str] = []
    for sentence in split_sentences(text):
        if units and _PRONOUN_START.match(sentence):
            units[-1] = f"{units[-1]} {sentence}"
        else:
            units.append(sentence)
    return units
