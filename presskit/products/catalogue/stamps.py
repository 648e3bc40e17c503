"""What the merge lays over a placed page (plan.py): its running head and folio, and the page numbers the
page lists, so that a page whose own content did not change is not rendered again when the book's page
numbers do.

The contents, the section intros and the back matter (indexes, schedule, sponsors) are rendered, like the
film pages, at a neutral position:
every page laid out as a right-hand one, its running head laid out but not drawn, no folio. After the
render the worker reads each page's head (`page_heads`) and where each page number would print
(`number_slots`). The heads are drawn by the folio part (folios.html.j2: a left-hand and a right-hand page
for each head), whose page for a placed page's head and side the merge lays over it; the worker records
where that part lays out a folio (`folio_slots`), and the merge writes the page's folio there as it writes
the listings' numbers (below), in the page's stamp: no folio is rendered for a page.

A page number is marked in the layout by an element with `data-pn` (layouts/catalogue/back.html.j2)
whose box does not depend on the number it holds: a box of fixed width (the index's page column, the
schedule's "p. N"). In print, `split_numbers` takes the numbers out of the HTML before it is rendered
(the part's cache key then holds none) and puts a placeholder in, which the stylesheet hides. The merge
writes the numbers into the page (`overlay`) with the glyphs of a small render of every figure in every
style the slots use (the atlas, numbers.html.j2: `read_atlas`), drawn as that render draws them, moved to
each slot and aligned in it as the slot's text would be: thousands of page numbers cost no layout at all.
On screen the numbers stay in the part: they are links.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from markupsafe import Markup

SLOT = "data-pn"
PLACEHOLDER = "0"
# A slot at the start of its line, empty (split_numbers gives it no placeholder), its `width` set: it stands
# for a column of that width at the right of its block's padding box (less its `right`, as an absolutely
# positioned box's would be), from the top of the line, as tall as the line (number_slots).
LINE_SLOT = "data-pn-line"
# A part whose HTML holds this (folios.html.j2) has its folios recorded as slots too (folio_slots).
FOLIO_SLOT = "data-pn-folio"
_FOLIO_BOXES = ("@bottom-left", "@bottom-right")
# A slot as the templates write it: an element with a bare data-pn attribute and only text inside.
_SLOT = re.compile(r"(<(span|div|td|p)\b[^>]*\s" + SLOT + r")(>)([^<]*)(</\2>)")
_HEAD_BOXES = ("@top-left", "@top-right", "@top-center")
_UNSAFE = re.compile(r"[^\w .-]")  # kept out of a font's name in the atlas's stylesheet (atlas_sheet)


def split_numbers(html: str) -> tuple[str, list[str]]:
    """`html` with the text of each page-number slot replaced by its index and a placeholder
    (`data-pn="3">0`), and the texts taken out, in order."""
    texts: list[str] = []

    def take(match: re.Match) -> str:
        texts.append(match.group(4))
        placeholder = "" if LINE_SLOT in match.group(1) else PLACEHOLDER
        return f'{match.group(1)}="{len(texts) - 1}"{match.group(3)}{placeholder}{match.group(5)}'

    return _SLOT.sub(take, html), texts


def _walk(box):
    yield box
    for child in getattr(box, "children", None) or ():
        yield from _walk(child)


def _walk_lines(box, line=None, block=None):
    """Each box under `box`, with the line box it is on and the block box that holds that line (or None)."""
    yield box, line, block
    kind = type(box).__name__
    if kind == "LineBox":
        line = box
    elif kind != "InlineBox" and kind != "TextBox":
        line, block = None, box
    for child in getattr(box, "children", None) or ():
        yield from _walk_lines(child, line, block)


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


def _css_colour(colour) -> str:
    space = getattr(colour, "space", None)
    values = " ".join(f"{v:g}" for v in colour.coordinates)
    if space == "device-cmyk":
        return f"device-cmyk({values})"
    if space == "srgb":
        r, g, b = (f"{v * 100:g}%" for v in colour.coordinates)
        return f"rgb({r} {g} {b} / {colour.alpha:g})"
    from ...errors import RenderError

    raise RenderError(f"catalogue: a page number in the colour space {space!r} (device-cmyk or rgb expected)")


def _length(value) -> str:
    if isinstance(value, (int, float)):
        return f"{value:g}"
    unit = getattr(value, "unit", None)
    if unit is not None:
        return f"{value.value:g}{unit}"
    return str(value)


def _spacing(value) -> str:
    """A computed letter-spacing: `normal`, or a length (WeasyPrint computes one to a number of px)."""
    return f"{value:g}px" if isinstance(value, (int, float)) else _length(value)


def slot_style(style) -> str:
    """The declarations that draw a slot's text as the part would have (from its computed style): its
    font, size, line height and colour; not its alignment (the slot records it apart)."""
    families = ", ".join('"' + _UNSAFE.sub("", f) + '"' for f in style["font_family"])
    numeric = " ".join(style["font_variant_numeric"]) if style["font_variant_numeric"] != "normal" else "normal"
    features = style["font_feature_settings"]
    if features != "normal":
        features = ", ".join(f'"{_UNSAFE.sub("", tag)}" {int(value)}' for tag, value in features)
    return "; ".join(
        (
            f"font-family: {families}",
            f"font-size: {style['font_size']:g}px",
            f"font-weight: {style['font_weight']}",
            f"font-style: {style['font_style']}",
            f"font-stretch: {style['font_stretch']}",
            f"line-height: {_length(style['line_height'])}",
            f"letter-spacing: {_spacing(style['letter_spacing'])}",
            f"font-variant-numeric: {numeric}",
            f"font-feature-settings: {features}",
            f"color: {_css_colour(style['color'])}",
        )
    )


def number_slots(document) -> list[list[tuple]]:
    """Per page, each page-number slot on it: (index in its part, x, y, width, height, style, alignment),
    the content box in CSS px from the top left of the page box (the trim box), the style as slot_style
    gives it, the alignment as text-align, start and end told by the direction (left, right, center,
    justify)."""
    pages = []
    for page in document.pages:
        found: list[tuple] = []
        seen: set[int] = set()
        for box, line, block in _walk_lines(page._page_box):
            element = getattr(box, "element", None)
            number = element.get(SLOT) if element is not None else None
            if not number or not number.isdigit() or getattr(box, "text", None) is not None:
                continue
            if not hasattr(box, "content_box_x") or int(number) in seen:
                continue  # (not a box of its own; or one split across lines: its first)
            seen.add(int(number))
            if element is not None and element.get(LINE_SLOT) is not None and line is not None and block is not None:
                place = _line_slot(box, line, block)
            else:
                place = (box.content_box_x(), box.content_box_y(), box.width, box.height)
            found.append((int(number), *(round(v, 4) for v in place), slot_style(box.style), _alignment(box.style)))
        pages.append(found)
    return pages


def folio_slots(document) -> list[list[tuple]]:
    """Per page, its folio's slot as number_slots gives a slot (index 0), or none: where the folio's margin
    box holds its line, in the box's style and alignment."""
    pages = []
    for page in document.pages:
        found: list[tuple] = []
        for box in page._page_box.children:
            if getattr(box, "at_keyword", None) not in _FOLIO_BOXES or found:
                continue
            line = next((b for b in _walk(box) if type(b).__name__ == "LineBox"), None)
            if line is None:
                continue
            place = (box.content_box_x(), line.position_y, box.width, line.height)
            found.append((0, *(round(v, 4) for v in place), slot_style(box.style), _alignment(box.style)))
        pages.append(found)
    return pages


