"""A time limit on each render, so that no document can keep presskit busy without end.

Laying out a page is WeasyPrint's Python, and some inputs make it slow beyond use: a word of a thousand
hyphenatable letters in a running header is broken again at each of its hyphenation points, on every
page. Such a render is stopped after PRESSKIT_RENDER_TIMEOUT seconds (default 120) with a RenderError
naming the document. The limit is a SIGALRM timer of the process that renders (presskit's command line
and its worker processes render in their main thread); elsewhere (a thread of a program using presskit)
there is none.

    with time_limit("red-rooms press kit (print)"):
        document = html.render(...)

Limits nest (a one-sheet's whole fitting, and each of its renders): the timer rings at the earliest
deadline, and the outermost limit whose time has come reports it.
"""

from __future__ import annotations

import math
import os
import signal
import threading
import time
from contextlib import contextmanager

from .errors import RenderError

ENVIRONMENT = "PRESSKIT_RENDER_TIMEOUT"
DEFAULT_SECONDS = 120.0
_REPEAT = 1.0  # the alarm rings again each second until its limit is left (should a bare except swallow it)
_ADVICE = (
    "look for a very long text without spaces (a title, a name) or very large artwork, or allow more "
    f"time with {ENVIRONMENT}=<seconds>"
)

_ACTIVE: list[tuple[float, object]] = []  # (deadline, token) of each limit entered, outermost first
_BEFORE: list = []  # [SIGALRM handler, timer left, when] as they were before the outermost limit


class _Expired(BaseException):
    """Raised by the alarm inside the render: not an Exception, so that no `except Exception` (WeasyPrint
    logs and carries on around an image, say) can swallow it."""

    def __init__(self, token: object):
        super().__init__()
        self.token = token


def render_seconds() -> float:
    """The time limit of one render, from PRESSKIT_RENDER_TIMEOUT (seconds; 0 for none)."""
    text = os.environ.get(ENVIRONMENT, "").strip()
    if not text:
        return DEFAULT_SECONDS
    try:
        seconds = float(text)
    except ValueError:
        seconds = math.nan
    if not 0 <= seconds < math.inf:
        raise RenderError(f"{ENVIRONMENT}: expected a number of seconds (0 for no limit), got '{text[:40]}'")
    return seconds


@contextmanager
def time_limit(what: str, seconds: float | None = None, doing: str = "rendering"):
    """Raise RenderError ("rendering the <what> took more than N s; ...") when the block runs longer than
    `seconds` (default: render_seconds()). The SIGALRM handler and timer found are restored after."""
    seconds = render_seconds() if seconds is None else seconds
    if seconds <= 0 or not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return
    token = object()
    _enter(time.monotonic() + seconds, token)
    outer_expired = False
    try:
        yield
    except _Expired as exc:
        signal.setitimer(signal.ITIMER_REAL, 0)
        if exc.token is not token:  # an outer limit's time: that limit reports it
            outer_expired = True
            raise
        raise RenderError(f"{doing} the {what} took more than {seconds:g} s; {_ADVICE}") from None
    finally:
        _leave(token, rearm=not outer_expired)


def _enter(deadline: float, token: object) -> None:
    if not _ACTIVE:
        handler = signal.signal(signal.SIGALRM, _ring)
        _BEFORE[:] = [handler, signal.getitimer(signal.ITIMER_REAL)[0], time.monotonic()]
    _ACTIVE.append((deadline, token))
    _arm()


def _leave(token: object, rearm: bool) -> None:
    _ACTIVE[:] = [(deadline, t) for deadline, t in _ACTIVE if t is not token]
    if _ACTIVE:
        if rearm:  # (not while an outer limit's expiry goes up to it: it would ring again on the way)
            _arm()
        return
    signal.setitimer(signal.ITIMER_REAL, 0)
    handler, left, when = _BEFORE
    signal.signal(signal.SIGALRM, handler)
    if left > 0:  # another program's timer, put back with what was left of it
        signal.setitimer(signal.ITIMER_REAL, max(left - (time.monotonic() - when), 1e-3))


def _arm() -> None:
    left = min(deadline for deadline, _ in _ACTIVE) - time.monotonic()
    signal.setitimer(signal.ITIMER_REAL, max(left, 1e-3), _REPEAT)


def _ring(signum, frame) -> None:
    now = time.monotonic()
    due = [token for deadline, token in _ACTIVE if deadline <= now + 1e-3]
    if due:
        raise _Expired(due[0])
