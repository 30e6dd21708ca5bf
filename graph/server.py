"""`biopipelines serve`'s ASGI app: the compiled graph behind HTTP, one app per worker process.

Every worker builds the same graph (graph/builder.py) over one shared checkpointer, so any worker can continue any
thread. Errors reach the client as one line of JSON, `{"error": ...}`, never a traceback.

    POST /threads/{thread_id}/turns  {"message": "..."}  -> the turn's report (as `generate --json` prints it)
    GET  /threads/{thread_id}                            -> the thread's summary (404 for a thread never seen)
    GET  /healthz                                        -> liveness, this worker's pid and checkpointer kind
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI, Path, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from langchain_core.messages import HumanMessage
from pydantic import BaseModel, ConfigDict
from starlette.exceptions import HTTPException

from biopipelines.core.errors import UserError
from biopipelines.core.settings import Settings, load_settings
from biopipelines.graph.body_limit import BodyLimit
from biopipelines.graph.checkpoints import CheckpointerSpec, open_async_checkpointer
from biopipelines.graph.plan_diff import plan_diff
from biopipelines.graph.report import build_report
from biopipelines.graph.request_input import READ_SLACK, check_request
from biopipelines.nodes.deps import NodeDeps
from biopipelines.nodes.state import RunContext

# `serve` hands the checkpointer to its worker processes through the environment (uvicorn starts them afresh).
ENV_CHECKPOINTER = "BIOPIPELINES_CHECKPOINTER"
THREAD_ID = r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$"
# The nodes are sync and run in the event loop's default executor (min(32, cpus + 4) threads unless set); they
# mostly wait on models, so one worker holding dozens of turns needs more threads than cores.
EXECUTOR_THREADS = 64
BODY_SLACK = 1024  # the JSON around the message


class TurnRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    message: str


class TurnResult(BaseModel):
    """The report of `generate --json`, with the thread, its turn number and what a follow-up changed."""

    model_config = ConfigDict(extra="allow")
    thread_id: str
    turn: int
    status: str | None
    answer: str
    changes: list[str]


class ThreadSummary(BaseModel):
    thread_id: str
    turns: int
    status: str | None
    answer: str
    analysis_type: str | None
    tools: list[str]


class Health(BaseModel):
    ok: bool
    pid: int
    checkpointer: str
    profile: str


@dataclass
class Services:
    settings: Settings
    graph: Any = None


def _config(thread_id: str) -> dict:
    return {"configurable": {"thread_id": thread_id}}


async def take_turn(request: Request, body: TurnRequest,
                    thread_id: str = Path(pattern=THREAD_ID)) -> TurnResult:
    services: Services = request.app.state.services
    message = check_request(body.message, services.settings.profile.max_request_chars)
    before = (await services.graph.aget_state(_config(thread_id))).values.get("plan")
    state = await services.graph.ainvoke({"messages": [HumanMessage(message)]}, _config(thread_id),
                                         context=RunContext())
    report = build_report(state, services.settings.profile.name)
    after = state.get("plan")
    changes = plan_diff(before, after) if before is not None and after is not None else []
    return TurnResult(thread_id=thread_id, turn=state.get("turn", 0), changes=changes, **report)


async def thread_summary(request: Request, thread_id: str = Path(pattern=THREAD_ID)) -> ThreadSummary:
    services: Services = request.app.state.services
    values = (await services.graph.aget_state(_config(thread_id))).values
    if not values.get("turn"):
        raise HTTPException(404, f"no thread {thread_id!r}; POST /threads/{thread_id}/turns starts it")
    report = build_report(values, services.settings.profile.name)
    return ThreadSummary(thread_id=thread_id, turns=values["turn"], status=report["status"], answer=report["answer"],
                         analysis_type=report["analysis_type"], tools=report["tools"])


async def healthz(request: Request) -> Health:
    return Health(ok=True, pid=os.getpid(), checkpointer=request.app.state.checkpointer.kind,
                  profile=request.app.state.services.settings.profile.name)


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": " ".join(message.split())[:500]}, status_code=status)


async def _http_error(request: Request, exc: HTTPException) -> JSONResponse:
    return _error(exc.status_code, str(exc.detail))


async def _user_error(request: Request, exc: UserError) -> JSONResponse:
    return _error(400, str(exc))


async def _invalid_body(request: Request, exc: RequestValidationError) -> JSONResponse:
    first = exc.errors()[0] if exc.errors() else {}
    if first.get("type") == "json_invalid":
        return _error(400, "the body is not valid JSON; send {\"message\": \"...\"}")
    where = ".".join(str(part) for part in first.get("loc", ()) if part != "body") or "body"
    return _error(422, f"{where}: {first.get('msg', 'invalid')}")


async def _internal_error(request: Request, exc: Exception) -> JSONResponse:
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return _error(500, f"internal error: {type(exc).__name__}: {first[:300]}")


def create_app(settings: Settings | None = None, deps: NodeDeps | None = None,
               checkpointer: CheckpointerSpec | None = None) -> FastAPI:
    """The app; with no arguments (uvicorn's factory call in each worker) everything comes from the environment.
    Pass `deps` to inject models or checks, as tests and benchmarks do for build_graph."""
    settings = deps.settings if deps else settings or load_settings()
    spec = checkpointer or CheckpointerSpec.parse(os.environ.get(ENV_CHECKPOINTER)
                                                  or f"sqlite:{settings.checkpoint_db}")
    services = Services(settings)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI):
        from biopipelines.graph.builder import build_graph

        asyncio.get_running_loop().set_default_executor(ThreadPoolExecutor(EXECUTOR_THREADS))
        async with open_async_checkpointer(spec) as saver:
            services.graph = build_graph(settings, deps=deps, checkpointer=saver)
            yield

    app = FastAPI(title="BioPipelines Agent", lifespan=lifespan, docs_url=None, redoc_url=None)
    app.state.services, app.state.checkpointer = services, spec
    app.add_api_route("/threads/{thread_id}/turns", take_turn, methods=["POST"], response_model=TurnResult)
    app.add_api_route("/threads/{thread_id}", thread_summary, methods=["GET"], response_model=ThreadSummary)
    app.add_api_route("/healthz", healthz, methods=["GET"], response_model=Health)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(UserError, _user_error)
    app.add_exception_handler(RequestValidationError, _invalid_body)
    app.add_exception_handler(Exception, _internal_error)
    app.add_middleware(BodyLimit, max_bytes=settings.profile.max_request_chars * READ_SLACK + BODY_SLACK)
    return app
