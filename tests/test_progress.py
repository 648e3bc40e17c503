"""The progress bar: shown only on a terminal, with a count and an estimate."""
from __future__ import annotations

import io

from presskit.progress import Progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_draws_count_and_estimate_then_clears():
    stream = Terminal()
    progress = Progress("rendering", total=4, stream=stream, enabled=True)
    progress.advance()
    assert "rendering [######..................] 1/4, about" in stream.getvalue()
    progress.add(4)
    progress.advance(7)
    assert stream.getvalue().endswith("8/8")
    progress.close()
    assert stream.getvalue().endswith("\r\x1b[K")


def test_progress_is_off_when_not_a_terminal():
    stream = io.StringIO()
    progress = Progress("rendering", total=3, stream=stream)
    progress.advance()
    progress.close()
    assert stream.getvalue() == ""
