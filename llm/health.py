"""Endpoint health: `/v1/models` must list the served model name, and a 1-token completion must answer."""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass

import httpx


@dataclass
class EndpointHealth:
    url: str
    model: str
    healthy: bool
    detail: str
    latency_ms: float | None = None

    def as_dict(self) -> dict:
        return asdict(self)


def probe_endpoint(url: str, model: str, api_key: str = "not-needed", timeout_s: float = 5.0) -> EndpointHealth:
    headers = {"Authorization": f"Bearer {api_key}"}
    timeout = httpx.Timeout(timeout_s, connect=min(timeout_s, 3.0))
    try:
        with httpx.Client(timeout=timeout, headers=headers) as client:
            listed = client.get(f"{url}/models")
            listed.raise_for_status()
            served = [m.get("id") for m in listed.json().get("data", [])]
            if model not in served:
                return EndpointHealth(url, model, False, f"serves {served or 'no models'}, not {model!r}")
            started = time.perf_counter()
            reply = client.post(f"{url}/chat/completions", json={
                "model": model, "max_tokens": 1, "messages": [{"role": "user", "content": "ping"}]})
            reply.raise_for_status()
            latency = (time.perf_counter() - started) * 1000
            return EndpointHealth(url, model, True, "ok", round(latency, 1))
    except httpx.HTTPStatusError as exc:
        return EndpointHealth(url, model, False, f"HTTP {exc.response.status_code} from {exc.request.url}")
    except (httpx.HTTPError, ValueError) as exc:
        return EndpointHealth(url, model, False, f"{type(exc).__name__}: {str(exc)[:120] or 'no answer'}")
