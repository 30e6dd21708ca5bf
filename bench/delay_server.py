"""An OpenAI-compatible server on loopback that answers every chat completion after a fixed delay.

Each answer is valid for the schema the request asks for (the `title` of its response_format schema): the graph's
structured outputs parse, so every node takes its model tier and the only cost beside the graph is the delay. A
request with no response_format (the safety guard's text call) gets Llama Guard's "safe". The server records each
request's start and end (CLOCK_MONOTONIC, comparable across processes on Linux) so a benchmark can see what overlapped.

    python bench/delay_server.py --port 8123 --delay 0.1      # serve until killed
    with DelayServer(0.1).running() as server: ...             # from a benchmark: a subprocess on a free port
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import re
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Iterator

import httpx

ANSWERS: dict[str, dict] = {
    "IntentResult": {"intent": "generate_workflow", "analysis_type": "rnaseq_de", "confidence": 0.95,
                     "entities": {"organism": "mouse", "read_layout": "paired", "sample_count": 6,
                                  "tools_requested": ["star", "deseq2"], "conditions": ["knockout", "wild_type"]}},
    "PlanAdvice": {"tools_requested": [], "tools_excluded": [], "notes": []},
    "CodeFiles": {"files": [], "summary": "The library draft is kept as it is."},
    "Review": {"concerns": []},
    "DocsOverview": {"overview": "Reads are aligned with STAR, counted, and tested for differential expression "
                                 "with DESeq2."},
    "ExpertAnswer": {"answer": "DESeq2 shrinks dispersions and fold changes, which helps with few replicates.",
                     "citations": []},
}
GUARD_TEXT = "safe"
# A question ("why ...?") is read as `explain`, so the expert path can be measured too.
EXPLAIN_INTENT = {"intent": "explain", "analysis_type": None, "confidence": 0.95}
_QUESTION = re.compile(r"^\s*(why|what|how|explain)\b", re.IGNORECASE)
# The benchmarks vary samples, organism and condition per request (bench._common.request_variants); the intent
# answer reads them back like a model would, so each request gets its own plan.
_DESIGN = re.compile(r"(\d+) paired-end (\w+) \w+ samples, \d+ (\w+) vs")


def last_user_text(body: dict) -> str:
    users = [m for m in body.get("messages", []) if m.get("role") == "user"]
    content = users[-1].get("content", "") if users else ""
    return content if isinstance(content, str) else json.dumps(content)


def schema_title(body: dict) -> str | None:
    """The name of the structured output a request asks for; None for a plain text request (the guard)."""
    fmt = body.get("response_format") or {}
    schema = fmt.get("schema") or (fmt.get("json_schema") or {}).get("schema") or {}
    return schema.get("title") or (fmt.get("json_schema") or {}).get("name")


def answer_for(body: dict) -> str:
    """The content for a request: the JSON its schema asks for, or the guard's verdict for a text request."""
    title = schema_title(body)
    if not title:
        return GUARD_TEXT
    if title not in ANSWERS:
        raise KeyError(f"no answer for schema {title!r}")
    if title == "IntentResult":
        return json.dumps(intent_answer(last_user_text(body)))
    return json.dumps(ANSWERS[title])


def intent_answer(text: str) -> dict:
    if _QUESTION.search(text):
        return EXPLAIN_INTENT
    answer = json.loads(json.dumps(ANSWERS["IntentResult"]))
    designs = _DESIGN.findall(text)
    if designs:
        count, organism, condition = designs[-1]
        answer["entities"].update(sample_count=int(count), organism=organism,
                                  conditions=[condition, "wild_type"])
    return answer


