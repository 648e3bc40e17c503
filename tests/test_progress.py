"""The progress model (presskit/progress.py), driven with a fake clock: its steps' shares fixed before any
work, a bar that only moves forward however late work becomes known, an estimate of the time left from
the pace so far; and no bar off a terminal or with -q."""

from __future__ import annotations

import io
import logging

import pytest

from presskit import pool, progress
from presskit.progress import ESTIMATE_AFTER, PLANNING, Progress


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def catalogue_progress(clock: Clock) -> Progress:
    return Progress("catalogue", {"load": 2, "catalogue": 16, "merge": 2}, clock=clock)


def test_the_shares_are_fixed_before_any_work_and_work_added_later_does_not_change_them():
    bar = catalogue_progress(Clock())
    assert [(s.name, s.share) for s in bar.steps] == [("load", 0.1), ("catalogue", 0.8), ("merge", 0.1)]
    parts = bar.step("catalogue", "parts")
    parts.add(3, work=30)
    parts.advance(work=10)
    assert bar.done == pytest.approx(0.1 + 0.8 / 3)  # loading done (work began after it), a third of the parts
    parts.add(work=40)  # more work found: what is done stays done, the rest of the share is spread over it
    assert bar.done == pytest.approx(0.1 + 0.8 / 3)
    assert [s.share for s in bar.steps] == [0.1, 0.8, 0.1]
    parts.advance(work=20)
    parts.advance(work=40)
    assert bar.done == pytest.approx(0.9)
    bar.step("merge").close()
    assert bar.done == pytest.approx(1.0)


def test_the_bar_only_moves_forward_through_a_catalogue_build_that_plans_and_replans():
    """The sequence of the catalogue's renderer: the cover, front matter and sizing renders before the
    plan (planning), every part once planned, then back-matter parts whose start was guessed wrong and
    the contents added after the plan settled, while others finish."""
    clock = Clock()
    bar = catalogue_progress(clock)
    seen = [bar.done]

    def note():
        clock.now += 0.5
        seen.append(bar.done)
        assert seen[-1] >= seen[-2], seen

    bar.step("load", "loading").begin()
    note()
    parts = bar.step("catalogue", "parts", planning=True)
    for cost in (1, 2, 1, 1, 1, 1):  # cover, front, contents sizing, three section intros sizing
        parts.add(work=cost)
        note()
    for cost in (1, 2, 1):
        parts.advance(work=cost)
        note()
    assert bar.done == pytest.approx(0.1 + 0.8 * PLANNING * 4 / 7)  # 4 of the 7 known: of its planning share
    assert bar.status() == "parts: planning"
    for cost in (1, 12, 12, 6, 1, 12, 4, 3, 2):  # the intros and film runs, the back matter as guessed
        parts.add(work=cost)
        note()
    parts.settle()
    note()
    for cost in (1, 1, 1, 12, 1):
        parts.advance(work=cost)
        note()
    parts.add(work=3)  # a back-matter part guessed wrong, rendered again
    note()
    parts.add(work=2)  # the contents
    note()
    for cost in (12, 6, 12, 4, 3, 2, 3, 2, 1):
        parts.advance(work=cost)
        note()
    assert bar.status() == "parts 17/17"
    assert bar.done == pytest.approx(0.9)
    merging = bar.step("merge", "merging").begin()
    merging.add(2)
    merging.advance()
    note()
    merging.close()
    note()
    assert seen[-1] == pytest.approx(1.0)
    assert len(set(seen)) > 20  # it moved all along, not only at the end


def test_a_step_that_plans_fills_only_its_planning_share_until_settled():
    bar = Progress("catalogue", {"catalogue": 1}, clock=Clock())
    parts = bar.step("catalogue", planning=True)
    parts.add(2)
    parts.advance(2)  # every part it knows of is done, but it has not planned the rest
    assert bar.done == pytest.approx(PLANNING)
    parts.settle()
    parts.add(4)
    parts.advance(2)
    assert bar.done == pytest.approx(PLANNING + (1 - PLANNING) / 2)


def test_the_estimate_follows_the_pace_of_the_real_work_from_its_start():
    clock = Clock()
    bar = catalogue_progress(clock)
    assert bar.remaining() is None and bar.line() == "catalogue: 0%, 0:00 elapsed"
    bar.step("load", "loading").begin()
    clock.now += 1
    assert bar.remaining() is None and bar.line() == "loading: 0%, 0:01 elapsed"
    parts = bar.step("catalogue", "parts")
    parts.add(4, work=40)  # the real work starts, loading done: 10 %
    assert bar.remaining() is None
    clock.now += 8
    parts.advance(work=10)  # 20 % more in 8 s
    assert bar.remaining() == pytest.approx(8 * 0.7 / 0.2)
    assert bar.line() == "parts 1/4: 30%, 0:09 elapsed, about 0:28 left"
    clock.now += 8  # nothing finished meanwhile: the pace falls, the estimate grows
    assert bar.remaining() == pytest.approx(16 * 0.7 / 0.2)
    parts.advance(work=30)
    assert bar.remaining() == pytest.approx(16 * 0.1 / 0.8)


