"""Festival laurels: which ones a film has, in what order, and each one drawn as a flat vector SVG.

A laurel is two mirrored wreath branches around stacked text (status, award, festival, year). The SVG
uses flat fills only (no gradients, opacity, filters, textPath or external references), so it survives
WeasyPrint's CMYK / PDF/X output; "cmyk-black" writes 100 % K as ``device-cmyk(0 0 0 1)`` and
"cmyk-white" no ink at all, ``device-cmyk(0 0 0 0)``.
"""
from __future__ import annotations

import itertools
import math
import os
import re
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from .model import FestivalEntry, Film

COLOURS = {
    "gold": "#B08D3C",
    "black": "#000",
    "white": "#fff",
    "cmyk-black": "device-cmyk(0 0 0 1)",  # print, on light pages: 100 % K
    "cmyk-white": "device-cmyk(0 0 0 0)",  # print, on the dark cover: no ink, the paper shows
}
GENERATED_COLOURS = ("gold", "black", "white")
FONT_FAMILY = "PK Sans, Inter, sans-serif"

# Sort weight of each kind of laurel (lower comes first); see laurels_for().
_RESULT_WEIGHT = {"winner": 0, "special-mention": 2, "nominee": 4}
_PREMIERE_WEIGHT = {"world": 1, "international": 3, "north-american": 3, "european": 3}
_NATIONAL_PREMIERE, _SELECTION = 5, 6
_RESULT_STATUS = {"winner": "WINNER", "nominee": "NOMINEE", "special-mention": "SPECIAL MENTION"}


def _slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


@dataclass(frozen=True)
class Laurel:
    """One laurel as printed: texts in display case, plus where it came from and its sort key."""

    status: str  # "WINNER", "OFFICIAL SELECTION", "WORLD PREMIERE", "GREEK PREMIERE", ...
    award: str | None  # "CHEVAL NOIR – BEST FILM"
    festival: str  # the festival's full name, as given
    year: int
    festival_id: str
    artwork: str | None  # official laurel SVG, relative to the film folder
    rank: tuple[int, int, int, int]  # (festival tier, kind weight, -year, original order)

    @property
    def slug(self) -> str:
        """File-name stem, e.g. 'fantasia-2023-winner-cheval-noir-best-film'."""
        parts = [self.festival_id]
        if str(self.year) not in self.festival_id.split("-"):
            parts.append(str(self.year))
        parts += [_slugify(self.status), _slugify(self.award or "")]
        return "-".join(p for p in parts if p)


def _award_text(prize: str | None, name: str) -> str:
    if prize and prize.casefold() not in name.casefold():
        return f"{prize} – {name}".upper()
    return name.upper()


def _entry_laurels(entry: FestivalEntry) -> list[tuple[int, str, str | None]]:
    """(weight, status, award) for one festival entry, in the entry's own order."""
    if entry.awards:
        return [
            (_RESULT_WEIGHT[a.result], _RESULT_STATUS[a.result], _award_text(a.prize, a.name))
            for a in entry.awards
        ]
    if entry.premiere in _PREMIERE_WEIGHT or entry.premiere_label:
        status = (entry.premiere_label or f"{entry.premiere.replace('-', ' ')} premiere").upper()
        return [(_PREMIERE_WEIGHT.get(entry.premiere or "", _NATIONAL_PREMIERE), status, None)]
    if entry.official_selection:
        return [(_SELECTION, "OFFICIAL SELECTION", None)]
    return []


def laurels_for(film: Film) -> list[Laurel]:
    """Every laurel the film has earned, best first.

    One laurel per award (winner, nominee, special mention). A festival entry without awards gives a
    premiere laurel when ``premiere`` is world / international / north-american / european or a
    ``premiere_label`` is set ("Greek Premiere"), otherwise an OFFICIAL SELECTION laurel when
    ``official_selection`` is true.

    Sort key (``Laurel.rank``), compared in order:
      1. festival tier (1 = major festival first): premieres and awards of major festivals lead;
      2. kind: winner 0, world premiere 1, special mention 2, international / continental premiere 3,
         nominee 4, national or labelled premiere 5, official selection 6;
      3. festival year, most recent first;
      4. original order in film.yaml (festivals, then awards within a festival).
    Laurels that would share a slug (and so a file name) are kept once, the first one wins.
    """
    found: list[Laurel] = []
    order = itertools.count()
    for entry in film.festivals:
        for weight, status, award in _entry_laurels(entry):
            rank = (entry.tier, weight, -entry.year, next(order))
            found.append(
                Laurel(status, award, entry.festival, entry.year, entry.id, entry.laurel_artwork, rank)
            )
    seen: set[str] = set()
    unique = []
    for laurel in sorted(found, key=lambda lau: lau.rank):
        if laurel.slug not in seen:
            seen.add(laurel.slug)
            unique.append(laurel)
    return unique


