"""What the merge lays over a placed page (plan.py): its running head and folio, and the page numbers the
page lists, so that a page whose own content did not change is not rendered again when the book's page
numbers do.

The back matter (indexes, schedule, sponsors) is rendered, like the film pages, at a neutral position:
every page laid out as a right-hand one, its running head laid out but not drawn, no folio. After the
render the worker reads each page's head (`page_heads`) and where each page number would print
(`number_slots`); the plan draws heads, folios and numbers in the folio parts (folios.html.j2), one page
per catalogue page, which the merge lays over the placed pages.

A page number is marked in the layout by an element with `data-pn` (layouts/catalogue/back.html.j2)
whose box does not depend on the number it holds: a box of fixed width (the index's page column, the
schedule's "p. N"). In print, `split_numbers` takes the numbers out of the HTML before it is rendered
(the part's cache key then holds none) and puts a placeholder in, which the stylesheet hides; the slot's
position and the style it would print in are read from the render, and the number is drawn there by the
folio part. On screen the numbers stay in the part: they are links.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SLOT = "data-pn"
PLACEHOLDER = "0"
# A slot as the templates write it: an element with a bare data-pn attribute and only text inside.
_SLOT = re.compile(r'(<(span|div|td|p)\b[^>]*\s' + SLOT + r')(>)([^<]*)(</\2>)')
_HEAD_BOXES = ("@top-left", "@top-right", "@top-center")


def split_numbers(html: str) -> tuple[str, list[str]]:
    """`html` with the text of each page-number slot replaced by its index and a placeholder
    (`data-pn="3">0`), and the texts taken out, in order."""
    texts: list[str] = []

    def take(match: re.Match) -> str:
        texts.append(match.group(4))
        return f'{match.group(1)}="{len(texts) - 1}"{match.group(3)}{PLACEHOLDER}{match.group(5)}'

    return _SLOT.sub(take, html), texts


def _walk(box):
    yield box
    for child in getattr(box, "children", None) or ():
        yield from _walk(child)


def _text(box) -> str:
    return "".join(getattr(b, "text", "") for b in _walk(box))


def page_heads(document) -> list[str]:
    """Each page's running head as its margin box holds it (`string(head)`; "" where there is none)."""
    heads = []
    for page in document.pages:
        head = ""
        for box in page._page_box.children:
            if getattr(box, "at_keyword", None) in _HEAD_BOXES:
                head = head or _text(box).strip()
        heads.append(head)
    return heads


@dataclass(frozen=True)
class Slot:
    """Where a page number prints on a page, in CSS px from the top left of the page area, and how."""

    index: int  # the slot's number in its part (split_numbers)
    x: float
    y: float
    width: float
    height: float
    style: str  # CSS declarations: the font, colour and alignment of the text in it


def _css_colour(colour) -> str:
    space = getattr(colour, "space", None)
    values = " ".join(f"{v:g}" for v in colour.coordinates)
    if space == "device-cmyk":
        return f"device-cmyk({values})"
    if space == "srgb":
        r, g, b = (f"{v * 100:g}%" for v in colour.coordinates)
        return f"rgb({r} {g} {b} / {colour.alpha:g})"
    raise ValueError(f"a page number in the colour space {space!r}")


def _length(value) -> str:
    if isinstance(value, (int, float)):
        return f"{value:g}" if not isinstance(value, bool) else str(value)
    unit = getattr(value, "unit", None)
    if unit is not None:
        return f"{value.value:g}{unit}"
    return str(value)


def slot_style(style) -> str:
    """The declarations that place and draw a slot's text as the part would have (the computed style)."""
    families = ", ".join('"' + f.replace('"', "") + '"' for f in style["font_family"])
    numeric = " ".join(style["font_variant_numeric"]) if style["font_variant_numeric"] != "normal" else "normal"
    features = style["font_feature_settings"]
    if features != "normal":
        features = ", ".join(f'"{tag}" {value}' for tag, value in features)
    line_height = style["line_height"]
    if line_height != "normal" and not isinstance(line_height, (int, float)):
        line_height = _length(line_height)
    spacing = style["letter_spacing"]
    return "; ".join(
        (
            f"font-family: {families}",
            f"font-size: {style['font_size']:g}px",
            f"font-weight: {style['font_weight']}",
            f"font-style: {style['font_style']}",
            f"font-stretch: {style['font_stretch']}",
            f"line-height: {_length(line_height)}",
            f"letter-spacing: {_length(spacing)}",
            f"font-variant-numeric: {numeric}",
            f"font-feature-settings: {features}",
            f"text-align: {style['text_align_all']}",
            f"color: {_css_colour(style['color'])}",
        )
    )


def number_slots(document) -> list[list[tuple]]:
    """Per page, each page-number slot on it: (index, x, y, width, height, style) as Slot holds them."""
    pages = []
    for page in document.pages:
        area = page._page_box
        left, top = area.content_box_x(), area.content_box_y()
        found = []
        for box in _walk(area):
            element = getattr(box, "element", None)
            if element is None or element.get(SLOT) is None or getattr(box, "element_tag", None) is None:
                continue
            if not hasattr(box, "content_box_x") or getattr(box, "text", None) is not None:
                continue
            index = int(element.get(SLOT))
            if any(s[0] == index for s in found):
                continue  # (a box split across lines: its first)
            found.append(
                (
                    index,
                    round(box.content_box_x() - left, 4),
                    round(box.content_box_y() - top, 4),
                    round(box.width, 4),
                    round(box.height, 4),
                    slot_style(box.style),
                )
            )
        pages.append(found)
    return pages


def stamp_numbers(slots: list, numbers: list[str]) -> list[dict[str, str]]:
    """What a folio page draws for one placed page: each of its slots (number_slots, as recorded) with the
    number taken out of its part (split_numbers), as the style that places it and its text."""
    drawn = []
    for index, x, y, width, height, style in slots:
        if not 0 <= index < len(numbers):
            continue  # (a slot the part's HTML did not have: a screen edition's link keeps its number)
        drawn.append(
            {
                "style": f"left: {x:g}px; top: {y:g}px; width: {width:g}px; height: {height:g}px; {style}",
                "text": numbers[index],
            }
        )
    return drawn