def test_no_estimate_before_a_share_of_the_work_is_done():
    clock = Clock()
    bar = Progress("building", {"films": 100}, clock=clock)
    films = bar.step("films")
    films.add(100)
    clock.now += 5
    films.advance()
    assert bar.done < ESTIMATE_AFTER and bar.remaining() is None
    films.advance(2)
    assert bar.remaining() == pytest.approx(5 * 0.97 / 0.03)  # (work began with the first item counted)


def test_a_step_divided_once_the_project_is_loaded_keeps_its_share():
    bar = Progress("building", {"load": 1, "work": 19}, clock=Clock())
    bar.step("load").begin()
    bar.split("work", {"films": 40, "catalogue": 8, "merge": 2})
    assert [(s.name, round(s.share, 3)) for s in bar.steps] == [
        ("load", 0.05),
        ("films", 0.76),
        ("catalogue", 0.152),
        ("merge", 0.038),
    ]
    films = bar.step("films")
    films.add(8)
    films.advance(4)
    assert bar.done == pytest.approx(0.05 + 0.38)
    with pytest.raises(ValueError, match="step films has begun"):
        bar.split("films", {"a": 1, "b": 1})


def test_the_library_asks_for_steps_by_name_and_counts_them_alone_outside_a_command():
    lone = progress.step("catalogue", "parts", planning=True)
    assert lone.progress.steps == [lone] and lone.share == 1
    with progress.run("catalogue", {"load": 1, "catalogue": 8, "merge": 1}, enabled=False) as bar:
        assert progress.step("catalogue", "parts") is bar.step("catalogue")
        assert progress.step("films").progress is not bar  # (a step the command did not declare)
    assert progress.step("catalogue").progress is not bar


def test_fork_map_advances_a_step_per_item_as_each_finishes():
    bar = Progress("building", {"films": 1}, clock=Clock())
    films = bar.step("films")
    films.add(5)
    assert pool.fork_map(_square, None, [1, 2, 3, 4, 5], 2, films) == [1, 4, 9, 16, 25]
    assert (films.count, bar.done) == (5, 1.0)


def _square(_shared, n: int) -> int:
    return n * n


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def log_level():
    logger = logging.getLogger("presskit")
    old = logger.level
    yield logger.setLevel
    logger.setLevel(old)


def test_no_bar_off_a_terminal_with_quiet_or_when_turned_off(monkeypatch, log_level):
    log_level(logging.INFO)
    monkeypatch.delenv("PRESSKIT_NO_PROGRESS", raising=False)
    assert progress.shown_on(Terminal())
    assert not progress.shown_on(io.StringIO())  # CI, a pipe, a log file
    log_level(logging.WARNING)  # -q
    assert not progress.shown_on(Terminal())
    log_level(logging.INFO)
    monkeypatch.setenv("PRESSKIT_NO_PROGRESS", "1")
    assert not progress.shown_on(Terminal())
    stream = io.StringIO()
    with progress.run("catalogue", {"catalogue": 1}, stream=stream) as bar:
        step = bar.step("catalogue")
        step.add(3)
        step.advance(3)
    assert stream.getvalue() == ""


def test_a_step_divided_into_steps_of_no_weight_shares_equally():
    bar = Progress("building", {"load": 1, "work": 1}, clock=Clock())
    bar.split("work", {"films": 0})  # a project without films or festival
    assert [(s.name, s.share) for s in bar.steps] == [("load", 0.5), ("films", 0.5)]


def test_on_a_terminal_rich_draws_the_bar_and_log_lines_go_above_it(log_level):
    from presskit.progressview import View

    log_level(logging.INFO)
    stream = Terminal()
    handler = logging.StreamHandler(stream)
    logger = logging.getLogger("presskit")
    logger.addHandler(handler)
    try:
        clock = Clock()
        bar = Progress("catalogue", {"load": 1, "catalogue": 8, "merge": 1}, clock=clock)
        view = View(bar, stream, show_after=60)
        view.start()  # (not waiting for the timer)
        parts = bar.step("catalogue", "catalogue parts")
        parts.add(4)
        clock.now += 10
        parts.advance(3)
        view.bar.refresh()
        logger.info("wrote out/catalogue.pdf")
        view.stop()
    finally:
        logger.removeHandler(handler)
    out = stream.getvalue()
    assert "catalogue parts 3/4" in out and "70%" in out and "0:10 elapsed" in out and "about 0:05 left" in out
    assert "wrote out/catalogue.pdf\n" in out
    assert handler.stream is stream  # given back when the bar goes
