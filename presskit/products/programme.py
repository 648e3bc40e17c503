"""Programme pages: one film's entry in a festival catalogue, as a full page or half a page.

Where each fact comes from:
- the film (film.yaml): titles, country, year, runtime, languages, director, credits, cast, still;
- the film's own entry for this festival (its festivals[] entry whose id is the festival's id, or the one
  festival.yaml names with `festival_entry`): premiere status, genres as the festival lists them, slot,
  guests, "presented by" sponsors, the short it screens with, and the texts (synopsis, programmer's note
  and byline). When that entry has no texts, they come from the first entry with a synopsis, else from
  the film's short synopsis;
- the festival (festival.yaml): section, screenings (day, time, venue, code, Q&A), age rating per venue,
  content-warning notes, the catalogue's trim size.

Text must fit its box: each variable text sits in a frame (see fit.py) and an overflow is an error.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from .. import i18n, localeformat, textlang
from ..context import (
    ContextBuilder,
    Credit,
    PrintImage,
    crew_credits,
    join_names,
    keep_with_number,
    language_line,
    paragraphs,
    premiere_text,
    principal_cast,
    rating_said,
    rating_whose,
    runtime_label,
    screen_image_url,
)
from ..edition import Edition, palette_css
from ..festival import FestivalSource, text_entry
from ..fit import check_fit, fit_job
from ..load import FilmSource
from ..messages import bilingual_labels
from ..meta import programme_page
from ..model import FestivalEntry, FestivalScreening, Film, Venue, page_size_mm
from ..pdf import render_document, write_document
from ..render import render_html
from ..units import length_mm, mm_to_in
from .base import FilmProduct

log = logging.getLogger("presskit")

VARIANTS = ("full", "half")
DEFAULT_TRIM = "170mm 240mm"
FRAME_SLACK_MM = 0.25
# The credits a half-page entry keeps (after "Directed by", which stands under the title).
HALF_PAGE_ROLES = ("screenplay", "producers", "cinematography", "editing", "music")


@dataclass
class ScreeningLine:
    day: str
    time: str
    venue: str
    code: str | None
    details: list[str] = field(default_factory=list)  # Q&A, guests, notes, "with Red Rooms"


@dataclass
class RatingLine:
    rating: str
    where: str | None  # "at The Rio"


@dataclass
class CompanionLine:
    """The film a programme pairs this one with: the short before the feature, or the feature after."""

    title: str
    details: str  # "Taye Alvis · 16 min"
    summary: str | None


@dataclass
class ProgrammeEntry:
    """Everything one catalogue entry prints, formatted and ordered."""

    slug: str
    lang: str
    variant: str
    header: list[str]
    section: str | None
    title: str
    original_title: str | None
    directed_by: str
    still: PrintImage | None
    synopsis: list[str]
    programme_note: list[str]
    programme_note_by: str | None
    credits: list[Credit]
    cast: str | None
    screenings: list[ScreeningLine]
    screenings_note: str | None
    guests: str | None
    ratings: list[RatingLine]
    no_rating: str | None
    content_warnings: str | None
    warning_notes: list[str]
    presented_by: str | None
    companion: CompanionLine | None
    left_out: list[str] = field(default_factory=list)  # the credits a half page leaves out: their labels
    second: ProgrammeEntry | None = None  # a bilingual festival's: the same entry in its second language
    bilingual: str = "stacked"  # how the two languages' texts stand: stacked, or side by side (columns)


# --- which entry speaks for the film -----------------------------------------------------------


def own_entry(slug: str, film: Film, festival: FestivalSource | None) -> FestivalEntry | None:
    """The film's entry for this festival; without a festival file, the first entry with a synopsis."""
    if festival is not None:
        return festival.entry_for(slug, film)
    return next((e for e in film.festivals if e.synopsis), None)


# --- the context -------------------------------------------------------------------------------


