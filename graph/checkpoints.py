"""Checkpointers: SQLite for one user (the REPL, and `serve` by default), Postgres for a multi-user `serve`.

The state's own pydantic types are registered for deserialisation with either. psycopg and the async savers are
imported inside the functions that need them, so the REPL never pays for them.
"""

from __future__ import annotations

import contextlib
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import AsyncIterator

from langgraph.checkpoint.serde.jsonplus import JsonPlusSerializer
from langgraph.checkpoint.sqlite import SqliteSaver

from biopipelines.core.errors import ConfigError

# Every pydantic type the state holds; LangGraph refuses (today: warns about) unregistered types on load.
STATE_TYPES = ("RouteEntry", "SafetyVerdict", "Entities", "IntentResult", "StepChoice", "AskCoverage",
               "WorkflowPlan", "CheckResult", "Citation", "ExpertAnswer")


# Where the types live, and where threads saved by earlier versions say they live (graph/schemas.py re-exports them).
SCHEMA_MODULES = ("biopipelines.core.schemas", "biopipelines.graph.schemas")
KINDS = ("sqlite", "postgres")
# The connections one server process keeps to Postgres; each turn holds one only while it reads or writes.
POSTGRES_POOL_SIZE = 20


def state_serializer() -> JsonPlusSerializer:
    return JsonPlusSerializer(allowed_msgpack_modules=[(module, name) for module in SCHEMA_MODULES
                                                       for name in STATE_TYPES])


def sqlite_checkpointer(db: Path) -> tuple[SqliteSaver, sqlite3.Connection]:
    db.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(db), check_same_thread=False)
    return SqliteSaver(conn, serde=state_serializer()), conn


@dataclass(frozen=True)
class CheckpointerSpec:
    """`sqlite:PATH` or `postgres:DSN`, as `serve --checkpointer` takes it."""

    kind: str
    target: str

    @classmethod
    def parse(cls, text: str) -> "CheckpointerSpec":
        if text.startswith(("postgresql://", "postgres://")):  # a bare libpq URL needs no prefix
            return cls("postgres", text)
        kind, sep, target = text.partition(":")
        if not sep or kind not in KINDS or not target.strip():
            raise ConfigError(f"checkpointer {_redacted(text)!r}: expected sqlite:PATH or postgres:DSN")
        if kind == "sqlite":
            target = str(Path(target).expanduser())
        return cls(kind, target)

    def describe(self) -> str:
        """For logs: the SQLite path, or only the kind for Postgres (a DSN may hold a password)."""
        return f"sqlite:{self.target}" if self.kind == "sqlite" else "postgres"


def _redacted(text: str) -> str:
    """Only the kind of anything but a SQLite path: the rest may be a DSN with a password."""
    kind, sep, _ = text.partition(":")
    return text if kind == "sqlite" else kind + (":…" if sep else "")


def prepare_checkpointer(spec: CheckpointerSpec) -> None:
    """Create the tables once, before the worker processes start, so they never race on the migrations."""
    if spec.kind == "sqlite":
        saver, conn = sqlite_checkpointer(Path(spec.target))
        with conn:
            saver.setup()
        conn.close()
        return
    from langgraph.checkpoint.postgres import PostgresSaver

    try:
        with PostgresSaver.from_conn_string(spec.target) as saver:
            saver.setup()
    except Exception as exc:  # psycopg's errors name the host and the problem; the DSN itself stays out
        raise ConfigError(f"cannot use the Postgres checkpointer: {type(exc).__name__}: "
                          f"{str(exc).strip().splitlines()[0] if str(exc).strip() else ''}") from None


@contextlib.asynccontextmanager
async def open_async_checkpointer(spec: CheckpointerSpec) -> AsyncIterator:
    """An async saver for one server process: a pool of Postgres connections, or one SQLite connection."""
    if spec.kind == "sqlite":
        import aiosqlite
        from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver

        Path(spec.target).parent.mkdir(parents=True, exist_ok=True)
        async with aiosqlite.connect(spec.target) as conn:
            yield AsyncSqliteSaver(conn, serde=state_serializer())
        return
    from langgraph.checkpoint.postgres.aio import AsyncPostgresSaver
    from psycopg.rows import dict_row
    from psycopg_pool import AsyncConnectionPool

    # the saver's own settings for a connection: autocommit, no server-side prepared statements, rows as dicts
    kwargs = {"autocommit": True, "prepare_threshold": 0, "row_factory": dict_row}
    async with AsyncConnectionPool(spec.target, max_size=POSTGRES_POOL_SIZE, kwargs=kwargs, open=False) as pool:
        yield AsyncPostgresSaver(pool, serde=state_serializer())
