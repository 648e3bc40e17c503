"""Worker processes: a list of independent jobs run in forked processes when more than one core helps."""
from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from typing import Any, Callable

_SHARED: Any = None  # handed to forked workers by fork_map
_IN_POOL = False


def _call_in_worker(call):
    fn, item = call
    return fn(_SHARED, item)


def fork_map(fn: Callable[[Any, Any], Any], shared: Any, items: list, jobs: int | None, progress=None) -> list:
    """[fn(shared, item) for item in items], in forked worker processes when more than one core helps.

    The workers are forked with `shared` (the loaded project, say), so nothing is read or validated twice;
    `fn` is a module-level function. Results come back in order; `progress` (progress.Progress) advances
    by one per item."""
    global _SHARED, _IN_POOL

    jobs = min(jobs or os.cpu_count() or 1, len(items))
    if jobs <= 1 or _IN_POOL or "fork" not in multiprocessing.get_all_start_methods():
        return _advancing((fn(shared, item) for item in items), progress)  # one core or item, or in a worker
    _SHARED, _IN_POOL = shared, True
    try:
        with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork")) as pool:
            return _advancing(pool.map(_call_in_worker, [(fn, item) for item in items]), progress)
    finally:
        _SHARED, _IN_POOL = None, False


def _advancing(results, progress) -> list:
    out = []
    for result in results:
        out.append(result)
        if progress is not None:
            progress.advance()
    if progress is not None:
        progress.close()
    return out
