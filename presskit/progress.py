"""The progress of a long command: one bar that only moves forward, with the time elapsed and an estimate of
the time left, drawn with rich on stderr, only on a terminal.

A command declares its work up front, as steps with weights (`run("building", {"load": 1, "films": 40,
"catalogue": 6, "merge": 1})`): each step owns a fixed share of the bar, in that order. Inside a step, work
may become known as it goes (the catalogue learns its parts while it plans): items are added with their
weight and advanced when done, and the step's share is spread over the work it knows. What is done never
shrinks: work that appears later shares what is left of the step. A step that plans (`planning=True`)
fills only PLANNING of its share until settle(). Work on a step completes the steps before it.

The estimate of the time left is measured from the start of the real work (the first item counted: not
the loading that comes before it): the time since then over the share done since then, times the share
left. It is shown once ESTIMATE_AFTER of the work is done.

Nothing is drawn when stderr is not a terminal (CI, pipes, logs), with `-q`, or with PRESSKIT_NO_PROGRESS
set, nor in the first SHOW_AFTER seconds (a rebuild with nothing to do shows no bar at all). The library
asks for its steps by name (step()): outside a command's run() they are counted and drawn nowhere.
Thread-safe: the catalogue's renderer advances its step from the pool's callback threads.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

PLANNING = 0.2  # of a planning step's share, filled before it is settled (the workers start meanwhile)
ESTIMATE_AFTER = 0.02  # of the work done before the time left is estimated
SHOW_AFTER = 0.5  # seconds before the bar appears

log = logging.getLogger("presskit")


class Step:
    """One step of a Progress: the old interface of the bar (add, advance, settle, close) on its share."""

    def __init__(self, progress: Progress, name: str, share: float):
        self.progress = progress
        self.name = name
        self.label: str | None = None  # (its name until one is given: the first one given stays)
        self.share = share  # of the whole bar, fixed
        self.done = 0.0  # of this step's share: never decreases
        self.left = 0.0  # work known and not done yet (the items' weights)
        self.count = 0  # items done
        self.total = 0  # items known
        self.planning = False
        self.closed = False

    def add(self, n: int = 1, work: float | None = None) -> None:
        """More work became known."""
        with self.progress.lock:
            self.progress.touch(self, working=True)
            self.total += n
            self.left += n if work is None else work

    def advance(self, n: int = 1, work: float | None = None) -> None:
        with self.progress.lock:
            self.progress.touch(self, working=True)
            self.count += n
            work = float(n if work is None else work)
            if self.closed or self.left <= 0 or work <= 0:
                return
            taken = min(work, self.left)
            ceiling = PLANNING if self.planning else 1.0
            if ceiling > self.done:
                self.done += (ceiling - self.done) * taken / self.left
            self.left -= taken

    def settle(self) -> None:
        """The work is known (more may still come, rarely): the rest of the share is spread over it."""
        with self.progress.lock:
            self.planning = False

    def begin(self) -> Step:
        """This step runs now (the steps before it are done)."""
        with self.progress.lock:
            self.progress.touch(self)
        return self

    def close(self) -> None:
        """The step is done, whatever was counted."""
        with self.progress.lock:
            self.done, self.left, self.closed, self.planning = 1.0, 0.0, True, False

    def status(self) -> str:
        label = self.label or self.name
        if self.planning:
            return f"{label}: planning"
        return f"{label} {self.count}/{self.total}" if self.total else label


class Progress:
    """The work of one command: steps whose shares are fixed up front, and the time it has taken."""

    def __init__(self, label: str, steps: dict[str, float], clock: Callable[[], float] = time.monotonic):
        total = sum(steps.values())
        if not steps or total <= 0:
            raise ValueError("a progress needs steps with weights")
        self.label = label
        self.clock = clock
        self.lock = threading.RLock()
        self.steps = [Step(self, name, weight / total) for name, weight in steps.items()]
        self.running: Step | None = None
        self.start = clock()
        self.work_start: tuple[float, float] | None = None  # (time, share done) when the first item was counted

    def step(self, name: str, label: str | None = None, planning: bool = False) -> Step:
        with self.lock:
            [step] = [s for s in self.steps if s.name == name]
            step.label = step.label or label
            if planning and not step.closed and not step.done:
                step.planning = True
            return step

    def has(self, name: str) -> bool:
        return any(s.name == name for s in self.steps)

    def split(self, name: str, steps: dict[str, float]) -> None:
        """Divide a step not begun into steps of these weights (known only once an earlier step is done:
        the films of a project once it is loaded), in its place and within its share."""
        with self.lock:
            [old] = [s for s in self.steps if s.name == name]
            if old.done or old.total or old is self.running:
                raise ValueError(f"step {name} has begun: it cannot be divided")
            total = sum(steps.values())
            if total <= 0:  # (nothing to weigh them by: equal shares)
                steps, total = dict.fromkeys(steps, 1.0), float(len(steps))
            at = self.steps.index(old)
            self.steps[at : at + 1] = [Step(self, n, old.share * w / total) for n, w in steps.items()]

    def touch(self, step: Step, working: bool = False) -> None:
        """Work on `step`: the steps before it are done. `working`: an item is counted (the real work)."""
        if step is not self.running:
            for earlier in self.steps[: self.steps.index(step)]:
                if not earlier.closed:
                    earlier.close()
            self.running = step
        if working and self.work_start is None:
            self.work_start = (self.clock(), self.done)

    @property
    def done(self) -> float:
        """The share of the whole work done, 0 to 1: it never decreases."""
        return min(1.0, sum(s.share * s.done for s in self.steps))

    def elapsed(self) -> float:
        return self.clock() - self.start

    def remaining(self) -> float | None:
        """Seconds left, at the pace of the real work so far; None until ESTIMATE_AFTER of it is done."""
        if self.work_start is None:
            return None
        since, done_then = self.work_start
        done = self.done
        if done - done_then < ESTIMATE_AFTER:
            return None
        return (self.clock() - since) * (1 - done) / (done - done_then)

    def status(self) -> str:
        """What runs now: the step's label (with its count), else the command's."""
        return self.running.status() if self.running is not None else self.label

    def elapsed_text(self) -> str:
        return f"{clock(self.elapsed())} elapsed"

    def remaining_text(self) -> str:
        left = self.remaining()
        return f"about {clock(left)} left" if left is not None else ""

    def line(self) -> str:
        """The bar's state in words (what the terminal shows, and what a test reads)."""
        left = self.remaining_text()
        return f"{self.status()}: {self.done:.0%}, {self.elapsed_text()}" + (f", {left}" if left else "")


