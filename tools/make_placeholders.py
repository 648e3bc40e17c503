#!/usr/bin/env python3
"""Generate the placeholder key art, stills and headshot used by the sample films.

No real stills can be used in the repository, so every image under data/films/*/images/ is drawn
here with Pillow: dark gradients, soft glows and flat geometric shapes, with a discreet
"PLACEHOLDER IMAGE" label in the bottom-right corner.

The output is deterministic: no randomness without a fixed seed, no network, and the embedded
sRGB ICC profile has its creation date pinned (lcms stamps the current time otherwise), so running
the script twice produces byte-identical files.

All twenty images together stay well under 900 KB at JPEG quality 85: near-flat 8/16 px tiles are
flattened to their mean (settle), shape edges are softened by a pixel (EDGE_SOFTNESS) and straight
edges of the courthouse sit on the JPEG grid.

    .venv/bin/python tools/make_placeholders.py            # write every image
    .venv/bin/python tools/make_placeholders.py red-rooms  # only some films
"""

from __future__ import annotations

import argparse
import functools
import math
import random
import sys
from collections.abc import Callable
from pathlib import Path

from PIL import Image, ImageChops, ImageCms, ImageDraw, ImageFilter, ImageFont, ImageStat

ROOT = Path(__file__).resolve().parents[1]
FILMS = ROOT / "data" / "films"
FONT = ROOT / "assets" / "fonts" / "inter" / "Inter-SemiBold.otf"
LABEL = "PLACEHOLDER IMAGE"
QUALITY = 85

Color = str | tuple[int, int, int]


# --- colour profile ------------------------------------------------------------------------------


