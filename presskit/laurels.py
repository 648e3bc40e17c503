"""Festival laurels: which ones a film has, in what order, and each one drawn as a flat vector SVG.

A laurel is two mirrored wreath branches around stacked text (status, award, festival, year). The SVG
uses flat fills only (no gradients, opacity, filters, textPath or external references), so it survives
WeasyPrint's CMYK / PDF/X output; "cmyk-black" writes 100 % K as ``device-cmyk(0 0 0 1)`` and
"cmyk-white" no ink at all, ``device-cmyk(0 0 0 0)``.

Print size: layouts place a laurel at least MIN_PLACED_WIDTH_MM (40 mm) wide, and the text is set so that
there no line prints below MIN_TEXT_PT (6.2 pt; printers reject text under 6 pt). See laurel_layout().
"""

from __future__ import annotations

import itertools
import json
import logging
import math
import re
import unicodedata
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

from .model import FestivalEntry, Film, Recognition
from .output import write_atomic
from .units import mm_to_pt

log = logging.getLogger("presskit")

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
MAX_SLUG = 120  # characters of a laurel's file-name stem
_RESULT_STATUS = {"winner": "WINNER", "nominee": "NOMINEE", "special-mention": "SPECIAL MENTION"}
# A recognition that is not a festival's (film.yaml recognitions:): its weight and English status line.
_RECOGNITION_WEIGHT = {"won": 0, "special-mention": 2, "nominated": 4, "shortlisted": 4, "submitted": 5}
_RECOGNITION_STATUS = {
    "won": "WINNER",
    "nominated": "NOMINEE",
    "submitted": "OFFICIAL SUBMISSION",
    "shortlisted": "SHORTLISTED",
    "special-mention": "SPECIAL MENTION",
}


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
    short_name: str | None = None  # "Fantasia": drawn when the full name does not fit the wreath
    short: bool = False  # drawn with the short name: a sibling laurel (same festival) needs it

    @property
    def slug(self) -> str:
        """File-name stem, e.g. 'fantasia-2023-winner-cheval-noir-best-film'; one longer than MAX_SLUG ends
        in a digest of the whole instead (a file name holds 255 bytes at most)."""
        parts = [self.festival_id]
        if str(self.year) not in self.festival_id.split("-"):
            parts.append(str(self.year))
        parts += [_slugify(self.status), _slugify(self.award or "")]
        slug = "-".join(p for p in parts if p)
        if len(slug) <= MAX_SLUG:
            return slug
        import hashlib

        digest = hashlib.sha256(slug.encode("utf-8")).hexdigest()[:10]
        return f"{slug[: MAX_SLUG - 11].rstrip('-')}-{digest}"


def _award_text(prize: str | None, name: str) -> str:
    if prize and prize.casefold() not in name.casefold():
        return f"{prize} – {name}".upper()
    return name.upper()


def _status(labels: dict | None, group: str | None, key: str, english: str) -> str:
    """A laurel's status line in the labels' language (layouts/locale: `result`, `premiere`,
    `official_selection`), upper-cased; `english` when the labels lack it (a project's own labels file)."""
    found = (labels or {}).get(group, {}) if group else labels or {}
    text = found.get(key) if isinstance(found, dict) else None
    return upper(text if isinstance(text, str) and text.strip() else english)


def upper(text: str) -> str:
    """Capitals as each script writes them: Greek drops its accents in capitals (ΠΑΓΚΟΣΜΙΑ ΠΡΕΜΙΕΡΑ, not
    ΠΑΓΚΌΣΜΙΑ ΠΡΕΜΙΈΡΑ), keeping a diaeresis."""
    from .localeformat import greek_upper

    return greek_upper(text.upper())


