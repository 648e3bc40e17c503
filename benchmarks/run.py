#!/usr/bin/env python3
"""Festival-scale speed: time presskit's catalogue and press kit on a synthetic festival, against targets.

    .venv/bin/python benchmarks/run.py --films 300          # the README's table (benchmarks/results.md)
    .venv/bin/python benchmarks/run.py --films 20 --skip-chromium --repeat 1   # a quick look

In one run, against a fresh copy of the generated project (benchmarks/generate.py, cached in
benchmarks/data/) and a fresh output folder (benchmarks/work/):

1. cold build of the print catalogue (`presskit catalogue PROJECT -o OUT`);
2. the same build with nothing changed (5 runs): time, and no PDF under OUT rewritten (inode, mtime, size);
3. one film's press kit (`presskit kit FILM -o OUT`), cold: without its prepared images;
4. that film's synopsis changed: the catalogue, then the kit; the data is restored (and rebuilt, untimed)
   between runs, so each run measures one change from the same state;
5. that film's first still replaced by another picture: the catalogue, then the kit, restored likewise;
6. the late changes of the night before press (benchmarks/late.py: a film withdrawn with its screenings,
   a film added, a film moved to another section, a screening's time changed, a section renamed), each
   from the same state and undone between runs like 4; after each change's last run, a cold build of the
   same data into another folder, which the incremental catalogue must equal byte for byte;
7. both changes kept, built incrementally, and a cold build of the same data into another folder: the
   two catalogue.pdf files must be byte-identical (sha256);
8. the same catalogue the plain way (benchmarks/plain.py): one HTML document through one WeasyPrint
   process, each run just after a cold build of its own (the cold / plain ratio compares these pairs,
   made in the same minutes), and through headless Chromium (benchmarks/chromium_pdf.py; Debian's
   `chromium`; the row says "not installed" without it).

Every command runs as a child process; its peak memory is the largest sum of the RSS of its whole
process tree (the command and its workers), sampled every 50 ms (the tree itself listed every 250 ms);
its CPU time the user and system seconds of that tree (getrusage of the waited-for children), a figure
less disturbed than wall time by other work on a shared machine. Medians are reported: the machine may
be shared. The table (with the targets and PASS/FAIL) is printed and written to benchmarks/results.md,
every figure to benchmarks/results.json. Each time is also given as a ratio to the cold build of the same
run (× cold), and the cold build as a ratio to plain WeasyPrint of the same run, so that a slower host
does not hide a change.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402  (benchmarks/generate.py, beside this file)
import late  # noqa: E402  (benchmarks/late.py, beside this file)

PYTHON = Path(sys.executable)
PRESSKIT = Path(os.environ.get("PRESSKIT_EXE") or PYTHON.parent / "presskit")  # the command to time
SAMPLE_SECONDS = 0.05
STEP_TIMEOUT = 3 * 3600

TARGETS = {
    "cold": 30.0,  # s, cold full build of the print catalogue
    "nothing": 1.0,  # s, rebuild with nothing changed (and no PDF rewritten)
    "synopsis_catalogue": 5.0,  # s
    "synopsis_kit": 3.0,  # s
    "memory": 600.0,  # MB, peak RSS of a command's process tree
    "late": 5.0,  # s, any one late change (benchmarks/late.py): the catalogue
    "late_ratio": 0.15,  # the same, as a fraction of the cold build of the same run
    "cold_plain_ratio": 0.55,  # the cold build, as a fraction of plain one-process WeasyPrint of the same run
}


# --- running and measuring one command --------------------------------------------------------------


@dataclass
class Run:
    seconds: float
    peak_mb: float
    returncode: int
    log: str  # the command's stderr, in a file
    parts: str | None = None  # "rendered of total" parts, from the catalogue's summary line
    churn: bool = False  # presskit's code, layouts or assets changed before or during this run
    load: float = 0.0  # the machine's 1-minute load average when the run started
    probe: float = 0.0  # seconds the speed probe took just before the run (see speed_probe)
    cpu: float | None = None  # user + system CPU seconds of the whole process tree


def speed_probe() -> float:
    """Seconds a fixed pure-Python loop takes here (best of 3; about 0.035 s when this machine is quiet): the
    machine is shared, and other work slows its CPU by a fifth to a half at times, which the load average
    does not show (it counts only this machine's own processes)."""
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        sum(i * i for i in range(10**6))
        best = min(best, time.perf_counter() - start)
    return best


_PARTS = re.compile(r"(\d+) of (\d+) part\(s\) rendered")
CODE_FOLDERS = ("presskit", "layouts", "assets")


def code_stamp() -> tuple:
    """(path, mtime, size) of presskit's code, layouts and assets: other engineers edit this tree while
    the benchmark runs, and a run after such an edit re-renders what the edit touched."""
    stamp = []
    for folder in CODE_FOLDERS:
        for path in sorted((REPO / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                st = path.stat()
                stamp.append((str(path), st.st_mtime_ns, st.st_size))
    return tuple(stamp)


class StepFailed(RuntimeError):
    pass


class _Tree:
    """The RSS of a process and its descendants. Finding the descendants reads every process of the
    machine (2.5 ms of CPU); it is done every LIST_EVERY samples, the RSS of the processes found (a small
    file each) at every sample: the sampler then costs about 1 % of a core instead of 5 %, CPU the
    measured command would otherwise lose on a two-core machine."""

    LIST_EVERY = 5  # samples: a new worker is counted within 250 ms (preflight processes live ~0.7 s)

    def __init__(self, proc):
        self.proc = proc
        self.procs = [proc]
        self.count = 0

    def rss(self) -> int:
        import psutil

        if self.count % self.LIST_EVERY == 0:
            try:
                self.procs = [self.proc, *self.proc.children(recursive=True)]
            except psutil.Error:
                self.procs = [self.proc]
        self.count += 1
        total = 0
        for p in self.procs:
            try:
                total += p.memory_info().rss
            except psutil.Error:
                pass
        return total


def measure(args: list[str], log: Path, cwd: Path = REPO, env: dict | None = None) -> Run:
    """Run one command; its wall time and the peak RSS of its process tree (sampled every 50 ms)."""
    import psutil

    log.parent.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "NO_COLOR": "1", **(env or {})}
    peak = 0
    before = resource.getrusage(resource.RUSAGE_CHILDREN)  # counts every descendant once it is waited for
    with open(log, "wb") as err:
        start = time.perf_counter()
        child = subprocess.Popen(args, cwd=cwd, env=env, stdout=err, stderr=subprocess.STDOUT)
        proc = psutil.Process(child.pid)
        stop = threading.Event()

        def sample() -> None:
            nonlocal peak
            tree = _Tree(proc)
            while not stop.is_set():
                peak = max(peak, tree.rss())
                stop.wait(SAMPLE_SECONDS)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        try:
            returncode = child.wait(timeout=STEP_TIMEOUT)
        except subprocess.TimeoutExpired:
            child.kill()
            returncode = child.wait()
        seconds = time.perf_counter() - start
        stop.set()
        sampler.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Run(seconds, peak / 2**20, returncode, str(log), cpu=cpu)


def tail(path: str | Path, lines: int = 15) -> str:
    try:
        return "\n".join(Path(path).read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


# --- the project copy and its changes -----------------------------------------------------------------


def fresh_copy(source: Path, target: Path) -> None:
    """A fresh copy of the generated project: text files copied, images hard-linked (never written in
    place: a changed still is replaced by a new file)."""
    if target.exists():
        shutil.rmtree(target)
    for folder, _, files in os.walk(source):
        rel = Path(folder).relative_to(source)
        (target / rel).mkdir(parents=True, exist_ok=True)
        for name in files:
            src, dst = Path(folder) / name, target / rel / name
            if src.suffix.lower() in (".jpg", ".jpeg", ".png", ".tif", ".tiff", ".webp"):
                try:
                    os.link(src, dst)
                    continue
                except OSError:
                    pass
            shutil.copy2(src, dst)


def pdf_state(out: Path) -> dict[str, tuple[int, int, int]]:
    """(inode, mtime_ns, size) of every PDF under `out`, the caches included."""
    state = {}
    for path in out.rglob("*.pdf"):
        st = path.stat()
        state[str(path.relative_to(out))] = (st.st_ino, st.st_mtime_ns, st.st_size)
    return state


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class Changes:
    """One film's synopsis and first still, changed and restored."""

    def __init__(self, project: Path, pristine: Path, slug: str):
        import yaml

        self.film_dir = project / "films" / slug
        self.yaml_path = self.film_dir / "film.yaml"
        self.original_yaml = self.yaml_path.read_bytes()
        data = yaml.safe_load(self.original_yaml)
        self.still = self.film_dir / data["images"]["stills"][0]["file"]
        self.pristine_still = pristine / "films" / slug / data["images"]["stills"][0]["file"]

    def change_synopsis(self) -> None:
        """The short synopsis (the catalogue's and the kit's) with one word changed, same length."""
        import yaml

        data = yaml.safe_load(self.original_yaml)
        text = data["texts"]["synopsis_short"]["en"]
        for old, new in ((" the ", " his "), (" a ", " 1 "), (".", "!")):
            if old in text:
                text = text.replace(old, new, 1)
                break
        data["texts"]["synopsis_short"]["en"] = text
        head = self.original_yaml.decode("utf-8").split("\n", 1)[0] + "\n"
        _write(self.yaml_path, (head + generate.dump(data)).encode("utf-8"))

    def restore_synopsis(self) -> None:
        _write(self.yaml_path, self.original_yaml)

    def replace_still(self, seed: int = 424242) -> None:
        generate.replacement_still(self.still, seed)

    def restore_still(self) -> None:
        tmp = self.still.with_name(f".{self.still.name}.restore{self.still.suffix}")
        tmp.unlink(missing_ok=True)
        try:
            os.link(self.pristine_still, tmp)
        except OSError:
            shutil.copy2(self.pristine_still, tmp)
        os.replace(tmp, self.still)


def _write(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def pick_film(project: Path) -> str:
    """A film with a full-page catalogue entry, in the middle of the catalogue."""
    import yaml

    festival = yaml.safe_load((project / "festival.yaml").read_text(encoding="utf-8"))
    listed = [item for section in festival["sections"] for item in section["films"]]
    full = [item["film"] for item in listed if item.get("page", "full") == "full"]
    return full[len(full) // 2]


# --- the benchmark -----------------------------------------------------------------------------------


@dataclass
class Step:
    key: str
    label: str
    runs: list[Run] = field(default_factory=list)
    note: str = ""

    @property
    def seconds(self) -> list[float]:
        return [r.seconds for r in self.runs]

    @property
    def counted(self) -> list[Run]:
        """The runs the median is taken over: those that no code edit by someone else disturbed (all of
        them when every run was disturbed)."""
        quiet = [r for r in self.runs if not r.churn]
        return quiet or self.runs

    @property
    def median(self) -> float | None:
        return statistics.median(r.seconds for r in self.counted) if self.runs else None

    @property
    def median_cpu(self) -> float | None:
        cpu = [r.cpu for r in self.counted if r.cpu is not None]
        return statistics.median(cpu) if cpu else None

    @property
    def remarks(self) -> str:
        out = []
        if any(r.parts for r in self.runs):
            out.append("parts rendered per run: " + ", ".join(r.parts or "?" for r in self.runs))
        disturbed = [i + 1 for i, r in enumerate(self.runs) if r.churn]
        if disturbed:
            left_out = len(self.counted) < len(self.runs)
            out.append(
                f"run(s) {', '.join(map(str, disturbed))}: presskit's code or layouts were edited "
                f"(by another engineer) before or during the run" + ("; not in the median" if left_out else "")
            )
        return "; ".join(out)

    @property
    def peak_mb(self) -> float | None:
        return max(r.peak_mb for r in self.runs) if self.runs else None


class Bench:
    def __init__(self, args: argparse.Namespace):
        self.args = args
        self.work = Path(args.work).resolve()
        self.logs = self.work / "logs"
        self.steps: dict[str, Step] = {}
        self.facts: dict = {}
        self.counter = 0
        self.last_code = code_stamp()
        self.changed_during_last = False

    def log_path(self, name: str) -> Path:
        self.counter += 1
        return self.logs / f"{self.counter:03d}-{name}.log"

    def say(self, message: str) -> None:
        print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)

    def step(self, key: str, label: str) -> Step:
        return self.steps.setdefault(key, Step(key, label))

    def run(self, step: Step | None, name: str, args: list[str], check: bool = True) -> Run:
        before = code_stamp()
        load = os.getloadavg()[0]
        probe = speed_probe()
        result = measure(args, self.log_path(name))
        result.load, result.probe = load, probe
        after = code_stamp()
        if str(args[0]) == str(PRESSKIT):  # only presskit's own runs depend on its code
            # an edit during the previous build also disturbs this one (its stamps no longer match)
            result.churn = before != self.last_code or after != before or self.changed_during_last
            self.changed_during_last = after != before
            self.last_code = after
        parts = _PARTS.findall(tail(result.log, 3))
        result.parts = f"{parts[-1][0]}/{parts[-1][1]}" if parts else None
        if step is not None:
            step.runs.append(result)
        shown = f"{step.label}: " if step is not None else ""
        self.say(
            f"  {shown}{name}: {result.seconds:.2f} s (CPU {result.cpu:.1f} s), peak {result.peak_mb:.0f} MB"
            + (f", {result.parts} parts rendered" if result.parts else "")
            + (" (presskit code changed before or during it)" if result.churn else "")
            + (f", exit {result.returncode}" if result.returncode else "")
        )
        if check and result.returncode != 0:
            raise StepFailed(
                f"{' '.join(map(str, args))} exited {result.returncode}; see {result.log}:\n" + tail(result.log)
            )
        return result

    # commands

    def catalogue_args(self, project: Path, out: Path) -> list[str]:
        args = [str(PRESSKIT), "catalogue", str(project), "-o", str(out)]
        if "--edition" in self.catalogue_help:
            args += ["--edition", "print"]
        if self.args.jobs and "--jobs" in self.catalogue_help:
            args += ["--jobs", str(self.args.jobs)]
        return args

    def kit_args(self, out: Path) -> list[str]:
        return [str(PRESSKIT), "kit", str(self.project / "films" / self.film), "-o", str(out)]

    def catalogue_pdf(self, out: Path) -> Path:
        direct = out / "catalogue.pdf"
        if direct.is_file():
            return direct
        found = sorted(p for p in out.rglob("catalogue*.pdf") if ".cache" not in p.parts)
        if not found:
            raise StepFailed(f"no catalogue PDF found under {out}")
        return found[0]

    # the run

    def main(self) -> dict:
        a = self.args
        self.facts["started"] = dt.datetime.now().isoformat(timespec="seconds")
        help_run = subprocess.run([str(PRESSKIT), "catalogue", "--help"], capture_output=True, text=True)
        if help_run.returncode != 0:
            raise StepFailed("`presskit catalogue` is not available yet:\n" + help_run.stderr[-2000:])
        self.catalogue_help = help_run.stdout

        self.say(f"project: {a.films} films (benchmarks/generate.py, seed {a.seed})")
        pristine = generate.generate(None, a.films, a.sections, a.seed, force=a.force_generate)
        self.facts["project"] = {
            "films": a.films,
            "sections": a.sections,
            "seed": a.seed,
            "images": sum(1 for p in pristine.rglob("*") if p.suffix in (".jpg", ".png")),
            "image_bytes": sum(p.stat().st_size for p in pristine.rglob("*") if p.suffix in (".jpg", ".png")),
        }
        if self.work.exists():
            shutil.rmtree(self.work)
        self.project = self.work / "project"
        fresh_copy(pristine, self.project)
        self.film = pick_film(self.project)
        self.facts["film"] = self.film
        changes = Changes(self.project, pristine, self.film)
        out = self.work / "out"
        kit_dir = out / "films" / self.film

        # 1. cold catalogue
        cold = self.step("cold", "cold full build, print catalogue")
        self.say("cold catalogue")
        for i in range(a.cold_repeat):
            shutil.rmtree(out, ignore_errors=True)
            self.run(cold, f"cold-{i + 1}", self.catalogue_args(self.project, out))
        catalogue = self.catalogue_pdf(out)
        self.facts["catalogue_path"] = str(catalogue.relative_to(out))

        # 2. nothing changed
        nothing = self.step("nothing", "rebuild, nothing changed")
        self.say("rebuild with nothing changed")
        rewritten: dict[int, list[str]] = {}
        for i in range(a.nothing_repeat):
            before = pdf_state(out)
            run = self.run(nothing, f"nothing-{i + 1}", self.catalogue_args(self.project, out))
            after = pdf_state(out)
            changed = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
            if changed:
                rewritten[i + 1] = changed
                if run.churn:
                    self.say(f"    (rewrote {len(changed)} PDF(s) after a code edit by someone else)")
        quiet = {i: files for i, files in rewritten.items() if not nothing.runs[i - 1].churn}
        notes = [
            f"run {i}: {len(files)} PDF(s) rewritten ({', '.join(files[:3])}"
            f"{' ...' if len(files) > 3 else ''})" + (" after a code edit" if i not in quiet else "")
            for i, files in rewritten.items()
        ]
        nothing.note = "; ".join(notes) or "no PDF rewritten"
        self.facts["nothing_rewritten"] = {str(i): files for i, files in rewritten.items()}
        self.facts["nothing_rewritten_undisturbed"] = {str(i): files for i, files in quiet.items()}

        # 3. the film's kit, cold (its prepared images removed between runs)
        kit_cold = self.step("kit_cold", f"press kit, cold ({self.film})")
        self.say(f"cold press kit of {self.film}")
        image_cache = out / ".cache" / "images"
        for i in range(a.repeat):
            known = set(image_cache.iterdir()) if image_cache.is_dir() else set()
            shutil.rmtree(kit_dir, ignore_errors=True)
            self.run(kit_cold, f"kit-cold-{i + 1}", self.kit_args(out))
            if i < a.repeat - 1:
                for path in set(image_cache.iterdir()) - known:
                    path.unlink()

        # 4. synopsis changed
        syn_cat = self.step("synopsis_catalogue", "one synopsis changed: catalogue")
        syn_kit = self.step("synopsis_kit", "one synopsis changed: that film's kit")
        self.say(f"synopsis of {self.film} changed")
        for i in range(a.repeat):
            changes.change_synopsis()
            self.run(syn_cat, f"synopsis-catalogue-{i + 1}", self.catalogue_args(self.project, out))
            self.run(syn_kit, f"synopsis-kit-{i + 1}", self.kit_args(out))
            changes.restore_synopsis()
            self.run(None, f"synopsis-restore-{i + 1}", self.catalogue_args(self.project, out))
        self.run(None, "kit-restore", self.kit_args(out))

        # 5. still replaced
        still_cat = self.step("still_catalogue", "one still replaced: catalogue")
        still_kit = self.step("still_kit", "one still replaced: that film's kit")
        self.say(f"first still of {self.film} replaced")
        for i in range(a.repeat):
            changes.replace_still(seed=424242 + i)
            self.run(still_cat, f"still-catalogue-{i + 1}", self.catalogue_args(self.project, out))
            self.run(still_kit, f"still-kit-{i + 1}", self.kit_args(out))
            changes.restore_still()
            self.run(None, f"still-restore-{i + 1}", self.catalogue_args(self.project, out))
            self.run(None, f"still-restore-kit-{i + 1}", self.kit_args(out))

        # 6. late changes to the festival, each from the same state, then one against a cold build
        self.late_changes(out)

        # 7. incremental == cold
        self.say("incremental build of both changes vs a cold build of the same data")
        changes.change_synopsis()
        changes.replace_still(seed=515151)
        both = self.step("both_catalogue", "synopsis and still changed: catalogue")
        self.run(both, "both-catalogue", self.catalogue_args(self.project, out))
        self.run(None, "both-kit", self.kit_args(out))
        out_cold = self.work / "out-cold"
        shutil.rmtree(out_cold, ignore_errors=True)
        reference = self.step("cold_changed", "cold full build of the changed data (reference)")
        self.run(reference, "cold-changed", self.catalogue_args(self.project, out_cold))
        self.run(None, "cold-changed-kit", self.kit_args(out_cold))
        incremental_sha = sha256(self.catalogue_pdf(out))
        cold_sha = sha256(self.catalogue_pdf(out_cold))
        kits = {}
        for name in ("presskit.pdf", "presskit-print.pdf"):
            a_path, b_path = kit_dir / name, out_cold / "films" / self.film / name
            if a_path.is_file() and b_path.is_file():
                kits[name] = sha256(a_path) == sha256(b_path)
        self.facts["identity"] = {
            "incremental": incremental_sha,
            "cold": cold_sha,
            "identical": incremental_sha == cold_sha,
            "kits_identical": kits,
        }

        # sizes
        catalogue = self.catalogue_pdf(out)
        self.facts["sizes"] = {
            "catalogue_bytes": catalogue.stat().st_size,
            "catalogue_pages": pdf_pages(catalogue),
            **{
                f"kit_{name}": (kit_dir / name).stat().st_size
                for name in ("presskit.pdf", "presskit-print.pdf")
                if (kit_dir / name).is_file()
            },
            "kit_print_pages": pdf_pages(kit_dir / "presskit-print.pdf"),
        }

        # 8. the plain way
        self.plain(out_cold)
        self.facts["finished"] = dt.datetime.now().isoformat(timespec="seconds")
        self.facts["load_average_end"] = os.getloadavg()
        return self.results()

    def late_changes(self, out: Path) -> None:
        """Each late change (benchmarks/late.py) made, the catalogue rebuilt (timed) and the change undone
        (and rebuilt, untimed), `repeat` times; after the last timed run, a cold build of the same data into
        a folder of its own, which the incremental catalogue must equal byte for byte."""
        changes = late.LateChanges(self.project)
        identity = self.facts.setdefault("late_identity", {})
        for kind, label in late.KINDS.items():
            step = self.step(f"late_{kind}", f"late change: {label}")
            for i in range(self.args.repeat):
                what = changes.apply(kind)
                if i == 0:
                    self.say(f"late change: {what}")
                try:
                    self.run(step, f"late-{kind}-{i + 1}", self.catalogue_args(self.project, out))
                    if i == self.args.repeat - 1:
                        reference = self.work / f"out-cold-{kind}"
                        shutil.rmtree(reference, ignore_errors=True)
                        cold = self.step(f"late_{kind}_cold", f"cold full build, {label} (reference)")
                        self.run(cold, f"late-{kind}-cold", self.catalogue_args(self.project, reference))
                        a, b = sha256(self.catalogue_pdf(out)), sha256(self.catalogue_pdf(reference))
                        identity[kind] = {"incremental": a, "cold": b, "identical": a == b}
                        shutil.rmtree(reference, ignore_errors=True)
                finally:
                    changes.restore()
                self.run(None, f"late-{kind}-restore-{i + 1}", self.catalogue_args(self.project, out))

    def plain(self, out: Path) -> None:
        plain_dir = self.work / "plain"
        self.say("the same catalogue as one HTML document")
        self.run(
            None,
            "plain-html",
            [str(PYTHON), str(HERE / "plain.py"), "html", str(self.project), str(out), str(plain_dir)],
        )
        weasy = self.step("plain_weasyprint", "plain: one HTML, one WeasyPrint process")
        # Each plain render next to a cold build of the same project, in turn: the ratio of the two compares
        # runs made in the same minutes (the machine's speed drifts over a run of the benchmark).
        paired = self.step("cold_paired", "cold full build, in turn with the plain renders")
        images = self.step("plain_images", "plain: the catalogue's images converted in one process")
        paired_out = self.work / "out-paired"
        for i in range(self.args.cold_repeat):
            shutil.rmtree(paired_out, ignore_errors=True)
            self.run(paired, f"cold-paired-{i + 1}", self.catalogue_args(self.project, paired_out))
            self.run(
                weasy,
                f"plain-weasyprint-{i + 1}",
                [str(PYTHON), str(HERE / "plain.py"), "render", str(plain_dir), str(plain_dir / "weasyprint.pdf")],
            )
            if (plain_dir / "images.pkl").is_file():
                self.run(
                    images,
                    f"plain-images-{i + 1}",
                    [str(PYTHON), str(HERE / "plain.py"), "images", str(plain_dir)],
                )
        shutil.rmtree(paired_out, ignore_errors=True)
        self.facts["plain_weasyprint_pages"] = pdf_pages(plain_dir / "weasyprint.pdf")
        chrome = self.step("plain_chromium", "plain: one HTML, headless Chromium")
        browser = shutil.which("chromium") or shutil.which("chromium-browser")
        if self.args.skip_chromium:
            chrome.note = "skipped (--skip-chromium)"
            return
        if browser is None:
            chrome.note = "not installed"
            return
        for i in range(self.args.cold_repeat):
            target = plain_dir / "chromium.pdf"
            target.unlink(missing_ok=True)
            # chromium_pdf.py: `chromium --headless --print-to-pdf`, with the PDF streamed back over the
            # DevTools protocol (the flag's one-piece transfer crashes the renderer on a catalogue this big)
            run = self.run(
                chrome,
                f"plain-chromium-{i + 1}",
                [
                    str(PYTHON),
                    str(HERE / "chromium_pdf.py"),
                    browser,
                    (plain_dir / "catalogue-chromium.html").as_uri(),
                    str(target),
                ],
                check=False,
            )
            if run.returncode != 0 or not target.is_file():
                chrome.runs.pop()
                chrome.note = f"failed (exit {run.returncode}): {tail(run.log, 1)[:200]}"
                return
            run.cpu = None  # Chromium's renderer and GPU processes leave the tree: their CPU is not counted
        self.facts["plain_chromium_pages"] = pdf_pages(plain_dir / "chromium.pdf")

    # results

    def results(self) -> dict:
        s = self.steps
        rows = []

        def row(key: str, target: str = "", ok: bool | None = None, extra: str = "") -> None:
            step = s.get(key)
            if step is None:
                return
            rows.append(
                {
                    "step": step.label,
                    "median_s": step.median,
                    "runs_s": step.seconds,
                    "cpu_s": step.median_cpu,
                    "peak_mb": step.peak_mb,
                    "target": target,
                    "pass": ok,
                    "note": "; ".join(x for x in (step.note, extra, step.remarks) if x),
                    "parts": [r.parts for r in step.runs],
                    "disturbed": [r.churn for r in step.runs],
                    "load": [round(r.load, 1) for r in step.runs],
                    "probe_ms": [round(r.probe * 1000) for r in step.runs],
                    "ratio_cold": step.median / s["cold"].median if step.median and s["cold"].median else None,
                }
            )

        def within(key: str, limit: float) -> bool | None:
            return None if s[key].median is None else s[key].median <= limit

        row("cold", f"≤ {TARGETS['cold']:g} s", within("cold", TARGETS["cold"]))
        row("cold_paired", "", None, "each just before a plain render (the cold / plain ratio below)")
        ok = within("nothing", TARGETS["nothing"])
        row(
            "nothing",
            f"≤ {TARGETS['nothing']:g} s, no PDF rewritten",
            None if ok is None else ok and not self.facts["nothing_rewritten_undisturbed"],
        )
        row(
            "synopsis_catalogue",
            f"≤ {TARGETS['synopsis_catalogue']:g} s",
            within("synopsis_catalogue", TARGETS["synopsis_catalogue"]),
        )
        row("synopsis_kit", f"≤ {TARGETS['synopsis_kit']:g} s", within("synopsis_kit", TARGETS["synopsis_kit"]))
        row("kit_cold")
        row("still_catalogue")
        row("still_kit")
        row("both_catalogue")
        row("cold_changed")
        late_identity = self.facts.get("late_identity", {})
        for kind in late.KINDS:
            key = f"late_{kind}"
            if key not in s or s[key].median is None:
                continue
            ratio = s[key].median / s["cold"].median if s["cold"].median else None
            same = late_identity.get(kind, {})
            reference = s.get(f"{key}_cold")
            ok = (
                s[key].median <= TARGETS["late"]
                and ratio is not None
                and ratio <= TARGETS["late_ratio"]
                and bool(same.get("identical"))
            )
            row(
                key,
                f"≤ {TARGETS['late']:g} s, ≤ {TARGETS['late_ratio']:g} × cold, == cold build",
                ok,
                (
                    f"incremental {'==' if same.get('identical') else '!='} cold build of the same data "
                    f"(sha256 {same.get('incremental', '')[:12]} vs {same.get('cold', '')[:12]}"
                    + (f"; that cold build {fmt_s(reference.median)} s" if reference else "")
                    + ")"
                ),
            )
        presskit_keys = [k for k in s if not k.startswith("plain_")]
        peak = max((s[k].peak_mb for k in presskit_keys if s[k].peak_mb is not None), default=None)
        peak_step = max(
            (k for k in presskit_keys if s[k].peak_mb is not None), key=lambda k: s[k].peak_mb, default=None
        )
        rows.append(
            {
                "step": "peak memory, any presskit step (process tree RSS)",
                "median_s": None,
                "runs_s": [],
                "peak_mb": peak,
                "target": f"≤ {TARGETS['memory']:g} MB",
                "pass": None if peak is None else peak <= TARGETS["memory"],
                "note": f"in: {s[peak_step].label}" if peak_step else "",
            }
        )
        identity = self.facts.get("identity", {})
        rows.append(
            {
                "step": "incremental catalogue == cold build of the same data",
                "median_s": None,
                "runs_s": [],
                "peak_mb": None,
                "target": "byte-identical (sha256)",
                "pass": identity.get("identical"),
                "note": f"sha256 {identity.get('incremental', '')[:12]} vs {identity.get('cold', '')[:12]}"
                + "".join(
                    f"; kit {k}: {'identical' if v else 'differs'}"
                    for k, v in identity.get("kits_identical", {}).items()
                ),
            }
        )
        cold = s["cold"].median
        weasy = s.get("plain_weasyprint")
        paired = s.get("cold_paired")
        if weasy is not None and weasy.median and cold:
            # the cold builds made in turn with the plain renders (else the first ones, minutes earlier)
            base = paired.median if paired is not None and paired.median else cold
            ratio = base / weasy.median
            rows.append(
                {
                    "step": "cold full build / plain one-process WeasyPrint, same run",
                    "median_s": None,
                    "runs_s": [],
                    "peak_mb": None,
                    "target": f"≤ {TARGETS['cold_plain_ratio']:g}",
                    "pass": ratio <= TARGETS["cold_plain_ratio"],
                    "note": f"{ratio:.2f} ({fmt_s(base)} s / {fmt_s(weasy.median)} s, the cold builds made in turn"
                    f" with the plain renders; the first cold builds' median {fmt_s(cold)} s:"
                    f" {cold / weasy.median:.2f})",
                }
            )
        images = s.get("plain_images")
        if weasy is not None and weasy.median and images is not None and images.median and cold:
            base = paired.median if paired is not None and paired.median else cold
            ratio = base / (weasy.median + images.median)
            rows.append(
                {
                    "step": "cold full build / (plain images + plain WeasyPrint), same run (for reference)",
                    "median_s": None,
                    "runs_s": [],
                    "peak_mb": None,
                    "target": "none (the issue's target is the row above)",
                    "pass": None,
                    "note": f"{ratio:.2f} ({fmt_s(base)} s / ({fmt_s(images.median)} s + {fmt_s(weasy.median)} s):"
                    " the plain way with the image work a cold build does and the plain render leaves out",
                }
            )
        for key in ("plain_weasyprint", "plain_chromium", "plain_images"):
            if key in s:
                step = s[key]
                ratio = f"presskit cold / this = {cold / step.median:.2f}" if step.median and cold else ""
                pages = self.facts.get(f"{key}_pages")
                row(key, "", None, "; ".join(x for x in (ratio, f"{pages} pages" if pages else "") if x))
        return {
            "rows": rows,
            "facts": self.facts,
            "environment": environment(),
            "command": " ".join(["python", "benchmarks/run.py", *sys.argv[1:]]),
            "targets": TARGETS,
        }


def pdf_pages(path: Path) -> int | None:
    try:
        import pikepdf

        with pikepdf.open(path) as pdf:
            return len(pdf.pages)
    except Exception:  # noqa: BLE001  (a figure for the table only)
        return None


def environment() -> dict:
    import importlib.metadata as md

    def version(name: str) -> str | None:
        try:
            return md.version(name)
        except md.PackageNotFoundError:
            return None

    chromium = shutil.which("chromium")
    chromium_version = (
        subprocess.run([chromium, "--version"], capture_output=True, text=True).stdout.strip() if chromium else None
    )
    return {
        "cpus": os.cpu_count(),
        "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
        "load_average_start": LOAD_AT_START,
        "python": platform.python_version(),
        "weasyprint": version("weasyprint"),
        "pikepdf": version("pikepdf"),
        "pillow": version("pillow"),
        "chromium": chromium_version,
        **CODE_AT_START,
    }


LOAD_AT_START = os.getloadavg()


def _code_at_start() -> dict:
    """The commit measured: read when the run starts (a commit made while it runs is not what it measured)."""
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True)
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--", "presskit", "layouts"], cwd=REPO, capture_output=True, text=True
    )
    return {"commit": commit.stdout.strip(), "uncommitted_presskit_changes": bool(dirty.stdout.strip())}


CODE_AT_START = _code_at_start()


# --- the table -----------------------------------------------------------------------------------------


def fmt_s(value: float | None) -> str:
    return "—" if value is None else (f"{value:.2f}" if value < 10 else f"{value:.1f}")


def markdown(results: dict) -> str:
    facts, env = results["facts"], results["environment"]
    sizes = facts.get("sizes", {})
    lines = [
        "| step | median (s) | × cold | runs (s) | CPU (s) | peak memory (MB) | target | result | load | probe (ms) "
        "| notes |",
        "| --- | ---: | ---: | --- | ---: | ---: | --- | --- | --- | --- | --- |",
    ]
    for r in results["rows"]:
        verdict = "" if r["pass"] is None else ("PASS" if r["pass"] else "**FAIL**")
        runs = ", ".join(fmt_s(x) for x in r["runs_s"])
        peak = "—" if r["peak_mb"] is None else f"{r['peak_mb']:.0f}"
        load = ", ".join(f"{x:.1f}" for x in r.get("load", []))
        probe = ", ".join(str(x) for x in r.get("probe_ms", []))
        ratio = "" if r.get("ratio_cold") is None else f"{r['ratio_cold']:.3f}"
        lines.append(
            f"| {r['step']} | {fmt_s(r['median_s'])} | {ratio} | {runs} | {fmt_s(r.get('cpu_s'))} | {peak} "
            f"| {r['target']} | {verdict} "
            f"| {load} | {probe} | {r['note']} |"
        )
    mb = lambda n: f"{n / 2**20:.1f} MB"
    project = facts.get("project", {})
    lines += [
        "",
        f"Output: catalogue.pdf {mb(sizes['catalogue_bytes'])}, {sizes.get('catalogue_pages')} pages; "
        f"press kit of {facts.get('film')}: presskit.pdf {mb(sizes.get('kit_presskit.pdf', 0))}, "
        f"presskit-print.pdf {mb(sizes.get('kit_presskit-print.pdf', 0))} ({sizes.get('kit_print_pages')} pages)."
        if sizes
        else "",
        f"Project: {project.get('films')} films, {project.get('images')} images "
        f"({project.get('image_bytes', 0) / 2**30:.1f} GB), generated by benchmarks/generate.py "
        f"(seed {project.get('seed')}).",
        f"Machine: {env['cpus']} cores, {env['memory_gb']} GB, shared with other work: *load* is the 1-minute "
        f"load average when each run started (it counts the benchmark's own previous runs too; well above "
        f"{env['cpus']}, other work competed for the cores); *probe* is the time a fixed pure-Python loop "
        f"took just before each run (about 35 ms when the machine is quiet; other work on the host slows its "
        f"CPU by a fifth to a half at times, which the load average does not show); medians of the runs are "
        f"reported. Python {env['python']}, WeasyPrint {env['weasyprint']}, pikepdf {env['pikepdf']}, "
        f"Pillow {env['pillow']}, {env['chromium'] or 'no Chromium'}. Commit {env['commit']}"
        + (" with uncommitted changes to presskit/ or layouts/" if env["uncommitted_presskit_changes"] else "")
        + f"; run {facts.get('started')}.",
        "",
        f"Reproduce: `.venv/bin/{results['command']}`",
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--films", type=int, default=300, help="films in the synthetic festival (default 300)")
    parser.add_argument("--jobs", type=int, help="worker processes for the catalogue (default: presskit's, all cores)")
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="runs of each change step and of the cold kit (default 3); the median is reported",
    )
    parser.add_argument("--nothing-repeat", type=int, default=5, help="runs of the nothing-changed rebuild (default 5)")
    parser.add_argument(
        "--cold-repeat",
        type=int,
        default=1,
        help="runs of the cold catalogue build and of the plain renders (default 1: they are long)",
    )
    parser.add_argument("--skip-chromium", action="store_true", help="leave out the headless Chromium render")
    parser.add_argument("--sections", type=int, default=8)
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--force-generate", action="store_true", help="regenerate the synthetic project")
    parser.add_argument("--work", default=str(HERE / "work"), help="scratch folder (default benchmarks/work)")
    parser.add_argument(
        "--table-only",
        action="store_true",
        help="rewrite RESULTS.md from RESULTS.json (after a change to the table's format)",
    )
    parser.add_argument(
        "--results",
        default=str(HERE / "results"),
        help="where to write the table: RESULTS.md and RESULTS.json (default benchmarks/results)",
    )
    args = parser.parse_args(argv)
    for name in ("repeat", "nothing_repeat", "cold_repeat"):
        if getattr(args, name) < 1:
            parser.error(f"--{name.replace('_', '-')} must be at least 1")
    if args.table_only:
        results = json.loads(Path(args.results).with_suffix(".json").read_text(encoding="utf-8"))
        Path(args.results).with_suffix(".md").write_text(
            f"# presskit benchmark: {results['facts']['project']['films']} films\n\n{markdown(results)}",
            encoding="utf-8",
        )
        print(markdown(results))
        return 0
    bench = Bench(args)
    try:
        results = bench.main()
    except StepFailed as exc:
        print(f"benchmark stopped: {exc}", file=sys.stderr)
        return 1
    table = markdown(results)
    target = Path(args.results)
    target.with_suffix(".md").write_text(f"# presskit benchmark: {args.films} films\n\n{table}", encoding="utf-8")
    target.with_suffix(".json").write_text(json.dumps(results, indent=1, default=str) + "\n", encoding="utf-8")
    print(table)
    failed = [r["step"] for r in results["rows"] if r["pass"] is False]
    print(f"{len(failed)} target(s) failed" + (": " + "; ".join(failed) if failed else ""), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
