"""Render catalogue parts in worker processes (pool.py), each part cached on disk by the key of all its inputs.

A part is one independent WeasyPrint document (the cover, one film entry, the indexes ...). Its cache
key (cache.key) covers the HTML, the stylesheets, the contents of the files the stylesheets reference inside
the part's roots (the fonts of presskit's assets, the output profile: what presskit itself puts there), the
PDF settings, presskit's version and cache.VERSION, so a cached part is reused without rendering and a
changed input always renders anew. The HTML's text is in the key as it is, never searched for addresses: a
synopsis that reads "file:///etc/passwd" is text, and no file it names is opened. The images a part shows
are named in its HTML by their content already (images.cache_key). Workers keep one FontConfiguration and
each parsed stylesheet alive between parts.

A cached part is used only when it is exactly what its worker wrote: its PDF of the size and sha256 in its
record (<key>.json), and that record sealed by the part's key (PartCache); anything else, a folder in the
place of either file among them, is rendered again.
"""

from __future__ import annotations

import functools
import hashlib
import heapq
import itertools
import json
import logging
import os
import re
import stat as stat_mode
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Executor, Future
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ... import __version__, cache, pool, progress
from ...edition import Edition
from ...errors import RenderError
from ...fit import overflows
from ...images import Conversion, file_sha256, store, usable
from ...limits import time_limit
from ...output import write_atomic
from ...pdf import capture_weasyprint_log, html_document, make_fetcher, release_free_memory, render_code_tag
from .continued import render_continued
from .stamps import FOLIO_SLOT, SLOT, folio_slots, number_slots, page_heads, valid_heads, valid_slots

log = logging.getLogger("presskit")

# Prepared images are named in the HTML by this stand-in folder, mapped to the image cache by the worker's
# fetcher: WeasyPrint names each image after its URL, so the PDF does not depend on where out/ is.
IMAGE_URL = "file:///presskit-image-cache/"
_FILE_URL = re.compile(r"""file://[^\s"'<>)]+""")
_STYLE = re.compile(r"<style(?![^>]*data-part)[^>]*>(.*?)</style>", re.S | re.I)  # <style data-part> stays
MAX_STYLESHEETS = 48  # parsed stylesheets a worker keeps (one per section colour and part kind, say)
IMAGE_COST = 0.7  # an image to convert, in rendered pages (Part.cost)


@dataclass
class Part:
    """One document of the catalogue, ready to render."""

    name: str  # unique in the catalogue, e.g. "film-red-rooms"; names the part in logs and errors
    html: str  # a complete HTML document; its <style> blocks are hoisted into `css` (see split_styles)
    css: tuple[str, ...]  # stylesheets, each parsed once per worker and reused by every part that has it
    base_url: Path
    roots: list[Path]  # folders the sandboxed fetcher may read
    edition: Edition | None = None  # (print post-processing runs once, on the merged document)
    options: dict = field(default_factory=dict)  # WeasyPrint options (pdf_variant, output_intent ...)
    pages: int | None = None  # the page count the layout promises; checked after the render
    fit: list[tuple[str, str]] | None = None  # per page (what, hint): every text must fit its frame (fit.py)
    images: list[Conversion] = field(default_factory=list)  # the images it shows: checked (images.usable) by the
    # worker that renders it, and converted first when the
    # cache lacks them, so image work runs in parallel too
    new_images: int = 0  # how many of them the image cache lacks
    urgent: bool = False  # other parts wait for it: rendered ahead of the queue (see Renderer)
    numbers: list[str] = field(default_factory=list)  # the page numbers taken out of `html` (stamps.py)

    @property
    def cost(self) -> float:
        """About how long the part takes to render, in film pages, an image to convert counting for
        IMAGE_COST of a page (benchmarks/README.md). Only an order: the longest parts go first."""
        return (self.pages or 1) + IMAGE_COST * self.new_images

    def key(self, hasher: FileHasher, aliases: tuple[tuple[str, str], ...] = ()) -> str:
        """The cache key (cache.key) of everything the render depends on. `aliases` replace folder paths by
        names (the project, the output folder) so that a moved or copied project keeps its cache."""

        def neutral(text: str) -> str:
            for path, name in aliases:
                text = text.replace(path, name)
            return text

        pieces = (
            f"cache {cache.VERSION}",
            f"presskit {__version__} {render_code_tag()}",
            repr(self.edition),
            repr(sorted(self.options.items())),
            str(self.base_url),
            repr(self.fit),
            "\n".join(str(Path(r).resolve()) for r in self.roots),
            *self.css,
            self.html,
        )
        files = (f"{path}\x00{hasher.digest(path)}" for path in hasher.stylesheet_files(self.css, self.roots))
        return cache.key(*(neutral(piece) for piece in (*pieces, *files)))


