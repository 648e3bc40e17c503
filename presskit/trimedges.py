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
        if region[2] - region[0] < 1 or region[3] - region[1] < 1:
            continue
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
