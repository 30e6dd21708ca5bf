"""Classify a failing rule's log into a run-time failure cause, with the table in rag/knowledge/failure_signatures.yaml.

The table sits beside the failure cards the troubleshoot intent answers from (rag/knowledge/troubleshoot-*.md), and
each cause names its card, so `biopipelines status`, the run-time healer and a chat answer agree on what a log means.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, Field

from biopipelines.core.run_record import Failure, FailureCause
from biopipelines.core.yaml_files import read_config

TABLE = Path(__file__).resolve().parent / "knowledge" / "failure_signatures.yaml"
_GENERIC: set[str] = {"tool_error", "unknown"}


class Signature(BaseModel):
    cause: FailureCause
    card: str | None = None
    advice: str
    patterns: list[str] = Field(min_length=1)


class SignatureTable(BaseModel):
    signatures: list[Signature]


@lru_cache(maxsize=4)
def load_signatures(path: Path = TABLE) -> tuple[tuple[Signature, tuple[re.Pattern[str], ...]], ...]:
    table = read_config(SignatureTable, path)
    return tuple((s, tuple(re.compile(p, re.IGNORECASE) for p in s.patterns)) for s in table.signatures)


def match(lines: list[str]) -> tuple[Signature, str] | None:
    """The first cause (in table order) that one of the lines shows, with the last such line as evidence."""
    for signature, patterns in load_signatures():
        hits = [line for line in lines if any(p.search(line) for p in patterns)]
        if hits:
            return signature, hits[-1].strip()
    return None


def classify(failure: Failure, snakemake_tail: list[str] | None = None) -> Failure:
    """The failure with cause, evidence, card and advice filled in. The rule's own log decides; Snakemake's output
    is read only when the log shows nothing more specific than a tool error (an empty log of a killed job)."""
    found = match(failure.log_tail)
    if (found is None or found[0].cause in _GENERIC) and snakemake_tail:
        better = match(snakemake_tail)
        if better is not None and (found is None or better[0].cause not in _GENERIC):
            found = better
    if found is None:
        return failure.model_copy(update={"cause": "unknown", "evidence": "", "card": None,
                                          "advice": "No known failure signature in the log: read its last lines."})
    signature, evidence = found
    return failure.model_copy(update={"cause": signature.cause, "evidence": evidence[:300], "card": signature.card,
                                      "advice": signature.advice})
