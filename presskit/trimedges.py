"""Ink that reaches the trim and stops there, found on a rendering of the page (for presskit.preflight).

A background, band or image that reaches the trim edge must go on into the bleed: the guillotine cuts within
a millimetre or so of the trim, and ink that stops at it leaves a white sliver. The page is rendered with
pypdfium2 at its MediaBox, and per edge of the TrimBox the strip just inside the trim is compared with the
bleed beyond it: where the inside is inked over a stretch of the edge and the bleed is not the same colour
(paper, or another colour), the ink stops at the trim. With no bleed at all, ink reaching the trim is enough.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

SCALE = 2.0  # pixels per point
INSIDE = 1.5  # pt inside the trim: the strip compared
NEAR = 2.0  # pt beyond the trim: just into the bleed
MIN_BLEED_PT = 3.0  # pt: less bleed than this on a side counts as none
PAPER = 248  # a channel at or above this (of 255) on every channel is paper
DIFFERENT = 90  # a channel differing by more than this: another colour
MIN_RUN = 14.2  # pt along the edge (5 mm): shorter stretches (a glyph, an antialiased corner) are ignored
SIDES = ("top", "bottom", "left", "right")


@dataclass(frozen=True)
class Edge:
    side: str  # top | bottom | left | right
    start: float  # pt along the edge, from its left (top, bottom) or bottom (left, right) end
    length: float  # pt
    bleed: float  # pt of bleed on that side (0: none)
    stops: bool  # the ink stops at the trim (else it reaches the trim and goes on into the bleed)


def inked_edges(page, media, trim, bleed) -> list[Edge]:
    """The edges of `trim` that ink reaches on `page` (a pypdfium2 PdfPage), and whether it stops there (see
    the module's doc). `bleed` is the BleedBox (the MediaBox when it has none). Boxes are (x0, y0, x1, y1)
    in PDF points. Only a strip along each edge is rendered: what lies wholly inside it is never drawn."""
    page.set_cropbox(*media)
    found = []
    for side, edge, sign, room, region in _regions(media, trim, bleed):
        pixels = _render(page, media, region)
        height, width = pixels.shape[:2]

        def column(x, region=region):  # pixel column of PDF x in the strip
            return int(round((x - region[0]) * SCALE))

        def row(y, region=region):  # pixel row of PDF y (rows run down)
            return int(round((region[3] - y) * SCALE))

        offsets = (-INSIDE, NEAR, room - INSIDE)
        if side in ("top", "bottom"):
            lines = [row(edge + sign * offset) for offset in offsets]
            span = slice(max(column(trim[0]), 0), min(column(trim[2]), width))
            strips = [pixels[r, span] if 0 <= r < height else None for r in lines]
        else:
            lines = [column(edge + sign * offset) for offset in offsets]
            span = slice(max(row(trim[3]), 0), min(row(trim[1]), height))
            strips = [pixels[span, c][::-1] if 0 <= c < width else None for c in lines]  # from the bottom up
        inside, near, far = strips
        edge_found = _edge(side, inside, near, far, max(room, 0.0))
        if edge_found is not None:
            found.append(edge_found)
    return found


def _regions(media, trim, bleed):
    """(side, the trim's edge, its outward sign, the room beyond it, the region rendered) of each side."""
    for side in SIDES:
        if side in ("top", "bottom"):
            edge, sign = (trim[3], 1) if side == "top" else (trim[1], -1)
            room = (bleed[3] - trim[3]) if side == "top" else (trim[1] - bleed[1])
            reach = edge - sign * (INSIDE + 2)
            region = (
                (media[0], max(reach, media[1]), media[2], media[3])
                if side == "top"
                else (media[0], media[1], media[2], min(reach, media[3]))
            )
        else:
            edge, sign = (trim[0], -1) if side == "left" else (trim[2], 1)
            room = (trim[0] - bleed[0]) if side == "left" else (bleed[2] - trim[2])
            reach = edge - sign * (INSIDE + 2)
            region = (
                (media[0], media[1], min(reach, media[2]), media[3])
                if side == "left"
                else (max(reach, media[0]), media[1], media[2], media[3])
            )
        if region[2] - region[0] >= 1 and region[3] - region[1] >= 1:
            yield side, edge, sign, room, region


# pt around a rendered region: pdfium's clip box is the bitmap's, whole pixels (and bounds are floats)
CLEAR = 2.0


def clear_of_edges(media, trim, bleed, bounds) -> bool:
    """True when no object of `bounds` (their boxes, x0, y0, x1, y1 in PDF points) comes near a region
    inked_edges renders: pdfium draws only the page objects whose box meets what it renders, so these
    strips would be all paper, and inked_edges finds no edge (the boxes as in inked_edges)."""
    for *_, region in _regions(media, trim, bleed):
        for x0, y0, x1, y1 in bounds:
            if (
                x0 <= region[2] + CLEAR
                and x1 >= region[0] - CLEAR
                and y0 <= region[3] + CLEAR
                and y1 >= region[1] - CLEAR
            ):
                return False
    return True


def placed_bounds(page) -> tuple[tuple[float, float, float, float] | None, tuple[float, float, float, float]] | None:
    """(the box of every page object but the last, None when there is none; the last's box) of `page` (a
    pypdfium2 PdfPage), as pdfium tells them (the boxes it culls by), when its last object is a form (a
    placed catalogue page's stamp: preflightmemo); None otherwise."""
    import ctypes

    import pypdfium2.raw as pdfium_c

    count = pdfium_c.FPDFPage_CountObjects(page.raw)
    if count < 1:
        return None
    x0, y0, x1, y1 = (ctypes.c_float() for _ in range(4))

    def box(index):
        obj = pdfium_c.FPDFPage_GetObject(page.raw, index)
        if not obj or not pdfium_c.FPDFPageObj_GetBounds(obj, x0, y0, x1, y1):
            raise ValueError("no bounds")
        return obj, (x0.value, y0.value, x1.value, y1.value)

    try:
        last, stamp = box(count - 1)
        if pdfium_c.FPDFPageObj_GetType(last) != pdfium_c.FPDF_PAGEOBJ_FORM:
            return None
        content = None
        for index in range(count - 1):
            b = box(index)[1]
            content = (
                b
                if content is None
                else (min(content[0], b[0]), min(content[1], b[1]), max(content[2], b[2]), max(content[3], b[3]))
            )
    except ValueError:
        return None
    return content, stamp


def _render(page, media, region) -> np.ndarray:
    """The part `region` of the page rendered RGB at SCALE (the page's crop box set to `media`)."""
    crop = (region[0] - media[0], region[1] - media[1], media[2] - region[2], media[3] - region[3])
    bitmap = page.render(scale=SCALE, crop=crop, rev_byteorder=True, may_draw_forms=False)
    try:
        return bitmap.to_numpy()[:, :, :3].copy()
    finally:
        bitmap.close()


def _edge(side: str, inside, near, far, room: float) -> Edge | None:
    """The edge, when ink reaches it along one stretch of MIN_RUN or more (the strips: pixels just inside the
    trim, just beyond it, and at the bleed's outer edge; None beyond the rendering)."""
    if inside is None or len(inside) == 0:
        return None
    inked = inside.min(axis=1) < PAPER
    if room < MIN_BLEED_PT or near is None or far is None:
        stops = inked
    else:
        inside16 = inside.astype(np.int16)
        differs_near = np.abs(inside16 - near.astype(np.int16)).max(axis=1) > DIFFERENT
        differs_far = np.abs(inside16 - far.astype(np.int16)).max(axis=1) > DIFFERENT
        # a band that stops at the trim differs from what lies beyond it, near and far; a photo that goes on
        # into the bleed may differ from a point 3.5 pt on (an edge in it), seldom from both
        stops = inked & differs_far & (differs_near | (far.min(axis=1) >= PAPER))
    for flags, stopping in ((stops, True), (inked, False)):
        run = _longest_run(flags)
        if run is not None and run[1] >= MIN_RUN * SCALE:
            return Edge(side, run[0] / SCALE, run[1] / SCALE, room, stopping)
    return None


def _longest_run(flags: np.ndarray) -> tuple[int, int] | None:
    """(start, length) of the longest run of True in a 1-D boolean array."""
    if not flags.any():
        return None
    padded = np.concatenate(([0], flags.astype(np.int8), [0]))
    changes = np.flatnonzero(np.diff(padded))
    starts, ends = changes[0::2], changes[1::2]
    longest = int(np.argmax(ends - starts))
    return int(starts[longest]), int(ends[longest] - starts[longest])