def make_app(delay_s: float):
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    record: dict = {"intervals": [], "in_flight": 0, "max_in_flight": 0}

    async def chat(request: Request) -> JSONResponse:
        started = time.monotonic()
        body = await request.json()
        record["in_flight"] += 1
        record["max_in_flight"] = max(record["max_in_flight"], record["in_flight"])
        try:
            content = answer_for(body)
        except KeyError as exc:
            record["in_flight"] -= 1
            return JSONResponse({"error": {"message": str(exc), "type": "BadRequestError"}}, 400)
        await asyncio.sleep(delay_s)
        record["in_flight"] -= 1
        record["intervals"].append([started, time.monotonic(), body.get("model"), schema_title(body)])
        return JSONResponse({"id": "cmpl-delay", "object": "chat.completion", "created": int(time.time()),
                             "model": body.get("model"), "choices": [{"index": 0, "finish_reason": "stop",
                             "message": {"role": "assistant", "content": content}}],
                             "usage": {"prompt_tokens": 20, "completion_tokens": 10, "total_tokens": 30}})

    async def models(request: Request) -> JSONResponse:
        return JSONResponse({"object": "list", "data": [{"id": "delay", "object": "model"}]})

    async def stats(request: Request) -> JSONResponse:
        return JSONResponse({"intervals": record["intervals"], "max_in_flight": record["max_in_flight"]})

    async def reset(request: Request) -> JSONResponse:
        record.update(intervals=[], max_in_flight=0)
        return JSONResponse({"ok": True})

    return Starlette(routes=[Route("/v1/chat/completions", chat, methods=["POST"]), Route("/v1/models", models),
                             Route("/stats", stats), Route("/reset", reset, methods=["POST"])])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class DelayServer:
    """The server in its own process, so its event loop does not share the benchmark's GIL."""

    def __init__(self, delay_s: float = 0.1) -> None:
        self.delay_s = delay_s
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        return self.base + "/v1"

    def stats(self) -> dict:
        return httpx.get(self.base + "/stats", timeout=10).json()

    def reset(self) -> None:
        httpx.post(self.base + "/reset", timeout=10)

    @contextlib.contextmanager
    def running(self) -> Iterator["DelayServer"]:
        proc = subprocess.Popen([sys.executable, str(Path(__file__).resolve()), "--port", str(self.port),
                                 "--delay", str(self.delay_s)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            deadline = time.monotonic() + 30
            while True:
                with contextlib.suppress(httpx.HTTPError):
                    if httpx.get(self.url + "/models", timeout=1).status_code == 200:
                        break
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"delay server did not start: {proc.stderr.read().decode()[-500:]}")
                time.sleep(0.1)
            yield self
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()

    def profile(self, path: Path, roles: tuple[str, ...] = ("intent", "planner", "coder", "validator", "docs", "bio",
                                                           "math", "safety")) -> Path:
        """A profile with every role on this server (vLLM's json_schema structured output)."""
        import yaml

        ep = {"url": self.url, "model": "delay", "structured_output": "json_schema", "timeout_s": 60,
              "connect_timeout_s": 10, "max_retries": 0}
        path.write_text(yaml.safe_dump({"name": "bench_delay", "allow_cloud": False, "max_attempts": 3,
                                        "roles": {role: {"endpoints": [ep]} for role in roles}}))
        return path

    async def capacity(self, concurrency: int, requests: int) -> float:
        """What the server alone serves (requests/s) to `concurrency` clients with no graph in front of it."""
        body = {"model": "delay", "messages": [{"role": "user", "content": "x"}],
                "response_format": {"type": "json_schema", "json_schema": {"name": "Review", "schema": {
                    "title": "Review"}}}}
        limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
        async with httpx.AsyncClient(limits=limits, timeout=60) as client:
            queue = iter(range(requests))

            async def worker():
                for _ in queue:
                    for attempt in range(3):  # a connection the server closed while idle is retried, not counted
                        try:
                            (await client.post(self.url + "/chat/completions", json=body)).raise_for_status()
                            break
                        except httpx.TransportError:
                            if attempt == 2:
                                raise

            started = time.perf_counter()
            await asyncio.gather(*(worker() for _ in range(concurrency)))
            return requests / (time.perf_counter() - started)


def critical_chain(intervals: list[list]) -> int:
    """The longest chain of calls each starting after the previous ended: calls that ran one after another."""
    chain, last_end = 0, float("-inf")
    for start, end, *_ in sorted(intervals, key=lambda iv: iv[1]):
        if start >= last_end:
            chain, last_end = chain + 1, end
    return chain


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--delay", type=float, default=0.1, help="seconds before each answer")
    args = parser.parse_args()
    import uvicorn

    uvicorn.run(make_app(args.delay), host="127.0.0.1", port=args.port, log_level="critical", lifespan="off",
                backlog=4096, timeout_keep_alive=120)
    return 0


if __name__ == "__main__":
    sys.exit(main())
