"""A festival's own laurel artwork (`laurel_artwork`, an SVG file in the film folder), made safe to place.

The file is the festival's, not presskit's output, and it is placed inline in the page. So it is parsed as
XML and refused when it holds what presskit never runs or fetches (scripts, event handlers, embedded HTML,
references to other files or addresses), then written out again by the XML serialiser, so that nothing in
it can close or change the page's own markup. Its gradients are drawn flat, in the mean of their stops:
WeasyPrint 70 draws no SVG gradient once a CMYK profile is set, nor one in the default (bounding-box)
units in RGB, and the shape would vanish. In print its colours are converted to CMYK through the output
profile (a PDF/X press takes no RGB).

The file is read without a DTD: a DOCTYPE (and so any entity declaration) or a processing instruction is
refused where it starts, so that no entity is ever expanded (expat expands a file's internal entities:
"billion laughs"), and so is a file larger than MAX_BYTES, with more than MAX_ELEMENTS elements or nested
deeper than MAX_DEPTH: each would hang the render or exhaust memory.
"""

from __future__ import annotations

import logging
import os
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

from .errors import DataError

log = logging.getLogger("presskit")

SVG = "http://www.w3.org/2000/svg"
XLINK = "http://www.w3.org/1999/xlink"
MAX_BYTES = 2_000_000  # a festival's laurel is some kilobytes; one with an embedded raster under 2 MB
MAX_ELEMENTS = 20_000
MAX_DEPTH = 100
# Elements that run code or embed another kind of document: never placed.
_REFUSED = {"script", "foreignObject", "iframe", "object", "embed", "handler", "listener", "audio", "video"}
_COLOUR_KEYS = ("fill", "stroke", "stop-color", "flood-color", "lighting-color", "color")
_IN_STYLE = re.compile(
    r"(?P<key>\b(?:fill|stroke|stop-color|flood-color|lighting-color|color)\s*:\s*)"
    r"(?P<value>[^;}\"'!]+)"
)
_URL = re.compile(r"url\(\s*['\"]?(?P<ref>[^)'\"]*)['\"]?\s*\)")
_GRADIENTS = ("linearGradient", "radialGradient")

Cmyk = Callable[[list[tuple[int, int, int]]], list[tuple[float, float, float, float]]]


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def official_svg(path: Path, what: str, to_cmyk: Cmyk | None = None, *, check_only: bool = False) -> str:
    """The artwork at `path` as SVG markup to place; `to_cmyk` (print) converts sRGB colours to the
    output's CMYK (0-1 each). DataError naming `what` (the file and key) when it cannot be placed.
    `check_only`: stop after the checks (loading a film), returning ""."""
    root = _parse(_read(path, what), what)
    if _local(root.tag) != "svg" or root.tag not in ("svg", f"{{{SVG}}}svg"):
        raise DataError(f"{what}: expected an SVG document, got a <{_local(root.tag)}> element at its root")
    for element in root.iter():
        if element.tag == _local(element.tag):  # an SVG written without its namespace
            element.tag = f"{{{SVG}}}{element.tag}"
        _check(element, what)
    if check_only:
        return ""
    _flatten_gradients(root, what)
    if to_cmyk is not None:
        root.attrib.setdefault("fill", "#000")  # the initial fill (black), given to convert: else drawn in RGB
        _to_cmyk(root, to_cmyk)
    return _serialise(root)


def _read(path: Path, what: str) -> bytes:
    """The file's bytes, at most MAX_BYTES of them (a larger file is refused without being read whole)."""
    try:
        with path.open("rb") as file:
            data = file.read(MAX_BYTES + 1)
            size = os.fstat(file.fileno()).st_size if len(data) > MAX_BYTES else len(data)
    except OSError as exc:
        raise DataError(f"{what}: cannot read '{path}' ({exc.strerror or exc})") from exc
    if len(data) > MAX_BYTES:
        got = max(size, len(data)) / 1e6
        raise DataError(
            f"{what}: expected an SVG of at most {MAX_BYTES / 1e6:g} MB, got {got:.1f} MB; "
            "ask the festival for a smaller file"
        )
    return data