def _line_slot(box, line, block) -> tuple[float, float, float, float]:
    """A LINE_SLOT's place: a column of its `width` at the right of its block's padding box less its
    `right`, from the top of its line, one line height tall (its line's height where its line-height is
    `normal`)."""
    style = box.style
    width = style["width"].value if style["width"] != "auto" else 0.0
    offset = style["right"].value if style["right"] != "auto" and style["right"].unit == "px" else 0.0
    height = style["line_height"]
    if height == "normal":
        height = line.height
    elif isinstance(height, (int, float)):  # a number: times the font size
        height = height * style["font_size"]
    else:
        height = height.value
    right = block.padding_box_x() + block.padding_width() - offset
    return right - width, line.position_y, width, height


def _alignment(style) -> str:
    """A slot's text-align with start and end told by its direction: left, right, center or justify."""
    align = str(style["text_align_all"])
    if align in ("start", "end"):
        rtl = style["direction"] == "rtl"
        return "right" if (align == "end") != rtl else "left"
    return align


def valid_heads(heads, pages: int) -> bool:
    """Whether a part's record holds a head (a text) for each of its `pages`."""
    return isinstance(heads, list) and len(heads) == pages and all(isinstance(h, str) for h in heads)


_SLOT_TYPES = (int, float, float, float, float, str, str)