def _entry_laurels(entry: FestivalEntry, labels: dict | None) -> list[tuple[int, str, str | None]]:
    """(weight, status, award) for one festival entry, in the entry's own order."""
    if entry.awards:
        return [
            (
                _RESULT_WEIGHT[a.result],
                _status(labels, "result", a.result, _RESULT_STATUS[a.result]),
                _award_text(a.prize, a.name),
            )
            for a in entry.awards
        ]
    if entry.premiere_label:
        return [(_PREMIERE_WEIGHT.get(entry.premiere or "", _NATIONAL_PREMIERE), entry.premiere_label.upper(), None)]
    if entry.premiere in _PREMIERE_WEIGHT:
        english = f"{entry.premiere.replace('-', ' ')} premiere"
        return [(_PREMIERE_WEIGHT[entry.premiere], _status(labels, "premiere", entry.premiere, english), None)]
    if entry.official_selection:
        return [(_SELECTION, _status(labels, None, "official_selection", "Official Selection"), None)]
    return []


def _recognition_laurel(r: Recognition, labels: dict | None, lang: str) -> tuple[int, str, str | None, str]:
    """(weight, status, award, id) of a recognition's laurel: 'OFFICIAL SUBMISSION', 'SAUDI ARABIA –
    BEST INTERNATIONAL FEATURE FILM', 'ACADEMY AWARDS': what it is, never an OFFICIAL SELECTION."""
    status = _status(labels, "recognition", r.result, _RECOGNITION_STATUS[r.result])
    award = r.award
    if r.result == "submitted" and r.country:
        from .i18n import country_name

        country = country_name(r.country, lang)
        award = _award_text(country, award) if award else country
    ident = _slugify(f"{r.body} {r.year}")
    return _RECOGNITION_WEIGHT[r.result], status, award.upper() if award else None, ident