@dataclass
class Rendered:
    """What the merge needs to know of a rendered (or cached) part."""

    name: str
    key: str
    path: Path
    pages: int
    anchors: dict[str, int] = field(default_factory=dict)  # element id -> page index within the part
    cached: bool = False
    seconds: float = 0.0
    heads: list[str] = field(default_factory=list)  # each page's running head (stamps.page_heads)
    slots: list[list[tuple]] = field(default_factory=list)  # each page's page-number slots (stamps.number_slots)


def referenced_files(css: str, roots: Iterable[Path]) -> list[Path]:
    """The files a stylesheet references by file: URL that lie inside one of `roots` (the folders the
    part's render may read), in order; any other address is left alone, never opened."""
    inside = [Path(root).resolve() for root in roots]
    found = []
    for url in dict.fromkeys(_FILE_URL.findall(css)):
        path = Path(os.path.realpath(unquote(urlsplit(url).path)))  # (a link leading out is out)
        if any(path.is_relative_to(root) for root in inside) and path not in found:
            found.append(path)
    return found


def prepare_image(image: Conversion) -> dict[str, float | str]:
    """Convert the image unless the cache holds it whole (another part converted it, or an earlier build)
    and, in print, measure its ink coverage as the preflight of the merged catalogue will
    (preflight.jpeg_ink): {ink cache key: coverage}."""
    from ...preflight import jpeg_ink

    if usable(image.target):
        return {}
    data = image.convert()
    store(image.target, data)
    if not image.edition.is_print:
        return {}
    key, ink = jpeg_ink(data)
    return {key: ink}


class FileHasher:
    """sha256 of file contents, remembered by (path, size, mtime) for the length of a build (and across
    builds by `memo`, cache.Memo's "file-sha256", as an image's: the fonts the stylesheets name are some
    160 MB to hash), and the files each stylesheet references (referenced_files), found once per
    stylesheet."""

    def __init__(self, memo=None):
        self.memo = memo
        self._seen: dict[Path, tuple[tuple[int, int], str]] = {}
        self._references: dict[tuple[str, tuple[str, ...]], list[Path]] = {}

    def stylesheet_files(self, css: Iterable[str], roots: list[Path]) -> list[Path]:
        """The files the stylesheets `css` reference inside `roots`, sorted."""
        ident = tuple(str(root) for root in roots)
        found: set[Path] = set()
        for sheet in css:
            if (sheet, ident) not in self._references:
                self._references[(sheet, ident)] = referenced_files(sheet, roots)
            found.update(self._references[(sheet, ident)])
        return sorted(found)

    def digest(self, path: Path) -> str:
        """The sha256 of a regular file's content; "missing" when there is none, "not a file" for anything
        else (a folder, a device: never read)."""
        try:
            st = path.stat()
        except FileNotFoundError:
            return "missing"
        if not stat_mode.S_ISREG(st.st_mode):
            return "not a file"
        stamp = (st.st_size, st.st_mtime_ns)
        known = self._seen.get(path)
        if known and known[0] == stamp:
            return known[1]
        remembered = self.memo.get(path, "file-sha256") if self.memo is not None else None
        if isinstance(remembered, str):
            digest = remembered
        else:
            before = self.memo.stat(path) if self.memo is not None else None
            digest = cache.content_digest(path) or "not a file"
            if self.memo is not None and digest != "not a file":
                self.memo.put(path, "file-sha256", digest, before)
        self._seen[path] = (stamp, digest)
        return digest