class ProgrammeContext:
    """Builds one film's ProgrammeEntry for one festival, language and variant."""

    def __init__(
        self,
        source: FilmSource,
        festival: FestivalSource | None,
        films: dict[str, FilmSource],
        lang: str,
        labels: dict,
        resolve=None,
        name_section: bool = True,
    ):
        self.source = source
        self.film = source.film
        # The catalogue names the section in its running heads and on its intro page: an entry there leaves
        # it out of its header (and a renamed section renders none of its film pages again).
        self.name_section = name_section
        self.festival = festival
        self.films = films
        self.lang = lang
        self.labels = labels
        self.L = labels["programme"]
        self.base = ContextBuilder(source, lang, labels, resolve or screen_image_url)
        self.own = own_entry(source.slug, self.film, festival)
        self.listing = festival.listing(source.slug) if festival else None

    def text(self, value) -> str | None:
        return localeformat.text_in(value, self.lang)

    def section(self) -> str | None:
        if not self.name_section:
            return None
        if self.listing:
            return self.text(self.listing.section.title)
        return self.own.section if self.own else None

    def header(self) -> list[str]:
        film, own = self.film, self.own
        slot = (self.text(self.listing.item.slot) if self.listing else None) or (own.slot if own else None)
        items = [
            premiere_text(own, self.labels) if own else None,
            self.section(),
            slot,
            ", ".join(i18n.country_name(c, self.lang) for c in film.countries),
            str(film.year) if film.year else None,
            ", ".join(
                localeformat.words(self.labels, "genre", (own.genres if own and own.genres else None) or film.genres)
            ),
            runtime_label(film.runtime, self.labels),
            language_line(film, self.lang, self.labels),
        ]
        return [i for i in items if i]

    def credits(self, variant: str) -> list[Credit]:
        """Condensed credits, in the conventional order ("Directed by" stands under the title)."""
        if variant == "half":
            credits = [
                Credit(self.labels["crew"][role], list(names))
                for role in HALF_PAGE_ROLES
                if (names := getattr(self.film.crew, role))
            ]
        else:
            credits = crew_credits(self.film, self.labels)[1:]
        if self.film.companies.production:
            credits.append(Credit(self.labels["tech"]["production"], list(self.film.companies.production)))
        if self.film.companies.co_production:
            credits.append(Credit(self.labels["tech"]["co_production"], list(self.film.companies.co_production)))
        return credits

    def left_out(self, variant: str) -> list[str]:
        """The credits a half-page entry leaves out (the full page prints them): their labels."""
        if variant != "half":
            return []
        kept = {credit.label for credit in self.credits(variant)}
        return [c.label for c in crew_credits(self.film, self.labels)[1:] if c.label not in kept]

    def still(self) -> PrintImage | None:
        """The first still (else the key art), with its credit."""
        images = self.film.images
        image = images.stills[0] if images.stills else images.key_art
        return self.base.image(image, "still")

    def venue(self, venue_id: str) -> Venue:
        """A venue of the festival (only a festival's own screenings name one)."""
        if self.festival is None:
            raise ValueError(f"venue {venue_id!r} named without a festival")
        return self.festival.venue(venue_id)

    def venue_name(self, venue_id: str, screen: str | None, variant: str) -> str:
        venue = self.venue(venue_id)
        name = venue.short_name if variant == "half" and venue.short_name else venue.name
        return keep_with_number(f"{name}, {screen}" if screen else name)

    def day(self, date) -> str:
        return localeformat.day(date, self.lang)

    def time(self, time: str | None) -> str:
        """A screening time in the festival's 12- or 24-hour form (`time_format`), else the language's."""
        if not time:
            return ""
        return localeformat.clock(time, self.lang, self.festival.festival.time_format if self.festival else None)

    def festival_screenings(self) -> list[tuple]:
        """(screening, feature) in time order: the film's own screenings (feature None), then those of
        the features it screens with as their companion short."""
        if self.festival is None or self.listing is None:
            return []
        rows: list[tuple[FestivalScreening, FilmSource | None]] = [
            (s, None) for s in self.festival.screenings(self.source.slug)
        ]
        for feature in self.companion_features():
            rows += [(s, feature) for s in self.festival.screenings(feature.slug)]
        return sorted(rows, key=lambda row: (row[0].date, row[0].time))

    def screenings(self, variant: str) -> list[ScreeningLine]:
        if self.festival is None or self.listing is None:
            return [
                ScreeningLine(
                    self.day(s.date),
                    self.time(s.time),
                    keep_with_number(", ".join(p for p in (s.venue, s.screen) if p)),
                    s.code,
                    [d for d in (self.text(s.qa),) if d],
                )
                for s in (self.own.screenings if self.own else [])
            ]
        rows = self.festival_screenings()
        # "with Red Rooms" only tells screenings apart when the short also screens on its own.
        name_features = any(feature is None for _, feature in rows)
        lines = []
        for s, feature in rows:
            details = [
                d
                for d in (
                    self.L["with_film"].format(title=self.text(feature.film.title))
                    if feature and name_features
                    else None,
                    self.text(s.qa),
                    self.guest_text(s.guests) if s.guests else None,
                    self.text(s.note),
                )
                if d
            ]
            lines.append(
                ScreeningLine(
                    self.day(s.date), self.time(s.time), self.venue_name(s.venue, s.screen, variant), s.code, details
                )
            )
        return lines

    def guest_text(self, guests) -> str:
        names = [f"{g.role} {g.name}" if g.role else g.name for g in guests]
        return f"{self.L['guests']}: {', '.join(names)}"

    def ratings(self) -> list[RatingLine]:
        """The age rating at each venue (they differ: a licensed venue admits 19+ only)."""
        seen: dict[tuple, None] = {}
        for s, _ in self.festival_screenings():
            if s.rating:
                seen.setdefault((s.rating, self.venue(s.venue).name))
        if seen:
            return [RatingLine(r, self.L["at_venue"].format(venue=v)) for r, v in seen]
        if self.own and self.own.ratings:  # the festival's own (its entry's), said at which venue
            return [
                RatingLine(rating_said(r, self.labels), rating_whose(r, self.lang, self.labels) or None)
                for r in self.own.ratings
            ]
        country = self.festival.festival.country if self.festival else None
        if country:  # the film's rating in the festival's country, said whose it is
            return [
                RatingLine(rating_said(r, self.labels), rating_whose(r, self.lang, self.labels))
                for r in self.film.ratings
                if r.territory == country
            ]
        return []

    def no_rating(self) -> str | None:
        """'No rating for Canada': the festival's country is known and no rating applies there."""
        country = self.festival.festival.country if self.festival else None
        if country and not self.ratings():
            return self.L["no_rating"].format(country=i18n.country_name(country, self.lang))
        return None

    def warning_notes(self) -> list[str]:
        notes: dict[str, None] = {}
        for s, _ in self.festival_screenings():
            if s.warnings:
                notes.setdefault(f"{self.venue(s.venue).name}: {self.text(s.warnings)}")
        return list(notes)

    def companion_features(self) -> list[FilmSource]:
        """The listed features this film screens before (it is their companion short)."""
        if self.festival is None:
            return []
        return [self.films[slug] for slug in self.festival.features_before(self.source.slug, self.films)]

    def companion(self, variant: str) -> CompanionLine | None:
        """The short this film screens with, or the feature it opens for. A half page leaves out the
        summary."""
        line = self._companion()
        if line and variant == "half":
            line.summary = None
        return line

    def _companion(self) -> CompanionLine | None:
        short = self.own.screens_with if self.own else None
        if short is not None:
            linked = self.films.get(short.film) if short.film else None
            director = short.director or (linked and join_names([d.name for d in linked.film.directors], self.labels))
            runtime = short.runtime or (linked.film.runtime if linked else None)
            summary = self.text(short.summary) or (linked and self.text(linked.film.texts.logline))
            details = " · ".join(d for d in (director, runtime_label(runtime, self.labels)) if d)
            return CompanionLine(short.title, details, summary or None)
        features = self.companion_features()
        if features:
            feature = features[0].film
            director = join_names([d.name for d in feature.directors], self.labels)
            details = " · ".join(d for d in (director, runtime_label(feature.runtime, self.labels)) if d)
            return CompanionLine(self.text(feature.title) or "", details, self.text(feature.texts.logline))
        return None

    def entry(self, variant: str) -> ProgrammeEntry:
        film, own, labels = self.film, self.own, self.labels
        own_texts = self.listing is not None and self.listing.item.texts == "film"
        texts = None if own_texts else text_entry(film, own)
        title = self.text(film.title) or ""
        synopsis = paragraphs(self.text(texts.synopsis if texts and texts.synopsis else film.texts.synopsis_short))
        note = paragraphs(self.text(texts.programme_note)) if texts else []
        for key, shown in (("title", title), ("synopsis", synopsis[:1]), ("programme_note", note[:1])):
            textlang.warn_fallback(
                self.source.slug, key, self.lang, next(iter(shown), None) if isinstance(shown, list) else shown
            )
        cast = film.cast and (
            ", ".join(c.name for c in film.cast) if variant == "full" else ", ".join(principal_cast(film))
        )
        if variant == "half" and film.cast and len(principal_cast(film)) < len(film.cast):  # says it cut the cast
            cast = labels["and_others"].format(names=cast)
        directors = join_names([d.name for d in film.directors], labels)
        return ProgrammeEntry(
            slug=self.source.slug,
            lang=self.lang,
            variant=variant,
            header=self.header(),
            section=self.section(),
            title=title,
            original_title=textlang.tag(
                film.original_title if film.original_title and film.original_title != title else None,
                textlang.original_language(film),
            ),
            directed_by=f"{labels['directed_by']} {directors}",
            still=self.still(),
            synopsis=synopsis,
            programme_note=note,
            programme_note_by=texts.programme_note_by if note and texts else None,
            credits=self.credits(variant),
            cast=cast or None,
            screenings=self.screenings(variant),
            screenings_note=self.text(own.screenings_note) if own else None,
            guests=self.guest_text(own.guests) if own and own.guests else None,
            ratings=self.ratings(),
            no_rating=self.no_rating(),
            content_warnings=", ".join(
                localeformat.words(
                    labels,
                    "warning",
                    (own.content_warnings if own and own.content_warnings else None) or film.content_warnings,
                )
            )
            or None,
            warning_notes=self.warning_notes(),
            presented_by=" · ".join(own.presented_by) if own and own.presented_by else None,
            companion=self.companion(variant),
            left_out=self.left_out(variant),
        )


