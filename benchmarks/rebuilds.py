#!/usr/bin/env python3
"""The catalogue's rebuilds, two versions of presskit's code against each other, alternately.

    .venv/bin/python benchmarks/rebuilds.py OLD_TREE NEW_TREE --repeat 6
    .venv/bin/python benchmarks/rebuilds.py OLD_TREE NEW_TREE --load 10     # the memo's load alone

A TREE is a folder holding a `presskit` package (`git worktree add` or `git archive | tar -x`): each command
runs with PYTHONPATH set to it. On a copy of the generated festival (benchmarks/generate.py; --films), each
version builds into its own output folder (cold, once), then, per round and version by version:

- nothing changed: `presskit catalogue` after an untimed run of the same code (its own stamp current);
- touched: a film.yaml given a new modification time, its content the same: every film loaded from the
  memo, every part from the cache;
- one synopsis changed (run.py's change), restored and rebuilt untimed after each run.

Wall and CPU time (user and system of the process tree) of each run, then the medians. With --load, only
the memo's part of a rebuild, in one fresh process per run: the state file read and its memo section
parsed, then the project loaded from the memo (CPU time of each).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402
from run import Changes, fresh_copy, pick_film  # noqa: E402

LOAD = """
import sys, time
from pathlib import Path
from presskit import cache, images, load, yamlfile
out, root = Path(sys.argv[1]), Path(sys.argv[2])
start = time.process_time()
state = cache.State(out / ".cache")
memo = state.memo(cache.code_tag(load, images, yamlfile))
parsed = time.process_time()
load.load_project(root, memo=memo)
loaded = time.process_time()
assert not memo.changed, "the memo did not know every file: build the catalogue with this code first"
print(parsed - start, loaded - parsed)
"""


class Bench:
    def __init__(self, args: argparse.Namespace):
        self.trees = {"old": Path(args.old).resolve(), "new": Path(args.new).resolve()}
        self.work = Path(args.work)
        self.project = self.work / "project"
        pristine = generate.generate(None, args.films)
        if not self.project.exists():
            fresh_copy(pristine, self.project)
        self.changes = Changes(self.project, pristine, pick_film(self.project))

    def env(self, version: str) -> dict:
        return {**os.environ, "PYTHONPATH": str(self.trees[version])}

    def run(self, version: str, what: str) -> tuple[float, float]:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "presskit",
                "catalogue",
                str(self.project),
                "-o",
                str(self.work / f"out-{version}"),
                "--edition",
                "print",
            ],
            capture_output=True,
            text=True,
            env=self.env(version),
        )
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
        if done.returncode != 0:
            raise SystemExit(f"{version} {what} failed:\n{done.stderr[-3000:]}")
        print(
            f"{version:4} {what:9} {wall:6.2f} s  cpu {cpu:6.2f} s  {done.stderr.strip().splitlines()[-1][-70:]}",
            flush=True,
        )
        return wall, cpu

    def rebuilds(self, repeat: int) -> dict:
        results: dict = {v: {"nothing": [], "touched": [], "synopsis": []} for v in self.trees}
        for version in self.trees:
            if not (self.work / f"out-{version}" / "catalogue.pdf").exists():
                self.run(version, "cold")
        for i in range(repeat):
            order = list(self.trees) if i % 2 == 0 else list(reversed(self.trees))
            for version in order:
                self.run(version, "warm")
                results[version]["nothing"].append(self.run(version, "nothing"))
            for version in order:
                os.utime(self.changes.yaml_path)
                results[version]["touched"].append(self.run(version, "touched"))
            for version in order:
                self.changes.change_synopsis()
                results[version]["synopsis"].append(self.run(version, "synopsis"))
                self.changes.restore_synopsis()
                self.run(version, "restore")
        return results

    def loads(self, repeat: int) -> dict:
        for version in self.trees:
            self.run(version, "warm")
        results: dict = {v: {"memo section": [], "load": []} for v in self.trees}
        for _ in range(repeat):
            for version in self.trees:
                done = subprocess.run(
                    [sys.executable, "-c", LOAD, str(self.work / f"out-{version}"), str(self.project)],
                    capture_output=True,
                    text=True,
                    env=self.env(version),
                    check=True,
                )
                parsed, loaded = (float(n) for n in done.stdout.split())
                results[version]["memo section"].append((parsed, parsed))
                results[version]["load"].append((loaded, loaded))
                print(f"{version:4} memo section {parsed:.3f} s, load {loaded:.3f} s (CPU)", flush=True)
        return results


def report(results: dict) -> None:
    for version, steps in results.items():
        for step, runs in steps.items():
            walls, cpus = [r[0] for r in runs], [r[1] for r in runs]
            print(
                f"{version:4} {step:12} median {statistics.median(walls):.3f} s, CPU {statistics.median(cpus):.3f} s "
                f"({min(cpus):.3f}-{max(cpus):.3f}), mean CPU {statistics.mean(cpus):.3f} s, {len(runs)} runs"
            )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("old", help="the folder of one version of presskit's code")
    parser.add_argument("new", help="the folder of the other")
    parser.add_argument("--films", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=6, help="rounds of the rebuilds (default 6)")
    parser.add_argument("--load", type=int, metavar="N", help="only the memo's load, N runs of each version")
    parser.add_argument("--work", default=str(HERE / "work-rebuilds"), help="scratch folder")
    parser.add_argument("--fresh", action="store_true", help="start from a new copy and new output folders")
    args = parser.parse_args(argv)
    if args.fresh:
        shutil.rmtree(args.work, ignore_errors=True)
    bench = Bench(args)
    report(bench.loads(args.load) if args.load else bench.rebuilds(args.repeat))
    return 0


if __name__ == "__main__":
    sys.exit(main())
