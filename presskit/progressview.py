"""The progress bar on a terminal: rich's, drawing a progress.Progress (imported only when a bar is shown,
by progress.run)."""

from __future__ import annotations

import logging
import os
import sys
import threading

from rich.console import Console
from rich.progress import BarColumn, ProgressColumn, TaskProgressColumn, TextColumn
from rich.progress import Progress as RichProgress
from rich.table import Column
from rich.text import Text


class View:
    """A rich progress bar drawing a progress.Progress, started `show_after` seconds after the command.
    While it is shown, presskit's log lines are printed above it (from worker processes too: they clear
    its line)."""

    def __init__(self, progress, stream, show_after: float):
        self.progress = progress
        self.stream = stream
        self.pid = os.getpid()
        self.bar: RichProgress | None = None
        self.handlers: list[tuple[logging.StreamHandler, object]] = []
        self._lock = threading.Lock()
        self._stopped = False
        self._timer = threading.Timer(show_after, self.start)
        self._timer.daemon = True
        self._timer.start()

    def start(self) -> None:
        with self._lock:
            if self._stopped:
                return
            bar = Bar(
                self.progress,
                TextColumn("{task.description}", table_column=Column(no_wrap=True, overflow="ellipsis")),
                BarColumn(bar_width=16),
                TaskProgressColumn(table_column=Column(no_wrap=True)),
                Elapsed(self.progress),
                Left(self.progress),
                console=Console(file=self.stream, stderr=self.stream is sys.stderr),
                transient=True,
                refresh_per_second=4,
                redirect_stdout=False,
                redirect_stderr=False,
            )
            bar.add_task(self.progress.status(), total=1000)
            bar.start()
            self.bar = bar
            for handler in logging.getLogger("presskit").handlers:
                if isinstance(handler, logging.StreamHandler) and handler.stream is self.stream:
                    self.handlers.append((handler, handler.setStream(AboveTheBar(self, self.stream))))

    def stop(self) -> None:
        self._timer.cancel()
        with self._lock:
            self._stopped = True
            for handler, stream in self.handlers:
                handler.setStream(stream)
            self.handlers.clear()
            if self.bar is not None:
                self.bar.stop()
                self.bar = None


class Bar(RichProgress):
    """rich's bar, brought up to date with the Progress each time it is drawn (four times a second)."""

    def __init__(self, progress, *columns, **options):
        super().__init__(*columns, **options)
        self.progress = progress

    def get_renderables(self):
        for task in self.tasks:
            task.description = self.progress.status()
            task.completed = round(1000 * self.progress.done)
        yield from super().get_renderables()


class Elapsed(ProgressColumn):
    def __init__(self, progress):
        super().__init__(table_column=Column(no_wrap=True))
        self.progress = progress

    def render(self, task) -> Text:
        return Text(self.progress.elapsed_text(), style="progress.elapsed")


class Left(Elapsed):
    def render(self, task) -> Text:
        return Text(self.progress.remaining_text(), style="progress.remaining")


class AboveTheBar:
    """The stream of presskit's log handler while a bar is shown: each line printed above the bar (through
    rich, in this process; in a forked worker, after clearing the bar's line, which the next refresh draws
    again below it)."""

    def __init__(self, view: View, stream):
        self.view = view
        self.stream = stream

    def write(self, text: str) -> int:
        bar = self.view.bar
        if os.getpid() == self.view.pid and bar is not None:
            bar.console.print(Text.from_ansi(text.rstrip("\n")), soft_wrap=True)
        else:
            self.stream.write("\r\x1b[2K" + text)
        return len(text)

    def flush(self) -> None:
        self.stream.flush()
