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


MAX_SHOWN = 200  # problems printed; a file of thousands of broken entries is not a screenful per entry


class PresskitError(click.ClickException):
    """Base class for every error caused by the user's data, layouts or files."""

    exit_code = 1

    def __init__(self, message: str, problems: list[Problem] | None = None):
        self.problems = list(problems or [])
        if self.problems:
            lines = [message] + [f"  {p}" for p in self.problems[:MAX_SHOWN]]
            if len(self.problems) > MAX_SHOWN:
                lines.append(f"  ... and {len(self.problems) - MAX_SHOWN} more problem(s)")
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


class OutputError(PresskitError):
    """An output could not be written: a full disk, a read-only or forbidden folder."""


# The errors of the machine rather than of presskit: reported in one line, never with a traceback.
_ENVIRONMENT_ERRNOS = {
    "ENOSPC": "no space left on the device",
    "EDQUOT": "disk quota exceeded",
    "EROFS": "the folder is on a read-only file system",
    "EACCES": "permission denied",
    "EPERM": "operation not permitted",
    "EIO": "input/output error (a failing disk?)",
}


# What to do when an output does not fit on its disk (errors.environment_error, catalogue/merge.py).
FULL_DISK_ADVICE = (
    "free some space, or write the output elsewhere (-o), and build again (nothing half-written was left)"
)


def environment_error(exc: OSError, path=None, writing: bool | None = None) -> OutputError | None:
    """An OutputError naming `path` (or the file the error names) for an error of the machine (a full disk,
    no permission...); None for any other OSError, which is a bug and keeps its traceback. `writing`: the
    error came from writing an output (None: only a full disk or a read-only file system says so)."""
    import errno

    name = errno.errorcode.get(exc.errno or 0, "")
    if name not in _ENVIRONMENT_ERRNOS:
        return None
    where = path if path is not None else exc.filename
    message = f"{where}: {_ENVIRONMENT_ERRNOS[name]}" if where is not None else _ENVIRONMENT_ERRNOS[name]
    if writing is None:
        writing = name in ("ENOSPC", "EDQUOT", "EROFS")
    if writing:
        advice = (
            FULL_DISK_ADVICE
            if name in ("ENOSPC", "EDQUOT")
            else FULL_DISK_ADVICE.replace("free some space", "make the folder writable")
        )
        message += f": could not be written; {advice}"
    return OutputError(message)
