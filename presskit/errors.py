"""User-facing errors. Anything else raised inside presskit is a bug and keeps its traceback."""
from __future__ import annotations

from dataclasses import dataclass

import click


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the user's input: where it is and what was expected."""

    file: str
    line: int | None
    key: str
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.key}: {self.message}" if self.key else f"{where}: {self.message}"


class PresskitError(click.ClickException):
    """Base class for every error caused by the user's data, layouts or files."""

    exit_code = 1

    def __init__(self, message: str, problems: list[Problem] | None = None):
        self.problems = list(problems or [])
        if self.problems:
            lines = [message] + [f"  {p}" for p in self.problems]
            message = "\n".join(lines)
        super().__init__(message)


class DataError(PresskitError):
    """The film, festival or project data is invalid."""


class LayoutError(PresskitError):
    """A layout or template is missing or broken."""


class RenderError(PresskitError):
    """Rendering failed: a missing resource, a missing glyph, overflowing text."""


class PreflightError(PresskitError):
    """A PDF failed the print preflight, or could not be read."""
