"""The process-pool helper (presskit/pool.py): forked workers, the in-process fallback, early start."""

from __future__ import annotations

import os

import pytest

from presskit import pool


def _pid_and_forks(shared, item):
    return os.getpid(), pool.forks(2), pool.in_worker(), shared + item


def test_fork_map_forks_keeps_the_order_and_no_worker_forks_again():
    results = pool.fork_map(_pid_and_forks, 10, [1, 2, 3, 4], 2)
    assert [r[3] for r in results] == [11, 12, 13, 14]
    assert all(pid != os.getpid() and not forks and in_worker for pid, forks, in_worker, _ in results)
    assert not pool.in_worker()


def test_one_job_runs_here_in_order():
    assert not pool.forks(1) and pool.forks(2) == pool.can_fork()
    results = pool.fork_map(_pid_and_forks, 0, [1, 2], 1)
    assert [(pid, r) for pid, _, _, r in results] == [(os.getpid(), 1), (os.getpid(), 2)]
    with pool.executor(1) as here:
        assert isinstance(here, pool.InProcess)
        assert here.submit(divmod, 7, 2).result() == (3, 1)
        with pytest.raises(ZeroDivisionError):  # handed over through the future, as a worker's error
            here.submit(divmod, 1, 0).result()


_started: list = []


def _initializer():
    _started.append(os.getpid())


def _initialized(_):
    return _started == [os.getpid()]


def test_workers_started_early_run_their_initializer_and_are_handed_over():
    early = pool.start_early(2, _initializer)
    try:
        assert early is not None and pool.start_early(2, _initializer) is early
        assert pool.executor(2, _initializer) is early  # taken: not stopped by stop_early
        other = pool.executor(2, _initializer)
        assert other is not early
        other.shutdown()
        assert all(early.map(_initialized, range(4)))
        assert _started == []  # (in the workers only)
    finally:
        pool.stop_early()
        early.shutdown()