class PartCache:
    """out/.cache/parts/<key>.pdf with a <key>.json beside it: its record (name, page count, anchors, and the
    PDF's size and sha256), sealed by the part's key (record_seal)."""

    def __init__(self, folder: Path):
        self.folder = folder
        self._last: dict[str, dict] | None = None

    def pdf_path(self, key: str) -> Path:
        return self.folder / f"{key}.pdf"

    def get(self, name: str, key: str) -> Rendered | None:
        """The cached part, or None when it is not there or cannot be trusted: its record not the one its
        worker wrote (unreadable, or edited: its seal does not hold), or its PDF not the bytes the worker
        wrote (cut short by a full disk, changed by hand...). Such a part is rendered again, never merged
        (the sha256 of every part is checked on each use); a folder in the place of either file is removed."""
        pdf, info = self.pdf_path(key), self.folder / f"{key}.json"
        if not (cache.regular_entry(pdf) and cache.regular_entry(info)):
            return None
        data = read_record(info, key)
        if data is None:
            log.info("the cached part %s is damaged (%s): rendering it again", name, "its record changed")
            return None
        try:
            if pdf.stat().st_size != data["size"]:
                log.info("the cached part %s is damaged (%s): rendering it again", name, "its size changed")
                return None
            with open(pdf, "rb") as f:
                if file_sha256(f) != data["sha256"]:
                    log.info("the cached part %s is damaged (%s): rendering it again", name, "its bytes changed")
                    return None
        except OSError:
            return None
        return Rendered(
            name, key, pdf, data["pages"], data["anchors"], cached=True, heads=data["heads"], slots=data["slots"]
        )

    def _last_records(self) -> dict[str, dict]:
        """Part name -> the record of its newest cached render whose record holds: what the last build
        found (read once)."""
        if self._last is None:
            found: dict[str, tuple[int, dict]] = {}
            for path in self.folder.glob("*.json") if self.folder.is_dir() else ():
                try:
                    mtime = path.stat().st_mtime_ns
                except OSError:
                    continue
                data = read_record(path, path.stem) if path.is_file() else None
                if data is not None and mtime >= found.get(data["name"], (-1, {}))[0]:
                    found[data["name"]] = (mtime, data)
            self._last = {name: data for name, (_, data) in found.items()}
        return self._last

    def page_counts(self, prefix: str) -> dict[str, int]:
        """Part name -> page count, for the cached parts whose name starts with `prefix` (the newest
        when a name has several) and whose record holds: what the last build found, a hint for planning
        this one."""
        return {name: data["pages"] for name, data in self._last_records().items() if name.startswith(prefix)}

    def continued_rows(self, name: str) -> list[str]:
        """The schedule rows the newest render of part `name` started again under "(continued)"
        (continued.py): a hint that spares the part's second render when its pages break as they did."""
        rows = self._last_records().get(name, {}).get("continued")
        return [row for row in rows if isinstance(row, str)] if isinstance(rows, list) else []

    def prune(self, keep: Iterable[str]) -> int:
        """Delete cached parts that the latest build did not use; returns how many."""
        keep = set(keep)
        removed = 0
        if not self.folder.is_dir():
            return 0
        for path in self.folder.iterdir():
            if path.suffix in (".pdf", ".json") and path.stem not in keep:
                if cache.regular_entry(path):  # (anything else is removed there)
                    path.unlink(missing_ok=True)
                removed += path.suffix == ".pdf"
        return removed