def top_laurels(film: Film, n: int) -> list[Laurel]:
    """The n best laurels (see laurels_for for the order)."""
    return laurels_for(film)[: max(n, 0)]


# --- drawing ------------------------------------------------------------------------------------

WIDTH, HEIGHT = 300, 180
_TEXT_BOX = (84.0, 216.0, 30.0, 156.0)  # x0, x1, y0, y1: the area between the branches
_STEM = ((122.0, 166.0), (50.0, 156.0), (14.0, 90.0), (64.0, 28.0))  # cubic Bezier, bottom -> tip
_NODES = 6  # leaf pairs along the stem, plus one leaf at the tip


def _num(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _bezier(t: float) -> tuple[float, float, float]:
    """Point (x, y) on the stem and its tangent angle in degrees."""
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = _STEM
    u = 1 - t
    x = u**3 * x0 + 3 * u * u * t * x1 + 3 * u * t * t * x2 + t**3 * x3
    y = u**3 * y0 + 3 * u * u * t * y1 + 3 * u * t * t * y2 + t**3 * y3
    dx = 3 * u * u * (x1 - x0) + 6 * u * t * (x2 - x1) + 3 * t * t * (x3 - x2)
    dy = 3 * u * u * (y1 - y0) + 6 * u * t * (y2 - y1) + 3 * t * t * (y3 - y2)
    return x, y, math.degrees(math.atan2(dy, dx))


def _leaf(x: float, y: float, angle: float, length: float, width: float) -> str:
    """An almond-shaped leaf with its base at (x, y), pointing along `angle`."""
    a, b = _num(length * 0.3), _num(length * 0.72)
    w, tip = _num(width / 2), _num(length)
    return (
        f'<path d="M0 0C{a} -{w} {b} -{w} {tip} 0C{b} {w} {a} {w} 0 0Z" '
        f'transform="translate({_num(x)} {_num(y)}) rotate({_num(angle)})"/>'
    )


def _branch() -> str:
    """The left branch: a tapered stem with paired leaves shrinking towards the tip."""
    samples = [_bezier(i / 40) for i in range(41)]
    left, right = [], []
    for i, (x, y, ang) in enumerate(samples):
        half = 1.6 - 1.1 * i / 40
        nx, ny = -math.sin(math.radians(ang)), math.cos(math.radians(ang))
        left.append(f"{_num(x + nx * half)} {_num(y + ny * half)}")
        right.append(f"{_num(x - nx * half)} {_num(y - ny * half)}")
    parts = [f'<path d="M{"L".join(left)}L{"L".join(reversed(right))}Z"/>']
    for k in range(_NODES):
        t = 0.1 + 0.8 * k / _NODES
        x, y, ang = _bezier(t)
        size = 1 - 0.35 * k / _NODES
        parts.append(_leaf(x, y, ang - 34, 30 * size, 11 * size))  # outer side
        parts.append(_leaf(x, y, ang + 30, 24 * size, 9 * size))  # inner side
    x, y, ang = _bezier(1.0)
    parts.append(_leaf(x, y, ang, 18, 7))  # tip
    return "".join(parts)


def _wrap(text: str, max_chars: int, max_lines: int) -> list[str]:
    """Fewest lines (up to max_lines) of at most max_chars, breaking at spaces, most balanced.

    A line may not start with a dash; a dash that ends a line is dropped ("CHEVAL NOIR / BEST FILM").
    """
    words = text.split()
    best: list[str] = [text]
    for count in range(1, min(max_lines, len(words)) + 1):
        options = []
        for cuts in itertools.combinations(range(1, len(words)), count - 1):
            bounds = (0, *cuts, len(words))
            lines = [" ".join(words[a:b]) for a, b in zip(bounds, bounds[1:])]
            if any(line[0] in "–—-" for line in lines[1:]):
                continue
            lines = [re.sub(r"\s+[–—-]$", "", line) for line in lines]
            options.append((max(map(len, lines)), lines))
        if options:
            longest, best = min(options, key=lambda option: option[0])
            if longest <= max_chars:
                break
    return best


def _text_groups(laurel: Laurel) -> list[tuple[list[str], float, int, float]]:
    """(lines, font size, weight, gap above) for status, award, festival and year, top to bottom."""
    status = _wrap(laurel.status, 99, 1) if laurel.award else _wrap(laurel.status, 14, 2)
    groups = [(status, 13.5, 700, 0.0)]
    if laurel.award:
        groups.append((_wrap(laurel.award, 18, 2), 10.5, 600, 7.5))
    groups.append((_wrap(laurel.festival.upper(), 22, 3), 8.5, 500, 9.0))
    groups.append(([str(laurel.year)], 15.0, 700, 8.5))
    return groups


def laurel_svg(laurel: Laurel, colour: str) -> str:
    """A standalone SVG document of the laurel in one flat colour: gold, black, white, cmyk-black or cmyk-white."""
    if colour not in COLOURS:
        raise ValueError(f"expected a laurel colour among {', '.join(COLOURS)}, got '{colour}'")
    x0, x1, y0, y1 = _TEXT_BOX
    texts, blocks = [], []
    for lines, size, weight, gap in _text_groups(laurel):
        # Every line of a group gets one size, small enough for the group's longest line to fit
        # (width estimated at 0.6 em per character).
        size = min(size, (x1 - x0) / (0.6 * max(map(len, lines))))
        blocks += [(text, size, weight, gap if i == 0 else size * 0.32) for i, text in enumerate(lines)]
    cap = 0.73  # cap height of Inter in em: the lines hold capitals and digits only
    height = sum(size * cap + gap for _, size, _, gap in blocks)
    scale = min(1.0, (y1 - y0) / height)  # shrink everything if the block is too tall
    y = (y0 + y1) / 2 - height * scale / 2
    for text, size, weight, gap in blocks:
        y += (gap + size * cap) * scale
        texts.append(
            f'<text x="{_num(WIDTH / 2)}" y="{_num(y)}" font-size="{_num(size * scale)}" '
            f'font-weight="{weight}">{escape(text)}</text>'
        )
    branch = _branch()
    title = escape(" · ".join(p for p in (laurel.status, laurel.award, laurel.festival, str(laurel.year)) if p))
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}px" height="{HEIGHT}px" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}">\n'
        f"<title>{title}</title>\n"
        f'<g fill="{COLOURS[colour]}" stroke="none">\n'
        f'<g class="branch-left">{branch}</g>\n'
        f'<g class="branch-right" transform="translate({WIDTH} 0) scale(-1 1)">{branch}</g>\n'
        f'<g font-family="{FONT_FAMILY}" text-anchor="middle">\n' + "\n".join(texts) + "\n</g>\n</g>\n</svg>\n"
    )


