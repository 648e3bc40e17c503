"""The font programs of a print PDF, as a press expects them (pikepdf, fontTools).

WeasyPrint 70 embeds every font as a Type0 font whose CIDFont holds the whole OpenType file: a CFF-based
font as FontFile3 /Subtype /OpenType (a PDF 1.6 feature), a TrueType one as FontFile2. It names each
subset after the font's description, so different subsets of one font share a tag ("KAIRAE+PK-Condensed,",
the comma Pango's), and the parts of a merged catalogue repeat them: RIPs that cache fonts by name then
print the wrong glyphs.

- `retag_subsets`: every font program gets its own subset tag, six capital letters derived from the
  program's bytes (the same program, the same tag: builds stay byte-identical), written into its
  FontDescriptor's /FontName and the /BaseFont of every font that uses it; BaseFont names keep only the
  characters a PostScript name allows.
- `embed_as_cff` (PDF/X-1a, PDF 1.3-1.4): the CFF table of each OpenType font, made CID-keyed with the
  identity charset (CID n is glyph n, as WeasyPrint's Identity-H codes mean), is embedded bare as
  FontFile3 /Subtype /CIDFontType0C; the CIDFont's CFF-less CIDToGIDMap goes. TrueType stays FontFile2.
"""

from __future__ import annotations

import hashlib
import io
import re
import struct

from .errors import RenderError

CID_ROS = ("Adobe", "Identity", 0)
_NOT_IN_NAME = re.compile(r"[^A-Za-z0-9._+-]")


# --- subset tags ----------------------------------------------------------------------------------------


def subset_tag(program: bytes, salt: int = 0) -> str:
    """Six capital letters from the sha256 of a font program (`salt` > 0 when two programs of one file
    would otherwise share a tag)."""
    digest = hashlib.sha256(program + (salt.to_bytes(4, "big") if salt else b"")).digest()
    return "".join(chr(65 + b % 26) for b in digest[:6])


def clean_font_name(name: str) -> str:
    """A BaseFont name without its subset tag and without what a PostScript name cannot hold
    ('PK-Condensed,' -> 'PK-Condensed')."""
    name = name.lstrip("/")
    if re.match(r"^[A-Z]{6}\+", name):
        name = name[7:]
    return _NOT_IN_NAME.sub("", name).strip("-.+") or "Font"


def _descriptor(font):
    """The FontDescriptor of a simple font or of a Type0 font's CIDFont (None for Type3 and the like)."""
    import pikepdf

    if str(font.get("/Subtype")) == "/Type0":
        descendants = font.get("/DescendantFonts")
        if not isinstance(descendants, pikepdf.Array) or not len(descendants):
            return None
        font = descendants[0]
    descriptor = font.get("/FontDescriptor")
    return descriptor if isinstance(descriptor, pikepdf.Dictionary) else None


def _font_file(descriptor) -> tuple[str, object]:
    """(the key, the font program) of a font descriptor's embedded program; the program None when there is none."""
    for key in ("/FontFile", "/FontFile2", "/FontFile3"):
        if key in descriptor:
            return key, descriptor[key]
    return "", None


def fonts(pdf):
    """Every font dictionary of the document that is an object of its own, once."""
    import pikepdf

    for obj in pdf.objects:
        is_font = isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == pikepdf.Name.Font
        if is_font and ("/DescendantFonts" in obj or "/FontDescriptor" in obj):
            yield obj


def retag_subsets(pdf) -> int:
    """Give every embedded font program its own subset tag (see the module docstring), and let the fonts
    whose programs are byte for byte the same (a merged catalogue's parts often subset a font alike) share
    one copy; returns how many programs were tagged."""
    import pikepdf

    tags: dict[tuple, str] = {}  # the font file's object -> its tag
    by_tag: dict[str, bytes] = {}  # tag -> the digest of the program that holds it
    first: dict[bytes, pikepdf.Stream] = {}  # digest -> the first font file object holding that program
    for font in sorted(fonts(pdf), key=lambda f: f.objgen):
        descriptor = _descriptor(font)
        key, program = _font_file(descriptor) if descriptor is not None else ("", None)
        if not isinstance(program, pikepdf.Stream):
            continue  # not embedded: the preflight says so
        if program.objgen not in tags:
            data = program.read_bytes()
            digest = hashlib.sha256(data).digest()
            salt, tag = 0, subset_tag(data)
            while by_tag.get(tag, digest) != digest:
                salt += 1
                tag = subset_tag(data, salt)
            by_tag[tag] = digest
            tags[program.objgen] = tag
            first.setdefault(digest, program)
            if first[digest].objgen != program.objgen:
                descriptor[key] = first[digest]
        tag = tags[program.objgen]
        base = clean_font_name(str(descriptor.get("/FontName", font.get("/BaseFont", "/Font"))))
        name = pikepdf.Name(f"/{tag}+{base}")
        descriptor.FontName = name
        font.BaseFont = name
        for descendant in font.get("/DescendantFonts", []):
            descendant.BaseFont = name
    return len(tags)