class HtmlMemo:
    """The HTML of parts templated from a ready context (plan.py's films_part: a run of film pages),
    remembered by the digest of everything it is made from: the layout files and presskit's code as they
    are (templates_tag), and the context itself (its repr: plain data). A run whose context did not change is
    not templated again; its part key (Part.key) is still taken from the HTML, as any part's.
    out/.cache/html/<edition>/<digest>.json, each record sealed by its digest: one that does not hold, or
    anything else in its place, is made again. At most LIMIT records are kept, the least recently used
    dropped first."""

    LIMIT = 256

    def __init__(self, folder: Path, top: Path):
        self.folder = folder
        self.top = top  # the cache's folder (cache.folder)

    def get(self, digest: str) -> tuple[str, tuple[str, ...], tuple[str, ...]] | None:
        """(the HTML, its hoisted <style> blocks, the part's other stylesheets), or None."""
        path = self.folder / f"{digest}.json"
        if not cache.regular_entry(path):
            return None
        try:
            data = json.loads(path.read_bytes())
            os.utime(path)  # (recently used)
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict):
            return None
        html, styles, sheets = data.get("html"), data.get("styles"), data.get("sheets")
        if not (isinstance(html, str) and isinstance(styles, list) and isinstance(sheets, list)):
            return None
        if not all(isinstance(text, str) for text in (*styles, *sheets)):
            return None
        if data.get("seal") != _html_seal(digest, html, styles, sheets):
            return None
        return html, tuple(styles), tuple(sheets)

    def put(self, digest: str, html: str, styles: tuple[str, ...], sheets: tuple[str, ...]) -> None:
        record = {"html": html, "styles": styles, "sheets": sheets, "seal": _html_seal(digest, html, styles, sheets)}
        try:
            cache.folder(self.folder, self.top)
            path = self.folder / f"{digest}.json"
            cache.regular_entry(path)  # (a folder in its place: removed)
            write_atomic(path, json.dumps(record).encode("utf-8"))
            self._trim()
        except OSError as exc:  # (only a memo: the next build templates the run again)
            log.debug("the HTML memo %s was not written: %s", self.folder, exc)

    def _trim(self) -> None:
        records = list(self.folder.glob("*.json"))
        if len(records) <= self.LIMIT:
            return
        by_age = sorted(records, key=lambda p: p.stat().st_mtime_ns if p.exists() else 0)
        for path in by_age[: len(records) - self.LIMIT]:
            if cache.regular_entry(path):
                path.unlink(missing_ok=True)


def _html_seal(digest: str, html: str, styles, sheets) -> str:
    """The seal of an HtmlMemo record: the key of its digest and of its texts (how many styles: where the
    sheets start)."""
    return cache.key(digest, str(len(styles)), html, *styles, *sheets)


@functools.lru_cache(maxsize=4)
def templates_tag(search_path: tuple[Path, ...]) -> str:
    """The key of every file of the layout folders `search_path` and of presskit's code, by content, and of
    Jinja's version and MarkupSafe's module: what turns a context into HTML (templates, the filters and the
    objects they are given, the engine)."""
    import jinja2
    import markupsafe

    package = Path(__file__).resolve().parents[2]
    files = [
        *(p for folder in search_path for p in sorted(Path(folder).rglob("*")) if p.is_file()),
        *sorted(package.rglob("*.py")),
    ]
    files.append(Path(markupsafe.__file__))  # (its version is read from its metadata only, slowly)
    return cache.key(__version__, jinja2.__version__, *(piece for p in files for piece in (str(p), p.read_bytes())))


_RECORD_TYPES = {"name": str, "pages": int, "anchors": dict, "size": int, "sha256": str, "heads": list, "slots": list}


def record_seal(key: str, record: dict) -> str:
    """The seal of a part's record: the key of the part's key and of the record's content."""
    return cache.key(key, json.dumps({k: v for k, v in record.items() if k != "seal"}, sort_keys=True))


def read_record(path: Path, key: str) -> dict | None:
    """The record of the cached part `key` (render_job writes it), None when it cannot be read or is not
    exactly what was written: its seal does not hold, a field is missing or of another type."""
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("seal") != record_seal(key, data):
        return None
    if not all(
        isinstance(data.get(field), kind) and not isinstance(data.get(field), bool)
        for field, kind in _RECORD_TYPES.items()
    ):
        return None
    if not (valid_heads(data["heads"], data["pages"]) and valid_slots(data["slots"], data["pages"])):
        return None  # (e.g. written by another version of presskit)
    return data


# --- the worker side -----------------------------------------------------------------------------

_worker: dict = {}


@dataclass
class _Job:
    name: str
    key: str
    html: str
    css: tuple[str, ...]
    base_url: str
    roots: list[str]
    edition: Edition | None
    options: dict
    target: str
    fit: list[tuple[str, str]] | None = None
    pages: int | None = None
    images: list[Conversion] = field(default_factory=list)
    image_dir: str | None = None
    continued: list[str] = field(default_factory=list)  # hint: the rows its last render started again