def _parse(data: bytes, what: str) -> ET.Element:
    """The file's element tree (as ElementTree's own parser builds it, comments left out), read by expat with
    no DTD: a DOCTYPE or processing instruction is refused as soon as expat meets its start, before any of
    it is read; so are too many elements and too deep a nesting. DataError naming `what` otherwise too."""
    from xml.parsers import expat

    builder = ET.TreeBuilder()
    parser = expat.ParserCreate(namespace_separator="}")
    parser.buffer_text = True
    parser.ordered_attributes = True
    depth, count = [0], [0]

    def refuse(expected: str, found: str, fix: str) -> None:
        raise DataError(f"{what}: expected {expected}, got {found} (line {parser.CurrentLineNumber}); {fix}")

    def doctype(name, system_id, public_id, has_internal_subset) -> None:
        refuse(
            "an SVG without a DOCTYPE (presskit reads no DTD and no entity declarations)",
            f"<!DOCTYPE {name[:40]}{' [...]' if has_internal_subset else ''}>",
            "remove it (Inkscape: save as plain SVG)",
        )

    def instruction(target, text) -> None:
        refuse("an SVG without processing instructions", f"<?{target} ...?>", "remove it from the file")

    def start(tag: str, attributes: list[str]) -> None:
        count[0] += 1
        depth[0] += 1
        if count[0] > MAX_ELEMENTS:
            refuse(
                f"an SVG of at most {MAX_ELEMENTS} elements",
                f"more than {MAX_ELEMENTS}",
                "ask the festival for a simpler drawing",
            )
        if depth[0] > MAX_DEPTH:
            refuse(
                f"elements nested at most {MAX_DEPTH} deep",
                f"<{_local(tag)}> nested {depth[0]} deep",
                "ask the festival for a simpler drawing",
            )
        pairs = zip(attributes[0::2], attributes[1::2], strict=True)
        builder.start(_qualified(tag), {_qualified(key): value for key, value in pairs})

    def end(tag: str) -> None:
        depth[0] -= 1
        builder.end(_qualified(tag))

    parser.StartDoctypeDeclHandler = doctype
    parser.ProcessingInstructionHandler = instruction
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = builder.data
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        raise DataError(f"{what}: expected an SVG file (XML), got one that does not parse ({exc})") from exc
    return builder.close()


def _qualified(name: str) -> str:
    """expat's 'namespace}local' as ElementTree's '{namespace}local'."""
    return "{" + name if "}" in name else name


def _serialise(root: ET.Element) -> str:
    """The drawing as SVG markup: SVG elements unprefixed, xlink attributes as xlink:, and what belongs to
    other namespaces (an editor's metadata: Inkscape's, Illustrator's) left out. Text and attribute values
    escaped by the serialiser itself, whatever the file held."""
    from xml.sax.saxutils import escape, quoteattr

    def name(key: str) -> str | None:
        if not key.startswith("{"):
            return key
        space, local = key[1:].split("}", 1)
        return local if space == SVG else f"xlink:{local}" if space == XLINK else None

    out: list[str] = []

    def write(element: ET.Element, top: bool) -> None:
        tag = name(element.tag)
        if tag is None:
            return
        attrs = [(n, v) for n, v in ((name(k), v) for k, v in element.attrib.items()) if n is not None]
        if top:
            attrs = [("xmlns", SVG), ("xmlns:xlink", XLINK)] + attrs
        out.append(f"<{tag}" + "".join(f" {n}={quoteattr(v)}" for n, v in attrs) + ">")
        out.append(escape(element.text or ""))
        for child in element:
            write(child, False)
            out.append(escape(child.tail or "") if name(child.tag) is not None else "")
        out.append(f"</{tag}>")

    write(root, True)
    return "".join(out)


def _check(element: ET.Element, what: str) -> None:
    name = _local(element.tag)
    if name in _REFUSED:
        raise DataError(
            f"{what}: expected an SVG drawing, got a <{name}> element, which presskit does not "
            "place (remove it from the file)"
        )
    for key, value in list(element.attrib.items()):
        attr = _local(key).lower()
        if attr.startswith("on"):
            raise DataError(
                f"{what}: expected an SVG drawing, got an event handler ({attr}=...) on <{name}>, "
                "which presskit does not run (remove it from the file)"
            )
        if attr == "href" and not _inside_reference(value):
            if name == "a":  # a link around the drawing (the festival's site): it cannot be followed from an image
                del element.attrib[key]
                continue
            raise DataError(
                f"{what}: <{name}> refers to '{value[:60]}': expected a reference inside the file "
                "('#id') or an embedded PNG or JPEG (data:image/...)"
            )
    texts = list(element.attrib.values()) + ([element.text or ""] if name == "style" else [])  # fill="url(…)" too
    for text in texts:
        if "@import" in text or any(not _inside_reference(m.group("ref")) for m in _URL.finditer(text)):
            raise DataError(
                f"{what}: a style of <{name}> refers to another file or address: expected only "
                "references inside the file ('url(#id)')"
            )


