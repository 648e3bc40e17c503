"""The one-sheet (sales sell sheet): key art, title, pitch, synopsis, laurels, technical line, contacts,
QR code and billing block on exactly one page.

Fitting. The layout (layouts/onesheet/) is a plain flow at least one page tall: nothing is positioned
absolutely and nothing hides overflow, so content that does not fit makes a second page. Attempts are
laid out with WeasyPrint, largest type first; at each type size the text variants are tried richest first:

    texts.synopsis_long -> texts.synopsis_short -> texts.logline only (the tagline stays under the title)

then the next smaller type (body 10 pt down to 7.5 pt; the billing block and key art shrink with it, the
laurels stay at laurels.MIN_PLACED_WIDTH_MM; nothing is ever set below 6 pt). Each attempt is measured on
an unbounded page, and one short enough is laid out on the real page and checked there: one page, every
line inside its column and inside the page. The first that passes is written; when its sheet has room to
spare, the key art grows into it. When none passes, a RenderError names what is too long (from the
smallest attempt's measurements) and which film.yaml key to shorten.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .. import i18n
from ..billing import BillingLine, billing_block
from ..context import ContextBuilder, paragraphs, rating_said, rating_whose, svg_markup
from ..edition import Edition, laurel_colour
from ..errors import RenderError
from ..fit import overflows
from ..laurels import MIN_PLACED_WIDTH_MM
from ..limits import time_limit
from ..load import FilmSource
from ..meta import film_document
from ..paper import Paper
from ..pdf import render_document, write_document
from ..qr import QUIET_ZONE, qr_svg, short_url
from ..render import render_html
from ..units import MM_PER_PX, mm_to_in, mm_to_pt, pt_to_mm
from .base import FilmProduct

log = logging.getLogger("presskit")

BODY_STEPS = (10.0, 9.5, 9.0, 8.5, 8.0, 7.5)  # body type in points, largest first: 7.5 pt is the floor
MIN_PT = 6.0  # nothing on the sheet is smaller
MEASURE_HEIGHT_MM = 5000.0  # the unbounded page of the measuring layout
TOLERANCE_PX = 0.5
LINK_ORDER = ("trailer", "screener", "website")  # what the QR code points to, first found
HEAD_ROLES = {"presenting", "in_association_with", "production", "a_film_by"}
PRINTED_IMAGES = {"key_art", "logo"}  # image uses on the one-sheet
MAX_ART_WIDTH, MAX_ART_HEIGHT = 0.64, 0.7  # fractions of the page the key art may grow to
GROW_MIN_MM = 12.0  # spare height below which the key art is left at its normal size


# --- what is printed ------------------------------------------------------------------------------


@dataclass(frozen=True)
class TextVariant:
    """The texts of one fitting attempt: the pitch under the title and the body of the synopsis column."""

    kind: str  # "synopsis" | "logline" | "none"
    key: str | None  # film.yaml key of the body text, named in error messages
    body: tuple[str, ...]  # paragraphs
    pitch: str | None  # tagline, else logline
    pitch_key: str | None

    @property
    def chars(self) -> int:
        return len("\n\n".join(self.body))


def _no_widow(text: str | None) -> str | None:
    """A display line whose last two words stay together (no single word alone on the last line)."""
    if not text or len(text.split()) < 4:
        return text
    head, _, last = text.rpartition(" ")
    return f"{head}\u00a0{last}" if len(last) < 12 else text


def text_variants(source: FilmSource, lang: str) -> list[TextVariant]:
    """The text variants to try, richest first (see the module docstring)."""
    texts = source.film.texts
    tagline, logline = i18n.pick(texts.tagline, lang), i18n.pick(texts.logline, lang)
    tagline = _no_widow(tagline)
    pitch: str | None = tagline
    pitch_key: str | None = "texts.tagline"
    if not tagline:
        pitch, pitch_key = logline, "texts.logline" if logline else None
    variants = []
    for key in ("synopsis_long", "synopsis_short"):
        if text := i18n.pick(getattr(texts, key), lang):
            variants.append(TextVariant("synopsis", f"texts.{key}", tuple(paragraphs(text)), pitch, pitch_key))
    if logline:
        tag_key = "texts.tagline" if tagline else None
        variants.append(TextVariant("logline", "texts.logline", (logline,), tagline, tag_key))
    return variants or [TextVariant("none", None, (), pitch, pitch_key)]


@dataclass(frozen=True)
class BillingPart:
    name: str  # "head" (presents, in association with, a film by) | "cast" | "credits"
    lines: list[BillingLine]


def billing_parts(lines: list[BillingLine]) -> list[BillingPart]:
    """The billing block as three paragraphs: companies and "a film by", the cast, the credits."""
    parts = [
        BillingPart("head", [line for line in lines if line.role in HEAD_ROLES]),
        BillingPart("cast", [line for line in lines if line.role == "cast"]),
        BillingPart("credits", [line for line in lines if line.role not in HEAD_ROLES | {"cast"}]),
    ]
    return [part for part in parts if part.lines]


def qr_link(source: FilmSource) -> tuple[str, str] | None:
    """(kind, url) of the link the QR code points to: the trailer, else the screener, else the website."""
    links = source.film.links
    return next(((kind, getattr(links, kind)) for kind in LINK_ORDER if getattr(links, kind)), None)


def tech_line(film: dict) -> list[str]:
    """Country, year, runtime, languages (printed joined by ' · '), from the film context."""
    parts = [", ".join(film["countries"]), str(film["year"] or ""), film["runtime"], film["language_line"]]
    return [p for p in parts if p]


def rating_lines(source: FilmSource, lang: str, labels: dict) -> list[dict]:
    """The film's ratings, each with whose it is."""
    return [
        {"rating": rating_said(r, labels), "note": rating_whose(r, lang, labels) or None} for r in source.film.ratings
    ]


