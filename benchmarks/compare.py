#!/usr/bin/env python3
"""Old and new presskit side by side, in one run: the same steps on the same synthetic festival, the two
versions taking turns (old, new, old, new ...) so that a change in the shared machine's speed falls on both.

    .venv/bin/python benchmarks/compare.py --old c8880be --films 300 --repeat 3

`--old` is any git revision; its presskit/, layouts/ and assets/ are exported (git archive) into the work
folder and run with this virtual environment's Python (`python -m presskit`); so is `--new` when given,
else the new one runs from this checkout. Each version has its own output folders. Steps, each timed as a
whole command (wall and CPU time of its process tree, peak RSS of the tree: run.measure):

1. cold build of the print catalogue of the festival;
2. the same build with nothing changed;
3. one film's synopsis changed: the catalogue rebuilt (the data restored and rebuilt, untimed, after);
4. that film's press kit, cold (a fresh output folder: its images prepared anew);
5. the bundled demo (data/), every product, cold.

Every figure is a median; each new/old ratio is computed from medians of the same run. The cold
catalogues of the two versions are compared byte for byte (sha256), and so are the demo's PDFs.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402
import run as bench  # noqa: E402


def export(revision: str, target: Path) -> Path:
    """presskit/, layouts/ and assets/ at `revision`, written into `target` (replaced)."""
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    with tempfile.TemporaryFile() as archive:
        subprocess.run(
            ["git", "archive", revision, "presskit", "layouts", "assets"], cwd=REPO, stdout=archive, check=True
        )
        archive.seek(0)
        with tarfile.open(fileobj=archive) as tar:
            tar.extractall(target)  # (our own repository's files)
    return target


class Side:
    """One version of presskit: how to run it, and where it writes."""

    def __init__(self, name: str, source: Path, work: Path):
        self.name, self.source, self.work = name, source, work
        self.env = {"PYTHONPATH": str(source), "PRESSKIT_NO_PROGRESS": "1"}
        self.out = work / f"out-{name}"
        self.figures: dict[str, list[bench.Run]] = {}

    def command(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "presskit", *args]

    def run(self, step: str, args: list[str], timed: bool = True) -> bench.Run:
        log = self.work / "logs" / f"{self.name}-{step}-{len(self.figures.get(step, [])) + 1}.log"
        result = bench.measure(self.command(*args), log, cwd=self.work, env=self.env)
        if result.returncode != 0:
            raise SystemExit(f"{self.name}: {step} failed (exit {result.returncode}):\n{bench.tail(log)}")
        if timed:
            self.figures.setdefault(step, []).append(result)
        return result


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def pdf_digests(out: Path) -> dict[str, str]:
    return {str(p.relative_to(out)): digest(p) for p in sorted(out.rglob("*.pdf")) if ".cache" not in p.parts}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--old", default="HEAD~1", help="the git revision to compare with (default HEAD~1)")
    parser.add_argument("--new", help="the git revision to measure against it (default: the checkout as it is)")
    parser.add_argument("--films", type=int, default=300)
    parser.add_argument("--sections", type=int, default=8)
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each step per version (default 3)")
    parser.add_argument("--work", default=str(HERE / "work-compare"))
    args = parser.parse_args(argv)

    work = Path(args.work).resolve()
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    old = Side("old", export(args.old, work / "old-src"), work)
    new = Side("new", export(args.new, work / "new-src") if args.new else REPO, work)
    sides = (old, new)
    pristine = generate.generate(None, args.films, args.sections, args.seed)
    project = work / "project"
    bench.fresh_copy(pristine, project)
    film = bench.pick_film(project)
    changes = bench.Changes(project, pristine, film)
    print(
        f"{args.films} films; old = {args.old}, new = {args.new or 'the checkout'}; {args.repeat} run(s) of each step",
        file=sys.stderr,
    )

    identical = {}
    for i in range(args.repeat):
        for side in sides:
            print(f"  run {i + 1}: {side.name}", file=sys.stderr)
            shutil.rmtree(side.out, ignore_errors=True)
            catalogue = ["catalogue", str(project), "-o", str(side.out)]
            side.run("cold catalogue", catalogue)
            side.run("nothing changed", catalogue)
            changes.change_synopsis()
            side.run("one synopsis changed", catalogue)
            changes.restore_synopsis()
            side.run("restore", catalogue, timed=False)
            kit_out = work / f"kit-{side.name}"
            shutil.rmtree(kit_out, ignore_errors=True)
            side.run("press kit, cold", ["kit", str(project / "films" / film), "-o", str(kit_out)])
            demo_out = work / f"demo-{side.name}"
            shutil.rmtree(demo_out, ignore_errors=True)
            side.run("demo build, cold", ["build", str(REPO / "data"), "-o", str(demo_out)])
        identical.setdefault("catalogue", []).append(
            digest(old.out / "catalogue.pdf") == digest(new.out / "catalogue.pdf")
        )
        identical.setdefault("demo", []).append(pdf_digests(work / "demo-old") == pdf_digests(work / "demo-new"))

    print(table(old, new, identical, args))
    return 0


def table(old: Side, new: Side, identical: dict[str, list[bool]], args) -> str:
    lines = [
        f"# presskit {args.old} (old) against {args.new or 'the checkout'} (new): {args.films} films, "
        f"median of {args.repeat}",
        "",
        "| step | old s | new s | new/old | old CPU s | new CPU s | old peak MB | new peak MB |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for step, runs in old.figures.items():
        o, n = runs, new.figures[step]
        med = lambda rs, attr: statistics.median(getattr(r, attr) for r in rs)
        lines.append(
            f"| {step} | {med(o, 'seconds'):.2f} | {med(n, 'seconds'):.2f} | "
            f"{med(n, 'seconds') / med(o, 'seconds'):.2f} | {med(o, 'cpu'):.1f} | {med(n, 'cpu'):.1f} | "
            f"{max(r.peak_mb for r in o):.0f} | {max(r.peak_mb for r in n):.0f} |"
        )
    lines += [
        "",
        f"cold catalogues byte-identical (old vs new): {identical['catalogue']}",
        f"demo PDFs byte-identical (old vs new): {identical['demo']}",
        f"load average at the end: {os.getloadavg()}",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
