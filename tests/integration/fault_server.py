"""A fault-injecting OpenAI-compatible server on loopback: one real uvicorn server, one fault per URL prefix.

`server.url("r500")` is a base URL (with /v1) whose every request fails the way its behaviour says. A name's
behaviour defaults to the name itself (see BEHAVIOURS) and can be switched while the server runs, so a test can let
an endpoint recover. `server.hits[name]` counts the requests that reached each name: a skipped endpoint adds none.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading
import time
from collections import Counter
from typing import Iterator

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from tests.servers import free_port

BEHAVIOURS = ("ok", "r500", "r429", "slow", "cut", "malformed", "wrong_model", "hang", "proxy")


class FaultServer:
    def __init__(self) -> None:
        self.port = free_port()
        self.hits: Counter[str] = Counter()
        self.behaviour: dict[str, str] = {}
        self.answer = "{}"  # what an `ok` endpoint answers (the test sets a JSON object for its schema)
        self.scripts: dict[str, list[str]] = {}  # per name: answers in order (the last repeats), instead of `answer`
        self.requests: dict[str, list[dict]] = {}  # per name: every request body, for tests that read the prompts
        self.retry_after = 1
        self.slow_s = 3.0
        self.served_model = "served"  # the name /v1/models lists (wrong_model lists another)
        # `proxy`: a real server's base URL (with /v1); its answers pass through once a name's script is used up
        self.upstream: str | None = None
        self._lock = threading.Lock()
        self._server: uvicorn.Server | None = None

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.port}/{name}/v1"

    def set(self, name: str, behaviour: str) -> None:
        assert behaviour in BEHAVIOURS, behaviour
        self.behaviour[name] = behaviour

    def _mode(self, name: str) -> str:
        return self.behaviour.get(name, name if name in BEHAVIOURS else "ok")

    # -- handlers ------------------------------------------------------------------------------------------------
    async def models(self, request: Request) -> Response:
        name = request.path_params["name"]
        served = "some-other-model" if self._mode(name) == "wrong_model" else self.served_model
        return JSONResponse({"object": "list", "data": [{"id": served, "object": "model"}]})

    async def chat(self, request: Request) -> Response:
        name = request.path_params["name"]
        body = await request.json()
        with self._lock:
            self.hits[name] += 1
            self.requests.setdefault(name, []).append(body)
            script = self.scripts.get(name)
            answer = script[min(self.hits[name], len(script)) - 1] if script else self.answer
        mode = self._mode(name)
        stream = bool(body.get("stream"))
        if mode == "proxy" and not (script and self.hits[name] <= len(script)):  # scripted answers come first
            return await self._forward(body)
        if mode == "r500":
            return JSONResponse({"error": {"message": "internal error", "type": "InternalServerError"}}, 500)
        if mode == "r429":
            return JSONResponse({"error": {"message": "rate limited", "type": "RateLimitError"}}, 429,
                                headers={"Retry-After": str(self.retry_after)})
        if mode == "wrong_model":
            return JSONResponse({"error": {"message": f"The model `{body.get('model')}` does not exist.",
                                           "type": "NotFoundError", "code": 404}}, 404)
        if mode == "hang":
            await asyncio.Event().wait()  # accepts, reads the request, never answers
        if mode == "slow":
            await asyncio.sleep(self.slow_s)
        content = "Sure! {intent: generate_workflow, confidence: hi" if mode == "malformed" else answer
        if mode == "cut":
            return self._cut(body, content, stream)
        if stream:
            return StreamingResponse(self._sse(body, content), media_type="text/event-stream")
        return JSONResponse(self._completion(body, content))

    async def _forward(self, body: dict) -> Response:
        """Pass the request to the upstream server and its answer back (non-streaming): a recording proxy."""
        import httpx

        async with httpx.AsyncClient(timeout=None) as client:
            answer = await client.post(f"{self.upstream}/chat/completions", json={**body, "stream": False})
        return Response(answer.content, status_code=answer.status_code, media_type="application/json")

    def _completion(self, body: dict, content: str) -> dict:
        return {"id": "cmpl-1", "object": "chat.completion", "created": int(time.time()), "model": body.get("model"),
                "choices": [{"index": 0, "finish_reason": "stop",
                             "message": {"role": "assistant", "content": content}}],
                "usage": {"prompt_tokens": 20, "completion_tokens": 10, "total_tokens": 30}}

    async def _sse(self, body: dict, content: str, cut: bool = False):
        half = max(1, len(content) // 2)
        for i, piece in enumerate((content[:half], content[half:])):
            delta = {"role": "assistant", "content": piece} if i == 0 else {"content": piece}  # as real servers do
            chunk = {"id": "cmpl-1", "object": "chat.completion.chunk", "created": int(time.time()),
                     "model": body.get("model"), "choices": [{"index": 0, "delta": delta, "finish_reason": None}]}
            yield f"data: {json.dumps(chunk)}\n\n"
            if cut:
                raise ConnectionResetError("stream cut mid-answer")  # uvicorn drops the connection
        yield "data: [DONE]\n\n"

    def _cut(self, body: dict, content: str, stream: bool) -> Response:
        if stream:
            return StreamingResponse(self._sse(body, content, cut=True), media_type="text/event-stream")
        full = json.dumps(self._completion(body, content)).encode()

        async def half():
            yield full[: len(full) // 2]
            raise ConnectionResetError("response cut mid-answer")

        return StreamingResponse(half(), media_type="application/json", headers={"content-length": str(len(full))})

    # -- lifecycle ------------------------------------------------------------------------------------------------
    def app(self) -> Starlette:
        return Starlette(routes=[Route("/{name}/v1/models", self.models),
                                 Route("/{name}/v1/chat/completions", self.chat, methods=["POST"])])

    @contextlib.contextmanager
    def running(self) -> Iterator["FaultServer"]:
        config = uvicorn.Config(self.app(), host="127.0.0.1", port=self.port, log_level="critical",
                                timeout_graceful_shutdown=1, lifespan="off")
        self._server = uvicorn.Server(config)
        thread = threading.Thread(target=self._server.run, daemon=True)
        thread.start()
        deadline = time.monotonic() + 20
        while not self._server.started:
            if time.monotonic() > deadline or not thread.is_alive():
                raise RuntimeError("fault server did not start")
            time.sleep(0.05)
        try:
            yield self
        finally:
            self._server.should_exit = True
            thread.join(timeout=10)


def refused_url() -> str:
    """A loopback port with nothing listening: connection refused."""
    return f"http://127.0.0.1:{free_port()}/v1"
