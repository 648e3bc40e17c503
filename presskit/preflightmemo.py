"""What a page's preflight checks read, as one key: the page checks of a rebuilt catalogue are remembered
by it (cache.State.pages), and only the pages whose key is new are checked again (presskit.preflight).

A page's key is the sha256 of the check settings and of the page's content: its dictionary (boxes, user
unit, group, annotations...) with the attributes it inherits, its content streams and every object they
reach (resources: fonts, images, forms, patterns, colour spaces, graphics states, recursively), streams by
their dictionary and raw (still compressed) bytes. Objects are known by what they hold, never by their
object number, which changes when a catalogue is merged again. A reference to another page (a link's
destination, an annotation's /P) counts as "a page": no page check reads one. A page whose objects refer
to each other in a loop, or that cannot be read, has no key (it is always checked).

A catalogue page is a part's page placed under a folio stamp (products.catalogue.merge: its content wrapped
in "q [shift cm] ... Q" and a form /FolioN drawn over it): when one film is withdrawn every later page gets
another number, stamp and shift, its own content none. Such a page has two more keys (PageKeys.placed): its
content's (without the placement, the stamp or the part's other stamps, whose shift no check but the
rendered trim edges reads) and its stamp's (each folio form recurs from the last build). The preflight
checks such a page by rendering its edges only, when both are remembered (_Checker.check_remembered), and
without rendering them when the boxes of what its content and its stamp draw, remembered by the same keys
(PageKeys.bounds_keys), keep clear of its edges at its shift (trimedges.clear_of_edges).
"""

from __future__ import annotations

import hashlib
import re

import pikepdf
from pikepdf import Dictionary, Name, Stream

# an indirect reference in unparsed PDF ("12 0 R"); one inside a string is followed too, which can only
# make a key differ when nothing changed, never match when something did
_REFERENCE = re.compile(rb"(?<![\w.+-])(\d+) (\d+) R(?![\w])")
_INHERITED = ("/Resources", "/MediaBox", "/CropBox", "/Rotate")
_PAGE_TYPES = (Name.Page, Name.Pages)
_PLACED = re.compile(rb"q( 1 0 0 1 -?[0-9.]+ 0 cm)?\n")  # what merge._place writes before and after
_STAMPED = re.compile(rb"\nQ\nq (/Folio[0-9]+) Do Q\n")
_FOLIO = re.compile(r"/Folio[0-9]+")


class _Loop(Exception):
    pass


