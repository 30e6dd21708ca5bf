"""Fixtures shared by unit tests."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest


@pytest.fixture()
def listener() -> Iterator[socket.socket]:
    """A TCP listener on loopback: a sandboxed run must not be able to connect to it."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    server.settimeout(0.2)
    yield server
    server.close()
