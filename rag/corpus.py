"""The knowledge corpus: Markdown cards with YAML front matter, split into retrievable chunks.

Two sources make up the corpus: the method notes and analysis guides in rag/knowledge/*.md, and the module library's
tool cards in library/modules/*/card.md. The library's cards are globbed at load time, so a module added there is
indexed without touching this package, and an empty library is not an error.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Iterable

import yaml
from pydantic import BaseModel, Field, ValidationError

from biopipelines.core.errors import ConfigError
from biopipelines.core.yaml_files import one_line
from biopipelines.rag.tokens import split_sentences

RAG_DIR = Path(__file__).resolve().parent
KNOWLEDGE_DIR = RAG_DIR / "knowledge"
MODULES_DIR = RAG_DIR.parent / "library" / "modules"

# Bump when chunking changes, so that indexes built with the old chunker are rebuilt.
CHUNKER_VERSION = 1
MAX_CHUNK_CHARS = 800
MIN_CHUNK_CHARS = 450

_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n(.*)\Z", re.DOTALL)
_CARD_ID = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
_HEADING = re.compile(r"^#{1,6}\s+(.*)$")


class CorpusError(ConfigError):
    """A card cannot be read or is malformed; the message names the file."""


class Card(BaseModel):
    id: str
    title: str
    tool: str | None = None
    doi: str | None = None
    citation: str | None = Field(None, description="Free-text reference for a tool without a paper (no DOI)")
    tags: list[str] = Field(default_factory=list)
    body: str
    source: str = Field(description="Path of the Markdown file, for error messages")


class Chunk(BaseModel):
    """One retrievable passage of a card."""

    chunk_id: str
    card_id: str
    title: str
    doi: str | None = None
    heading: str | None = None
    text: str

    def search_text(self) -> str:
        """What is embedded and BM25-indexed: the passage with its card title and section heading as context."""
        parts = [self.title, self.heading, self.text]
        return "\n".join(p for p in parts if p)


class Corpus(BaseModel):
    cards: list[Card]
    chunks: list[Chunk]
    content_hash: str

    def card(self, card_id: str) -> Card | None:
        return next((c for c in self.cards if c.id == card_id), None)


def default_sources(knowledge_dir: Path = KNOWLEDGE_DIR, modules_dir: Path = MODULES_DIR) -> list[Path]:
    return sorted(knowledge_dir.glob("*.md")) + sorted(modules_dir.glob("*/card.md"))


def parse_card(path: Path) -> Card:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CorpusError(f"{path}: cannot read card: {exc}") from None
    match = _FRONT_MATTER.match(text)
    if not match:
        raise CorpusError(f"{path}: a card must start with YAML front matter between '---' lines")
    try:
        meta = yaml.safe_load(match.group(1)) or {}
    except yaml.YAMLError as exc:
        raise CorpusError(f"{path}: front matter is not valid YAML: {str(exc).splitlines()[0]}") from None
    if not isinstance(meta, dict):
        raise CorpusError(f"{path}: front matter must be a mapping")
    # A module card may leave out its id: the module's directory name is its id.
    default_id = path.parent.name if path.name == "card.md" else path.stem
    card_id = str(meta.get("id") or default_id).strip()
    if not _CARD_ID.match(card_id):
        raise CorpusError(f"{path}: id {card_id!r} must be lowercase letters, digits, '.', '_' or '-'")
    tags = meta.get("tags") or []
    if isinstance(tags, str):
        tags = [t.strip() for t in tags.split(",") if t.strip()]
    body = match.group(2).strip()
    if not body:
        raise CorpusError(f"{path}: card {card_id!r} has no body")
    try:
        return Card(id=card_id, title=str(meta.get("title") or "").strip() or card_id,
                    tool=_opt_str(meta.get("tool")), doi=_opt_str(meta.get("doi")),
                    citation=_opt_str(meta.get("citation")),
                    tags=[str(t) for t in tags], body=body, source=str(path))
    except ValidationError as exc:
        raise CorpusError(one_line(str(path), exc)) from None


def _opt_str(value: object) -> str | None:
    return str(value).strip() if value not in (None, "") else None


def card_problems(card: Card) -> list[str]:
    """Lint findings that do not stop indexing: the card format asks tool cards to cite a paper (a DOI, or a
    free-text citation for software that was never published)."""
    problems = []
    if card.tool and not (card.doi or card.citation):
        problems.append(f"{card.source}: tool card {card.id!r} has neither doi nor citation")
    if card.doi and not card.doi.startswith("10."):
        problems.append(f"{card.source}: doi {card.doi!r} does not look like a DOI (10.xxxx/...)")
    if card.title == card.id:
        problems.append(f"{card.source}: card {card.id!r} has no title")
    return problems


def load_cards(paths: Iterable[Path] | None = None) -> list[Card]:
    cards = [parse_card(p) for p in (default_sources() if paths is None else paths)]
    seen: dict[str, str] = {}
    for card in cards:
        if card.id in seen:
            raise CorpusError(f"duplicate card id {card.id!r} in {seen[card.id]} and {card.source}")
        seen[card.id] = card.source
    return sorted(cards, key=lambda c: c.id)


def _sections(body: str) -> list[tuple[str | None, list[str]]]:
    """(heading, paragraphs) pairs in document order."""
    sections: list[tuple[str | None, list[str]]] = [(None, [])]
    for block in re.split(r"\n\s*\n", body):
        lines = block.strip().splitlines()
        if not lines:
            continue
        heading = _HEADING.match(lines[0])
        if heading:
            sections.append((heading.group(1).strip(), []))
            lines = lines[1:]
        paragraph = " ".join(line.strip() for line in lines).strip()
        if paragraph:
            sections[-1][1].append(paragraph)
    return [(h, ps) for h, ps in sections if ps]


def _split_long(paragraph: str, limit: int) -> list[str]:
    """Split an over-long paragraph at sentence ends, so no chunk cuts a sentence in half."""
    if len(paragraph) <= limit:
        return [paragraph]
    pieces, current = [], ""
    for sentence in split_sentences(paragraph):
        if current and len(current) + 1 + len(sentence) > limit:
            pieces.append(current)
            current = sentence
        else:
            current = f"{current} {sentence}".strip()
    if current:
        pieces.append(current)
    return pieces


def chunk_card(card: Card, max_chars: int = MAX_CHUNK_CHARS, min_chars: int = MIN_CHUNK_CHARS) -> list[Chunk]:
    """Paragraph-based chunks of about min_chars..max_chars.

    Neighbouring paragraphs are merged while the chunk is shorter than min_chars, also across a heading (a short
    section alone embeds poorly); a chunk records every heading it spans.
    """
    pieces = [(heading, piece) for heading, paragraphs in _sections(card.body)
              for paragraph in paragraphs for piece in _split_long(paragraph, max_chars)]
    groups: list[tuple[list[str], str]] = []
    for heading, piece in pieces:
        if groups and len(groups[-1][1]) < min_chars and len(groups[-1][1]) + 1 + len(piece) <= max_chars:
            headings, text = groups[-1]
            if heading and heading not in headings:
                headings.append(heading)
            groups[-1] = (headings, f"{text}\n{piece}")
        else:
            groups.append(([heading] if heading else [], piece))
    return [Chunk(chunk_id=f"{card.id}#{i}", card_id=card.id, title=card.title, doi=card.doi,
                  heading="; ".join(headings) or None, text=text) for i, (headings, text) in enumerate(groups)]


def content_hash(chunks: Iterable[Chunk]) -> str:
    """A hash of exactly what gets indexed (and of the chunker version), so any edit triggers a rebuild."""
    digest = hashlib.sha256(f"chunker-v{CHUNKER_VERSION}\n".encode())
    for chunk in chunks:
        digest.update(json.dumps(chunk.model_dump(), sort_keys=True).encode())
        digest.update(b"\n")
    return digest.hexdigest()


def load_corpus(paths: Iterable[Path] | None = None) -> Corpus:
    cards = load_cards(paths)
    chunks = [chunk for card in cards for chunk in chunk_card(card)]
    return Corpus(cards=cards, chunks=chunks, content_hash=content_hash(chunks))
