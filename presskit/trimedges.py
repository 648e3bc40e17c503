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


def render(page, media) -> np.ndarray:
    """The page (a pypdfium2 PdfPage) rendered RGB at SCALE, covering its MediaBox `media`."""
    page.set_cropbox(*media)
    bitmap = page.render(scale=SCALE, rev_byteorder=True, may_draw_forms=False)
    try:
        pixels = bitmap.to_numpy()
    finally:
        bitmap.close()
    return pixels[:, :, :3]


def inked_edges(pixels: np.ndarray, media, trim, bleed) -> list[Edge]:
    """The edges of `trim` that ink reaches, and whether it stops there (see the module's doc). `pixels` is the page
    rendered over `media` at SCALE; `bleed` the BleedBox (the MediaBox when it has none). Boxes are
    (x0, y0, x1, y1) in PDF points."""
    height, width = pixels.shape[:2]

    def column(x):  # pixel column of PDF x
        return int(round((x - media[0]) * SCALE))

    def row(y):  # pixel row of PDF y (rows run down)
        return int(round((media[3] - y) * SCALE))

    found = []
    x0, x1 = sorted((column(trim[0]), column(trim[2])))
    y0, y1 = sorted((row(trim[3]), row(trim[1])))
    for side in SIDES:
        if side in ("top", "bottom"):
            edge_y = trim[3] if side == "top" else trim[1]
            sign = 1 if side == "top" else -1
            room = (bleed[3] - trim[3]) if side == "top" else (trim[1] - bleed[1])
            lines = [row(edge_y + sign * offset) for offset in (-INSIDE, NEAR, room - INSIDE)]
            span = slice(max(x0, 0), min(x1, width))
            strips = [pixels[r, span] if 0 <= r < height else None for r in lines]
        else:
            edge_x = trim[0] if side == "left" else trim[2]
            sign = -1 if side == "left" else 1
            room = (trim[0] - bleed[0]) if side == "left" else (bleed[2] - trim[2])
            offsets = (-INSIDE, NEAR, room - INSIDE)
            lines = [column(edge_x + sign * offset) for offset in offsets]
            span = slice(max(y0, 0), min(y1, height))
            strips = [pixels[span, c] if 0 <= c < width else None for c in lines]
            strips = [None if s is None else s[::-1] for s in strips]  # from the bottom end, as PDF y runs
        inside, near, far = strips
        if inside is None:
            continue
        inked = inside.min(axis=1) < PAPER
        room = max(room, 0.0)
        if room < MIN_BLEED_PT or near is None or far is None:
            stops = inked
        else:
            inside16 = inside.astype(np.int16)
            differs_near = np.abs(inside16 - near.astype(np.int16)).max(axis=1) > DIFFERENT
            differs_far = np.abs(inside16 - far.astype(np.int16)).max(axis=1) > DIFFERENT
            # a band that stops at the trim differs from what lies beyond it, near and far; a photo that
            # goes on into the bleed may differ from a point 3.5 pt on (an edge in it), seldom from both
            stops = inked & differs_far & (differs_near | (far.min(axis=1) >= PAPER))
        for flags, stopping in ((stops, True), (inked, False)):
            run = _longest_run(flags)
            if run is not None and run[1] >= MIN_RUN * SCALE:
                found.append(Edge(side, run[0] / SCALE, run[1] / SCALE, room, stopping))
                break
    return found


def _longest_run(flags: np.ndarray) -> tuple[int, int] | None:
    """(start, length) of the longest run of True in a 1-D boolean array."""
    if not flags.any():
        return None
    padded = np.concatenate(([0], flags.astype(np.int8), [0]))
    changes = np.flatnonzero(np.diff(padded))
    starts, ends = changes[0::2], changes[1::2]
    longest = int(np.argmax(ends - starts))
    return int(starts[longest]), int(ends[longest] - starts[longest])