def _fetcher(job: _Job):
    """The sandboxed fetcher (pdf.make_fetcher), with IMAGE_URL mapped to the image cache."""
    from weasyprint.urls import URLFetcher

    inner = make_fetcher([Path(r) for r in job.roots])
    if not job.image_dir:
        return inner
    folder = Path(job.image_dir)

    class CacheFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith(IMAGE_URL):
                url = (folder / url[len(IMAGE_URL) :]).as_uri()
            return inner.fetch(url, headers)

    return CacheFetcher(allowed_protocols=("file", "data"), allow_redirects=False)


def _init_worker() -> None:
    from ...pdf import font_configuration

    _worker["fonts"] = font_configuration()  # the bundled fonts only, never the system's
    _worker["css"] = {}


COLLECT_EVERY = 6  # parts a worker renders between two full collections of its garbage cycles
TIDY_GROWTH = 32 << 20  # bytes a worker may grow by before the next part is preceded by a collection anyway


def _tidy_between_parts() -> None:
    """Every COLLECT_EVERY parts, before the next (or sooner, when the worker grew by TIDY_GROWTH: a long
    part such as the schedule leaves much garbage behind it): the garbage cycles of the parts before collected, what
    survives frozen (gc.freeze: the worker's lasting state, which later collections then skip) and the
    freed memory given back to the system (a worker process only, pool.in_worker; a render in this
    process is collected, not frozen). With the collector's thresholds raised (pdf.tune_gc) a full
    collection is rare, and each part leaves cycles behind it: without these collections a worker, and
    the process tree's peak with it, grows over a big catalogue (benchmarks/README.md)."""
    import gc

    _worker["parts"] = _worker.get("parts", 0) + 1
    now = _resident()
    grown = now - _worker.setdefault("tidied", now) > TIDY_GROWTH  # (since the last tidy-up, or the first part)
    if _worker["parts"] % COLLECT_EVERY == 0 or grown:
        gc.collect()
        if pool.in_worker():  # (not in the command line's own process: frozen objects outlive the
            gc.freeze()  # modules at its exit, and WeasyPrint's font finalizer then fails)
        release_free_memory()
        _worker["tidied"] = _resident()


def _resident() -> int:
    """This process's resident memory in bytes (0 where /proc is not there)."""
    try:
        with open("/proc/self/statm", "rb") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def start_worker() -> None:
    """The initializer of the catalogue's worker processes (pool.executor): the garbage collector tuned
    (pdf.tune_gc; inherited from the command line, not when started from the library), the fonts loaded."""
    from ...pdf import tune_gc

    tune_gc()
    _init_worker()  # (a configuration inherited from a process that rendered parts itself is given up: pdf.py)


def _stylesheet(job: _Job, css: str, fetcher):
    from weasyprint import CSS

    ident = hashlib.sha256((css + "\x00" + job.base_url + "\x00" + "\n".join(job.roots)).encode()).hexdigest()
    sheets = _worker["css"]
    if ident in sheets:
        sheets[ident] = sheets.pop(ident)  # most recently used last
    else:
        profiles: dict = {}  # this sheet's @color-profile rules: a part gets only those of its own sheets
        with capture_weasyprint_log() as messages:
            sheet = CSS(
                string=css,
                base_url=job.base_url,
                url_fetcher=fetcher,
                font_config=_worker["fonts"],
                color_profiles=profiles,
            )
        sheets[ident] = (sheet, profiles)
        _raise_on(job, messages)
        while len(sheets) > MAX_STYLESHEETS:
            sheets.pop(next(iter(sheets)))
    return sheets[ident]


def split_styles(html: str) -> tuple[str, tuple[str, ...]]:
    """Move the <style> blocks of an HTML document out of it, to be parsed once per worker and reused:
    (the HTML without them, their contents in order). Fonts declared there are then loaded only once."""
    styles = tuple(m.group(1) for m in _STYLE.finditer(html))
    return _STYLE.sub("", html), styles


def _raise_on(job: _Job, messages: list[str]) -> None:
    if messages:
        unique = list(dict.fromkeys(messages))
        raise RenderError(
            f"rendering the catalogue part {job.name} failed: WeasyPrint reported "
            f"{len(unique)} problem(s)\n" + "\n".join(f"  {m}" for m in unique)
        )