def laurels_for(film: Film, labels: dict | None = None, lang: str = "en") -> list[Laurel]:
    """Every laurel the film has earned, best first, its status line ("WINNER", "WORLD PREMIERE",
    "OFFICIAL SELECTION") in the language of `labels` (one language's, layoutconfig.load_labels; English without).

    One laurel per award (winner, nominee, special mention). A festival entry without awards gives a
    premiere laurel when ``premiere`` is world / international / north-american / european or a
    ``premiere_label`` is set ("Greek Premiere"), otherwise an OFFICIAL SELECTION laurel when
    ``official_selection`` is true (the default is false: only what the festival says). A recognition
    that is not a festival's (``recognitions:``, unless ``laurel: false``) gives a laurel of what it is:
    WINNER, NOMINEE, SHORTLISTED, OFFICIAL SUBMISSION, with its body for the festival's name (tier 2).
    Laurels of one festival are drawn alike: when one of them needs its festival's short name, all of
    them use it (see harmonised).

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
        for weight, status, award in _entry_laurels(entry, labels):
            rank = (entry.tier, weight, -entry.year, next(order))
            found.append(
                Laurel(
                    status, award, entry.festival, entry.year, entry.id, entry.laurel_artwork, rank, entry.short_name
                )
            )
    for r in film.recognitions:
        if r.laurel:
            weight, status, award, ident = _recognition_laurel(r, labels, lang)
            found.append(
                Laurel(status, award, r.body, r.year, ident, None, (2, weight, -r.year, next(order)), r.short_name)
            )
    seen: set[str] = set()
    unique = []
    for laurel in sorted(found, key=lambda lau: lau.rank):
        if laurel.slug not in seen:
            seen.add(laurel.slug)
            unique.append(laurel)
    return harmonised(unique)


def harmonised(laurels: list[Laurel]) -> list[Laurel]:
    """The laurels with one naming rule per festival: when the full name of a festival does not fit one
    of its laurels (which then gives way to its short name), every laurel of that festival is drawn with
    the short name, so that "VENICE" never stands beside "VENICE INTERNATIONAL FILM FESTIVAL"."""
    shortened = {
        lau.festival_id for lau in laurels if not lau.artwork and lau.short_name and laurel_layout(lau).short_name
    }
    return [replace(lau, short=True) if lau.festival_id in shortened and lau.short_name else lau for lau in laurels]


def laurel_warnings(slug: str, laurels: list[Laurel]) -> list[str]:
    """What the drawn laurels fall back on, once per festival: its short name for all its laurels, or a
    text that does not fit even so."""
    messages: dict[str, None] = {}
    for lau in laurels:
        if lau.artwork:
            continue
        layout = laurel_layout(lau)
        if lau.short and lau.short_name:
            count = sum(1 for other in laurels if other.festival_id == lau.festival_id)
            messages.setdefault(
                f"warning: {slug}: laurels of '{lau.festival_id}': '{lau.festival}' does not fit the wreath of "
                f"every laurel; {'all ' + str(count) + ' of its laurels use' if count > 1 else 'its laurel uses'} "
                f"its short name '{lau.short_name}'"
            )
        if layout.overflow > 0:
            messages.setdefault(
                f"warning: {slug}: laurel '{lau.slug}': its text does not fit inside the wreath at "
                f"{MIN_TEXT_PT:g} pt (placed {MIN_PLACED_WIDTH_MM:g} mm wide); give festival '{lau.festival_id}' "
                f"a shorter short_name{' or a shorter award name' if lau.award else ''}"
            )
    return list(messages)


# --- drawing ------------------------------------------------------------------------------------
#
# The wreath fills its viewBox (WIDTH x HEIGHT) but for a thin margin, and the text sits between the
# branches. Layouts never place a laurel narrower than MIN_PLACED_WIDTH_MM, and the type is sized so that
# there every line still prints at MIN_TEXT_PT or more: printers reject text under 6 pt. To keep that
# size inside the wreath, a laurel takes fewer characters per line: names wrap to up to three lines, an
# award's prize goes on its own line, and a festival name too long even so gives way to its short name.

WIDTH, HEIGHT = 270, 163
MIN_PLACED_WIDTH_MM = 40.0  # the narrowest a layout may place a generated laurel
MIN_TEXT_PT = 6.2  # the smallest printed text at that width: the printers' 6 pt, plus a margin
PT_PER_UNIT = mm_to_pt(MIN_PLACED_WIDTH_MM / WIDTH)  # printed points per viewBox unit, placed narrowest
MIN_SIZE = MIN_TEXT_PT / PT_PER_UNIT  # the smallest font-size in the SVG, in viewBox units (about 14.8)

_STEM = ((107.0, 156.0), (35.0, 146.0), (-1.0, 80.0), (49.0, 18.0))  # cubic Bezier, bottom -> tip
_NODES = 6  # leaf pairs along the stem, plus one leaf at the tip
_SLIM_INNER = 0.5  # inner leaves of the slim wreath, against the normal ones: a wider text area
_CAP = 0.727  # cap height of Inter in em: the lines hold capitals and digits only
_PAD = 8.0  # free space kept between a line and the leaves, each side, in viewBox units
_TEXT_TOP, _TEXT_BOTTOM = 20.0, 146.0  # text between the tip leaves' base and the stems' ends
# Widths are measured with the bundled Inter; 500 (Medium, not bundled) with the wider SemiBold.
_FONT_FILES = {400: "Inter-Regular.otf", 500: "Inter-SemiBold.otf", 600: "Inter-SemiBold.otf", 700: "Inter-Bold.otf"}
# (weight, largest font-size) of each kind of line; every line may shrink down to MIN_SIZE, never below.
_STYLE = {"status": (700, 23.0), "award": (600, 19.0), "festival": (500, 17.0), "year": (700, 23.0)}


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


def _leaves(slim: bool) -> list[tuple[float, float, float, float, float]]:
    """(x, y, angle, length, width) of each leaf of the left branch: pairs shrinking towards the tip."""
    inner = _SLIM_INNER if slim else 1.0
    leaves = []
    for k in range(_NODES):
        x, y, ang = _bezier(0.1 + 0.8 * k / _NODES)
        size = 1 - 0.35 * k / _NODES
        leaves.append((x, y, ang - 34, 30 * size, 11 * size))  # outer side
        leaves.append((x, y, ang + 30, 24 * size * inner, 9 * size * inner))  # inner side
    x, y, ang = _bezier(1.0)
    leaves.append((x, y, ang, 18, 7))  # tip
    return leaves


def _leaf(x: float, y: float, angle: float, length: float, width: float) -> str:
    """An almond-shaped leaf with its base at (x, y), pointing along `angle`."""
    a, b, w, tip = _num(length * 0.3), _num(length * 0.72), _num(width / 2), _num(length)
    return (
        f'<path d="M0 0C{a} -{w} {b} -{w} {tip} 0C{b} {w} {a} {w} 0 0Z" '
        f'transform="translate({_num(x)} {_num(y)}) rotate({_num(angle)})"/>'
    )


def _stem_outline() -> tuple[list[tuple[float, float]], list[tuple[float, float]]]:
    """The tapered stem's two edges, bottom to tip."""
    left, right = [], []
    for i in range(41):
        x, y, ang = _bezier(i / 40)
        half = 1.6 - 1.1 * i / 40
        nx, ny = -math.sin(math.radians(ang)), math.cos(math.radians(ang))
        left.append((x + nx * half, y + ny * half))
        right.append((x - nx * half, y - ny * half))
    return left, right


