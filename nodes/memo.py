"""A small thread-safe LRU memo, in a module of its own so that NodeDeps can use it without importing LangGraph
(nodes/common.py does, for the Runtime type): a cold `classify` then never loads it."""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any, Callable, Hashable


class Memo:
    """A small thread-safe LRU memo for pure, per-process results (a rendered draft, a module's README facts):
    requests for the same plan or module then skip the YAML work. Values must be treated as read-only."""

    def __init__(self, size: int = 64) -> None:
        self._size = size
        self._data: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, make: Callable[[], Any]) -> Any:
        with self._lock:
            if key in self._data:
                self._data.move_to_end(key)
                return self._data[key]
        value = make()  # outside the lock: two threads may both compute a miss, and get equal values
        with self._lock:
            self._data[key] = value
            while len(self._data) > self._size:
                self._data.popitem(last=False)
        return value
