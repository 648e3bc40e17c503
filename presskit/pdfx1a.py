"""What PDF/X-1a asks beyond what WeasyPrint writes for it (pikepdf), used by postprocess.py.

PDF/X-1a:2003 is PDF 1.4 at most: no object or xref streams (`save_options`), no OpenType font programs
(fontprograms.embed_as_cff), and no colour space but DeviceCMYK, DeviceGray, Separation, DeviceN,
Indexed and Pattern over them, anywhere, resource dictionaries included: WeasyPrint declares an ICCBased
/device-cmyk and two Lab spaces in every resource dictionary, used or not (`device_colour_spaces`).
Transparency is postprocess.remove_transparency_groups' business.
"""

from __future__ import annotations

import re

from .errors import RenderError

PDF_VERSION = "1.4"
_DEVICE = {1: "/DeviceGray", 4: "/DeviceCMYK"}  # an ICCBased space's /N -> the device space it stands for
_ALLOWED_NAMES = {"/DeviceCMYK", "/DeviceGray", "/Pattern"}
_USE = re.compile(rb"/([^\s/\[\]<>(){}%]+)\s+(?:cs|CS)\b")


def save_options(pdf_variant: str | None) -> dict:
    """pikepdf save() options for the standard: PDF 1.4, no object streams (hence no xref stream) for
    PDF/X-1a; none otherwise."""
    import pikepdf

    if pdf_variant == "pdf/x-1a":
        return {"object_stream_mode": pikepdf.ObjectStreamMode.disable, "force_version": PDF_VERSION}
    return {}


def allowed(space) -> bool:
    """A colour space PDF/X-1a allows: device CMYK or grey, or a Separation, DeviceN, Indexed or Pattern
    space over them."""
    import pikepdf

    if isinstance(space, pikepdf.Name):
        return str(space) in _ALLOWED_NAMES
    if not isinstance(space, pikepdf.Array) or not len(space):
        return False
    family = str(space[0])
    if family in ("/Separation", "/DeviceN"):
        return len(space) > 2 and allowed(space[2])
    if family == "/Indexed":
        return len(space) > 1 and allowed(space[1])
    if family == "/Pattern":
        return len(space) == 1 or allowed(space[1])
    return False


def _as_device(space):
    """The device space an ICCBased CMYK or grey space stands for, else None."""
    import pikepdf

    if isinstance(space, pikepdf.Array) and len(space) == 2 and str(space[0]) == "/ICCBased":
        name = _DEVICE.get(int(space[1].get("/N", 0)))
        return pikepdf.Name(name) if name else None
    return None


def _describe(space) -> str:
    import pikepdf

    return str(space[0] if isinstance(space, pikepdf.Array) and len(space) else space).lstrip("/")


def device_colour_spaces(pdf, what: str) -> int:
    """Make every colour space of the document one PDF/X-1a allows; returns how many were changed or
    removed. An ICCBased CMYK or grey space becomes DeviceCMYK or DeviceGray (where it is declared and
    where it is used); a resource entry of another space that no content stream names is removed; one
    that is used, or an image or shading in such a space, fails the build (RenderError)."""
    import pikepdf

    used = _names_used(pdf)
    changed = 0
    for holder in _holders(pdf):
        spaces = holder.get("/ColorSpace")
        if isinstance(spaces, pikepdf.Dictionary) and not isinstance(holder, pikepdf.Stream):
            for name in list(spaces.keys()):
                space = spaces[name]
                if allowed(space):
                    continue
                if (device := _as_device(space)) is not None:
                    spaces[name] = device
                elif name.lstrip("/").encode() not in used:
                    del spaces[name]
                else:
                    raise RenderError(
                        f"the {what} paints in a {_describe(space)} colour space ({name}), which PDF/X-1a "
                        "forbids: use device-cmyk() colours, or print as PDF/X-4 (--pdfx x-4)"
                    )
                changed += 1
        elif spaces is not None and not allowed(spaces):
            if (device := _as_device(spaces)) is None:
                raise RenderError(
                    f"the {what} holds an image or shading in a {_describe(spaces)} colour space, which "
                    "PDF/X-1a forbids: print as PDF/X-4 (--pdfx x-4)"
                )
            holder.ColorSpace = device
            changed += 1
    return changed


def _holders(pdf):
    """Every dictionary (or stream) of the document that has a /ColorSpace entry: resource dictionaries
    (a dictionary of spaces), images and shadings (one space), direct or indirect, each once."""
    import pikepdf

    seen: set[tuple[int, int]] = set()
    stack = list(pdf.objects)
    while stack:
        obj = stack.pop()
        if isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream, pikepdf.Array)) and obj.is_indirect:
            if obj.objgen in seen:
                continue
            seen.add(obj.objgen)
        if isinstance(obj, pikepdf.Array):
            stack.extend(v for v in obj if isinstance(v, (pikepdf.Dictionary, pikepdf.Array, pikepdf.Stream)))
        elif isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream)):
            if "/ColorSpace" in obj:
                yield obj
            for key, value in obj.items():
                if key in ("/Parent", "/P"):
                    continue  # (back references: the objects themselves are all in pdf.objects)
                if isinstance(value, (pikepdf.Dictionary, pikepdf.Array)) and not value.is_indirect:
                    stack.append(value)


def _names_used(pdf) -> set[bytes]:
    """The colour space names that the content streams (pages, forms, patterns, Type 3 glyphs) select
    with cs or CS."""
    import pikepdf

    streams: list = []
    for page in pdf.pages:
        contents = page.obj.get("/Contents")
        streams.extend(contents if isinstance(contents, pikepdf.Array) else [contents])
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Stream) and (obj.get("/Subtype") == "/Form" or obj.get("/PatternType") == 1):
            streams.append(obj)
        elif isinstance(obj, pikepdf.Dictionary) and isinstance(obj.get("/CharProcs"), pikepdf.Dictionary):
            streams.extend(obj.CharProcs.values())
    used: set[bytes] = set()
    for stream in streams:
        if isinstance(stream, pikepdf.Stream):
            data = stream.read_bytes()
            if b"cs" in data or b"CS" in data:
                used.update(m.group(1) for m in _USE.finditer(data))
    return used
