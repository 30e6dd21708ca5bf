"""The SQLite checkpointer for REPL threads, with the state's own pydantic types registered for deserialisation."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from langgraph.checkpoint.serde.jsonplus import JsonPlusSerializer
from langgraph.checkpoint.sqlite import SqliteSaver

# Every pydantic type the state holds; LangGraph refuses (today: warns about) unregistered types on load.
STATE_TYPES = ("RouteEntry", "SafetyVerdict", "Entities", "IntentResult", "StepChoice", "AskCoverage",
               "WorkflowPlan", "CheckResult", "Citation", "ExpertAnswer")


# Where the types live, and where threads saved by earlier versions say they live (graph/schemas.py re-exports them).
SCHEMA_MODULES = ("biopipelines.core.schemas", "biopipelines.graph.schemas")


def state_serializer() -> JsonPlusSerializer:
    return JsonPlusSerializer(allowed_msgpack_modules=[(module, name) for module in SCHEMA_MODULES
                                                       for name in STATE_TYPES])


def sqlite_checkpointer(db: Path) -> tuple[SqliteSaver, sqlite3.Connection]:
    db.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(db), check_same_thread=False)
    return SqliteSaver(conn, serde=state_serializer()), conn