def valid_slots(slots, pages: int) -> bool:
    """Whether a part's record holds the slots of each of its `pages` as number_slots gives them."""
    return (
        isinstance(slots, list)
        and len(slots) == pages
        and all(
            isinstance(page, list)
            and all(
                isinstance(slot, list)
                and len(slot) == len(_SLOT_TYPES)
                and all(
                    isinstance(v, t if t is not float else (int, float)) and not isinstance(v, bool)
                    for v, t in zip(slot, _SLOT_TYPES)
                )
                for slot in page
            )
            for page in slots
        )
    )


def number_styles(slots: Iterable[Iterable[tuple]]) -> list[str]:
    """The styles the slots of these pages use, in a fixed order: the atlas's lines (numbers.html.j2)."""
    return sorted({slot[5] for page in slots for slot in page})


def atlas_sheet(styles: list[str]) -> Markup:
    """The atlas's stylesheet: a rule .pn-N for each style (numbers.html.j2)."""
    return Markup("\n".join(f".pn-{number} {{ {style} }}" for number, style in enumerate(styles)))


# --- the merge's side: the numbers written into the page ---------------------------------------------

FIGURES = "0123456789,\u00a0"  # what a page number can hold (a space in it prints as the no-break space)
PT = 0.75  # points per CSS px


@dataclass
class AtlasStyle:
    """How the atlas draws the figures in one style: the text state of its one text run."""

    font: str  # the font's resource name on the atlas page
    size: float  # its Tf size
    ctm: tuple[float, ...]  # the transformation in force (a b c d e f)
    tm: tuple[float, ...]  # the text matrix
    fill: str  # the operator that sets its fill colour ("0 0 0 1 k")
    glyphs: dict[str, tuple[bytes, float]]  # figure -> (its code, its advance in text space units / 1000)
    box: tuple[float, float]  # where its slot's content box is, in CSS px on the page (number_slots)


def _multiply(m, n) -> tuple[float, ...]:
    a, b, c, d, e, f = m
    g, h, i, j, k, l_ = n
    return (a * g + b * i, a * h + b * j, c * g + d * i, c * h + d * j, e * g + f * i + k, e * h + f * j + l_)


def _widths(font) -> tuple[dict[int, float], float]:
    """A Type0 font's glyph widths (its descendant's W array), and its default width (DW)."""
    import pikepdf

    descendant = font.DescendantFonts[0]
    widths: dict[int, float] = {}
    entries = list(descendant.get("/W", []))
    at = 0
    while at + 1 < len(entries):
        first, after = int(entries[at]), entries[at + 1]
        if isinstance(after, pikepdf.Array):  # c [w1 w2 ...]
            for offset, width in enumerate(after):
                widths[first + offset] = float(width)
            at += 2
        else:  # c_first c_last w
            for code in range(first, int(after) + 1):
                widths[code] = float(entries[at + 2])
            at += 3
    return widths, float(descendant.get("/DW", 1000))


def read_atlas(path, slots: list) -> list[AtlasStyle]:
    """The atlas's text runs (numbers.html.j2: one per style, each FIGURES, left-aligned), with `slots`
    its page's slots as the worker recorded them (number_slots: one per style, by index)."""
    import pikepdf

    from ...errors import RenderError

    def fail(why: str) -> RenderError:
        return RenderError(f"catalogue: the page numbers' figures cannot be drawn ({why}: {path})")

    boxes = {slot[0]: (float(slot[1]), float(slot[2])) for slot in slots}
    runs: list[AtlasStyle] = []
    with pikepdf.open(path) as pdf:
        page = pdf.pages[0]
        fonts = page.obj.Resources.get("/Font", {})
        ctm: tuple[float, ...] = (1, 0, 0, 1, 0, 0)
        stack: list[tuple[float, ...]] = []
        fill, font, size = "0 g", "", 0.0
        tm: tuple[float, ...] = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
        space = "/DeviceGray"
        for instruction in pikepdf.parse_content_stream(page):
            operands, op = list(instruction.operands), str(instruction.operator)
            if op == "q":
                stack.append(ctm)
            elif op == "Q":
                ctm = stack.pop()
            elif op == "cm":
                ctm = _multiply(tuple(float(v) for v in operands), ctm)
            elif op == "cs":
                space = str(operands[0])
            elif op in ("scn", "sc"):
                values = " ".join(f"{float(v):g}" for v in operands)
                kinds = {"/DeviceCMYK": "k", "/DeviceRGB": "rg", "/DeviceGray": "g"}
                if space not in kinds:
                    raise fail(f"a fill colour in {space}")
                fill = f"{values} {kinds[space]}"
            elif op in ("k", "rg", "g"):
                fill = " ".join(f"{float(v):g}" for v in operands) + f" {op}"
            elif op == "Tf":
                font, size = str(operands[0]), float(operands[1])
            elif op == "Tm":
                tm = tuple(float(v) for v in operands)
            elif op in ("Tc", "Tw", "Tz", "Ts", "TL", "Td", "TD", "T*", "'", '"'):
                raise fail(f"the text operator {op}")
            elif op in ("TJ", "Tj"):
                runs.append(_run(fonts, font, size, ctm, tm, fill, operands, op, boxes.get(len(runs)), fail))
    return runs


