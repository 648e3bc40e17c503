"""Worker processes, one helper for every part of presskit that runs work in parallel.

Workers are forked from this process (the fork start method): they inherit what it has loaded, so nothing
is read, parsed or imported twice. When forking cannot help (one process asked for), is unavailable (no
fork on the platform), or this process is itself a worker (no worker forks workers of its own), the work
runs here, in order, through an executor of the same shape (InProcess).

    processes(jobs)              worker processes for a --jobs value (None: one per core)
    forks(jobs)                  whether executor(jobs) forks workers
    executor(jobs, initializer)  a concurrent.futures executor: forked workers, or InProcess
    start_early(...)             workers started now (while the project loads), handed to executor() later
    stop_early()                 stops early workers no executor() call took
    fork_map(fn, shared, ...)    [fn(shared, item) for item in items] in forked workers, in order

Users: the kit's editions and each film's products (fork_map), the catalogue's parts (executor with the
worker initializer of products/catalogue/parts.py, started early; the project loads on the same workers),
and the preflight of a long PDF (executor).
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import Executor, Future, ProcessPoolExecutor, as_completed
from typing import Any

_IN_WORKER = False  # set in every worker process this module starts
_SHARED: Any = None  # what fork_map hands to its forked workers
_STATE: Any = None  # the state fork_map brings up to date with what its workers learnt
_early: dict[tuple[int, Callable | None], ProcessPoolExecutor] = {}  # started by start_early, taken by executor


def processes(jobs: int | None) -> int:
    """Worker processes for `jobs` (None or 0: one per core)."""
    return max(1, jobs or os.cpu_count() or 1)


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def in_worker() -> bool:
    """Whether this process is a worker started here."""
    return _IN_WORKER


def forks(jobs: int | None) -> bool:
    """Whether executor(jobs) forks worker processes (rather than running the work in this one)."""
    return processes(jobs) > 1 and can_fork() and not _IN_WORKER


class InProcess(Executor):
    """An executor that runs each call in this process at once, when it is submitted: what executor()
    gives when forking workers cannot help."""

    def submit(self, fn, /, *args, **kwargs) -> Future:
        future: Future = Future()
        future.set_running_or_notify_cancel()
        try:
            future.set_result(fn(*args, **kwargs))
        except Exception as exc:  # noqa: BLE001  (handed to whoever waits on the future, as a pool hands a worker's error)
            future.set_exception(exc)
        return future


def _start_worker(initializer: Callable[[], None] | None) -> None:
    global _IN_WORKER

    _IN_WORKER = True
    if initializer is not None:
        initializer()


def _forked(jobs: int, initializer: Callable[[], None] | None) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(
        jobs, mp_context=multiprocessing.get_context("fork"), initializer=_start_worker, initargs=(initializer,)
    )


def executor(jobs: int | None, initializer: Callable[[], None] | None = None) -> Executor:
    """An executor of processes(jobs) forked workers, each running `initializer` (a module-level function)
    once when it starts; InProcess when forks(jobs) is False (the initializer is then not run: what it
    prepares, the work must prepare itself when missing). Workers start_early started for the same jobs
    and initializer are handed over. Shut it down when done (or use it as a context manager)."""
    jobs = processes(jobs)
    early = _early.pop((jobs, initializer), None)
    if early is not None:
        return early
    return _forked(jobs, initializer) if forks(jobs) else InProcess()


def start_early(jobs: int | None, initializer: Callable[[], None] | None = None) -> ProcessPoolExecutor | None:
    """Fork the workers of executor(jobs, initializer) now, so that they run their initializer (import
    WeasyPrint, load the fonts) while this process goes on (loads the project, plans); the next
    executor() call for the same jobs and initializer takes them over. Returns them (None when
    forks(jobs) is False), to use meanwhile: the project loads on them. Call stop_early() when done."""
    jobs = processes(jobs)
    if not forks(jobs):
        return None
    if (jobs, initializer) not in _early:
        workers = _forked(jobs, initializer)
        workers.submit(os.getpid)  # a pool forks its workers on its first job
        _early[(jobs, initializer)] = workers
    return _early[(jobs, initializer)]


def stop_early() -> None:
    """Stop the workers start_early started that no executor() call took."""
    while _early:
        _, workers = _early.popitem()
        workers.shutdown(wait=True, cancel_futures=True)


def _call_in_worker(call):
    fn, item = call
    result = fn(_SHARED, item)
    return result, (_STATE.take_learnt() if _STATE is not None else None)


def fork_map(
    fn: Callable[[Any, Any], Any], shared: Any, items: list, jobs: int | None, progress=None, state=None
) -> list:
    """[fn(shared, item) for item in items], in forked worker processes when more than one helps.

    The workers are forked with `shared` (the loaded project, say), so nothing is read or validated twice;
    `fn` is a module-level function. Results come back in order; `progress` (progress.Progress) advances
    by one per item. `state` (cache.State), when `shared` refers to it: what a worker learns in its copy
    (ink coverages measured, say) is sent back with each result and merged into it here."""
    global _SHARED, _STATE

    jobs = min(processes(jobs), len(items))
    if jobs <= 1 or not forks(jobs):
        return _advancing((fn(shared, item) for item in items), progress)
    _SHARED, _STATE = shared, state
    try:
        with _forked(jobs, None) as workers:
            futures = [workers.submit(_call_in_worker, (fn, item)) for item in items]
            if progress is not None:  # advanced as each item finishes, whatever its place
                for _ in as_completed(futures):
                    progress.advance()
                progress.close()
            results = (future.result() for future in futures)
            return [_merged(result, learnt, state) for result, learnt in results]
    finally:
        _SHARED, _STATE = None, None


def _merged(result, learnt, state):
    if state is not None and learnt:
        state.merge(learnt)
    return result


def _advancing(results, progress) -> list:
    out = []
    for result in results:
        out.append(result)
        if progress is not None:
            progress.advance()
    if progress is not None:
        progress.close()
    return out
