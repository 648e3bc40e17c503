"""HTML -> PDF with WeasyPrint: a sandboxed URL fetcher, log capture, atomic writes."""
from __future__ import annotations

import logging
import os
import re
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from . import htmltree
from .errors import RenderError
from .limits import time_limit


def load_weasyprint() -> None:
    """Import WeasyPrint (once per process) with its native libraries found by their Linux names.

    WeasyPrint's text/ffi.py tries several names per library (Windows', macOS' and Linux' spellings, the
    Linux one fifth) and cffi asks ctypes.util.find_library about each name that does not open as it
    is, which on Linux runs ldconfig, then gcc and ld: about 45 programs and 0.15 s of CPU each time a
    process imports WeasyPrint, and 0.2 s before a catalogue worker can start. While WeasyPrint is
    imported here that lookup finds nothing, so each library is opened by the name the dynamic linker
    knows (libpango-1.0.so.0 ...) through its usual search path; where that fails (another system), the
    import is tried again with the standard lookup, whose errors the user then sees."""
    import sys

    if "weasyprint" in sys.modules:
        return
    import contextlib
    import ctypes.util
    import io

    standard = ctypes.util.find_library
    ctypes.util.find_library = lambda name: None
    try:
        with contextlib.redirect_stdout(io.StringIO()):  # WeasyPrint prints its advice when a library is missing
            import weasyprint  # noqa: F401
        return
    except OSError:
        for name in [m for m in sys.modules if m == "weasyprint" or m.startswith("weasyprint.")]:
            del sys.modules[name]
    finally:
        ctypes.util.find_library = standard
    import weasyprint  # noqa: F401,F811


def make_fetcher(roots: list[Path]):
    """A WeasyPrint URLFetcher that serves only data: URLs and files inside `roots`.

    Prepared images are named by content, `presskit-image:<sha256>.jpg` (see images.py), so that the
    PDF does not depend on where the output folder is; such a name is served from the first root that
    holds that file (the build's image cache is one of the roots).
    """
    load_weasyprint()
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
    """A fonts.conf that knows only presskit's bundled fonts: no system font can creep into a PDF."""
    global _FONTCONFIG_FILE
    if _FONTCONFIG_FILE is None:
        from .resources import builtin_assets

        folder = Path(tempfile.mkdtemp(prefix="presskit-fontconfig-"))
        _removed_at_exit(folder)
        (folder / "fonts.conf").write_text(
            '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
            f"  <dir>{builtin_assets() / 'fonts'}</dir>\n  <cachedir>{folder / 'cache'}</cachedir>\n"
            "</fontconfig>\n",
            encoding="utf-8",
        )
        _FONTCONFIG_FILE = str(folder / "fonts.conf")
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


GC_THRESHOLDS = (50_000, 20, 100)  # Python's default is (700, 10, 10)


def tune_gc() -> None:
    """Collect garbage cycles less often, for the rest of the process (presskit's own processes: the
    command line and its workers). Laying out a page allocates hundreds of thousands of short-lived
    objects, and with Python's default thresholds the cycle collector runs thousands of times a page;
    with these, a catalogue's film pages lay out 15-20 % faster for a few MB more of memory between
    collections (measured on the 300-film benchmark: benchmarks/README.md)."""
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


def font_configuration():
    """A WeasyPrint FontConfiguration isolated from the system's fonts.

    Fontconfig reads FONTCONFIG_FILE each time a configuration is loaded, so it is set just around the
    creation. A character that no bundled font has is then drawn as .notdef, which WeasyPrint logs and
    render_document turns into an error.
    """
    load_weasyprint()
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


# --- the user-agent stylesheet -----------------------------------------------------------------------

