"""The progress bar: shown only on a terminal, with a count and an estimate that follow the work."""

from __future__ import annotations

import io

import presskit.progress as progress_module
from presskit.progress import Progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def last_line(stream: Terminal) -> str:
    return stream.getvalue().rsplit("\r\x1b[K", 1)[-1]


def on_a_terminal(monkeypatch, label: str, **options) -> tuple[Clock, Terminal, Progress]:
    clock = Clock()
    monkeypatch.setattr(progress_module.time, "perf_counter", clock)
    stream = Terminal()
    return clock, stream, Progress(label, stream=stream, enabled=True, **options)


def test_progress_draws_count_and_estimate_then_clears(monkeypatch):
    clock, stream, progress = on_a_terminal(monkeypatch, "rendering", total=4)
    clock.now += 3
    progress.advance()
    assert last_line(stream) == "rendering [######..................] 1/4, about 9 s left"
    progress.add(4)
    progress.advance(7)
    assert last_line(stream) == "rendering [########################] 8/8"
    progress.close()
    assert stream.getvalue().endswith("\r\x1b[K")


def test_no_estimate_from_the_first_moments_or_the_first_items(monkeypatch):
    clock, stream, progress = on_a_terminal(monkeypatch, "rendering", total=20)
    clock.now += 5
    progress.advance()  # 5 % of the work: too little to tell
    assert last_line(stream) == "rendering [#.......................] 1/20"
    progress.advance()
    assert last_line(stream) == "rendering [##......................] 2/20, about 45 s left"
    fresh = Progress("rendering", total=2, stream=stream, enabled=True)
    clock.now += 0.5
    fresh.advance()  # half the work, but in half a second
    assert last_line(stream) == "rendering [############............] 1/2"


def test_a_planning_progress_shows_no_bar_until_settled_then_follows_the_work(monkeypatch):
    """The catalogue's first renders (the cover, the sizing of the contents) are cheap and come before it
    knows its other parts: no bar running ahead then falling back, no estimate made on them."""
    clock, stream, progress = on_a_terminal(monkeypatch, "rendering catalogue parts", planning=True)
    progress.add(work=1)
    progress.add(work=1)
    clock.now += 2
    progress.advance(work=1)
    assert last_line(stream) == "rendering catalogue parts: planning, 1/2"
    for _ in range(4):
        progress.add(work=12)  # four runs of twelve film pages
    progress.settle()
    assert last_line(stream) == "rendering catalogue parts [........................] 1/6"
    clock.now += 4
    progress.advance(work=1)
    progress.advance(work=12)  # 14 of 50: the rate since settling is 13 in 4 s
    assert last_line(stream) == "rendering catalogue parts [######..................] 3/6, about 11 s left"
    progress.close()


def test_progress_is_off_when_not_a_terminal():
    stream = io.StringIO()
    progress = Progress("rendering", total=3, stream=stream)
    progress.advance()
    progress.close()
    assert stream.getvalue() == ""