def bilingual_entry(maker: ProgrammeContext, variant: str, langs: list[str], labels_for, spec: dict) -> ProgrammeEntry:
    """The entry in the first language; for a bilingual festival (two `langs`), with the same entry in the
    second (its texts; the still is the first's) and the layout's way of setting them (`bilingual`)."""
    entry = maker.entry(variant)
    if len(langs) > 1:
        other = ProgrammeContext(
            maker.source,
            maker.festival,
            maker.films,
            langs[1],
            labels_for(langs[1]),
            name_section=maker.name_section,
        )
        second = other.entry(variant)
        # a text the data gives in one language only is printed once, not twice
        if second.synopsis == entry.synopsis:
            second.synopsis = []
        if second.programme_note == entry.programme_note:
            second.programme_note, second.programme_note_by = [], None
        if second.synopsis or second.programme_note or second.title != entry.title:
            entry.second = second
            entry.bilingual = spec.get("bilingual", "stacked")
    return entry


def template_labels(langs: list[str], labels_for) -> dict:
    """The labels the templates print: a bilingual festival's in both languages."""
    if len(langs) > 1:
        return bilingual_labels(labels_for(langs[0]), labels_for(langs[1]))
    return labels_for(langs[0])


# --- page geometry -----------------------------------------------------------------------------