class PageKeys:
    """The keys of the pages of one open document (see the module's doc); the objects pages share (fonts,
    images of one part) are hashed once."""

    def __init__(self, pdf: pikepdf.Pdf, settings: str, embedded=None):
        self.pdf = pdf
        self.embedded = embedded  # whether a font is embedded, as the page checks tell (a stamp's key: _stamp)
        self.settings = hashlib.sha256(settings.encode()).digest()
        self._known: dict[tuple[int, int], bytes] = {}
        self._open: set[tuple[int, int]] = set()

    def key(self, page: Dictionary) -> str | None:
        """The key of `page` (a page dictionary), None when its objects loop."""
        h = hashlib.sha256(self.settings)
        try:
            h.update(self._text(page.unparse(resolved=True)))
            for name in _INHERITED:
                if name not in page:
                    value = _inherited(page, name)
                    h.update(name.encode() + (self._digest(value) if value is not None else b"-"))
        except Exception:  # noqa: BLE001  (_Loop, or objects pikepdf cannot read: the page has no key)
            return None
        return h.hexdigest()

    def placed(self, page: Dictionary, unit: float) -> tuple[str, str, tuple[int, int]] | None:
        """(content key, stamp key, the stamp's object) of a placed catalogue page (see the module's doc),
        None for any other page. The content key leaves out the page's /Contents but its own streams and
        the /FolioN forms of its resources: the check must find that no content of the page draws one but
        its stamp. `unit`: the page's UserUnit (the stamp is checked at it)."""
        try:
            contents = page.get("/Contents")
            if not isinstance(contents, pikepdf.Array) or len(contents) < 3:
                return None
            streams = list(contents)
            if not all(isinstance(s, Stream) and s.is_indirect for s in streams):
                return None
            stamped = _STAMPED.fullmatch(streams[-1].read_bytes())
            if not _PLACED.fullmatch(streams[0].read_bytes()) or stamped is None:
                return None
            resources = page.get("/Resources")
            xobjects = resources.get("/XObject") if isinstance(resources, Dictionary) else None
            stamp = xobjects.get(stamped[1].decode()) if isinstance(xobjects, Dictionary) else None
            if not isinstance(stamp, Stream) or not stamp.is_indirect or "/Resources" not in stamp:
                return None
            assert isinstance(resources, Dictionary) and isinstance(xobjects, Dictionary)
            h = hashlib.sha256(self.settings + b"placed")
            for name, value in page.items():
                if name not in ("/Contents", "/Resources"):
                    h.update(name.encode() + self._digest(value))
            for name in _INHERITED:
                if name not in page:
                    value = _inherited(page, name)
                    h.update(name.encode() + (self._digest(value) if value is not None else b"-"))
            for name, value in resources.items():
                if name != "/XObject":
                    h.update(name.encode() + self._digest(value))
            for name, value in xobjects.items():
                if not _FOLIO.fullmatch(name):
                    h.update(b"xobject" + name.encode() + self._digest(value))
            for stream in streams[1:-1]:
                h.update(b"content" + self._indirect(stream.objgen, stream))
            s = hashlib.sha256(self.settings + b"stamp" + repr(unit).encode() + self._stamp(stamp))
        except Exception:  # noqa: BLE001  (as key)
            return None
        return "content:" + h.hexdigest(), "stamp:" + s.hexdigest(), stamp.objgen

    def bounds_keys(self, page: Dictionary, placed) -> tuple[str, str, float]:
        """(the key of its content's page-object boxes, its stamp's, its content's shift across) of a placed
        page (`placed`: its keys, see placed): the boxes pdfium gives the objects its content draws (at no
        shift) and its stamp draws, remembered to tell without rendering that nothing comes near the trim
        (preflight._Checker.check_trim_edges). A stamp's boxes are known by all of the stamp: its fonts'
        programs give its text's boxes."""
        match = _PLACED.fullmatch(page.Contents[0].read_bytes())
        shift = float(match[1].split()[4]) if match is not None and match[1] else 0.0
        stamp = hashlib.sha256(self.settings + b"stamp bounds" + self._indirect(placed[2]))
        return "bounds:" + placed[0], "bounds:" + stamp.hexdigest(), shift

    def _stamp(self, stamp: Stream) -> bytes:
        """A stamp's digest, with its fonts' programs left out (a part's font subsets change when its pages
        do): no page check reads one but a Type3 font's glyphs, only whether a font is
        embedded (self.embedded: without it, a font is known by its program); the document's checks read
        the programs."""
        h = hashlib.sha256(b"stream" + hashlib.sha256(stamp.read_raw_bytes()).digest())
        for name, value in stamp.stream_dict.items():
            if name != "/Resources":
                h.update(name.encode() + self._digest(value))
        for name, value in stamp.Resources.items():
            if name != "/Font" or not isinstance(value, Dictionary):
                h.update(name.encode() + self._digest(value))
                continue
            for font_name, font in value.items():
                if self.embedded is not None and isinstance(font, Dictionary) and font.get("/Subtype") != Name.Type3:
                    summary = f"font {font.get('/Subtype')} embedded={self.embedded(font)}".encode()
                    h.update(b"font" + font_name.encode() + hashlib.sha256(summary).digest())
                else:
                    h.update(b"font" + font_name.encode() + self._digest(font))
        return h.digest()

    def _digest(self, obj) -> bytes:
        if not isinstance(obj, pikepdf.Object):  # (a number or a boolean, as pikepdf gives them)
            return hashlib.sha256(repr(obj).encode()).digest()
        if not obj.is_indirect:
            return hashlib.sha256(self._text(obj.unparse(resolved=True))).digest()
        return self._indirect(obj.objgen, obj)

    def _indirect(self, objgen: tuple[int, int], obj=None) -> bytes:
        known = self._known.get(objgen)
        if known is not None:
            return known
        if objgen in self._open:
            raise _Loop
        if obj is None:
            try:
                obj = self.pdf.get_object(objgen)
            except (pikepdf.PdfError, ValueError, KeyError):
                return b"missing"
        if isinstance(obj, Dictionary) and obj.get("/Type") in _PAGE_TYPES:
            return b"page"
        self._open.add(objgen)
        try:
            h = hashlib.sha256()
            if isinstance(obj, Stream):
                h.update(b"stream")
                h.update(self._text(obj.stream_dict.unparse(resolved=True)))
                h.update(hashlib.sha256(obj.read_raw_bytes()).digest())
            else:
                h.update(self._text(obj.unparse(resolved=True)))
        finally:
            self._open.discard(objgen)
        digest = self._known[objgen] = h.digest()
        return digest

    def _text(self, text: bytes) -> bytes:
        """Unparsed PDF with each indirect reference replaced by the digest of what it refers to."""
        return _REFERENCE.sub(lambda m: b"@" + self._indirect((int(m[1]), int(m[2]))).hex().encode() + b"@", text)


def looks_placed(page: Dictionary) -> bool:
    """Whether `page` is laid out as a placed catalogue page (see PageKeys.placed), read without a key."""
    try:
        contents = page.get("/Contents")
        if not isinstance(contents, pikepdf.Array) or len(contents) < 3:
            return False
        first, last = contents[0], contents[len(contents) - 1]
        return (
            isinstance(first, Stream)
            and isinstance(last, Stream)
            and _PLACED.fullmatch(first.read_bytes()) is not None
            and _STAMPED.fullmatch(last.read_bytes()) is not None
        )
    except Exception:  # noqa: BLE001  (as PageKeys.key)
        return False


def _inherited(page: Dictionary, key: str):
    node = page.get("/Parent")
    for _ in range(50):
        if not isinstance(node, Dictionary):
            return None
        if key in node:
            return node[key]
        node = node.get("/Parent")
    return None