# --- sizes ------------------------------------------------------------------------------------------


@lru_cache(maxsize=4)
def _advances(font_path: str) -> tuple[dict[int, float], float]:
    """Advance width of each character of a font, in em, and the average (for unknown characters)."""
    from fontTools.ttLib import TTFont

    font = TTFont(font_path, lazy=True)
    upem = font["head"].unitsPerEm
    metrics = font["hmtx"].metrics
    widths = {code: metrics[name][0] / upem for code, name in font.getBestCmap().items()}
    return widths, sum(widths.values()) / max(len(widths), 1)


def text_width_em(text: str, font_path: Path, letter_spacing_em: float = 0.0) -> float:
    widths, average = _advances(str(font_path))
    return sum(widths.get(ord(ch), average) + letter_spacing_em for ch in text)


def title_size(title: str, width_mm: float, font_path: Path, largest: float) -> float:
    """The title's type size: at most `largest`, its longest word fitting the column, at most 3 lines."""
    width_pt = mm_to_pt(width_mm)
    upper = title.upper()
    longest = max((text_width_em(word, font_path, 0.02) for word in upper.split()), default=1.0)
    whole = text_width_em(upper, font_path, 0.02)
    return round(max(MIN_PT * 4, min(largest, 0.97 * width_pt / longest, 2.6 * width_pt / whole)), 1)


@dataclass(frozen=True)
class Attempt:
    variant: TextVariant
    body: float  # body type size in points
    grow: float = 0.0  # mm added to the key art (or title band) to fill a sheet with room to spare

    @property
    def k(self) -> float:
        """Scale of this attempt against the largest: 1.0 down to 0.75."""
        return self.body / BODY_STEPS[0]


def max_art_h(paper: Paper, art_ratio: float | None) -> float:
    """The tallest the key art (or, without one, the title band) may grow."""
    width, height = paper.width_mm, paper.height_mm
    return min(MAX_ART_WIDTH * width / art_ratio, MAX_ART_HEIGHT * height) if art_ratio else 0.5 * height