def page_frame(size: str, spec: dict, variant: str) -> dict:
    """The page (a PageSize such as '170mm 240mm') and the entry's frame: the whole type area, or its
    top half for a half-page entry, with the widths the still is placed at."""
    width, height = page_size_mm(size)
    m = {k: length_mm(v) for k, v in spec["margins"].items()}
    area_width = width - m["inner"] - m["outer"]
    area_height = height - m["top"] - m["bottom"]
    frame = area_height if variant == "full" else (area_height - length_mm(spec["half_gap"])) / 2
    # A hair under the type area: a frame ending exactly on the page's bottom edge makes WeasyPrint 70
    # break its overflowing text onto a second page instead of leaving it measurable in the frame.
    frame -= FRAME_SLACK_MM
    side = length_mm(spec["side_width"])
    main = area_width - side - length_mm(spec["column_gap"])
    return {
        "size": f"{width:g}mm {height:g}mm",
        "width": f"{width:g}mm",
        "height": f"{height:g}mm",
        "margin": f"{m['top']:g}mm {m['outer']:g}mm {m['bottom']:g}mm {m['inner']:g}mm",
        "frame_height": f"{frame:.2f}mm",
        "side_width": spec["side_width"],
        "column_gap": spec["column_gap"],
        "still_height": spec["still_height"][variant],
        "still_width_in": mm_to_in(main if variant == "full" else side),
        # the still fills its frame (entry.css.j2: object-fit: cover, centred): prepared cropped to it
        "still_aspect": (main if variant == "full" else side) / length_mm(spec["still_height"][variant]),
    }


# --- the product --------------------------------------------------------------------------------


