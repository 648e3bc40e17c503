"""A one-line progress bar with an estimate, on stderr, only when stderr is a terminal.

Off when stderr is not a terminal (CI, pipes, logs), with `-q`, or with PRESSKIT_NO_PROGRESS set.
Thread-safe: the catalogue's renderer advances it from the pool's callback threads.

The bar and the estimate follow the work, not the count of items: a catalogue's cover and the sizing renders
of its contents take a fraction of a film run's time. A progress that learns its work as it goes (the
catalogue knows its parts only once the sizing renders tell where the films' pages start) is created
`planning=True`: until `settle()` it shows only what it has started, never a bar that would run ahead and
then fall back, nor an estimate made on the first, cheapest items.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import time

ESTIMATE_AFTER = 0.1, 1.0  # an estimate once this share of the work is done and this many seconds passed


class Progress:
    def __init__(self, label: str, total: int = 0, stream=None, enabled: bool | None = None, planning: bool = False):
        self.stream = stream or sys.stderr
        if enabled is None:
            enabled = (
                getattr(self.stream, "isatty", lambda: False)()
                and not os.environ.get("PRESSKIT_NO_PROGRESS")
                and logging.getLogger("presskit").isEnabledFor(logging.INFO)
            )
        self.enabled = enabled
        self.label = label
        self.total = total  # items (shown as done/total)
        self.done = 0
        self.work = float(total)  # the bar and the estimate: the items' weights (1 each unless given)
        self.work_done = 0.0
        self.planning = planning
        self.start = time.perf_counter()
        self._since = (self.start, 0.0)  # the rate is measured from here: (time, work done then)
        self._lock = threading.Lock()
        self._shown = False

    def add(self, n: int = 1, work: float | None = None) -> None:
        """More work became known (the catalogue learns its parts as it plans)."""
        with self._lock:
            self.total += n
            self.work += n if work is None else work
            self._draw()

    def advance(self, n: int = 1, work: float | None = None) -> None:
        with self._lock:
            self.done += n
            self.work_done += n if work is None else work
            self._draw()

    def settle(self) -> None:
        """The work is known (more may still come, rarely): from now on, the bar and the estimate."""
        with self._lock:
            if self.planning:
                self.planning = False
                self._since = (time.perf_counter(), self.work_done)  # planning's first renders are cheap ones
                self._draw()

    def line(self) -> str:
        if self.planning:
            return f"{self.label}: planning, {self.done}/{self.total}"
        width = 24
        share = min(1.0, self.work_done / self.work) if self.work else 0.0
        filled = int(width * share)
        since, work_then = self._since
        elapsed, worked = time.perf_counter() - since, self.work_done - work_then
        left = ""
        if self.done < self.total and share >= ESTIMATE_AFTER[0] and elapsed >= ESTIMATE_AFTER[1] and worked > 0:
            left = f", about {elapsed / worked * (self.work - self.work_done):.0f} s left"
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