def _check_fit(job: _Job, document) -> None:
    """Every frame's text fits (fit.py), reported with the film(s) of its page."""
    problems = []
    fit = job.fit or [("catalogue part " + job.name, "shorten it")]
    for overflow in overflows(document):
        what, hint = fit[min(overflow.page, len(fit)) - 1]
        problems.append(f"{what}: {overflow.describe()}; {hint}")
    if problems:
        raise RenderError("\n".join(problems))


def render_job(job: _Job) -> dict:
    """Lay out one part and write its PDF and info into the cache. Runs in a worker process."""
    if "fonts" not in _worker:
        _init_worker()
    _tidy_between_parts()
    start = time.perf_counter()
    ink: dict[str, float | str] = {}
    for image in job.images:
        ink.update(prepare_image(image))
    fetcher = _fetcher(job)
    stylesheets, profiles = [], {}
    for css in job.css:
        sheet, sheet_profiles = _stylesheet(job, css, fetcher)
        stylesheets.append(sheet)
        profiles.update(sheet_profiles)
    options = {k: v for k, v in job.options.items() if v is not None}
    with capture_weasyprint_log() as messages, time_limit(f"catalogue part {job.name}"):
        document, continued = render_continued(
            job.html,
            lambda html: html_document(html, job.base_url, fetcher, job.css).render(
                stylesheets=stylesheets, font_config=_worker["fonts"], color_profiles=profiles, **options
            ),
            job.continued,
        )
        if job.fit:
            _check_fit(job, document)
        anchors: dict[str, int] = {}
        for index, page in enumerate(document.pages):
            for anchor in page.anchors:
                anchors.setdefault(anchor, index)
        heads = page_heads(document)
        if FOLIO_SLOT in job.html:
            slots = folio_slots(document)
        else:
            slots = number_slots(document) if f'{SLOT}="' in job.html else [[] for _ in document.pages]
        data = document.write_pdf(**options)
    _raise_on(job, messages)
    target = Path(job.target)
    cache.regular_entry(target)  # (a folder in its place: removed)
    write_atomic(target, data)
    info = {
        "name": job.name,
        "pages": len(document.pages),
        "anchors": anchors,
        "size": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
        "continued": continued,
        "heads": heads,
        "slots": slots,
    }  # (checked on every use: PartCache.get)
    record = {**info, "seal": record_seal(job.key, info)}
    cache.regular_entry(target.with_suffix(".json"))  # (a folder in its place: removed)
    write_atomic(target.with_suffix(".json"), json.dumps(record, sort_keys=True).encode("utf-8"))
    return {**info, "seconds": time.perf_counter() - start, "ink": ink}


# --- the coordinator side ------------------------------------------------------------------------


