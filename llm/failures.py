"""What went wrong with a model call, in one line, and whether it is worth another try on the same endpoint."""

from __future__ import annotations

RETRYABLE_STATUS = frozenset({429, 500, 502, 503, 504})


class Retryable(RuntimeError):
    """A 429 or 5xx: worth another try on the same endpoint after a jittered backoff."""


class Final(RuntimeError):
    """An error already described for the route entry; not retried."""


def short(exc: BaseException | str, limit: int = 300) -> str:
    text = (exc if isinstance(exc, str) else f"{type(exc).__name__}: {exc}").replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 3] + "..."


def status_of(exc: BaseException) -> int | None:
    return getattr(exc, "status_code", None) or getattr(getattr(exc, "response", None), "status_code", None)


def retry_after(exc: BaseException) -> float | None:
    headers = getattr(getattr(exc, "response", None), "headers", None) or {}
    try:
        return float(headers.get("retry-after")) if headers.get("retry-after") else None
    except (TypeError, ValueError):
        return None  # an HTTP date: treat as no hint


def describe(exc: BaseException) -> str:
    """`HTTP 429: ...` for server answers, `APITimeoutError: ...` for transport errors: the why of a fallback."""
    status = status_of(exc)
    if status is not None:
        body = getattr(exc, "body", None)
        message = (body.get("message") if isinstance(body, dict) else None) or getattr(exc, "message", None) or exc
        return short(f"HTTP {status}: {message}", 289)
    root, seen = exc, 0
    while (root.__cause__ or root.__context__) not in (None, root) and seen < 8:  # the transport's own error says most
        root, seen = root.__cause__ or root.__context__, seen + 1
    detail = f" ({short(root, 160)})" if root is not exc else ""
    return short(exc, 200) + detail


def timed_out(exc: BaseException) -> bool:
    seen: BaseException | None = exc
    for _ in range(8):
        if seen is None:
            return False
        if "Timeout" in type(seen).__name__:
            return True
        seen = seen.__cause__ or seen.__context__
    return False