def srgb_profile() -> bytes:
    """Pillow's built-in sRGB profile, with the header date fixed so the bytes never change."""
    data = bytearray(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    # ICC header bytes 24-35: dateTimeNumber (year, month, day, hour, minute, second; uint16 BE).
    fixed = (2024, 1, 1, 0, 0, 0)
    data[24:36] = b"".join(v.to_bytes(2, "big") for v in fixed)
    return bytes(data)


ICC = srgb_profile()


# --- drawing helpers -----------------------------------------------------------------------------


def rgb(color: Color) -> tuple[int, int, int]:
    if isinstance(color, tuple):
        return color
    color = color.lstrip("#")
    return tuple(int(color[i : i + 2], 16) for i in (0, 2, 4))  # type: ignore[return-value]


class F:
    """Fractional coordinates: x/y as a share of width/height, u as a share of the short side."""

    def __init__(self, w: int, h: int):
        self.w, self.h = w, h
        self.s = min(w, h)

    def x(self, f: float) -> float:
        return f * self.w

    def y(self, f: float) -> float:
        return f * self.h

    def u(self, f: float) -> float:
        return f * self.s

    def p(self, fx: float, fy: float) -> tuple[float, float]:
        return (fx * self.w, fy * self.h)

    def pts(self, points) -> list[tuple[float, float]]:
        return [self.p(fx, fy) for fx, fy in points]

    def box(self, x0: float, y0: float, x1: float, y1: float) -> list[float]:
        return [x0 * self.w, y0 * self.h, x1 * self.w, y1 * self.h]

    def circle(self, cx: float, cy: float, r: float) -> list[float]:
        """Box of a circle centred at fractional (cx, cy) with radius r in short-side units."""
        x, y, rr = self.x(cx), self.y(cy), self.u(r)
        return [x - rr, y - rr, x + rr, y + rr]

    def ellipse(self, cx: float, cy: float, rx: float, ry: float) -> list[float]:
        """Box of an ellipse with radii in short-side units."""
        x, y = self.x(cx), self.y(cy)
        return [x - self.u(rx), y - self.u(ry), x + self.u(rx), y + self.u(ry)]


def gradient(size: tuple[int, int], stops: list[tuple[float, Color]], horizontal: bool = False) -> Image.Image:
    """A multi-stop linear gradient; stops are (position 0..1, colour)."""
    w, h = size
    n = w if horizontal else h
    stops = [(pos, rgb(c)) for pos, c in stops]
    colors = []
    for i in range(n):
        t = i / max(1, n - 1)
        for (p0, c0), (p1, c1) in zip(stops, stops[1:]):
            if t <= p1:
                k = 0.0 if p1 == p0 else max(0.0, (t - p0) / (p1 - p0))
                break
        else:
            (p0, c0), (p1, c1), k = stops[-1], stops[-1], 0.0
        if t < stops[0][0]:
            c0, c1, k = stops[0][1], stops[0][1], 0.0
        colors.append(tuple(round(a + (b - a) * k) for a, b in zip(c0, c1)))
    strip = Image.new("RGB", (n, 1) if horizontal else (1, n))
    strip.putdata(colors)
    return strip.resize(size, Image.NEAREST)


EDGE_SOFTNESS = 1.3  # px of Gaussian blur on every shape edge: invisible in print, ~5% smaller JPEGs


def shape(
    size: tuple[int, int], draw: Callable[[ImageDraw.ImageDraw, F], None], ss: int = 2, softness: float = EDGE_SOFTNESS
) -> Image.Image:
    """An anti-aliased L mask: `draw` paints 255 on a canvas `ss` times larger, then it is reduced
    and its edges softened by `softness` px (hard edges are the costliest thing in a JPEG)."""
    w, h = size
    big = Image.new("L", (w * ss, h * ss), 0)
    draw(ImageDraw.Draw(big), F(w * ss, h * ss))
    mask = big.reduce(ss)
    return mask.filter(ImageFilter.GaussianBlur(softness)) if softness else mask


# For straight, axis-aligned compositions: softening edges that already sit on the 8 px JPEG grid costs bits.
sharp = functools.partial(shape, softness=0)


def soft(mask: Image.Image, radius: float, factor: int = 4) -> Image.Image:
    """A wide Gaussian blur, done at reduced size (fast, and smooth enough for glows)."""
    small = mask.reduce(factor)
    small = small.filter(ImageFilter.GaussianBlur(radius / factor))
    return small.resize(mask.size, Image.BICUBIC)


def scale(mask: Image.Image, strength: float) -> Image.Image:
    return mask.point([round(v * strength) for v in range(256)])


def _radial_base(n: int = 512) -> Image.Image:
    """An n x n distance map: 0 at the centre, 255 on the inscribed circle and beyond.

    (Pillow's own radial_gradient reaches 255 only in the corners, which leaves a visible box.)
    """
    half = (n - 1) / 2
    return Image.frombytes(
        "L",
        (n, n),
        bytes(min(255, round(255 * math.hypot(x - half, y - half) / (n / 2))) for y in range(n) for x in range(n)),
    )


_RADIAL = _radial_base()


def radial(
    size: tuple[int, int], center: tuple[float, float], radius: tuple[float, float], power: float = 2.0
) -> Image.Image:
    """A soft elliptical mask: 255 at `center` fading to 0 at `radius` (pixels)."""
    cx, cy = center
    rx, ry = radius
    lut = [round(255 * max(0.0, 1 - v / 255) ** power) for v in range(256)]
    blob = _RADIAL.point(lut).resize((max(1, round(2 * rx)), max(1, round(2 * ry))), Image.BICUBIC)
    out = Image.new("L", size, 0)
    out.paste(blob, (round(cx - rx), round(cy - ry)))
    return out


def fill(im: Image.Image, mask: Image.Image, paint: Color | Image.Image) -> None:
    """Paint a colour or an image through a mask, in place."""
    if isinstance(paint, Image.Image):
        im.paste(paint, (0, 0), mask)
    else:
        im.paste(rgb(paint), (0, 0, im.width, im.height), mask)


def light(im: Image.Image, mask: Image.Image, color: Color, strength: float = 1.0) -> Image.Image:
    """Add light of `color` through `mask` (screen blend), returning the new image."""
    layer = Image.new("RGB", im.size, (0, 0, 0))
    layer.paste(rgb(color), (0, 0, im.width, im.height), scale(mask, strength) if strength != 1 else mask)
    return ImageChops.screen(im, layer)


def glow(
    im: Image.Image,
    center: tuple[float, float],
    radius: tuple[float, float],
    color: Color,
    strength: float = 1.0,
    power: float = 2.0,
) -> Image.Image:
    """A soft radial light; center and radius as fractions of width and height."""
    w, h = im.size
    mask = radial(im.size, (center[0] * w, center[1] * h), (radius[0] * w, radius[1] * h), power)
    return light(im, mask, color, strength)


def wave(f: F, base: float, amp: float, freq: float, phase: float, bottom: float = 1.02, steps: int = 60):
    """Polygon points of a band under a sine curve (fractions of width/height)."""
    top = [(i / steps, base + amp * math.sin(2 * math.pi * (freq * i / steps) + phase)) for i in range(steps + 1)]
    return f.pts([(-0.01, bottom)] + top + [(1.01, bottom)])


def label(im: Image.Image) -> None:
    """The discreet "PLACEHOLDER IMAGE" mark in the bottom-right corner, light or dark to suit."""
    w, h = im.size
    size = max(20, round(min(w, h) * 0.018))
    margin = round(min(w, h) * 0.03)
    font = ImageFont.truetype(str(FONT), size)
    left, top, right, bottom = font.getbbox(LABEL, anchor="rd")
    corner = im.crop((w - margin + left - size, h - margin + top - size, w - margin + size, h - margin + size))
    brightness = ImageStat.Stat(corner.convert("L")).mean[0]
    ink = (255, 255, 255, 150) if brightness < 140 else (20, 20, 24, 150)
    overlay = Image.new("RGBA", im.size, (0, 0, 0, 0))
    ImageDraw.Draw(overlay).text((w - margin, h - margin), LABEL, font=font, fill=ink, anchor="rd")
    im.paste(overlay, (0, 0), overlay)


def settle(im: Image.Image, block: int, tolerance: int) -> Image.Image:
    """Flatten each block x block tile that varies by no more than `tolerance` levels to its mean.

    Smooth 8-bit gradients step by one level every few pixels; each step costs JPEG bits in every
    8x8 block it crosses. Replacing near-flat tiles (aligned with the JPEG grid) by their mean
    changes no pixel by more than `tolerance` and roughly halves the size of the soft areas, while
    tiles holding an edge are left untouched.
    """
    w, h = im.size
    cols, rows = -(-w // block), -(-h // block)
    pad = Image.new("RGB", (cols * block, rows * block))
    pad.paste(im, (0, 0))
    if cols * block > w:
        pad.paste(im.crop((w - 1, 0, w, h)).resize((cols * block - w, h)), (w, 0))
    if rows * block > h:
        pad.paste(pad.crop((0, h - 1, pad.width, h)).resize((pad.width, rows * block - h)), (0, h))
    mean = pad.reduce(block).resize(pad.size, Image.NEAREST)
    r, g, b = ImageChops.difference(pad, mean).split()
    deviation = ImageChops.lighter(ImageChops.lighter(r, g), b)
    busy = deviation.point(lambda v: 255 if v > tolerance else 0).reduce(block)
    flat = busy.point(lambda v: 255 if v == 0 else 0).resize(pad.size, Image.NEAREST)
    pad.paste(mean, (0, 0), flat)
    return pad.crop((0, 0, w, h))


def save(im: Image.Image, path: Path) -> None:
    im = settle(settle(im.convert("RGB"), 16, 1), 8, 3)
    label(im)
    path.parent.mkdir(parents=True, exist_ok=True)
    im.convert("RGB").save(
        path,
        "JPEG",
        quality=QUALITY,
        optimize=True,
        progressive=True,
        subsampling="4:2:0",
        icc_profile=ICC,
        dpi=(300, 300),
    )


# --- Red Rooms ------------------------------------------------------------------------------------


def bust(
    d: ImageDraw.ImageDraw,
    f: F,
    cx: float,
    cy: float,
    r: float,
    shoulders: float = 3.4,
    ears: bool = False,
    long_hair: bool = False,
) -> None:
    """Head and shoulders: head centre (cx, cy) as fractions, head half-width r in short-side units."""
    x, y, r = f.x(cx), f.y(cy), f.u(r)
    d.ellipse([x - r, y - 1.28 * r, x + r, y + 1.2 * r], fill=255)
    if ears:
        for side in (-1, 1):
            d.ellipse([x + side * r - 0.17 * r, y - 0.3 * r, x + side * r + 0.17 * r, y + 0.3 * r], fill=255)
    d.rectangle([x - 0.5 * r, y + 0.5 * r, x + 0.5 * r, y + 2.4 * r], fill=255)
    top, half = y + 1.8 * r, shoulders * r
    d.ellipse([x - half, top, x + half, top + 1.4 * half], fill=255)
    d.rectangle([x - half, top + 0.7 * half, x + half, top + 12 * r], fill=255)
    if long_hair:
        d.rounded_rectangle([x - 1.1 * r, y - 0.6 * r, x + 1.1 * r, y + 2.7 * r], radius=0.9 * r, fill=255)


def rr_key_art(w: int = 2000, h: int = 3000) -> Image.Image:
    """A face lit from below by a monitor in a dark room; the top third stays quiet for the title."""
    size = (w, h)
    im = gradient(size, [(0, "#0b090c"), (0.42, "#130e11"), (0.8, "#2a0a0f"), (1, "#3a0b12")])
    im = glow(im, (0.5, 0.6), (0.8, 0.42), "#9e0f1b", 0.8, power=1.8)
    bezel = shape(size, lambda d, f: d.rounded_rectangle(f.box(0.17, 0.44, 0.83, 0.72), radius=f.u(0.014), fill=255))
    fill(im, bezel, "#0a090b")
    screen_box = (0.185, 0.452, 0.815, 0.705)
    screen = shape(size, lambda d, f: d.rectangle(f.box(*screen_box), fill=255))
    panel = gradient(size, [(0, "#5c0810"), (0.5, "#b8192a"), (0.6, "#c41e2e"), (0.7, "#7a0b15"), (1, "#3a0509")])
    panel = glow(panel, (0.5, 0.56), (0.3, 0.12), "#ff6a6a", 0.35, power=2.2)
    fill(im, screen, panel)
    # A video player's progress bar along the bottom of the screen.
    fill(im, shape(size, lambda d, f: d.rectangle(f.box(0.23, 0.684, 0.77, 0.6865), fill=255)), "#4a060c")
    fill(im, shape(size, lambda d, f: d.rectangle(f.box(0.23, 0.684, 0.58, 0.6865), fill=255)), "#f0a3a9")
    fill(im, shape(size, lambda d, f: d.ellipse(f.circle(0.58, 0.6853, 0.008), fill=255)), "#ffd9dc")
    # The viewer, from behind, against the screen.
    sil = shape(size, lambda d, f: bust(d, f, 0.5, 0.76, 0.1, shoulders=3.6, long_hair=True))
    rim = ImageChops.subtract(sil, sil.filter(ImageFilter.MinFilter(9)))
    fill(im, sil, "#050406")
    im = light(im, soft(rim, 6, factor=2), "#ff3b4a", 0.55)
    return im


def rr_courthouse(w: int = 2400, h: int = 1000) -> Image.Image:
    """Before dawn at the Palais de justice: a colonnade, steps and one small figure."""
    size = (w, h)
    im = gradient(size, [(0, "#121824"), (0.55, "#29303d"), (1, "#4a4d57")])
    im = glow(im, (0.5, 1.0), (0.9, 0.6), "#5c4650", 0.5)

    # Straight edges sit on the 8 px JPEG grid (snap) wherever possible: they cost almost nothing there.
    def sx(v: float) -> float:
        return round(v * w / 8) * 8 / w

    def sy(v: float) -> float:
        return round(v * h / 8) * 8 / h

    def rect(x0: float, y0: float, x1: float, y1: float) -> Image.Image:
        return sharp(size, lambda d, f: d.rectangle(f.box(sx(x0), sy(y0), sx(x1), sy(y1)), fill=255))

    fill(im, rect(0.05, 0.2, 0.95, 0.81), gradient(size, [(0, "#0c0e14"), (0.8, "#181b23"), (1, "#1d2029")]))
    im = glow(im, (0.652, 0.56), (0.1, 0.22), "#7a5431", 0.45)
    fill(
        im,
        sharp(size, lambda d, f: d.polygon(f.pts([(0.03, sy(0.1)), (0.5, -0.08), (0.97, sy(0.1))]), fill=255)),
        "#3b3f49",
    )
    fill(im, rect(0.03, 0.1, 0.97, 0.125), "#6c707a")
    fill(im, rect(0.04, 0.125, 0.96, 0.205), gradient(size, [(0, "#5a5e68"), (0.2, "#464a54"), (1, "#464a54")]))
    n, cw = 6, sx(0.05)
    shaft = gradient(
        (round(cw * w), h),
        [(0, "#23262d"), (0.3, "#767a83"), (0.45, "#898d95"), (0.75, "#474b54"), (1, "#202329")],
        horizontal=True,
    )
    for i in range(n):
        x0 = sx(0.12 + i * 0.76 / (n - 1) - cw / 2)
        layer = Image.new("RGB", size)
        layer.paste(shaft, (round(x0 * w), 0))
        fill(im, rect(x0, 0.22, x0 + cw, 0.79), layer)
        fill(im, rect(x0 - cw * 0.2, 0.205, x0 + cw * 1.2, 0.225), "#5d616b")
        fill(im, rect(x0 - cw * 0.2, 0.785, x0 + cw * 1.2, 0.81), "#555962")
    for k in range(4):
        y0 = 0.81 + k * 0.048
        fill(im, rect(0, y0, 1, y0 + 0.016), "#5e626b")
        fill(im, rect(0, y0 + 0.016, 1, y0 + 0.048), "#3a3d45" if k % 2 == 0 else "#363941")
    fill(im, rect(0, 0.81 + 4 * 0.048, 1, 1), "#5e626b")

    fx = 0.652  # the lone figure, between the fourth and fifth columns

    def figure(d: ImageDraw.ImageDraw, f: F) -> None:
        d.ellipse(f.circle(fx, 0.715, 0.011), fill=255)
        d.polygon(f.pts([(fx - 0.005, 0.73), (fx + 0.005, 0.73), (fx + 0.011, 0.79), (fx - 0.011, 0.79)]), fill=255)
        d.rectangle(f.box(fx - 0.008, 0.79, fx - 0.0015, 0.862), fill=255)
        d.rectangle(f.box(fx + 0.0015, 0.79, fx + 0.008, 0.862), fill=255)

    fill(im, sharp(size, figure, ss=4), "#0b0c10")
    fill(
        im,
        sharp(
            size,
            lambda d, f: d.polygon(
                f.pts([(fx - 0.0055, 0.735), (fx + 0.0055, 0.735), (fx + 0.01, 0.788), (fx - 0.01, 0.788)]), fill=255
            ),
            ss=4,
        ),
        "#5a1018",
    )
    return im


def rr_courtroom(w: int = 2400, h: int = 1000) -> Image.Image:
    """The courtroom: panelled wall, the judge's high bench with two lamps, the gallery in front."""
    size = (w, h)
    im = gradient(size, [(0, "#0d0b0c"), (0.6, "#1a1413"), (1, "#120e0d")])
    for x in (0.08, 0.24, 0.4, 0.6, 0.76, 0.92):  # pilasters of the panelled wall
        fill(im, sharp(size, lambda d, f, x=x: d.rectangle(f.box(x - 0.012, 0, x + 0.012, 0.62), fill=255)), "#221a17")
    im = glow(im, (0.3, 0.0), (0.25, 0.5), "#8c96a6", 0.18)
    im = glow(im, (0.7, 0.0), (0.25, 0.5), "#8c96a6", 0.18)
    fill(im, shape(size, lambda d, f: d.ellipse(f.circle(0.5, 0.16, 0.05), fill=255)), "#2a211d")
    fill(im, shape(size, lambda d, f: d.ellipse(f.circle(0.5, 0.16, 0.04), fill=255)), "#8a8378")
    fill(
        im,
        shape(
            size,
            lambda d, f: d.line([f.p(0.5, 0.16), (f.x(0.5), f.y(0.16) - f.u(0.03))], fill=255, width=round(f.u(0.004))),
        ),
        "#1a1412",
    )
    fill(
        im,
        shape(
            size,
            lambda d, f: d.line([f.p(0.5, 0.16), (f.x(0.5) + f.u(0.02), f.y(0.16))], fill=255, width=round(f.u(0.004))),
        ),
        "#1a1412",
    )
    fill(
        im,
        shape(size, lambda d, f: d.rounded_rectangle(f.box(0.465, 0.27, 0.535, 0.5), radius=f.u(0.02), fill=255)),
        "#0b0807",
    )
    fill(
        im,
        sharp(size, lambda d, f: d.rectangle(f.box(0.22, 0.46, 0.78, 0.68), fill=255)),
        gradient(size, [(0, "#3a2a21"), (0.46, "#3a2a21"), (0.68, "#22180f"), (1, "#22180f")]),
    )
    fill(im, sharp(size, lambda d, f: d.rectangle(f.box(0.215, 0.45, 0.785, 0.47), fill=255)), "#5a4332")
    for x in (0.33, 0.67):  # banker's lamps on the bench
        fill(
            im,
            shape(
                size,
                lambda d, f, x=x: d.polygon(
                    f.pts([(x - 0.02, 0.41), (x + 0.02, 0.41), (x + 0.016, 0.385), (x - 0.016, 0.385)]), fill=255
                ),
            ),
            "#1d3a2a",
        )
        fill(
            im, sharp(size, lambda d, f, x=x: d.rectangle(f.box(x - 0.002, 0.41, x + 0.002, 0.45), fill=255)), "#14100c"
        )
        im = glow(im, (x, 0.45), (0.07, 0.08), "#f0b86a", 0.55)
    fill(im, sharp(size, lambda d, f: d.rectangle(f.box(0.3, 0.62, 0.7, 0.76), fill=255)), "#2a1e17")
    fill(im, sharp(size, lambda d, f: d.rectangle(f.box(0.295, 0.615, 0.705, 0.63), fill=255)), "#4a3628")
    for y in (0.8, 0.9):  # the gallery benches
        fill(im, sharp(size, lambda d, f, y=y: d.rectangle(f.box(0, y, 1, y + 0.1), fill=255)), "#0d0a09")
        fill(im, sharp(size, lambda d, f, y=y: d.rectangle(f.box(0, y, 1, y + 0.012), fill=255)), "#3a2b22")
    fill(
        im,
        shape(size, lambda d, f: (bust(d, f, 0.16, 0.74, 0.035, long_hair=True), bust(d, f, 0.83, 0.75, 0.034))),
        "#070505",
    )
    return im


def rr_condo_night(w: int = 2400, h: int = 1000) -> Image.Image:
    """Night from a high-rise condo: the skyline through tall windows, one window lit red."""
    size = (w, h)
    im = gradient(size, [(0, "#07080d"), (0.6, "#10121c"), (1, "#24141a")])
    im = glow(im, (0.5, 1.0), (0.9, 0.5), "#5a1a22", 0.5)
    rng = random.Random(2023)
    buildings = []
    x = -0.02
    while x < 1.02:
        bw = rng.uniform(0.03, 0.075)
        top = rng.uniform(0.3, 0.5) if rng.random() < 0.25 else rng.uniform(0.5, 0.78)
        buildings.append((x, bw, top, rng.choice(["#0b0c12", "#0e0f16", "#0a0a0f", "#111219"])))
        x += bw + rng.uniform(0.0, 0.01)
    for bx, bw, top, color in buildings:
        fill(
            im,
            shape(size, lambda d, f, bx=bx, bw=bw, top=top: d.rectangle(f.box(bx, top, bx + bw, 1), fill=255)),
            color,
        )
    windows = Image.new("L", size, 0)
    dw = ImageDraw.Draw(windows)
    f = F(w, h)
    # One window lit red, on the building nearest the middle of the right-hand pane.
    bx, bw, top, _ = min(buildings, key=lambda b: abs(b[0] + b[1] / 2 - 0.79))
    red = (bx + bw / 2, max(top + 0.08, 0.6))
    for bx, bw, top, _ in buildings:
        for _ in range(rng.randint(1, 5)):
            wx = bx + rng.uniform(0.005, max(0.006, bw - 0.012))
            wy = rng.uniform(top + 0.03, 0.9)
            dw.rectangle(f.box(wx, wy, wx + 0.005, wy + 0.014), fill=rng.choice([70, 95, 120]))
    im = light(im, windows, "#d9a55c")
    fill(
        im,
        shape(size, lambda d, f: d.rectangle(f.box(red[0] - 0.004, red[1], red[0] + 0.004, red[1] + 0.02), fill=255)),
        "#e0283a",
    )
    im = glow(im, (red[0], red[1] + 0.01), (0.025, 0.07), "#c01a2a", 0.7)

    def frame(d: ImageDraw.ImageDraw, f: F) -> None:
        d.rectangle(f.box(0, 0, 1, 0.1), fill=255)
        d.rectangle(f.box(0, 0.1, 1, 0.115), fill=200)
        for mx in (0.0, 0.325, 0.665, 0.99):
            d.rectangle(f.box(mx - 0.01, 0, mx + 0.01, 1), fill=255)
        d.rectangle(f.box(0, 0.9, 1, 1), fill=255)

    fill(im, shape(size, frame), "#050406")
    im = glow(im, (0.5, 0.95), (0.6, 0.08), "#3a0e14", 0.5)
    # Kelly-Anne at the window, and her laptop's red glow on the table.
    fill(im, shape(size, lambda d, f: bust(d, f, 0.52, 0.6, 0.06, shoulders=3.2, long_hair=True)), "#030203")
    fill(im, shape(size, lambda d, f: d.rectangle(f.box(0.1, 0.86, 0.38, 1), fill=255)), "#0c0708")
    fill(
        im,
        shape(size, lambda d, f: d.polygon(f.pts([(0.15, 0.7), (0.29, 0.7), (0.295, 0.86), (0.145, 0.86)]), fill=255)),
        "#0a0607",
    )
    fill(
        im,
        shape(size, lambda d, f: d.rectangle(f.box(0.157, 0.715, 0.283, 0.845), fill=255)),
        gradient(size, [(0, "#a3121f"), (0.7, "#c41e2e"), (0.85, "#8a0f1a"), (1, "#8a0f1a")]),
    )
    im = glow(im, (0.22, 0.8), (0.2, 0.35), "#b3121f", 0.45)
    fill(
        im,
        shape(size, lambda d, f: d.polygon(f.pts([(0.14, 0.86), (0.3, 0.86), (0.32, 0.875), (0.12, 0.875)]), fill=255)),
        "#1a0b0d",
    )
    return im


def rr_dock(w: int = 2400, h: int = 1000) -> Image.Image:
    """The accused in the glass-walled dock, under cold light."""
    size = (w, h)
    im = gradient(size, [(0, "#0c0f13"), (0.7, "#171c23"), (1, "#0e1115")])
    im = glow(im, (0.62, 0.0), (0.35, 0.9), "#7d8ea3", 0.35)
    fill(im, shape(size, lambda d, f: bust(d, f, 0.62, 0.42, 0.05, shoulders=3.0)), "#07080a")
    glass = sharp(size, lambda d, f: d.rectangle(f.box(0.36, 0.2, 0.88, 0.64), fill=255))
    im = light(im, glass, "#9fb2c8", 0.08)
    streaks = shape(
        size,
        lambda d, f: [
            d.polygon(f.pts(p), fill=255)
            for p in (
                [(0.42, 0.2), (0.47, 0.2), (0.41, 0.64), (0.36, 0.64)],
                [(0.76, 0.2), (0.78, 0.2), (0.72, 0.64), (0.70, 0.64)],
            )
        ],
    )
    im = light(im, ImageChops.multiply(soft(streaks, 12, factor=2), glass), "#cfdcea", 0.12)

    def frame(d: ImageDraw.ImageDraw, f: F) -> None:
        for x in (0.36, 0.53, 0.71, 0.88):
            d.rectangle(f.box(x - 0.003, 0.2, x + 0.003, 0.64), fill=255)
        d.rectangle(f.box(0.357, 0.195, 0.883, 0.205), fill=255)

    fill(im, sharp(size, frame), "#5f6b78")
    fill(
        im,
        sharp(size, lambda d, f: d.rectangle(f.box(0.35, 0.64, 0.89, 0.9), fill=255)),
        gradient(size, [(0, "#2b2019"), (0.64, "#2b2019"), (0.9, "#17110d"), (1, "#17110d")]),
    )
    fill(im, sharp(size, lambda d, f: d.rectangle(f.box(0.345, 0.635, 0.895, 0.65), fill=255)), "#4a382b")
    fill(im, sharp(size, lambda d, f: d.rectangle(f.box(0, 0.9, 1, 1), fill=255)), "#0a0b0d")
    return im


def headshot(w: int = 900, h: int = 1125) -> Image.Image:
    """A neutral grey silhouette of a head and shoulders."""
    size = (w, h)
    im = gradient(size, [(0, "#84878c"), (1, "#55585d")])
    im = glow(im, (0.5, 0.38), (0.6, 0.45), "#3a3c40", 0.7)

    fill(
        im,
        shape(size, lambda d, f: bust(d, f, 0.5, 0.37, 0.17, shoulders=2.75, ears=True), ss=4, softness=1.2),
        "#2b2d31",
    )
    return im


# --- the other films ---------------------------------------------------------------------------


def lady_bird(w: int, h: int) -> Image.Image:
    """Sacramento dusk in pinks: a low sun, layered hills and a single bird."""
    portrait = h > w
    size = (w, h)
    im = gradient(size, [(0, "#f0bdb8"), (0.5, "#e79a92"), (0.8, "#d4796c"), (1, "#c86a5e")])
    sun = (0.5, 0.46 if portrait else 0.46, 0.2 if portrait else 0.22)
    im = glow(im, sun[:2], (0.55, 0.35) if portrait else (0.35, 0.6), "#fbe3c8", 0.5)
    fill(im, shape(size, lambda d, f: d.ellipse(f.circle(*sun), fill=255)), "#f8e2c6")
    bases = (0.58, 0.66, 0.76) if portrait else (0.6, 0.7, 0.82)
    for base, color, phase in zip(bases, ("#a9b8a3", "#73918a", "#3e5e5c"), (0.3, 1.7, 4.0)):
        fill(
            im,
            shape(size, lambda d, f, base=base, phase=phase: d.polygon(wave(f, base, 0.018, 1.3, phase), fill=255)),
            color,
        )
    bx, by, bs = (0.7, 0.26, 0.05) if portrait else (0.72, 0.28, 0.06)

    def bird(d: ImageDraw.ImageDraw, f: F) -> None:
        rel = [
            (-1, 0),
            (-0.55, -0.38),
            (-0.1, -0.05),
            (0, 0.05),
            (0.1, -0.05),
            (0.55, -0.38),
            (1, 0),
            (0.5, -0.18),
            (0.05, 0.18),
            (-0.05, 0.18),
            (-0.5, -0.18),
        ]
        d.polygon([(f.x(bx) + f.u(bs) * px, f.y(by) + f.u(bs) * py) for px, py in rel], fill=255)

    fill(im, shape(size, bird, ss=4), "#5b3a40")
    return im


def in_the_mood_for_love(w: int, h: int) -> Image.Image:
    """Crimson and dark green, lamplight: a narrow corridor (poster) or two lit windows (still)."""
    size = (w, h)
    im = gradient(size, [(0, "#1a090b"), (1, "#3a0c12")])
    if h > w:
        fill(
            im,
            sharp(size, lambda d, f: d.rectangle(f.box(0.38, 0.3, 0.62, 0.8), fill=255)),
            gradient(size, [(0, "#e0a052"), (0.3, "#e0a052"), (0.8, "#8a4a1e"), (1, "#8a4a1e")]),
        )
        im = glow(im, (0.5, 0.55), (0.35, 0.3), "#c47a32", 0.45)
        fill(im, sharp(size, lambda d, f: d.rectangle(f.box(0.45, 0.42, 0.5, 0.8), fill=255)), "#2a1208")
        fill(
            im,
            sharp(size, lambda d, f: d.polygon(f.pts([(0, 0), (0.38, 0.3), (0.38, 0.8), (0, 1)]), fill=255)),
            gradient(size, [(0, "#0c211e"), (1, "#16332e")], horizontal=True),
        )
        fill(
            im,
            sharp(size, lambda d, f: d.polygon(f.pts([(1, 0), (0.62, 0.3), (0.62, 0.8), (1, 1)]), fill=255)),
            gradient(size, [(0, "#16332e"), (1, "#0c211e")], horizontal=True),
        )
        fill(
            im,
            sharp(size, lambda d, f: d.polygon(f.pts([(0, 1), (0.38, 0.8), (0.62, 0.8), (1, 1)]), fill=255)),
            gradient(size, [(0, "#2a0a0e"), (0.8, "#2a0a0e"), (1, "#4a1016")]),
        )
        fill(
            im,
            sharp(size, lambda d, f: d.line(f.pts([(0.5, 0), (0.5, 0.14)]), fill=255, width=round(f.u(0.004)))),
            "#0a0505",
        )
        fill(
            im,
            sharp(
                size, lambda d, f: d.polygon(f.pts([(0.46, 0.17), (0.54, 0.17), (0.57, 0.2), (0.43, 0.2)]), fill=255)
            ),
            "#120606",
        )
        im = glow(im, (0.5, 0.2), (0.25, 0.12), "#f2b35e", 0.7)
    else:
        im = gradient(size, [(0, "#0c1f1c"), (1, "#17312c")])
        for x0 in (0.2, 0.58):
            fill(
                im,
                sharp(size, lambda d, f, x0=x0: d.rectangle(f.box(x0, 0.16, x0 + 0.22, 0.76), fill=255)),
                gradient(size, [(0, "#e6a657"), (1, "#9a5522")]),
            )
            im = glow(im, (x0 + 0.11, 0.46), (0.2, 0.45), "#c98236", 0.35)
            fill(
                im,
                sharp(size, lambda d, f, x0=x0: d.rectangle(f.box(x0 + 0.105, 0.16, x0 + 0.115, 0.76), fill=255)),
                "#10100c",
            )
            fill(
                im, sharp(size, lambda d, f, x0=x0: d.rectangle(f.box(x0, 0.45, x0 + 0.22, 0.465), fill=255)), "#10100c"
            )
            fill(
                im,
                sharp(
                    size,
                    lambda d, f, x0=x0: d.polygon(
                        f.pts([(x0, 0.16), (x0 + 0.08, 0.16), (x0 + 0.045, 0.76), (x0, 0.76)]), fill=255
                    ),
                ),
                "#7c1620",
            )
        fill(im, sharp(size, lambda d, f: d.rectangle(f.box(0, 0.86, 1, 1), fill=255)), "#2c0a0e")
    return im


def casques_bleues(w: int, h: int) -> Image.Image:
    """A blue helmet on an ochre horizon under a pale sky."""
    portrait = h > w
    size = (w, h)
    horizon = 0.66 if portrait else 0.68
    im = gradient(size, [(0, "#8fb6de"), (horizon, "#dbe4e8"), (horizon, "#b8904f"), (1, "#6e5026")])
    r = 0.3 if portrait else 0.26
    cx = 0.5 if portrait else 0.38
    shadow = soft(
        shape(size, lambda d, f: d.ellipse(f.ellipse(cx + 0.03, horizon + 0.015, r * 1.5, r * 0.16), fill=255)), 24
    )
    fill(im, scale(shadow, 0.6), "#3a2a14")
    dome = shape(size, lambda d, f: d.pieslice(f.circle(cx, horizon, r), 180, 360, fill=255))
    fill(im, dome, gradient(size, [(0, "#7fb1e6"), (horizon - 0.1, "#3f86d0"), (horizon, "#1f4f8f")]))
    im = light(
        im,
        ImageChops.multiply(
            dome,
            radial(
                size,
                (F(w, h).x(cx - 0.06), F(w, h).y(horizon) - F(w, h).u(r * 0.6)),
                (F(w, h).u(r * 0.5), F(w, h).u(r * 0.4)),
            ),
        ),
        "#ffffff",
        0.35,
    )
    fill(im, shape(size, lambda d, f: d.ellipse(f.ellipse(cx, horizon, r * 1.18, r * 0.07), fill=255)), "#173a68")
    return im


def folktales(w: int, h: int) -> Image.Image:
    """Polar night over snowy mountains, an aurora, and a dog team crossing the snow."""
    portrait = h > w
    size = (w, h)
    im = gradient(size, [(0, "#060d1a"), (0.5, "#0f2238"), (0.8, "#284661"), (1, "#284661")])
    band = shape(
        size,
        lambda d, f: d.polygon(
            wave(f, 0.22 if portrait else 0.25, 0.05, 1.1, 0.8, bottom=0.3 if portrait else 0.38), fill=255
        ),
    )
    aurora = ImageChops.subtract(
        band, shape(size, lambda d, f: d.polygon(wave(f, 0.3 if portrait else 0.36, 0.03, 1.4, 1.3), fill=255))
    )
    im = light(im, soft(aurora, 50), "#37d39b", 0.55)
    ground = 0.72 if portrait else 0.7
    peaks = [(-0.1, 0.0, 0.2, 0.24), (0.15, 0.35, 0.55, 0.3), (0.45, 0.62, 0.85, 0.26), (0.72, 0.95, 1.2, 0.3)]
    for i, (x0, px, x1, height) in enumerate(peaks):
        py = ground - height * (0.8 if portrait else 1.0)
        fill(
            im,
            shape(
                size,
                lambda d, f, x0=x0, px=px, x1=x1, py=py: d.polygon(
                    f.pts([(x0, ground), (px, py), (x1, ground)]), fill=255
                ),
            ),
            "#1c2f44" if i % 2 else "#263d55",
        )
        cap = 0.28
        fill(
            im,
            shape(
                size,
                lambda d, f, x0=x0, px=px, x1=x1, py=py: d.polygon(
                    f.pts(
                        [
                            (px + (x0 - px) * cap, py + (ground - py) * cap),
                            (px, py),
                            (px + (x1 - px) * cap, py + (ground - py) * cap),
                        ]
                    ),
                    fill=255,
                ),
            ),
            "#c9d8e4",
        )
    fill(
        im,
        shape(size, lambda d, f: d.rectangle(f.box(0, ground, 1, 1), fill=255)),
        gradient(size, [(0, "#cfdde8"), (ground, "#cfdde8"), (1, "#93abbf")]),
    )
    y = ground + (0.1 if portrait else 0.12)

    def team(d: ImageDraw.ImageDraw, f: F) -> None:
        x = 0.3 if portrait else 0.35
        for k in range(8):
            d.ellipse(f.ellipse(x + k * 0.035 * (1 if portrait else 0.6), y + 0.002 * k, 0.012, 0.006), fill=255)
        sx = x - 0.06 * (1 if portrait else 0.6)
        d.rectangle(f.box(sx - 0.015, y - 0.012, sx + 0.015, y + 0.004), fill=255)
        d.line([f.p(sx + 0.015, y), f.p(x, y)], fill=255, width=round(f.u(0.002)))

    fill(im, shape(size, team, ss=4), "#1a2230")
    return im


def souleymanes_story(w: int, h: int) -> Image.Image:
    """A Paris street at night under sodium light, and a delivery bicycle."""
    portrait = h > w
    size = (w, h)
    vx, vy = (0.5, 0.5) if portrait else (0.55, 0.48)
    im = gradient(size, [(0, "#0b0f2e"), (vy, "#242553"), (1, "#1a1530")])
    im = glow(im, (vx, vy), (0.6, 0.25), "#c46a2a", 0.35)
    fill(
        im,
        shape(
            size,
            lambda d, f: d.polygon(
                f.pts([(-0.2, 0.0), (vx - 0.04, vy - 0.08), (vx - 0.04, vy + 0.02), (-0.2, 1.2)]), fill=255
            ),
        ),
        "#090a1c",
    )
    fill(
        im,
        shape(
            size,
            lambda d, f: d.polygon(
                f.pts([(1.2, 0.0), (vx + 0.04, vy - 0.08), (vx + 0.04, vy + 0.02), (1.2, 1.2)]), fill=255
            ),
        ),
        "#0b0c20",
    )
    fill(
        im,
        shape(
            size,
            lambda d, f: d.polygon(
                f.pts([(-0.3, 1), (vx - 0.02, vy + 0.02), (vx + 0.02, vy + 0.02), (1.3, 1)]), fill=255
            ),
        ),
        gradient(size, [(0, "#14142a"), (vy, "#14142a"), (1, "#1f1a2c")]),
    )
    for k in range(4):
        t0, t1 = 0.2 + k * 0.2, 0.29 + k * 0.2
        fill(
            im,
            shape(
                size,
                lambda d, f, t0=t0, t1=t1: d.polygon(
                    f.pts(
                        [
                            (vx + (0.5 - vx) * t0**1.6 - 0.004 * t0, vy + 0.02 + (1 - vy) * t0**1.6),
                            (vx + (0.5 - vx) * t0**1.6 + 0.004 * t0, vy + 0.02 + (1 - vy) * t0**1.6),
                            (vx + (0.5 - vx) * t1**1.6 + 0.012 * t1, vy + 0.02 + (1 - vy) * t1**1.6),
                            (vx + (0.5 - vx) * t1**1.6 - 0.012 * t1, vy + 0.02 + (1 - vy) * t1**1.6),
                        ]
                    ),
                    fill=255,
                ),
            ),
            "#6a5330",
        )
    for side in (-1, 1):
        for k in range(4):
            t = 0.86 ** (k * 3)
            lx = vx + side * (0.45 * t + 0.03)
            ly = vy - 0.06 - 0.25 * t
            im = glow(im, (lx, ly), (0.06 * t + 0.01, (0.06 * t + 0.01) * w / h), "#f59a2b", 0.75)
            fill(
                im,
                shape(
                    size,
                    lambda d, f, lx=lx, ly=ly, t=t: d.line(
                        f.pts([(lx, ly), (lx, vy + 0.02 + (0.5 * t) * (1 - vy))]),
                        fill=255,
                        width=max(2, round(f.u(0.006 * t))),
                    ),
                ),
                "#07081a",
            )
    bx, by, r = (0.5, 0.85, 0.115) if portrait else (0.27, 0.8, 0.13)

    def bike(d: ImageDraw.ImageDraw, f: F) -> None:
        span = f.u(r) * 1.3
        cx, cy = f.x(bx), f.y(by)
        rr, wd = f.u(r), max(4, round(f.u(r) * 0.045))
        back, front = (cx - span, cy), (cx + span, cy)
        for wx, wy in (back, front):
            d.ellipse([wx - rr, wy - rr, wx + rr, wy + rr], outline=255, width=wd)
        seat = (cx - span * 0.35, cy - rr * 1.25)
        crank = (cx - span * 0.05, cy)
        bar = (cx + span * 0.75, cy - rr * 1.4)
        lw = max(3, round(wd * 0.9))
        d.line([back, crank, seat, back], fill=255, width=lw, joint="curve")
        d.line([crank, (cx + span * 0.65, cy - rr * 1.05), seat], fill=255, width=lw, joint="curve")
        d.line([front, bar], fill=255, width=lw)
        d.line([(bar[0] - rr * 0.15, bar[1] - rr * 0.08), (bar[0] + rr * 0.25, bar[1])], fill=255, width=lw)
        d.line([(seat[0] - rr * 0.2, seat[1]), (seat[0] + rr * 0.25, seat[1])], fill=255, width=lw)
        # The square delivery bag strapped over the back wheel.
        d.rectangle([back[0] - rr * 0.55, cy - rr * 2.15, back[0] + rr * 0.55, cy - rr * 1.05], fill=255)

    fill(im, shape(size, bike), "#05060f")
    return im


def jeff_buckley(w: int, h: int) -> Image.Image:
    """A microphone stand alone in a warm spotlight."""
    portrait = h > w
    size = (w, h)
    im = gradient(size, [(0, "#0a0705"), (1, "#1a110a")])
    mx = 0.5 if portrait else 0.36
    floor = 0.88 if portrait else 0.86
    cone = shape(
        size,
        lambda d, f: d.polygon(
            f.pts([(mx - 0.05, -0.02), (mx + 0.05, -0.02), (mx + 0.32, floor), (mx - 0.32, floor)]), fill=255
        ),
    )
    im = light(im, soft(cone, 60), "#d9a35a", 0.2)
    im = glow(im, (mx, floor), (0.34 if portrait else 0.24, 0.06 if portrait else 0.1), "#e4b16c", 0.65, power=1.5)
    top = 0.36 if portrait else 0.3

    def stand(d: ImageDraw.ImageDraw, f: F) -> None:
        d.line([f.p(mx, top + 0.05), f.p(mx, floor - 0.01)], fill=255, width=round(f.u(0.01)))
        for dx in (-0.06, 0.0, 0.05):
            d.line(
                [f.p(mx, floor - 0.04), f.p(mx + dx * (1 if portrait else 0.6), floor + 0.01)],
                fill=255,
                width=round(f.u(0.008)),
            )
        d.line([f.p(mx, top + 0.06), f.p(mx, top + 0.02)], fill=255, width=round(f.u(0.014)))
        d.rounded_rectangle(
            [f.x(mx) - f.u(0.028), f.y(top) - f.u(0.085), f.x(mx) + f.u(0.028), f.y(top) + f.u(0.04)],
            radius=f.u(0.028),
            fill=255,
        )

    fill(im, shape(size, stand), "#050403")
    fill(
        im,
        shape(
            size,
            lambda d, f: d.line(
                [(f.x(mx) - f.u(0.02), f.y(top) - f.u(0.06)), (f.x(mx) - f.u(0.02), f.y(top) + f.u(0.01))],
                fill=255,
                width=max(2, round(f.u(0.004))),
            ),
        ),
        "#b88a4e",
    )
    im = glow(im, (mx - 0.004, top - 0.01), (0.04, 0.04 * w / h), "#d9a35a", 0.25)
    return im


def a_part_of_me(w: int, h: int) -> Image.Image:
    """Two overlapping discs at dusk, the shared part dark: two people and one secret."""
    portrait = h > w
    size = (w, h)
    im = gradient(size, [(0, "#1b1430"), (0.6, "#382446"), (1, "#6a3452")])
    cy, r, dx = (0.45, 0.24, 0.09) if portrait else (0.5, 0.3, 0.075)
    a = shape(size, lambda d, f: d.ellipse(f.circle(0.5 - dx, cy, r), fill=255))
    b = shape(size, lambda d, f: d.ellipse(f.circle(0.5 + dx, cy, r), fill=255))
    im = light(im, soft(ImageChops.lighter(a, b), 80), "#8a6a9a", 0.3)
    fill(im, a, gradient(size, [(0, "#6f8fc4"), (1, "#3f5c94")]))
    fill(im, b, gradient(size, [(0, "#e07f96"), (1, "#a84a66")]))
    fill(im, ImageChops.multiply(a, b), "#24142c")
    return im


# --- what goes where -----------------------------------------------------------------------------

KEY, STILL = (2700, 4050), (2400, 1350)

# The Red Rooms stills follow the captions in data/films/red-rooms/film.yaml: 01 the Palais de justice,
# 02 the courtroom, 03 Kelly-Anne's condo at night, 04 Ludovic Chevalier in the dock.
JOBS: dict[str, list[tuple[str, Callable[[], Image.Image]]]] = {
    "red-rooms": [
        ("key-art.jpg", lambda: rr_key_art(2700, 4050)),
        ("still-01.jpg", lambda: rr_courthouse(2400, 1000)),
        ("still-02.jpg", lambda: rr_courtroom(2400, 1000)),
        ("still-03.jpg", lambda: rr_condo_night(2400, 1000)),
        ("still-04.jpg", lambda: rr_dock(2400, 1000)),
        ("pascal-plante.jpg", lambda: headshot(900, 1125)),
    ],
}


def inshallah_a_boy(w: int, h: int) -> Image.Image:
    """Amman at dusk in ochres: a hillside of stacked flat-roofed houses under a pale sky."""
    size = (w, h)
    im = gradient(size, [(0, "#e9d3b0"), (0.45, "#d8a877"), (1, "#7a5238")])
    rows = (0.55, 0.66, 0.78, 0.9) if h > w else (0.5, 0.62, 0.74, 0.88)
    for i, (base, color) in enumerate(zip(rows, ("#c99a6c", "#a87a55", "#84593f", "#5e3c2b"))):

        def houses(d: ImageDraw.ImageDraw, f: F, base: float = base, i: int = i) -> None:
            count = 9 + 2 * i
            for k in range(count):
                x0 = k / count
                top = base - 0.03 * ((k * 7 + i * 3) % 4)
                d.rectangle((f.x(x0), f.y(top), f.x(x0 + 1 / count) - 1, f.y(1.02)), fill=255)

        fill(im, shape(size, houses), color)
    return im


def blagas_lessons(w: int, h: int) -> Image.Image:
    """A northern Bulgarian town in winter greys: a row of panel blocks and one lit window."""
    size = (w, h)
    im = gradient(size, [(0, "#c9ced3"), (0.6, "#8f979e"), (1, "#4b5258")])

    def blocks(d: ImageDraw.ImageDraw, f: F) -> None:
        for k, (x0, x1, top) in enumerate(((0.05, 0.3, 0.35), (0.36, 0.62, 0.28), (0.68, 0.95, 0.4))):
            d.rectangle((f.x(x0), f.y(top), f.x(x1), f.y(1.02)), fill=255)

    fill(im, shape(size, blocks), "#3a3f44")
    fill(im, shape(size, lambda d, f: d.rectangle((f.x(0.47), f.y(0.5), f.x(0.5), f.y(0.53)), fill=255)), "#f2c86b")
    return im


for _slug, _draw in {
    "inshallah-a-boy": inshallah_a_boy,
    "blagas-lessons": blagas_lessons,
    "lady-bird": lady_bird,
    "in-the-mood-for-love": in_the_mood_for_love,
    "casques-bleues": casques_bleues,
    "folktales": folktales,
    "souleymanes-story": souleymanes_story,
    "its-never-over-jeff-buckley": jeff_buckley,
    "a-part-of-me": a_part_of_me,
}.items():
    JOBS[_slug] = [("key-art.jpg", lambda d=_draw: d(*KEY)), ("still-01.jpg", lambda d=_draw: d(*STILL))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("films", nargs="*", help=f"film slugs (default: all of {', '.join(JOBS)})")
    args = parser.parse_args(argv)
    unknown = [s for s in args.films if s not in JOBS]
    if unknown:
        parser.error(f"unknown film(s): {', '.join(unknown)}")
    total = 0
    for slug in args.films or JOBS:
        for name, make in JOBS[slug]:
            path = FILMS / slug / "images" / name
            save(make(), path)
            total += path.stat().st_size
            print(f"{path.relative_to(ROOT)}  {path.stat().st_size // 1024} KB")
    print(f"total {total // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