def _write_atomic(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)  # mkstemp creates 0600; these are ordinary shareable output files
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_laurels(film: Film, out_dir: Path, film_dir: Path) -> list[Path]:
    """Write every laurel into out_dir: `<slug>-{gold,black,white}.svg`, or `<slug>-official.svg`
    copied from the festival's own artwork (which must lie inside film_dir). Returns paths in order."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for laurel in laurels_for(film):
        if laurel.artwork:
            source = (film_dir / laurel.artwork).resolve()
            if not source.is_relative_to(film_dir.resolve()):
                raise ValueError(f"laurel_artwork '{laurel.artwork}' lies outside the film folder {film_dir}")
            if source.suffix.lower() != ".svg":
                raise ValueError(f"laurel_artwork '{laurel.artwork}': expected an SVG file")
            if not source.is_file():
                raise FileNotFoundError(f"laurel_artwork '{laurel.artwork}' not found in {film_dir}")
            target = out_dir / f"{laurel.slug}-official.svg"
            _write_atomic(target, source.read_bytes())
            written.append(target)
            continue
        for colour in GENERATED_COLOURS:
            target = out_dir / f"{laurel.slug}-{colour}.svg"
            _write_atomic(target, laurel_svg(laurel, colour).encode("utf-8"))
            written.append(target)
    return written