def _inside_reference(value: str) -> bool:
    value = value.strip()
    return value.startswith("#") or re.match(r"data:image/(png|jpeg);", value, re.I) is not None


# --- print: CMYK ---------------------------------------------------------------------------------------


def _parse_colour(value: str) -> tuple[int, int, int] | None:
    from PIL import ImageColor

    value = value.strip()
    if value.lower() in ("none", "currentcolor", "inherit", "transparent", "") or value.startswith("device-cmyk"):
        return None
    try:
        rgb = ImageColor.getrgb(value)
    except ValueError:
        return None
    return rgb[:3]


def _each_colour(root: ET.Element, change: Callable[[str], str]) -> None:
    """Replace every attribute value and style declaration value that may name a colour by change(value)."""

    def in_style(text: str) -> str:
        return _IN_STYLE.sub(lambda m: m.group("key") + change(m.group("value")), text)

    for element in root.iter():
        for key in _COLOUR_KEYS:
            if key in element.attrib:
                element.attrib[key] = change(element.attrib[key])
        if "style" in element.attrib:
            element.attrib["style"] = in_style(element.attrib["style"])
        if _local(element.tag) == "style" and element.text:
            element.text = in_style(element.text)


def _to_cmyk(root: ET.Element, to_cmyk: Cmyk) -> None:
    def colour(value: str) -> tuple[str, tuple[int, int, int] | None]:
        fallback = _URL.sub("", value).strip()  # "url(#g) #c9a34e": the paint server, then its fallback colour
        return fallback, _parse_colour(fallback) if fallback else None

    found: set[tuple[int, int, int]] = set()

    def collect(value: str) -> str:
        if (rgb := colour(value)[1]) is not None:
            found.add(rgb)
        return value

    _each_colour(root, collect)
    if not found:
        return
    colours = sorted(found)
    table = {rgb: "device-cmyk({:.4g} {:.4g} {:.4g} {:.4g})".format(*c) for rgb, c in zip(colours, to_cmyk(colours))}

    def convert(value: str) -> str:
        fallback, rgb = colour(value)
        return value if rgb is None else value.replace(fallback, table[rgb])

    _each_colour(root, convert)


def _flatten_gradients(root: ET.Element, what: str) -> None:
    """Every paint that uses a gradient of the file becomes the mean of the gradient's stops."""
    means: dict[str, str] = {}
    elements = {e.attrib["id"]: e for e in root.iter() if "id" in e.attrib}
    for ident, element in elements.items():
        if _local(element.tag) in _GRADIENTS:
            stops = _stops(element, elements)
            if stops:
                mean = tuple(round(sum(s[i] for s in stops) / len(stops)) for i in range(3))
                means[ident] = "#{:02x}{:02x}{:02x}".format(*mean)
    if not means:
        return

    def flat(value: str) -> str:
        match = _URL.search(value)
        if match and match.group("ref").lstrip("#") in means:
            return means[match.group("ref").lstrip("#")]
        return value

    _each_colour(root, flat)
    log.warning(
        "warning: %s: its gradients are drawn flat, each in the mean of its colours (WeasyPrint 70 draws "
        "SVG gradients unreliably, and none in CMYK); ask the festival for a flat-colour version",
        what,
    )


def _stops(gradient: ET.Element, elements: dict, depth: int = 0) -> list[tuple[int, int, int]]:
    """The gradient's stop colours, following its href to the gradient it inherits them from."""
    stops = []
    for stop in gradient:
        if _local(stop.tag) != "stop":
            continue
        value = stop.attrib.get("stop-color")
        style = re.search(r"stop-color\s*:\s*([^;]+)", stop.attrib.get("style", ""))
        rgb = _parse_colour(style.group(1) if style else value or "black")
        if rgb:
            stops.append(rgb)
    href = gradient.attrib.get("href") or gradient.attrib.get(f"{{{XLINK}}}href")
    if not stops and href and href.startswith("#") and depth < 8 and href[1:] in elements:
        return _stops(elements[href[1:]], elements, depth + 1)
    return stops
