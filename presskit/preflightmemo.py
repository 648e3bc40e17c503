"""What a page's preflight checks read, as one key: the page checks of a rebuilt catalogue are remembered
by it (cache.State.pages), and only the pages whose key is new are checked again (presskit.preflight).

A page's key is the sha256 of the check settings and of the page's content: its dictionary (boxes, user
unit, group, annotations...) with the attributes it inherits, its content streams and every object they
reach (resources: fonts, images, forms, patterns, colour spaces, graphics states, recursively), streams by
their dictionary and raw (still compressed) bytes. Objects are known by what they hold, never by their
object number, which changes when a catalogue is merged again. A reference to another page (a link's
destination, an annotation's /P) counts as "a page": no page check reads one. A page whose objects refer
to each other in a loop, or that cannot be read, has no key (it is always checked).
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


class _Loop(Exception):
    pass


class PageKeys:
    """The keys of the pages of one open document (see the module's doc); the objects pages share (fonts,
    images of one part) are hashed once."""

    def __init__(self, pdf: pikepdf.Pdf, settings: str):
        self.pdf = pdf
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


def _inherited(page: Dictionary, key: str):
    node = page.get("/Parent")
    for _ in range(50):
        if not isinstance(node, Dictionary):
            return None
        if key in node:
            return node[key]
        node = node.get("/Parent")
    return None
