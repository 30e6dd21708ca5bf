"""A minimal OpenAI-compatible `/v1/embeddings` server for the bundled MiniLM (stdlib http.server).

It exists so that the HTTP embeddings path (the one a vLLM or TEI server answers in production) can be exercised
on loopback without a GPU: the integration tests start it as a subprocess, from the checkout's root:

    python -m tests.embedding_server --port 8090 [--model-name minilm]

Implements POST /v1/embeddings (input: a string or a list of strings; encoding_format: float or base64, as the
openai client sends by default) and GET /v1/models. Anything else is a 4xx with an OpenAI-style error body.
"""

from __future__ import annotations

import argparse
import base64
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import numpy as np
from langchain_core.embeddings import Embeddings

MAX_INPUTS = 2048  # one request's batch; a larger one is refused rather than stalling the server


class EmbeddingHandler(BaseHTTPRequestHandler):
    server: "EmbeddingServer"
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base class's signature
        pass  # one line per request would drown the test logs

    def _send(self, status: int, payload: dict) -> None:
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _error(self, status: int, message: str) -> None:
        self._send(status, {"error": {"message": message, "type": "invalid_request_error", "code": status}})

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        if self.path.rstrip("/") == "/v1/models":
            self._send(200, {"object": "list", "data": [{"id": self.server.model_name, "object": "model",
                                                         "owned_by": "biopipelines"}]})
        else:
            self._error(404, f"no route {self.path}")

    def do_POST(self) -> None:  # noqa: N802
        if self.path.rstrip("/") != "/v1/embeddings":
            self._error(404, f"no route {self.path}")
            return
        try:
            length = int(self.headers.get("Content-Length") or 0)
            request = json.loads(self.rfile.read(length) or b"null")
        except (ValueError, json.JSONDecodeError):
            self._error(400, "body is not JSON")
            return
        if not isinstance(request, dict):
            self._error(400, "body must be a JSON object")
            return
        texts = request.get("input")
        texts = [texts] if isinstance(texts, str) else texts
        if not isinstance(texts, list) or not texts or not all(isinstance(t, str) for t in texts):
            self._error(400, "input must be a string or a non-empty list of strings (token ids are not supported)")
            return
        if len(texts) > MAX_INPUTS:
            self._error(400, f"at most {MAX_INPUTS} inputs per request")
            return
        model = request.get("model")
        if model not in (None, self.server.model_name):
            self._error(404, f"model {model!r} is not served here; this server serves {self.server.model_name!r}")
            return
        encoding = request.get("encoding_format") or "float"
        if encoding not in ("float", "base64"):
            self._error(400, "encoding_format must be float or base64")
            return
        with self.server.lock:  # one model, one batch at a time: torch is not re-entrant across threads here
            vectors = np.asarray(self.server.embeddings.embed_documents(texts), dtype="<f4")
        data = [{"object": "embedding", "index": i,
                 "embedding": base64.b64encode(v.tobytes()).decode() if encoding == "base64" else v.tolist()}
                for i, v in enumerate(vectors)]
        tokens = sum(len(t.split()) for t in texts)  # whitespace words: an honest order of magnitude, not BPE
        self._send(200, {"object": "list", "model": self.server.model_name, "data": data,
                         "usage": {"prompt_tokens": tokens, "total_tokens": tokens}})


class EmbeddingServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], embeddings: Embeddings, model_name: str) -> None:
        super().__init__(address, EmbeddingHandler)
        self.embeddings = embeddings
        self.model_name = model_name
        self.lock = threading.Lock()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.embedding_server", description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8090, help="0 picks a free port (printed on stdout)")
    parser.add_argument("--model-name", default="minilm", help="the served model name clients must ask for")
    args = parser.parse_args(argv)
    from biopipelines.core.errors import UserError
    from biopipelines.rag.embeddings import embedded_default

    try:
        embeddings = embedded_default()
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    try:
        server = EmbeddingServer((args.host, args.port), embeddings, args.model_name)
    except OSError as exc:
        print(f"error: cannot listen on {args.host}:{args.port}: {exc.strerror}", file=sys.stderr)
        return 2
    print(f"serving {args.model_name} on http://{args.host}:{server.server_address[1]}/v1", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