def _branch(slim: bool = False) -> str:
    """The left branch: a tapered stem with paired leaves shrinking towards the tip."""
    left, right = _stem_outline()
    points = "L".join(f"{_num(x)} {_num(y)}" for x, y in left + right[::-1])
    return f'<path d="M{points}Z"/>' + "".join(_leaf(*leaf) for leaf in _leaves(slim))


@cache
def _outline(slim: bool) -> tuple[tuple[float, float], ...]:
    """Points along every edge of the left branch (stem and leaves), close enough together to bound it."""
    points = []
    for i in range(601):
        x, y, ang = _bezier(i / 600)
        half = 1.6 - 1.1 * i / 600  # as in _stem_outline()
        nx, ny = -math.sin(math.radians(ang)), math.cos(math.radians(ang))
        points += [(x + nx * half, y + ny * half), (x - nx * half, y - ny * half)]
    for x, y, angle, length, width in _leaves(slim):
        a, b, w = length * 0.3, length * 0.72, width / 2  # the two curves of _leaf()
        cos, sin = math.cos(math.radians(angle)), math.sin(math.radians(angle))
        for p0, p1, p2, p3 in (((0, 0), (a, -w), (b, -w), (length, 0)), ((length, 0), (b, w), (a, w), (0, 0))):
            for i in range(61):
                t = i / 60
                u = 1 - t
                px = u**3 * p0[0] + 3 * u * u * t * p1[0] + 3 * u * t * t * p2[0] + t**3 * p3[0]
                py = u**3 * p0[1] + 3 * u * u * t * p1[1] + 3 * u * t * t * p2[1] + t**3 * p3[1]
                points.append((x + px * cos - py * sin, y + px * sin + py * cos))
    return tuple(points)


@cache
def _inner_edge(slim: bool) -> dict[int, float]:
    """Rightmost x of the left branch in each 1-unit band of y: where the text area ends on the left."""
    edge: dict[int, float] = {}
    for x, y in _outline(slim):
        band = math.floor(y)
        edge[band] = max(edge.get(band, -math.inf), x)
    return edge


def _free_width(top: float, base: float, slim: bool) -> float:
    """Width free between the branches for a line whose capitals run from y=top to the baseline y=base."""
    edge = _inner_edge(slim)
    low, high = min(edge), max(edge)
    bands = range(math.floor(top - _PAD / 2), math.ceil(base + _PAD / 2))
    return WIDTH - 2 * max(edge[min(max(band, low), high)] for band in bands) - 2 * _PAD


@cache
def _widest(slim: bool) -> float:
    """The widest the text area is at any height (_free_width's largest value)."""
    return WIDTH - 2 * min(_inner_edge(slim).values()) - 2 * _PAD