# --- CFF for PDF 1.3-1.4 -----------------------------------------------------------------------------


def embed_as_cff(pdf, what: str) -> int:
    """Replace every FontFile3 /OpenType by the bare CID-keyed CFF it holds (/CIDFontType0C); returns how
    many programs were converted. A font that cannot be converted fails the build (RenderError)."""
    import pikepdf
    from fontTools.ttLib import TTLibError

    converted: dict[tuple, bool] = {}
    made: dict[bytes, bytes] = {}  # sha256 of an OpenType program -> its CFF (parts of a catalogue repeat some)
    for font in fonts(pdf):
        if str(font.get("/Subtype")) != "/Type0":
            continue
        for cidfont in font.get("/DescendantFonts", []):
            descriptor = cidfont.get("/FontDescriptor")
            program = descriptor.get("/FontFile3") if isinstance(descriptor, pikepdf.Dictionary) else None
            if not isinstance(program, pikepdf.Stream):
                continue
            if program.objgen not in converted and str(program.get("/Subtype")) == "/OpenType":
                try:
                    otf = program.read_bytes()
                    digest = hashlib.sha256(otf).digest()
                    cff = made[digest] = made.get(digest) or cid_keyed_cff(otf)
                except (ValueError, KeyError, IndexError, AssertionError, struct.error, TTLibError) as exc:
                    raise RenderError(
                        f"the {what}: the font {cidfont.get('/BaseFont')} cannot be embedded as CFF for "
                        f"PDF/X-1a ({exc}); print as PDF/X-4 (--pdfx x-4)"
                    ) from exc
                program.write(cff)  # (compressed when the document is saved)
                program.Subtype = pikepdf.Name.CIDFontType0C
                converted[program.objgen] = True
            if "/CIDToGIDMap" in cidfont and str(cidfont.get("/Subtype")) == "/CIDFontType0":
                del cidfont["/CIDToGIDMap"]  # (a CIDFontType2 entry only)
    return len(converted)


def cid_keyed_cff(otf: bytes) -> bytes:
    """The CFF table of an OpenType font, CID-keyed (ROS Adobe-Identity-0) with CID n = glyph n.

    A name-keyed CFF (Inter, Bebas Neue) gets one font dict holding its Private dict (its FontMatrix stays
    in the Top DICT, as Adobe's CID fonts have it: Poppler's Splash sizes glyphs from that one); a CID-keyed one
    (Noto Sans CJK) keeps its font dicts and selection, and only its charset becomes the identity.
    """
    from fontTools.cffLib import FDArrayIndex, FDSelect, FontDict
    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(otf), lazy=False, recalcBBoxes=False)  # (the FontBBox stays as the font has it)
    if "CFF " not in font:
        raise ValueError("no CFF table")
    cff = font["CFF "].cff
    top = cff.topDictIndex[0]
    charstrings = top.CharStrings
    order = list(top.charset)
    count = len(order)
    if not hasattr(top, "ROS"):
        private = top.Private
        fd = FontDict()
        fd.setCFF2(False)
        fd.Private = private
        fd.FontName = cff.fontNames[0]
        array = FDArrayIndex()
        array.strings = None
        array.GlobalSubrs = top.GlobalSubrs
        array.append(fd)
        select = FDSelect(format=3)
        select.gidArray = [0] * count
        top.ROS = CID_ROS
        top.FDArray = array
        top.FDSelect = select
        for attr in ("Private", "Encoding"):
            top.rawDict.pop(attr, None)
            if attr in top.__dict__:
                delattr(top, attr)
        if charstrings.charStringsAreIndexed:
            charstrings.charStringsIndex.fdArray = array
            charstrings.charStringsIndex.fdSelect = select
        charstrings.fdArray = array
        charstrings.fdSelect = select
    else:
        top.ROS = CID_ROS
    top.CIDCount = count
    names = [".notdef"] + [f"cid{gid:05d}" for gid in range(1, count)]
    charstrings.charStrings = {name: charstrings.charStrings[old] for name, old in zip(names, order)}
    top.charset = names
    cff.fontNames = [_NOT_IN_NAME.sub("", cff.fontNames[0]) or "Font"]
    out = io.BytesIO()
    cff.compile(out, font, isCFF2=False)
    return out.getvalue()