def _run(fonts, font, size, ctm, tm, fill, operands, op, box, fail) -> AtlasStyle:
    import pikepdf

    resource = fonts.get(font)
    if resource is None or resource.get("/Subtype") != "/Type0" or resource.get("/Encoding") != "/Identity-H":
        raise fail(f"the font {font} is not a Type0 font with Identity-H encoding")
    if box is None:
        raise fail("a text run without its slot")
    widths, default = _widths(resource)
    items = list(operands[0]) if op == "TJ" else [operands[0]]
    codes: list[list] = []  # [code, adjustment after it]
    for item in items:
        if not isinstance(item, pikepdf.String):
            if codes:
                codes[-1][1] += float(item)
            continue
        data = bytes(item)
        codes += [[data[i : i + 2], 0.0] for i in range(0, len(data), 2)]
    if len(codes) != len(FIGURES):
        raise fail(f"{len(codes)} glyphs for the {len(FIGURES)} figures")
    glyphs = {
        figure: (code, (widths.get(int.from_bytes(code, "big"), default) - adjust) / 1000)
        for figure, (code, adjust) in zip(FIGURES, codes)
    }
    return AtlasStyle(font, size, ctm, tm, fill, glyphs, box)


def _number(value: float) -> str:
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _lines(text: str, width: float, advance) -> list[str]:
    """`text` ("12, 45, 210") broken after its commas into lines no wider than `width` where it can be, as
    the slot's own text would wrap; `advance(text)`: its width."""
    lines: list[str] = []
    for piece in text.split("\u00a0"):
        joined = f"{lines[-1]}\u00a0{piece}" if lines else piece
        if lines and advance(joined) > width:
            lines.append(piece)
        elif lines:
            lines[-1] = joined
        else:
            lines.append(piece)
    return lines


def overlay(slots: list, numbers: list[str], atlas: list[AtlasStyle], styles: list[str], dx: float) -> bytes:
    """The content that writes the page numbers into one placed page: each slot (number_slots) with its
    number (split_numbers), in its style's run of the atlas (styles: the atlas's order), moved to the
    slot and aligned in it (a list of numbers too wide for it on more lines, a line's height apart: the
    slot's height); `dx`: the page's shift (merge.Placement). Font resources /PnF<N>: the atlas's font of
    style N (merge.py adds them)."""
    out = []
    for index, x, y, width, height, style, align in slots:
        if not 0 <= index < len(numbers):
            continue
        number = styles.index(style)
        run = atlas[number]
        text = numbers[index].replace(" ", "\u00a0")
        if any(figure not in run.glyphs for figure in text):
            from ...errors import RenderError

            raise RenderError(f"catalogue: a page number {text!r} has a character the figures do not")
        scale = abs(_multiply(run.tm, run.ctm)[0]) or 1.0

        def advance(line: str, run=run, scale=scale) -> float:  # in CSS px
            return sum(run.glyphs[f][1] for f in line) * run.size * scale / PT

        for row, line in enumerate(_lines(text, width, advance)):
            if align in ("right", "end"):
                start = x + width - advance(line)
            elif align == "center":
                start = x + (width - advance(line)) / 2
            else:
                start = x
            tx = (start - run.box[0]) * PT + dx
            ty = -(y + row * height - run.box[1]) * PT
            codes = "".join(run.glyphs[f][0].hex() for f in line)
            out.append(
                f"q 1 0 0 1 {_number(tx)} {_number(ty)} cm {' '.join(_number(v) for v in run.ctm)} cm {run.fill} "
                f"BT /PnF{number} {_number(run.size)} Tf {' '.join(_number(v) for v in run.tm)} Tm <{codes}> Tj ET Q"
            )
    return ("\n".join(out) + "\n").encode("ascii") if out else b""