def _line_overflow(width: float, top: float, base: float, slim: bool) -> float:
    """How far a line of that width leaves the text area, in viewBox units; 0 or less when inside."""
    outside = max(_TEXT_TOP - top, base - _TEXT_BOTTOM)  # above the tips or down among the stems' ends
    return max(outside, width - _free_width(top, base, slim))


@cache
def _advances(weight: int) -> tuple[dict[int, float], float]:
    """Advance width of each character of the bundled Inter at a weight, in em, and a fallback width."""
    try:
        from fontTools.ttLib import TTFont

        from .resources import builtin_assets

        font = TTFont(builtin_assets() / "fonts" / "inter" / _FONT_FILES[weight], lazy=True)
        upem, metrics = font["head"].unitsPerEm, font["hmtx"].metrics
        widths = {code: metrics[name][0] / upem for code, name in font.getBestCmap().items()}
        return widths, max(widths[ord("W")], 0.75)
    except (ImportError, OSError, KeyError):  # no fontTools or no font: a generous estimate
        return {ord(" "): 0.28}, 0.75


@lru_cache(maxsize=8192)
def _text_width(text: str, weight: int) -> float:
    """Width of a line in em (each line is measured at many sizes and places: once)."""
    widths, fallback = _advances(weight)
    return sum(widths.get(ord(ch), fallback) for ch in text)


@lru_cache(maxsize=256)
def _wraps(text: str, weight: int, max_lines: int) -> tuple[tuple[str, ...], ...]:
    """For 1..max_lines lines: the most balanced way to break `text` at spaces into that many lines.

    A line may not start with a dash; a dash that ends a line is dropped ("CHEVAL NOIR / BEST FILM").
    Comparing every way takes time growing with the cube of the text's length (for three lines): a text
    with more ways than _MAX_WORK allows, and too long to fit the wreath on that many lines at any size, is
    broken into lines of about equal length instead, only to be drawn overflowing.
    """
    words = text.split()
    found = []
    width = _text_width.__wrapped__  # (the lines of ways not chosen are not kept in _text_width's cache)
    for count in range(1, min(max_lines, len(words)) + 1):
        if math.comb(len(words) - 1, count - 1) * len(text) > _MAX_WORK and _never_fits(words, weight, count):
            found.append(_even_lines(words, count))
            continue
        options = []
        for cuts in itertools.combinations(range(1, len(words)), count - 1):
            bounds = (0, *cuts, len(words))
            lines = [" ".join(words[a:b]) for a, b in zip(bounds, bounds[1:])]
            if any(line[0] in "–—-" for line in lines[1:]):
                continue
            lines = [re.sub(r"\s+[–—-]$", "", line) for line in lines]
            options.append((max(width(line, weight) for line in lines), tuple(lines)))
        if options:
            found.append(min(options, key=lambda option: option[0])[1])
    return tuple(found) or ((text,),)


_MAX_WORK = 1_000_000  # ways to break a text times its length (characters measured): about 0.1 s


def _never_fits(words: list[str], weight: int, count: int) -> bool:
    """Whether every way to break `words` into `count` lines has a line wider, at MIN_SIZE, than the text
    area is anywhere: the widest line is at least the words' width (one space apart) less what the breaks
    drop (two spaces and a dash each, at most), shared out evenly."""
    dropped = (count - 1) * (2 * _text_width(" ", weight) + max(_text_width(dash, weight) for dash in "–—-"))
    width = _text_width.__wrapped__(" ".join(words), weight)
    return (width - dropped) / count * MIN_SIZE > max(_widest(False), _widest(True))


def _even_lines(words: list[str], count: int) -> tuple[str, ...]:
    """`words` in `count` lines of about the same number of characters (a greedy break)."""
    target = (sum(len(word) + 1 for word in words) - 1) / count
    lines: list[list[str]] = [[]]
    length = 0
    for word in words:
        if lines[-1] and length + 1 + len(word) > target and len(lines) < count:
            lines.append([])
            length = 0
        length += len(word) + (1 if lines[-1] else 0)
        lines[-1].append(word)
    return tuple(" ".join(line) for line in lines)