class Renderer:
    """Renders parts through worker processes (pool.executor, with start_worker as their initializer: the
    ones pool.start_early started while the project loaded, if any), or in this process when forking
    cannot help (jobs == 1, say).

    `submit` returns at once with a cache hit or a Future; `on_render` is called with each part name
    actually rendered (tests count renders through it). Parts wait in a queue of this class's own, and
    only one more than there are workers is handed to the pool at a time, so that an urgent part
    (`Part.urgent`: one that others wait for, such as the next part of the back matter or the contents)
    is rendered next rather than after every part submitted before it. The others go longest first
    (`Part.cost`), so that the last ones to finish are short and no worker waits long for the others at
    the end.
    """

    def __init__(
        self,
        cache: PartCache,
        jobs: int | None = None,
        on_render: Callable[[str], None] | None = None,
        aliases: dict[str, Path] | None = None,
        image_dir: Path | None = None,
        memo=None,
    ):
        self.cache = cache
        self.image_dir = str(Path(image_dir).resolve()) if image_dir else None
        self.aliases = tuple(
            (text, f"<{name}>")
            for name, folder in sorted((aliases or {}).items())
            for text in (Path(folder).resolve().as_uri(), str(Path(folder).resolve()))
        )
        self.jobs = pool.processes(jobs)
        self.hasher = FileHasher(memo)  # (memo: cache.Memo, the build's)
        self.on_render = on_render
        self.rendered: list[str] = []
        self.used: set[str] = set()
        self._submitted: dict[str, Future] = {}  # key -> the render of a part submitted in this build
        self.ink: dict[str, float | str] = {}  # ink coverage of the images the workers prepared (preflight)
        self._pool: Executor | None = None
        self._queue: list[tuple[int, float, int, _Job, Future]] = []  # (0 urgent | 1, -cost, order, job, future)
        self._order = itertools.count()
        self._in_pool = 0  # jobs handed to the pool and not finished yet
        self._lock = threading.Lock()
        self._closed = False
        self.progress = progress.step("catalogue", "catalogue parts", planning=True)  # settled by the plan (plan.py)

    def __enter__(self) -> Renderer:
        return self

    def __exit__(self, *exc) -> None:
        self.progress.close()
        with self._lock:
            self._closed = True
            for *_, future in self._queue:
                future.cancel()
            self._queue.clear()
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def _executor(self) -> Executor:
        if self._pool is None:
            self._pool = pool.executor(self.jobs, start_worker)
        return self._pool

    def submit(self, part: Part) -> Rendered | Future:
        key = part.key(self.hasher, self.aliases)
        self.used.add(key)
        if key in self._submitted:  # (the same part again, e.g. a print section intro and its sizing render)
            return self._submitted[key]
        hit = self.cache.get(part.name, key)
        if hit is not None:
            return self._checked(part, hit)
        job = _Job(
            part.name,
            key,
            part.html,
            part.css,
            part.base_url.as_uri() + "/",
            [str(r) for r in part.roots],
            part.edition,
            part.options,
            str(self.cache.pdf_path(key)),
            part.fit,
            part.pages,
            part.images,
            self.image_dir,
            self.cache.continued_rows(part.name),
        )
        self.rendered.append(part.name)
        self.progress.add(work=part.cost)
        if self.on_render:
            self.on_render(part.name)
        log.debug("rendering %s", part.name)
        self._executor()
        future: Future = Future()
        with self._lock:
            heapq.heappush(self._queue, (0 if part.urgent else 1, -part.cost, next(self._order), job, future))
        self._pump()
        done: Future = Future()

        def finish(f: Future) -> None:
            self.progress.advance(work=part.cost)
            try:
                info = f.result()
                self.ink.update(info.get("ink") or {})
                done.set_result(
                    self._checked(
                        part,
                        Rendered(
                            part.name,
                            key,
                            self.cache.pdf_path(key),
                            info["pages"],
                            info["anchors"],
                            seconds=info["seconds"],
                            heads=info["heads"],
                            slots=info["slots"],
                        ),
                    )
                )
            except BaseException as exc:  # noqa: BLE001  (re-raised by whoever waits on `done`)
                done.set_exception(exc)

        future.add_done_callback(finish)
        self._submitted[key] = done
        return done

    def _pump(self) -> None:
        """Hand queued jobs to the pool, most urgent first, while it has fewer than jobs + 1 (a worker that
        finishes finds the next job waiting). Called on submit and whenever a job finishes."""
        while True:
            with self._lock:
                if self._closed or not self._queue or self._in_pool > self.jobs:
                    return
                *_, job, future = heapq.heappop(self._queue)
                if not future.set_running_or_notify_cancel():
                    continue
                self._in_pool += 1
            try:
                if self._pool is None:  # (closed meanwhile)
                    raise RuntimeError("the catalogue's worker processes have stopped")
                inner = self._pool.submit(render_job, job)
            except BaseException as exc:  # noqa: BLE001  (e.g. the pool was shut down: handed to the waiter)
                with self._lock:
                    self._in_pool -= 1
                future.set_exception(exc)
                continue
            inner.add_done_callback(functools.partial(self._finished, outer=future))

    def _finished(self, inner: Future, outer: Future) -> None:
        with self._lock:
            self._in_pool -= 1
        try:
            outer.set_result(inner.result())
        except BaseException as exc:  # noqa: BLE001  (re-raised by whoever waits on it)
            outer.set_exception(exc)
        self._pump()

    def _checked(self, part: Part, result: Rendered) -> Rendered:
        if part.pages is not None and result.pages != part.pages:
            raise RenderError(
                f"catalogue part {part.name}: the layout promises {part.pages} page(s), "
                f"the render has {result.pages}; shorten the text or use a longer entry"
            )
        return result


def resolve(item: Rendered | Future) -> Rendered:
    return item.result() if isinstance(item, Future) else item
