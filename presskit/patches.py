"""presskit's patches to WeasyPrint 70 and pydyf: the same documents, made faster.

- load_weasyprint: WeasyPrint's native libraries opened by their Linux names, without
  ctypes.util.find_library (which runs ldconfig, gcc and ld for each of the names WeasyPrint tries).
- html_document: a lean user-agent stylesheet (without the footnote, note and marker pseudo-elements
  that make the cascade style six pseudo-elements per element), and the HTML parsed by lexbor
  (htmltree.py) instead of tinyhtml5, into the same tree.
- pydyf's streams compressed at zlib level STREAM_COMPRESSION instead of 9: the only patch that changes
  bytes (the compressed streams, and the document ids computed from them), not what they decompress to.
- WeasyPrint's font module given an FFI whose new() declares HarfBuzz arrays open (`T[]`, not `T[n]`),
  so that cffi parses one declaration instead of one per glyph count.

Each patch checks that the installed code is the one it was written for, and leaves it alone otherwise.
PRESSKIT_NO_PATCHES=1 in the environment (read once, at import) or disable() turns them all off:
WeasyPrint is then imported and used as shipped. tests/test_patches.py builds the demo both ways; the
figures that justified each patch are in benchmarks/README.md.
"""

from __future__ import annotations

import os
import re
import sys
from functools import lru_cache

from . import htmltree

_enabled = os.environ.get("PRESSKIT_NO_PATCHES", "") in ("", "0")
_undo: list = []  # what takes back the patches applied to WeasyPrint's and pydyf's modules (disable)


def enabled() -> bool:
    return _enabled


def disable() -> None:
    """Turn the patches off in this process (and in the workers it forks later), those already applied to
    modules taken back. Processes started otherwise read PRESSKIT_NO_PATCHES."""
    global _enabled
    _enabled = False
    while _undo:
        _undo.pop()()


def source_files() -> list[str]:
    """The files of the patches' code (pdf.render_code_tag hashes them)."""
    return [__file__, htmltree.__file__]


def load_weasyprint() -> None:
    """Import WeasyPrint (once per process) and patch it and pydyf, when the patches are on."""
    if "weasyprint" not in sys.modules:
        if _enabled:
            _import_without_find_library()
        else:
            import weasyprint  # noqa: F401
    if _enabled:
        _compress_streams_faster()
        _arrays_without_parsing()


def _import_without_find_library() -> None:
    """Import WeasyPrint while ctypes.util.find_library finds nothing: cffi then opens each library by the
    name the dynamic linker knows (libpango-1.0.so.0 ...), through its usual search path. Where that fails
    (another system), the import is tried again with the standard lookup, whose errors the user then sees."""
    import contextlib
    import ctypes.util
    import io

    standard = ctypes.util.find_library
    ctypes.util.find_library = lambda name: None
    try:
        with contextlib.redirect_stdout(io.StringIO()):  # WeasyPrint prints its advice when a library is missing
            import weasyprint
        return
    except OSError:
        for name in [m for m in sys.modules if m == "weasyprint" or m.startswith("weasyprint.")]:
            del sys.modules[name]
    finally:
        ctypes.util.find_library = standard
    import weasyprint  # noqa: F401


def html_document(string: str, base_url: str, url_fetcher, stylesheets: tuple[str, ...] = ()):
    """A weasyprint.HTML of `string`. With the patches on, styled over the lean user-agent stylesheet when
    its markup and `stylesheets` (the text of the author stylesheets given to render) allow, and made of
    the tree lexbor parses when htmltree handles the markup."""
    load_weasyprint()
    from weasyprint import HTML

    if not _enabled:
        return HTML(string=string, base_url=base_url, url_fetcher=url_fetcher)
    lean = None if needs_full_user_agent_stylesheet(string, *stylesheets) else lean_user_agent_stylesheet()
    cls = HTML if lean is None else _lean_html_class()
    tree = htmltree.parse(string) if _can_take_a_tree() else None
    if tree is None:
        return cls(string=string, base_url=base_url, url_fetcher=url_fetcher)
    return _with_tree(cls, tree, base_url, url_fetcher)