# WeasyPrint's HTML5 user-agent stylesheet styles ::footnote-call, ::footnote-marker, ::note-call,
# ::note-marker, ::note-callback and ::marker for every element: the cascade then computes six
# pseudo-element styles per element of the document (about 18 000 computed styles for four catalogue
# pages instead of 1 500), most of its time and about 4 % of laying out a catalogue page. presskit's
# layouts use no footnotes or notes, and list markers only on <li>: its documents get the stylesheet
# without the first five rules and with `li::marker`, and render exactly as with the original
# (tests/test_render.py compares the pages). A document whose markup or styles use footnotes, notes or
# `display: list-item` (a project's own layouts may) keeps WeasyPrint's original.
_UNSCOPED_PSEUDO = re.compile(r"^::(?:footnote-call|footnote-marker|note-call|note-marker|note-callback) \{[^}]*\}\n",
                              re.M)
_NEEDS_FULL_UA = re.compile(r"footnote|::note|note-call|note-marker|float\s*:\s*note|list-item", re.I)
_LEAN_UA: list = []  # [the lean stylesheet, or None when WeasyPrint's text is not the one expected]


def lean_user_agent_stylesheet():
    """WeasyPrint's HTML5 user-agent stylesheet as presskit's documents need it (parsed once per process),
    or None if the installed WeasyPrint's differs from what this was written for."""
    if not _LEAN_UA:
        from weasyprint import CSS
        from weasyprint.html import UA

        text, dropped = _UNSCOPED_PSEUDO.subn("", UA)
        lean = None
        if dropped == 5 and UA.count("\n::marker {") == 1:
            lean = CSS(string=text.replace("\n::marker {", "\nli::marker {"), counter_style={})
        _LEAN_UA.append(lean)
    return _LEAN_UA[0]


def needs_full_user_agent_stylesheet(*texts: str) -> bool:
    """Whether HTML or CSS `texts` use what the lean user-agent stylesheet leaves out."""
    return any(_NEEDS_FULL_UA.search(text) for text in texts)


def html_document(string: str, base_url: str, url_fetcher, stylesheets: tuple[str, ...] = ()):
    """A weasyprint.HTML of `string` styled over the lean user-agent stylesheet (see above) when its markup
    and `stylesheets` (the text of the author stylesheets given to render) allow."""
    load_weasyprint()
    from weasyprint import HTML

    lean = None if needs_full_user_agent_stylesheet(string, *stylesheets) else lean_user_agent_stylesheet()
    cls = HTML if lean is None else _lean_html_class()
    _compress_streams_faster()  # (once per process: every render comes through here)
    _arrays_without_parsing()
    tree = htmltree.parse(string) if _can_take_a_tree() else None
    if tree is None:
        return cls(string=string, base_url=base_url, url_fetcher=url_fetcher)
    return _with_tree(cls, tree, base_url, url_fetcher)


# pydyf, WeasyPrint's PDF writer, compresses every stream (page contents, font subsets) at zlib level 9.
# On the streams of 20 catalogue parts (6 MB) level 9 took 312 ms for 1928 KB, level 6 134 ms for 1937 KB:
# the same size within 0.5 %, in less than half the time (about a second of CPU on a 300-film catalogue).
STREAM_COMPRESSION = 6


@lru_cache(maxsize=1)
def _compress_streams_faster() -> bool:
    """Have pydyf compress its streams at STREAM_COMPRESSION: its module's `zlib` replaced by one whose
    compressobj() takes no level. Only when pydyf's code is the one this was written for (level 9 asked
    for in Stream.data); True when done."""
    import inspect
    import types
    import zlib

    import pydyf

    try:
        written_for = "zlib.compressobj(level=9)" in inspect.getsource(pydyf.Stream)
    except (OSError, TypeError):
        written_for = False
    if not written_for or getattr(pydyf, "zlib", None) is not zlib:
        return False
    shim = types.ModuleType("zlib", "zlib, streams compressed at presskit.pdf.STREAM_COMPRESSION")
    shim.__dict__.update({k: v for k, v in vars(zlib).items() if not k.startswith("__")})
    shim.compressobj = lambda level=-1, *args, **kwargs: zlib.compressobj(STREAM_COMPRESSION, *args, **kwargs)
    pydyf.zlib = shim
    return True


