"""A cap on request bodies, checked before anything parses them: a 1 GB POST never reaches memory whole."""

from __future__ import annotations

import json


class BodyLimit:
    """Pure ASGI middleware: 413 with a one-line JSON error when a body is larger than `max_bytes`, whether the
    client declares its length or streams it in chunks."""

    def __init__(self, app, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(send)
            return
        seen = 0
        refused = False

        async def counted_receive():
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.max_bytes:
                raise _TooLarge  # stops the read; the app turns it into some error, which we replace below
            return message

        async def replacing_send(message):
            nonlocal refused
            if seen <= self.max_bytes:
                await send(message)
            elif not refused:
                refused = True
                await self._refuse(send)

        try:
            await self.app(scope, counted_receive, replacing_send)
        except _TooLarge:
            if not refused:
                await self._refuse(send)

    async def _refuse(self, send) -> None:
        body = json.dumps({"error": f"the request body is larger than {self.max_bytes} bytes"}).encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})


class _TooLarge(Exception):
    pass
