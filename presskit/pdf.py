"""HTML -> PDF with WeasyPrint: a sandboxed URL fetcher, log capture, atomic writes. WeasyPrint is imported
and its HTML objects made through patches.py (presskit's patches to WeasyPrint and pydyf, which can be
switched off)."""

from __future__ import annotations

import logging
import os
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from . import patches
from .errors import RenderError
from .limits import time_limit


def make_fetcher(roots: list[Path]):
    """A WeasyPrint URLFetcher that serves only data: URLs and files inside `roots`.

    Prepared images are named by content, `presskit-image:<sha256>.jpg` (see images.py), so that the
    PDF does not depend on where the output folder is; such a name is served from the first root that
    holds that file (the build's image cache is one of the roots).
    """
    patches.load_weasyprint()
    from weasyprint.urls import URLFetcher

    from .images import cached_image

    allowed = [Path(r).resolve() for r in roots]

    class SandboxFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if (cached := cached_image(url, allowed)) is not None:
                return super().fetch(cached.as_uri(), headers)
            scheme = url.split(":", 1)[0].lower()
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme != "file":
                raise ValueError(f"blocked {url}: only files inside the project and presskit's assets may load")
            path = Path(unquote(urlsplit(url).path)).resolve()
            if not any(path == root or root in path.parents for root in allowed):
                raise ValueError(f"blocked {url}: outside the project and presskit's assets")
            return super().fetch(url, headers)

    return SandboxFetcher(allowed_protocols=("file", "data"), allow_redirects=False)


class _Collector(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage().strip().splitlines()[0])


@contextmanager
def capture_weasyprint_log():
    """Collect WeasyPrint's warnings and errors during a render (missing resources, missing glyphs)."""
    logger = logging.getLogger("weasyprint")
    handler = _Collector()
    logger.addHandler(handler)
    old_propagate = logger.propagate
    logger.propagate = False
    try:
        yield handler.messages
    finally:
        logger.removeHandler(handler)
        logger.propagate = old_propagate


@dataclass
class RenderJob:
    """Everything WeasyPrint needs for one document."""

    html: str
    base_url: Path
    roots: list[Path]
    what: str  # names the document in error messages, e.g. "red-rooms press kit"
    pdf_variant: str | None = None
    options: dict = field(default_factory=dict)


_FONTCONFIG_FILE: str | None = None


def _fontconfig_file() -> str:
    """A fonts.conf that knows only the fonts presskit chooses (fonts.py: the bundled ones and the Noto
    fallbacks of every script; a project's own come through @font-face): no other font of the system can
    creep into a PDF."""
    global _FONTCONFIG_FILE
    if _FONTCONFIG_FILE is None:
        from .fonts import write_fontconfig

        folder = Path(tempfile.mkdtemp(prefix="presskit-fontconfig-"))
        _removed_at_exit(folder)
        _FONTCONFIG_FILE = str(write_fontconfig(folder))
    return _FONTCONFIG_FILE


def _removed_at_exit(folder: Path) -> None:
    """Remove `folder` (and fontconfig's cache in it) when the process that made it exits: at a normal exit,
    and in a pool worker, which ends with os._exit (multiprocessing's exit functions run in both); never in
    a process forked from it, which may use it but leaves it to its parent."""
    import multiprocessing.util
    import shutil

    pid = os.getpid()

    def remove() -> None:
        if os.getpid() == pid:
            shutil.rmtree(folder, ignore_errors=True)

    multiprocessing.util.Finalize(None, remove, exitpriority=0)


def font_configuration():
    """A WeasyPrint FontConfiguration isolated from the system's fonts (but those presskit chooses).

    Fontconfig reads FONTCONFIG_FILE each time a configuration is loaded, so it is set just around the
    creation. A character that none of those fonts has is then drawn as .notdef, which WeasyPrint logs and
    render_document turns into an error.
    """
    patches.load_weasyprint()
    from weasyprint.text.fonts import FontConfiguration

    previous = os.environ.get("FONTCONFIG_FILE")
    os.environ["FONTCONFIG_FILE"] = _fontconfig_file()
    try:
        config = FontConfiguration()
    finally:
        if previous is None:
            del os.environ["FONTCONFIG_FILE"]
        else:
            os.environ["FONTCONFIG_FILE"] = previous
    _folder_removed_at_exit(config)
    return config


# A font configuration copies the fonts of the documents' @font-face rules into a temporary folder
# (/tmp/weasyprint-*, 4 MB for presskit's fonts), which WeasyPrint deletes when the configuration is
# dropped. A worker process ends with os._exit, so that the configurations still held then (a worker keeps
# its own; garbage cycles keep others) left their folders behind: two for each catalogue build, more for
# a whole project's. Each process now deletes the folders of the configurations it made when it exits
# (multiprocessing's exit functions run in pool workers and at a normal exit); a forked process gives up
# those it inherited, which are its parent's to delete, even when it drops them.
_CONFIGS: list = []  # (pid, weak reference) of each configuration made, in the process that made it