def _award_options(award: str) -> list[tuple[str, ...]]:
    """Ways to set an award: on one line, or its prize ("CHEVAL NOIR") on lines of its own above the name."""
    weight = _STYLE["award"][0]
    prize, dash, name = award.partition(" – ")
    if not dash:
        return list(_wraps(award, weight, 3))
    options: list[tuple[str, ...]] = [(award,)]
    for prize_lines in _wraps(prize, weight, 2):
        for name_lines in _wraps(name, weight, 3):
            if len(prize_lines) + len(name_lines) <= 4:
                options.append(prize_lines + name_lines)
    return options


@dataclass(frozen=True)
class LaurelLayout:
    """The text of a laurel as drawn: each line's text, font size (viewBox units), weight and baseline."""

    lines: tuple[tuple[str, float, int, float], ...]
    slim: bool  # thinner branches, for a wider text area
    short_name: bool  # the festival's short name stands for its full name
    overflow: float  # viewBox units by which the worst line leaves the wreath's text area; 0 when inside


Groups = tuple[tuple[str, tuple[str, ...]], ...]  # (kind, lines), top to bottom


def _place(groups: Groups, t: float, shift: float, slim: bool) -> tuple[float, float, list]:
    """Set the groups at type scale t (0: every line MIN_SIZE, 1: each kind's largest size), the block
    centred `shift` units below the text area's middle; a group whose line is too wide where it falls is
    set smaller, down to MIN_SIZE. Returns (overflow, how large the type is from 0 to 1, lines)."""
    wanted = [MIN_SIZE + t * (_STYLE[kind][1] - MIN_SIZE) for kind, _ in groups]
    sizes = _ranked(wanted, groups)
    for rounds in range(4):  # narrow the groups too wide where they fall, then place them again
        overflow, placed = _stack(groups, sizes, t, shift, slim)
        if overflow <= 0 or rounds == 3:
            break
        fits: dict[int, float] = {}
        for (line, size, weight, y), group in zip(placed, (i for i, (_, ls) in enumerate(groups) for _ in ls)):
            top = y - _CAP * size
            if top >= _TEXT_TOP and y <= _TEXT_BOTTOM:  # a line above or below the text area is for t to mend
                fits[group] = min(fits.get(group, math.inf), _free_width(top, y, slim) / _text_width(line, weight))
        narrowed = _ranked([max(MIN_SIZE, min(w, fits.get(i, w))) for i, w in enumerate(wanted)], groups)
        if narrowed == sizes:
            break
        sizes = narrowed
    largeness = sum(
        (size - MIN_SIZE) / (_STYLE[kind][1] - MIN_SIZE) * len(lines) for (kind, lines), size in zip(groups, sizes)
    ) / sum(len(lines) for _, lines in groups)
    return overflow, largeness, placed


def _ranked(sizes: list[float], groups: Groups) -> list[float]:
    """Keep the hierarchy: award no larger than status, festival no larger than either, year as status."""
    ranked: list[float] = []
    ceiling = math.inf
    for size, (kind, _) in zip(sizes, groups):
        if kind == "year":
            ranked.append(min(size, ranked[0]))
        else:
            ceiling = min(ceiling, size)
            ranked.append(ceiling)
    return ranked


def _stack(groups: Groups, sizes: list[float], t: float, shift: float, slim: bool) -> tuple[float, list]:
    """Stack the groups at their sizes, centred in the text area: (overflow, lines)."""
    gap = MIN_SIZE * (0.5 + 0.3 * t)  # between groups; lines of a group are 0.3 em apart
    height = sum(len(lines) * size * (_CAP + 0.3) - 0.3 * size for (_, lines), size in zip(groups, sizes))
    height += gap * (len(groups) - 1)
    y = (_TEXT_TOP + _TEXT_BOTTOM) / 2 + shift - height / 2
    overflow, placed = 0.0, []
    for i, ((kind, lines), size) in enumerate(zip(groups, sizes)):
        weight = _STYLE[kind][0]
        y += gap if i else 0.0
        for j, line in enumerate(lines):
            top = y + (0.3 * size if j else 0.0)
            y = top + _CAP * size
            overflow = max(overflow, _line_overflow(_text_width(line, weight) * size, top, y, slim))
            placed.append((line, size, weight, y))
    return overflow, placed