def geometry(paper: Paper, bleed_mm: float, k: float, art_ratio: float | None, grow: float = 0.0) -> dict:
    """Sizes of the sheet in millimetres for a scale k (1.0 = largest) and extra key art height `grow`."""
    width, height = paper.width_mm, paper.height_mm
    margin = 12.0
    # The key art takes what the rest of the sheet leaves (148.5 mm below it: half an A4 page), between
    # 40 % and 50 % of the page height, and shrinks with the type.
    art_h = round(min(0.5 * height, max(0.4 * height, height - 148.5)) * (0.6 + 0.4 * k), 2)
    band_h = art_h if art_ratio else round(art_h * 0.62, 2)  # without key art, a shorter title band
    art_h = round(min(art_h + grow, max_art_h(paper, art_ratio)) if art_ratio else art_h, 2)
    band_h = art_h if art_ratio else round(min(band_h + grow, max_art_h(paper, None)), 2)
    art_w = round(art_h * art_ratio, 2) if art_ratio else 0.0
    shrink = 0.7 + 0.3 * k
    return {
        "page_w": width,
        "page_h": height,
        "bleed": bleed_mm,
        "margin": margin,
        "art_h": art_h,
        "art_w": art_w,
        "band_h": band_h,
        "head_w": width - art_w - margin - 0.9 * margin if art_ratio else width - 2 * margin,
        "aside_w": round((width - 2 * margin) * 0.31, 2),
        "gap": round(7.0 * shrink, 2),
        # The width the laurels' type is sized for, at every type size: narrower, their text would print
        # below 6 pt. Four fit a row (4 x 40 + 3 x 4.2 mm of the 186 mm between the margins).
        "laurel_w": MIN_PLACED_WIDTH_MM,
        "qr": round(24.0 * (0.8 + 0.2 * k), 2),
        "logo_h": round(9.0 * shrink, 2),
    }


def type_sizes(attempt: Attempt, title: str, head_w_mm: float, title_font: Path) -> dict:
    """Type sizes in points for an attempt; none below MIN_PT."""
    k = attempt.k
    return {
        "body": attempt.body,
        "small": max(MIN_PT, round(7.5 * k, 2)),
        "pitch": max(MIN_PT, round(14.0 * k, 2)),
        "original": max(MIN_PT, round(12.0 * k, 2)),
        "title": round(title_size(title, head_w_mm, title_font, 66.0) * (0.7 + 0.3 * k), 1),
        "billing_cast": max(MIN_PT, round(15.0 * k, 2)),
        "billing_name": max(MIN_PT, round(12.5 * k, 2)),
        "billing_label": max(MIN_PT, round(7.0 * k, 2)),
    }


# --- checking a laid-out attempt ------------------------------------------------------------------------


def _walk(box):
    yield box
    for child in getattr(box, "children", None) or ():
        yield from _walk(child)


def _attr(box, name: str) -> str | None:
    element = getattr(box, "element", None)
    return element.get(name) if element is not None and hasattr(element, "get") else None


def _text_of(box) -> str:
    return " ".join(b.text for b in _walk(box) if hasattr(b, "text") and isinstance(b.text, str)).strip()


def layout_problems(document, page_w_px: float, page_h_px: float) -> list[str]:
    """Why a laid-out one-sheet is not acceptable: more than one page, a line wider than its column,
    text outside the page (it would be cut at the trim), or a box of fit.py's kind overflowing."""
    problems = [o.describe() for o in overflows(document)]
    if len(document.pages) != 1:
        problems.append(f"runs to {len(document.pages)} pages")
    for box in _walk(document.pages[0]._page_box):
        lines = [c for c in getattr(box, "children", None) or () if type(c).__name__ == "LineBox"]
        right = box.content_box_x() + box.width if lines else 0
        for line in lines:
            if line.position_x + line.width > right + TOLERANCE_PX:
                problems.append(f"a line is wider than its column: '{_text_of(line)[:40]}'")
        if lines and box.height != "auto":
            bottom = box.content_box_y() + box.height
            if lines[-1].position_y + lines[-1].height > bottom + TOLERANCE_PX:
                problems.append(f"text runs below its box: '{_text_of(lines[-1])[:40]}'")
        if type(box).__name__ == "TextBox" and (
            box.position_x + box.width > page_w_px + TOLERANCE_PX
            or box.position_x < -TOLERANCE_PX
            or box.position_y + box.height > page_h_px + TOLERANCE_PX
            or box.position_y < -TOLERANCE_PX
        ):
            problems.append(f"text outside the page: '{box.text[:40]}'")
    return problems


def block_heights(document) -> dict[str, float]:
    """Height in mm of each element with an id (its outermost box), summed over pages."""
    heights: dict[str, float] = {}
    for page in document.pages:
        seen: set[int] = set()
        for box in _walk(page._page_box):
            element = getattr(box, "element", None)
            name = _attr(box, "id")
            if not name or id(element) in seen or type(box).__name__ in ("LineBox", "TextBox"):
                continue
            seen.add(id(element))
            heights[name] = heights.get(name, 0.0) + box.margin_height() * MM_PER_PX
    return heights


