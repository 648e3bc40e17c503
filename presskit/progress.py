"""A one-line progress bar with an estimate, on stderr, only when stderr is a terminal.

Off when stderr is not a terminal (CI, pipes, logs), with `-q`, or with PRESSKIT_NO_PROGRESS set.
Thread-safe: the catalogue's renderer advances it from the pool's callback threads.
"""
from __future__ import annotations

import logging
import os
import sys
import threading
import time


class Progress:
    def __init__(self, label: str, total: int = 0, stream=None, enabled: bool | None = None):
        self.stream = stream or sys.stderr
        if enabled is None:
            enabled = (getattr(self.stream, "isatty", lambda: False)() and not os.environ.get("PRESSKIT_NO_PROGRESS")
                       and logging.getLogger("presskit").isEnabledFor(logging.INFO))
        self.enabled = enabled
        self.label = label
        self.total = total
        self.done = 0
        self.start = time.perf_counter()
        self._lock = threading.Lock()
        self._shown = False

    def add(self, n: int = 1) -> None:
        """More work became known (the catalogue learns its parts as it plans)."""
        with self._lock:
            self.total += n
            self._draw()

    def advance(self, n: int = 1) -> None:
        with self._lock:
            self.done += n
            self._draw()

    def line(self) -> str:
        width = 24
        filled = int(width * self.done / self.total) if self.total else 0
        elapsed = time.perf_counter() - self.start
        left = ""
        if 0 < self.done < self.total:
            left = f", about {elapsed / self.done * (self.total - self.done):.0f} s left"
        return f"{self.label} [{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total}{left}"

    def _draw(self) -> None:
        if self.enabled and self.total:
            self.stream.write("\r\x1b[K" + self.line())
            self.stream.flush()
            self._shown = True

    def close(self) -> None:
        with self._lock:
            if self._shown:
                self.stream.write("\r\x1b[K")
                self.stream.flush()
                self._shown = False