_SHIFTS = (0.0, -3.0, 3.0, -6.0, 6.0, -9.0, 9.0, -12.0)


def _fit(groups: Groups, slim: bool) -> tuple[float, list] | None:
    """(how large the type is, lines) at the largest type scale that fits, or None when the groups do
    not fit even at MIN_SIZE."""
    widest = _widest(slim)
    if any(_text_width(line, _STYLE[kind][0]) * MIN_SIZE > widest for kind, lines in groups for line in lines):
        return None  # a line wider at MIN_SIZE than the text area is anywhere: no size or place fits it

    def attempt(t: float):
        for shift in _SHIFTS:
            overflow, largeness, lines = _place(groups, t, shift, slim)
            if overflow <= 0:
                return largeness, lines
        return None

    if (best := attempt(1.0)) is not None or (best := attempt(0.0)) is None:
        return best
    low, high = 0.0, 1.0
    for _ in range(6):
        mid = (low + high) / 2
        if (found := attempt(mid)) is not None:
            low, best = mid, found
        else:
            high = mid
    return best


def _candidates(laurel: Laurel, name: str) -> list[Groups]:
    """Every way to break the laurel's texts into lines: status in 1-2, award as _award_options(), the
    festival `name` in 1-3 lines; the year on a line of its own."""
    statuses = _wraps(laurel.status, _STYLE["status"][0], 2)
    awards = _award_options(laurel.award) if laurel.award else [None]
    found = []
    for status in statuses:
        for award in awards:
            for festival in _wraps(name, _STYLE["festival"][0], 3):
                groups = [("status", status)] + ([("award", award)] if award else [])
                found.append((*groups, ("festival", festival), ("year", (str(laurel.year),))))
    return found


_LINE_COST = 0.1  # type scale given up to save a line: fewer, larger lines read best
_COMFORT_LINES = 6  # a laurel of more lines is crowded: tried only when no way of 6 lines fits


@lru_cache(maxsize=256)
def laurel_layout(laurel: Laurel) -> LaurelLayout:
    """Set the laurel's text inside the wreath with no line below MIN_SIZE.

    Tried in order until one fits: the full festival name in at most 6 lines, then its short name in at
    most 6 lines, then the same with more lines; then all that again with thinner branches. Among the
    ways that fit, the one with the largest type, less a little per extra line. When nothing fits, the
    least overflowing way at MIN_SIZE is used, with `overflow` set: the type is never set smaller.
    A laurel marked `short` (see harmonised) is set with its short name only.
    """
    names = [laurel.festival.upper()]
    if laurel.short_name and laurel.short_name.upper() != names[0]:
        names = [laurel.short_name.upper()] if laurel.short else [*names, laurel.short_name.upper()]
    stages = [(slim, most, rank) for slim in (False, True) for most in (_COMFORT_LINES, 99) for rank in (0, 1)]
    for slim, most, rank in (stage for stage in stages if stage[2] < len(names)):
        fitted = [
            (fit, groups)
            for groups in _candidates(laurel, names[rank])
            if sum(len(lines) for _, lines in groups) <= most and (fit := _fit(groups, slim))
        ]
        if fitted:
            (_, lines), _ = max(fitted, key=lambda item: item[0][0] - _LINE_COST * sum(len(g[1]) for g in item[1]))
            return LaurelLayout(tuple(lines), slim, rank > 0 or laurel.short, 0.0)
    overflow, _, lines = min(
        (_place(groups, 0.0, shift, True) for groups in _candidates(laurel, names[-1]) for shift in _SHIFTS),
        key=lambda item: item[0],
    )
    # (laurel_warnings says so, once, where the laurel files are written)
    return LaurelLayout(tuple(lines), True, len(names) > 1 or laurel.short, overflow)