def clock(seconds: float) -> str:
    seconds = max(0, round(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}"


# --- the command's progress, and the library's steps ---------------------------------------------------

_current: Progress | None = None


@contextmanager
def run(label: str, steps: dict[str, float], stream=None, enabled: bool | None = None) -> Iterator[Progress]:
    """The progress of a command, drawn on `stream` (stderr) while it runs; steps asked for by name with
    step() are its steps."""
    global _current

    stream = stream or sys.stderr
    progress = Progress(label, steps)
    view = None
    if enabled if enabled is not None else shown_on(stream):
        from .progressview import View

        view = View(progress, stream, SHOW_AFTER)
    outer, _current = _current, progress
    try:
        yield progress
    finally:
        _current = outer
        if view is not None:
            view.stop()


def step(name: str, label: str | None = None, planning: bool = False) -> Step:
    """The step `name` of the command's progress; outside a command that has it, a step counted alone."""
    progress = _current if _current is not None and _current.has(name) else Progress(label or name, {name: 1})
    return progress.step(name, label, planning)


def shown_on(stream) -> bool:
    """Whether a bar is drawn: on a terminal, not with -q (the log above INFO), not PRESSKIT_NO_PROGRESS."""
    from . import pool

    return (
        getattr(stream, "isatty", lambda: False)()
        and not os.environ.get("PRESSKIT_NO_PROGRESS")
        and log.isEnabledFor(logging.INFO)
        and not pool.in_worker()
    )