# WeasyPrint subsets each font of each document through HarfBuzz with arrays declared by size,
# ffi.new(f"hb_codepoint_t[{n}]", values): cffi parses every new declaration with pycparser (about 3 ms),
# and n, a count of glyphs, is new for most fonts of most documents: 0.35 s of CPU for the 53 parts of a
# 300-film catalogue in one process. The same array declared open, "hb_codepoint_t[]", sized by its values,
# is parsed once. Only the font module (weasyprint.pdf.fonts) sees the change: the text layout calls
# ffi.new some 1 800 times a page, which a wrapper would slow down.
_SIZED_ARRAY = re.compile(r"^\s*([A-Za-z_]\w*)\s*\[\s*(\d+)\s*\]\s*$")


class _OpenArrays:
    """WeasyPrint's cffi FFI for its font module, whose new() makes an array declared `T[n]` and given n
    values as `T[]` (the same array, the same bytes; any other call is passed on as it is)."""

    def __init__(self, ffi):
        self._ffi = ffi

    def __getattr__(self, name):
        return getattr(self._ffi, name)

    def new(self, cdecl, init=None):
        if isinstance(cdecl, str) and isinstance(init, (list, tuple)) and (match := _SIZED_ARRAY.match(cdecl)) \
                and int(match.group(2)) == len(init) > 0:
            return self._ffi.new(f"{match.group(1)}[]", init)
        return self._ffi.new(cdecl, init)


@lru_cache(maxsize=1)
def _arrays_without_parsing() -> bool:
    """Give WeasyPrint's font module an FFI whose new() declares sized arrays open (_OpenArrays). True when
    done."""
    from weasyprint.pdf import fonts

    if not isinstance(fonts.ffi, _OpenArrays):
        fonts.ffi = _OpenArrays(fonts.ffi)
    return True


@lru_cache(maxsize=1)
def render_code_tag() -> str:
    """A tag of the code that turns HTML into PDF bytes here (this module and htmltree): cached renders
    keyed with it are dropped when that code changes, so that a cached part never differs from a new one."""
    import hashlib

    h = hashlib.sha256()
    for module in (__file__, htmltree.__file__):
        h.update(Path(module).read_bytes())
    return h.hexdigest()[:16]


def _with_tree(cls, root, base_url: str, url_fetcher):
    """A weasyprint.HTML (of class `cls`) of an element tree already parsed (htmltree.parse): what WeasyPrint
    70's HTML.__init__ sets after it has parsed the source."""
    import cssselect2
    from weasyprint import _find_base_url

    document = cls.__new__(cls)
    document.base_url = _find_base_url(root, base_url)
    document.url_fetcher = url_fetcher
    document.media_type = "print"
    document.wrapper_element = cssselect2.ElementWrapper.from_html_root(root, content_language=None)
    document.etree_element = document.wrapper_element.etree_element
    return document


@lru_cache(maxsize=1)
def _can_take_a_tree() -> bool:
    """Whether the installed WeasyPrint's HTML objects hold what _with_tree sets, and nothing else."""
    from weasyprint import HTML

    try:
        return set(vars(HTML(string="<p>", base_url="file:///")).keys()) == _TREE_FIELDS
    except Exception:  # noqa: BLE001 (any change there: parse the usual way)
        return False


_TREE_FIELDS = {"base_url", "url_fetcher", "media_type", "wrapper_element", "etree_element"}


@lru_cache(maxsize=1)
def _lean_html_class():
    """weasyprint.HTML over the lean stylesheet (made on first use: WeasyPrint is imported lazily)."""
    from weasyprint import HTML

    class LeanHTML(HTML):
        def _ua_stylesheets(self, forms=False):  # WeasyPrint 70's hook: the HTML class's own stylesheets
            return [lean_user_agent_stylesheet(), *super()._ua_stylesheets(forms)[1:]]

    return LeanHTML


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