def laurel_svg(laurel: Laurel, colour: str) -> str:
    """A standalone SVG document of the laurel in one flat colour: gold, black, white, cmyk-black or cmyk-white."""
    if colour not in COLOURS:
        raise ValueError(f"expected a laurel colour among {', '.join(COLOURS)}, got '{colour}'")
    layout = laurel_layout(laurel)
    texts = [
        f'<text x="{_num(WIDTH / 2)}" y="{_num(y)}" font-size="{_num(size)}" font-weight="{weight}">'
        f"{escape(text)}</text>"
        for text, size, weight, y in layout.lines
    ]
    branch = _branch(layout.slim)
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


def write_laurels(
    film: Film,
    out_dir: Path,
    film_dir: Path,
    labels: dict | None = None,
    record: Path | None = None,
    lang: str = "en",
    warn: bool = True,
) -> list[Path]:
    """Write every laurel into out_dir: `<slug>-{gold,black,white}.svg`, or `<slug>-official.svg`
    copied from the festival's own artwork (which must lie inside film_dir). Returns paths in order.
    `labels`: the language of the status lines (see laurels_for). What the laurels fall back on is
    warned here (laurel_warnings), unless `warn` is false (the products warn once a build). `record`
    (in the cache) lists the files written, per language: a file an earlier build wrote and this one
    does not (an award renamed) is removed; any other file of out_dir this build did not write is named
    in a warning and left in place."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    laurels = laurels_for(film, labels, lang)
    slug = film.slug or out_dir.parent.name
    for message in laurel_warnings(slug, laurels) if warn else []:
        log.warning("%s", message)
    for laurel in laurels:
        if laurel.artwork:
            source = (film_dir / laurel.artwork).resolve()
            if not source.is_relative_to(film_dir.resolve()):
                raise ValueError(f"laurel_artwork '{laurel.artwork}' lies outside the film folder {film_dir}")
            if source.suffix.lower() != ".svg":
                raise ValueError(f"laurel_artwork '{laurel.artwork}': expected an SVG file")
            if not source.is_file():
                raise FileNotFoundError(f"laurel_artwork '{laurel.artwork}' not found in {film_dir}")
            target = out_dir / f"{laurel.slug}-official.svg"
            write_atomic(target, source.read_bytes())
            written.append(target)
            continue
        for colour in GENERATED_COLOURS:
            target = out_dir / f"{laurel.slug}-{colour}.svg"
            write_atomic(target, laurel_svg(laurel, colour).encode("utf-8"))
            written.append(target)
    _clear_stale(slug, out_dir, {p.name for p in written}, record, lang)
    return written


def _read_record(record: Path) -> dict[str, list[str]]:
    try:
        data = json.loads(record.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {k: [n for n in v if isinstance(n, str)] for k, v in data.items() if isinstance(v, list)}


def _clear_stale(slug: str, out_dir: Path, names: set[str], record: Path | None, lang: str) -> None:
    """Remove the laurel files an earlier build wrote for `lang` that this one did not; warn about any other
    file of out_dir that no build recorded; record what was written."""
    if record is None:
        return
    made = _read_record(record)
    for name in sorted(set(made.get(lang, [])) - names):
        stale = out_dir / name
        if "/" not in name and name != ".." and stale.is_file() and not stale.is_symlink():
            stale.unlink()
            log.info("removed %s (a laurel an earlier build made, which this one does not)", stale)
    made[lang] = sorted(names)
    known = {name for recorded in made.values() for name in recorded}
    for path in sorted(out_dir.iterdir()):
        if path.name not in known:
            log.warning(
                "warning: %s: laurels/%s was not made by this build; left in place (remove it if it is an "
                "earlier build's laurel)",
                slug,
                path.name,
            )
    record.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(record, json.dumps(made, sort_keys=True, indent=1).encode("utf-8"))