class Programme(FilmProduct):
    """A film's programme page(s): its full-page entry, and its half-page entry where the festival gives it
    one (`variants` chooses others)."""

    name = "programme"
    layout = "programme"
    default_editions = ("print",)
    order = 30
    needs_festival = True  # the screenings, the section and the films it screens with

    def __init__(self, state, variants: tuple[str, ...] | None = None):
        super().__init__(state)
        for variant in variants or ():
            if variant not in VARIANTS:
                raise ValueError(f"unknown programme page variant {variant!r}")
        self.chosen = variants

    def variants(self, source: FilmSource) -> tuple[str, ...]:
        """The variants asked for, else those the festival gives the film: its full page, plus the half
        page where it has one; none when the festival does not list it (or there is no festival)."""
        if self.chosen is not None:
            return self.chosen
        festival: FestivalSource | None = self.settings.project.festival
        listing = festival.listing(source.slug) if festival is not None else None
        if listing is None:
            return ()
        return ("full", "half") if listing.item.page == "half" else ("full",)

    def wants(self, source: FilmSource) -> bool:
        return bool(self.variants(source))

    def trim(self) -> str:
        """The festival's catalogue trim size, unless --paper asks for a paper size."""
        if self.settings.options.paper:
            return self.settings.paper.css_size
        festival = self.settings.project.festival
        return festival.festival.trim if festival else DEFAULT_TRIM

    def outputs(self, source: FilmSource, edition: Edition) -> list[Path]:
        return [self.out_dir(source) / output_name(variant, edition.name) for variant in self.variants(source)]

    def context(self, source: FilmSource, edition: Edition, variant: str = "full") -> dict:
        settings = self.settings
        festival: FestivalSource | None = settings.project.festival
        lang = settings.festival_lang
        labels = settings.labels_for(lang)
        spec, context = self.base_context(edition)
        page = {**context["page"], **page_frame(self.trim(), spec, variant)}
        images = self.images(
            edition, f"{source.slug} programme page", {"still": page["still_width_in"]}, {"still": page["still_aspect"]}
        )
        films = {f.slug: f for f in settings.project.films}
        maker = ProgrammeContext(source, festival, films, lang, labels, images)
        entry = bilingual_entry(maker, variant, settings.festival_langs, settings.labels_for, spec)
        images.raise_errors()
        section = maker.listing.section if maker.listing else None
        if section and section.colour:
            context["colors"]["accent"] = palette_css({"accent": section.colour}, edition.name)["accent"]
        festival_name = i18n.pick(festival.festival.name, lang) if festival else None
        context.update(
            labels=template_labels(settings.festival_langs, settings.labels_for),
            page=page,
            entry=entry,
            festival={
                "name": festival_name,
                "year": festival.festival.year if festival else None,
                "running_head": f"{festival_name} {festival.festival.year}" if festival else "",
            },
            meta=programme_page(source, entry.title, entry.synopsis, festival_name),
        )
        return context

    def html(self, source: FilmSource, edition: Edition, variant: str) -> str:
        """The HTML of one programme page."""
        return render_html(
            self.settings.search_path, self.manifest()["template"], self.context(source, edition, variant)
        )

    def write(self, source: FilmSource, edition: Edition) -> list[Path]:
        return [self.write_page(source, edition, variant) for variant in self.variants(source)]

    def write_page(self, source: FilmSource, edition: Edition, variant: str) -> Path:
        """Render, fit-check and write one programme page; RenderError when a text overflows its box."""
        context = self.context(source, edition, variant)
        html = render_html(self.settings.search_path, self.manifest()["template"], context)
        what = f"{source.slug} programme page ({variant})"
        if left_out := context["entry"].left_out:
            log.warning("warning: %s leaves out %s (the full page prints them)", what, ", ".join(left_out).lower())
        hint = "shorten it or use the full-page variant" if variant == "half" else "shorten it"
        page_width = f"{page_size_mm(self.trim())[0]:g}mm"
        job = self.render_job(html, what, edition, source.dir)
        fit_job(job, page_width, what, hint=hint)
        document = render_document(job)
        check_fit(document, what, pages=1, hint=hint)
        target = self.out_dir(source) / output_name(variant, edition.name)
        return self.write_pdf(write_document(job, document), target, what, edition)


def output_name(variant: str, edition_name: str) -> str:
    """programme.pdf / programme-half.pdf for print (the default); other editions add their name."""
    stem = "programme" if variant == "full" else "programme-half"
    return f"{stem}.pdf" if edition_name == "print" else f"{stem}-{edition_name}.pdf"