# --- the lean user-agent stylesheet -------------------------------------------------------------------

# WeasyPrint's HTML5 user-agent stylesheet styles ::footnote-call, ::footnote-marker, ::note-call,
# ::note-marker, ::note-callback and ::marker for every element, so the cascade computes six pseudo-element
# styles per element. presskit's layouts use no footnotes or notes, and list markers only on <li>: its
# documents get the stylesheet without the first five rules and with `li::marker`, and render exactly as
# with the original. A document whose markup or styles use footnotes, notes or `display: list-item` (a
# project's own layouts may) keeps WeasyPrint's original.
_UNSCOPED_PSEUDO = re.compile(
    r"^::(?:footnote-call|footnote-marker|note-call|note-marker|note-callback) \{[^}]*\}\n", re.M
)
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


@lru_cache(maxsize=1)
def _lean_html_class():
    """weasyprint.HTML over the lean stylesheet (made on first use: WeasyPrint is imported lazily)."""
    from weasyprint import HTML

    class LeanHTML(HTML):
        def _ua_stylesheets(self, forms=False):  # WeasyPrint 70's hook: the HTML class's own stylesheets
            return [lean_user_agent_stylesheet(), *super()._ua_stylesheets(forms)[1:]]

    return LeanHTML


# --- the tree parsed by lexbor ------------------------------------------------------------------------

_TREE_FIELDS = {"base_url", "url_fetcher", "media_type", "wrapper_element", "etree_element"}


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


# --- pydyf's compression level ------------------------------------------------------------------------

STREAM_COMPRESSION = 6  # pydyf's is 9; 6 makes streams of about the same size, faster


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
    shim = types.ModuleType("zlib", "zlib, streams compressed at presskit.patches.STREAM_COMPRESSION")
    shim.__dict__.update({k: v for k, v in vars(zlib).items() if not k.startswith("__")})
    shim.compressobj = lambda level=-1, *args, **kwargs: zlib.compressobj(STREAM_COMPRESSION, *args, **kwargs)  # type: ignore[attr-defined]
    pydyf.zlib = shim
    _undo.append(lambda: setattr(pydyf, "zlib", zlib))
    return True


# --- HarfBuzz arrays declared open --------------------------------------------------------------------

# WeasyPrint subsets each font of each document through HarfBuzz with arrays declared by size,
# ffi.new(f"hb_codepoint_t[{n}]", values): cffi parses every new declaration with pycparser, and n, a
# count of glyphs, is new for most fonts of most documents. The same array declared open,
# "hb_codepoint_t[]", sized by its values, is parsed once. Only the font module (weasyprint.pdf.fonts)
# sees the change: the text layout calls ffi.new far more often, and a wrapper would slow it down.
_SIZED_ARRAY = re.compile(r"^\s*([A-Za-z_]\w*)\s*\[\s*(\d+)\s*\]\s*$")


class _OpenArrays:
    """WeasyPrint's cffi FFI for its font module, whose new() makes an array declared `T[n]` and given n
    values as `T[]` (the same array, the same bytes; any other call is passed on as it is)."""

    def __init__(self, ffi):
        self._ffi = ffi

    def __getattr__(self, name):
        return getattr(self._ffi, name)

    def new(self, cdecl, init=None):
        if (
            isinstance(cdecl, str)
            and isinstance(init, (list, tuple))
            and (match := _SIZED_ARRAY.match(cdecl))
            and int(match.group(2)) == len(init) > 0
        ):
            return self._ffi.new(f"{match.group(1)}[]", init)
        return self._ffi.new(cdecl, init)


@lru_cache(maxsize=1)
def _arrays_without_parsing() -> bool:
    """Give WeasyPrint's font module an FFI whose new() declares sized arrays open (_OpenArrays). True when
    done."""
    from weasyprint.pdf import fonts

    if not isinstance(fonts.ffi, _OpenArrays):
        stock = fonts.ffi
        fonts.ffi = _OpenArrays(stock)
        _undo.append(lambda: setattr(fonts, "ffi", stock))
    return True