# --- the one-sheet --------------------------------------------------------------------------------------


class OneSheet:
    """The one-sheet of one film in one edition: context, fitting attempts, the written PDF."""

    def __init__(self, product: OneSheetProduct, source: FilmSource, edition: Edition):
        self.product = product
        settings = product.settings
        self.source = source
        self.edition = edition
        self.paper = settings.paper
        self.labels = settings.labels
        self.what = f"{source.slug} one-sheet"
        self.spec, self.base = product.base_context(edition)
        self.art_ratio = self._art_ratio()
        self.bleed_mm = pt_to_mm(edition.bleed_pt)
        placed_in = {}
        if self.art_ratio:  # the key art is placed beside the title, not across the page
            largest = max_art_h(self.paper, self.art_ratio) * self.art_ratio
            placed_in["key_art"] = mm_to_in(largest + self.bleed_mm)
        images = product.images(edition, self.what, placed_in)

        def resolve(path: Path, use: str) -> str:
            # Only the key art and logos are printed here: stills and headshots in the film context are
            # neither prepared nor checked (no resolution warnings about images the sheet does not use).
            return images(path, use) if use in PRINTED_IMAGES else path.as_uri()

        self.context = ContextBuilder(source, settings.lang, self.labels, resolve)
        self.film = self.context.film_context()
        self.sheet = self._sheet()
        images.raise_errors()
        self.variants = text_variants(source, settings.lang)
        self.title_font = settings.assets / "fonts" / "bebas-neue" / "BebasNeue-Regular.otf"
        self.fitted: tuple | None = None  # (job, document, attempt) once written

    def _art_ratio(self) -> float | None:
        """Width / height of the key art's frame: the image's own, kept between 0.6 and 0.8 (a wider or
        narrower image is cropped to it, centred)."""
        from PIL import Image

        from ..images import oriented_size

        key_art = self.source.film.images.key_art
        if key_art is None:
            return None
        with Image.open(self.source.image_path(key_art)) as im:
            width, height = oriented_size(im)
        return min(0.8, max(0.6, width / height))

    def _sheet(self) -> dict:
        limit = self.product.settings.max_laurels
        colour = laurel_colour(self.spec.get("laurels", {}).get("colour", "black"), self.edition)
        link = qr_link(self.source)
        qr = None
        if link:
            kind, url = link
            code = qr_svg(url, self.base["colors"].get("ink", "#000"))
            qr = {
                "svg": svg_markup(code.svg),
                "label": self.labels["onesheet"]["link"][kind],
                "short_url": short_url(url),
                "url": url,
                "modules": code.modules,
            }
        return {
            "tech_line": tech_line(self.film),
            "laurels": self.product.laurels(self.source, colour, limit, self.edition) if limit else [],
            "qr": qr,
            "billing": billing_parts(billing_block(self.source.film, self.labels, self.product.settings.lang)),
            "ratings": rating_lines(self.source, self.product.settings.lang, self.labels),
            "logos": [self.context.image(logo, "logo") for logo in self.source.film.images.logos],
            "meta": film_document(self.source, self.film, self.labels["onesheet"]["product"]),
        }

    def attempt_context(self, attempt: Attempt, measure: bool = False) -> dict:
        """The template context of one attempt (on an unbounded page when `measure`)."""
        geo = geometry(self.paper, self.bleed_mm, attempt.k, self.art_ratio, attempt.grow)
        # The paper around the QR code must be at least its quiet zone.
        geo["qr_quiet"] = round(geo["qr"] / self.sheet["qr"]["modules"] * QUIET_ZONE, 2) if self.sheet["qr"] else 0
        page = dict(self.base["page"])
        if measure:
            page["size"] = f"{geo['page_w']}mm {MEASURE_HEIGHT_MM}mm"
        context = dict(
            self.base,
            page=page,
            film=self.film,
            sheet=self.sheet,
            meta=self.sheet["meta"],
            text=attempt.variant,
            geo=geo,
            type=type_sizes(attempt, self.film["title"], geo["head_w"], self.title_font),
        )
        return context

    def html(self, attempt: Attempt, measure: bool = False) -> str:
        return render_html(
            self.product.settings.search_path, self.spec["template"], self.attempt_context(attempt, measure)
        )

    def render(self, attempt: Attempt, font_config, measure: bool = False):
        job = self.product.render_job(self.html(attempt, measure), self.what, self.edition, self.source.dir)
        return job, render_document(job, font_config)

    def measure(self, attempt: Attempt, font_config) -> dict[str, float]:
        """Heights (mm) of the sheet and its blocks, laid out on an unbounded page."""
        _, document = self.render(attempt, font_config, measure=True)
        heights = block_heights(document)
        if len(document.pages) > 1:  # taller than even the measuring page
            heights["sheet"] = max(heights.get("sheet", 0.0), MEASURE_HEIGHT_MM)
        return heights

    def fit(self):
        """(job, document, attempt) of the first attempt that fits on one page; RenderError if none does.

        Each attempt is first laid out on an unbounded page, which measures it exactly (WeasyPrint 70 drops
        part of a flex container broken across pages); one that is short enough is laid out on the real
        page and checked there. A text variant that would still be too tall at the smallest type, even if
        everything shrank with the square of the type scale (text does not shrink faster), is not tried again.
        At most len(BODY_STEPS) x len(self.variants) attempts are laid out, each within the render time limit
        (limits.py), and all of them together within it too.
        """
        with time_limit(self.what, doing="fitting"):
            return self._fit()

    def _fit(self):
        from ..pdf import font_configuration

        font_config = font_configuration()  # the bundled fonts only
        page_w, page_h = self.paper.width_mm, self.paper.height_mm
        hopeless: set[TextVariant] = set()
        problems: list[str] = []
        measured: tuple[Attempt, dict] | None = None
        tried = 0
        for body in BODY_STEPS:
            for variant in self.variants:
                if variant in hopeless:
                    continue
                attempt = Attempt(variant, body)
                heights = self.measure(attempt, font_config)
                measured, tried = (attempt, heights), tried + 1
                if heights["sheet"] > page_h + TOLERANCE_PX * MM_PER_PX:
                    problems = [f"{heights['sheet'] - page_h:.0f} mm too tall"]
                    if heights["sheet"] * (BODY_STEPS[-1] / body) ** 2 > 1.1 * page_h:
                        hopeless.add(variant)
                    if heights.get("synopsis", 0.0) <= heights.get("aside", 0.0):
                        log.debug(
                            "%s: %s at %g pt does not fit: %s; the synopsis is not the tallest block, "
                            "so no shorter text will fit at this size",
                            self.what,
                            variant.key,
                            body,
                            problems[0],
                        )
                        break  # the column beside it sets the height: a shorter text cannot help
                else:
                    job, document = self.render(attempt, font_config)
                    problems = layout_problems(document, page_w / MM_PER_PX, page_h / MM_PER_PX)
                    if not problems:
                        if tried > 1:
                            log.info("%s: fitted with %s at %g pt", self.what, variant.key or "no synopsis", body)
                        return self.grown(attempt, heights, font_config) or (job, document, attempt)
                log.debug("%s: %s at %g pt does not fit: %s", self.what, variant.key, body, "; ".join(problems))
        smallest = Attempt(self.variants[-1], BODY_STEPS[-1])
        if measured is None or measured[0] != smallest:
            measured = (smallest, self.measure(smallest, font_config))
        raise self.overflow_error(*measured, problems)

    def grown(self, attempt: Attempt, heights: dict[str, float], font_config):
        """The fitted attempt with a larger key art (or title band) taking the sheet's spare height, if
        there is enough of it and the result still fits; else None."""
        page_w, page_h = self.paper.width_mm, self.paper.height_mm
        geo = geometry(self.paper, self.bleed_mm, attempt.k, self.art_ratio)
        spare = heights.get("spacer", 0.0) + heights.get("lead-space", 0.0) - geo["gap"] - 2.0
        grow = round(min(spare, max_art_h(self.paper, self.art_ratio) - geo["band_h"]), 1)
        if grow < GROW_MIN_MM:
            return None
        bigger = Attempt(attempt.variant, attempt.body, grow)
        if self.measure(bigger, font_config)["sheet"] > page_h + TOLERANCE_PX * MM_PER_PX:
            return None
        job, document = self.render(bigger, font_config)
        if layout_problems(document, page_w / MM_PER_PX, page_h / MM_PER_PX):
            return None
        log.debug("%s: key art %.0f mm taller to fill the page", self.what, grow)
        return job, document, bigger

    def overflow_error(self, attempt: Attempt, heights: dict[str, float], problems: list[str]) -> RenderError:
        """Name what does not fit, from the heights of the smallest attempt on an unbounded page."""
        page_h = self.paper.height_mm
        where = f"on one {self.paper.name} page even at {attempt.body:g} pt"
        excess = heights["sheet"] - page_h
        culprits = self._culprits(heights, excess, attempt)
        if excess <= TOLERANCE_PX * MM_PER_PX or not culprits:  # a line too wide, text off the page
            return RenderError(f"{self.what}: does not fit {where}: " + "; ".join(dict.fromkeys(problems)))
        names = [name for name, _ in culprits]
        subject = "the " + (names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1])
        verb = "does" if len(names) == 1 else "do"
        return RenderError(f"{self.what}: {subject} {verb} not fit {where}; " + "; ".join(fix for _, fix in culprits))

    def _culprits(self, heights: dict[str, float], excess: float, attempt: Attempt) -> list[tuple[str, str]]:
        """(what, how to fix it) for the blocks taller than their share of the page, tallest share first,
        until they account for the excess."""
        page_h = self.paper.height_mm
        fixed = heights.get("band", 0.0) + heights.get("laurels", 0.0)
        room = max(page_h - fixed, 1.0)
        variant = attempt.variant
        film = self.source.film
        candidates = []
        body = heights.get("synopsis", 0.0)
        if variant.body and body > 0.6 * room:
            what = "logline" if variant.kind == "logline" else "synopsis"
            candidates.append((body - 0.6 * room, what, f"shorten {variant.key} ({variant.chars} characters)"))
        aside = heights.get("aside", 0.0)
        if aside > 0.6 * room:
            candidates.append((aside - 0.6 * room, "contacts", f"shorten the contacts ({len(film.contacts)} contacts)"))
        billing = heights.get("billing", 0.0)
        if billing > 0.4 * room:
            cast = next((line for line in billing_block(film, self.labels) if line.role == "cast"), None)
            names = sum(len(line.names) for line in billing_block(film, self.labels))
            fix = (
                f"bill fewer cast members as principal ({len(cast.names)} principal)"
                if cast and len(cast.names) > 8
                else f"shorten the billing credits ({names} names)"
            )
            candidates.append((billing - 0.4 * room, "billing block", fix))
        art = geometry(self.paper, self.bleed_mm, attempt.k, self.art_ratio)["band_h"]
        band = heights.get("band", 0.0)
        if band > art + 1.0:
            pitch = f" or {variant.pitch_key}" if variant.pitch else ""
            candidates.append((band - art, "title", f"shorten the title{pitch}"))
        chosen, covered = [], 0.0
        for over, what, fix in sorted(candidates, key=lambda c: -c[0]):
            if covered >= excess:
                break
            chosen.append((what, fix))
            covered += over
        return chosen

    def write(self) -> Path:
        self.fitted = self.fit()
        job, document, _ = self.fitted
        [target] = self.product.outputs(self.source, self.edition)
        return self.product.write_pdf(write_document(job, document), target, self.what, self.edition)


class OneSheetProduct(FilmProduct):
    """The one-sheet (sell sheet), fitted to one page."""

    name = "onesheet"
    layout = "onesheet"
    default_editions = ("print",)
    order = 20

    def outputs(self, source: FilmSource, edition: Edition) -> list[Path]:
        """onesheet.pdf in print, onesheet-<edition>.pdf otherwise."""
        suffix = "" if edition.is_print else f"-{edition.name}"
        return [self.out_dir(source) / f"onesheet{suffix}.pdf"]

    def context(self, source: FilmSource, edition: Edition) -> dict:
        """The context of the first attempt that fits (see OneSheet.fit)."""
        sheet = OneSheet(self, source, edition)
        _, _, attempt = sheet.fit()
        return sheet.attempt_context(attempt)

    def write(self, source: FilmSource, edition: Edition) -> list[Path]:
        return [OneSheet(self, source, edition).write()]

    def build(self, source: FilmSource) -> list[Path]:
        self.warn_laurels(source)  # (once a build: the kit's, when it is built too)
        return super().build(source)