def _folder_removed_at_exit(config) -> None:
    import multiprocessing.util
    import weakref

    pid = os.getpid()
    if not any(p == pid for p, _ in _CONFIGS):
        multiprocessing.util.Finalize(None, _remove_font_folders, exitpriority=0)
    _CONFIGS[:] = [(p, ref) for p, ref in _CONFIGS if ref() is not None]
    _CONFIGS.append((pid, weakref.ref(config)))


def _remove_font_folders() -> None:
    import shutil

    for pid, ref in _CONFIGS:
        config = ref()
        if pid == os.getpid() and config is not None and config._folder:
            shutil.rmtree(config._folder, ignore_errors=True)
            config._folder = None


def _give_up_inherited_folders() -> None:
    for _, ref in _CONFIGS:
        if (config := ref()) is not None:
            config._folder = None  # the parent's folder: its own exit (or its own drop) deletes it
    _CONFIGS.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_give_up_inherited_folders)


# --- process tuning (no patch to WeasyPrint: patches.py's switch leaves it on) -------------------------

GC_THRESHOLDS = (50_000, 20, 100)  # Python's default is (700, 10, 10)


def tune_gc() -> None:
    """Collect garbage cycles less often, for the rest of the process (presskit's own processes: the
    command line and its workers). Laying out a page allocates hundreds of thousands of short-lived
    objects, and with Python's default thresholds the cycle collector runs thousands of times a page;
    these trade a few MB more between collections for faster layout (benchmarks/README.md)."""
    import gc

    gc.set_threshold(*GC_THRESHOLDS)


def release_free_memory() -> None:
    """Give the memory this process freed back to the system (glibc keeps it otherwise): after a merge,
    which frees about twice the catalogue's size that processes forked afterwards would count as their own,
    and in a catalogue worker between parts (catalogue.parts)."""
    import ctypes

    try:  # the symbols this process has loaded, the C library's among them (no lookup by name: no ldconfig run)
        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError, TypeError):  # not glibc (musl, macOS), or no dlopen(NULL): nothing to do
        trim = None
    if trim is not None:
        trim(0)


# --- rendering -------------------------------------------------------------------------------------------


def html_document(string: str, base_url: str, url_fetcher, stylesheets: tuple[str, ...] = ()):
    """A weasyprint.HTML of `string`, made by patches.py (as WeasyPrint makes it when the patches are off);
    `stylesheets` are the text of the author stylesheets the render will be given."""
    return patches.html_document(string, base_url, url_fetcher, stylesheets)


def render_code_tag() -> str:
    """A tag of the code that turns HTML into PDF bytes here (this module, fonts.py and the patches' files),
    of the font files presskit chooses (fonts.identity) and of whether the patches are on: cached renders
    keyed with it are dropped when that changes, so that a cached part never differs from a new one."""
    return _code_tag(patches.enabled())


@lru_cache(maxsize=2)
def _code_tag(patched: bool) -> str:
    import hashlib

    from . import fonts

    h = hashlib.sha256(b"patched\n" if patched else b"stock\n")
    for module in (__file__, fonts.__file__, *patches.source_files()):
        h.update(Path(module).read_bytes())
    h.update(fonts.identity().encode())  # the fonts a render may use, as they are on this machine
    return h.hexdigest()[:16]


def render_document(job: RenderJob, font_config=None):
    """Lay out the HTML; fail on anything WeasyPrint logged. Returns a weasyprint Document."""
    font_config = font_config or font_configuration()
    with time_limit(job.what), capture_weasyprint_log() as messages:  # limits.py: no render runs without end
        html = html_document(job.html, job.base_url.as_uri() + "/", make_fetcher(job.roots))
        document = html.render(font_config=font_config, **_render_options(job))
    _raise_on_log(job, messages)
    return document


def _render_options(job: RenderJob) -> dict:
    options = {"pdf_variant": job.pdf_variant, **job.options}
    return {k: v for k, v in options.items() if v is not None}


def _raise_on_log(job: RenderJob, messages: list[str]) -> None:
    if messages:
        unique = list(dict.fromkeys(messages))
        raise RenderError(
            f"rendering the {job.what} failed: WeasyPrint reported {len(unique)} problem(s)\n"
            + "\n".join(f"  {m}" for m in unique)
        )


def write_document(job: RenderJob, document) -> bytes:
    """Serialise a laid-out document to PDF bytes, failing on anything WeasyPrint logged."""
    with time_limit(job.what), capture_weasyprint_log() as messages:
        data = document.write_pdf(**_render_options(job))
    _raise_on_log(job, messages)
    return data


def render_pdf(job: RenderJob) -> bytes:
    return write_document(job, render_document(job))
