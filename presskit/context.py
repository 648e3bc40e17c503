"""Model -> ready-to-print template context. Every ordering and formatting rule lives here.

Templates only print what this module hands them: formatted runtime, ordered credits, chosen laurels,
resolved image URLs, paragraphs already split.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup

from . import i18n, localeformat, textlang
from .load import FilmSource
from .model import FestivalEntry, Film, Image, Rating, Recognition, Screening, VenueRating

# Crew roles in the conventional order of a full credit list (after "Directed by").
CREW_ORDER = [
    "screenplay",
    "producers",
    "co_producers",
    "executive_producers",
    "cinematography",
    "editing",
    "production_design",
    "art_direction",
    "costumes",
    "makeup",
    "sound",
    "music",
    "casting",
    "visual_effects",
]


@dataclass
class PrintImage:
    url: str
    credit: str | None
    caption: str | None
    people: list[str] = field(default_factory=list)
    placeholder: bool = False
    alt: str = ""  # the text a screen reader speaks: caption, else people shown, else what it is


@dataclass
class Credit:
    label: str
    names: list[str]

    @property
    def text(self) -> str:
        return ", ".join(self.names)


@dataclass
class CastLine:
    name: str
    character: str | None


@dataclass
class FilmographyLine:
    year: int
    title: str
    original_title: str | None
    kind: str | None
    note: str | None


@dataclass
class DirectorBlock:
    name: str
    bio: list[str]
    headshot: PrintImage | None
    filmography: list[FilmographyLine]


@dataclass
class FestivalLine:
    festival: str
    year: int
    details: list[str]
    awards: list[str]
    screenings: list[str] = field(default_factory=list)


@dataclass
class RecognitionLine:
    body: str
    year: int
    text: str  # "Nominee: Best Film"; "Official submission of Saudi Arabia: Best International Feature Film"


@dataclass
class QuoteLine:
    text: str
    outlet: str
    critic: str | None


@dataclass
class Detail:
    """A printed detail; `href` makes it a live link (mailto:, https:) in the PDF."""

    text: str
    href: str | None = None

    def __str__(self) -> str:
        return self.text


@dataclass
class ContactLine:
    role: str
    company: str
    details: list[Detail]


ImageResolver = Callable[[Path, str], str]


def screen_image_url(path: Path, use: str) -> str:
    """The default resolver: the original file, unchanged."""
    return path.as_uri()


def paragraphs(text: str | None) -> list[str]:
    if not text:
        return []
    return textlang.each([" ".join(p.split()) for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()], text)


_BEFORE_NUMBER = re.compile(r"(?<=\w) (?=\d)")


def keep_with_number(text: str) -> str:
    """A label and the number after it never split across lines ("Screen 4", "Cinema 10", "Salle 3"): the
    space before a number made a no-break space."""
    return _BEFORE_NUMBER.sub("\u00a0", text)


def runtime_label(minutes: int | None, labels: dict) -> str | None:
    return f"{minutes} {labels['minutes_abbr']}" if minutes else None


def join_names(names: list[str], labels: dict) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + f" {labels['and']} " + names[-1]


def language_line(film: Film, lang: str, labels: dict) -> str | None:
    """'French, English · English subtitles' in the reader's language."""
    if not film.languages:
        return None
    spoken = ", ".join(i18n.language_name(code, lang) for code in film.languages)
    if film.subtitles:
        subs = ", ".join(i18n.language_name(code, lang) for code in film.subtitles)
        return f"{spoken} · {labels['subtitles'].format(languages=subs)}"
    return spoken


def crew_credits(film: Film, labels: dict) -> list[Credit]:
    """Directed by, then the crew in CREW_ORDER; empty roles are left out."""
    credits = [Credit(labels["crew"]["directors"], [d.name for d in film.directors])]
    for role in CREW_ORDER:
        names = getattr(film.crew, role)
        if names:
            credits.append(Credit(labels["crew"][role], list(names)))
    return credits


def principal_cast(film: Film) -> list[str]:
    """Cast marked principal, in billing order; else the first three billed."""
    marked = [c.name for c in film.cast if c.principal]
    return marked or [c.name for c in film.cast[:3]]


def premiere_text(entry: FestivalEntry, labels: dict) -> str | None:
    if entry.premiere_label:
        return localeformat.word(labels, "premiere_label", entry.premiere_label)
    return labels["premiere"][entry.premiere] if entry.premiere else None


def award_text(award, labels: dict) -> str:
    name = f"{award.prize} – {award.name}" if award.prize else award.name
    prefix = labels["result"][award.result]
    return f"{prefix}{labels.get('colon', ': ')}{name}" + (f" ({award.recipient})" if award.recipient else "")


def screening_text(s: Screening, lang: str) -> str:
    """'Wed 19 Oct 2022, 17:30, AMC River East, Screen 4, Chicago': a screening of the film's festival life."""
    from babel.dates import format_date

    day = format_date(s.date, "EEE d MMM y", locale=i18n.locale(lang))
    return ", ".join(p for p in (day, s.time, s.venue, s.screen, s.city) if p)


def rating_text(r: Rating, lang: str, labels: dict, given_by: str | None = None) -> str:
    """A rating with whose it is: 'PG12 (Saudi Arabia)', '18+ (Fantasia 2023, at Concordia Hall)',
    'legal age 12, suggested age 14 (Germany, FSK)'. `given_by`: the festival a festival entry's rating
    comes from, named when the rating names no authority."""
    text, source = rating_said(r, labels), rating_whose(r, lang, labels, given_by)
    return f"{text} ({source})" if source else text


def rating_said(r: Rating, labels: dict) -> str:
    """'PG12'; 'legal age 12, suggested age 14'; '12, suggested age 14'."""
    said = [
        r.rating,
        labels["rating"]["legal_age"].format(age=r.legal_age) if r.legal_age is not None else None,
        labels["rating"]["suggested_age"].format(age=r.suggested_age) if r.suggested_age is not None else None,
    ]
    return ", ".join(p for p in said if p)


def rating_whose(r: Rating, lang: str, labels: dict, given_by: str | None = None) -> str:
    """Whose the rating is: 'Saudi Arabia', 'Germany, FSK', 'Fantasia 2023, at Concordia Hall'."""
    whose = [
        i18n.country_name(r.territory, lang) if r.territory else None,
        r.authority or given_by,
        labels["programme"]["at_venue"].format(venue=r.venue) if isinstance(r, VenueRating) and r.venue else None,
    ]
    return ", ".join(p for p in whose if p)


def rating_lines(film: Film, lang: str, labels: dict) -> list[str]:
    """Every rating of the film, each with its source: the film's own, then those its festivals gave."""
    lines = [rating_text(r, lang, labels) for r in film.ratings]
    for entry in film.festivals:
        lines += [
            rating_text(r, lang, labels, f"{entry.short_name or entry.festival} {entry.year}") for r in entry.ratings
        ]
    return list(dict.fromkeys(lines))


def recognition_text(r: Recognition, lang: str, labels: dict) -> str:
    """'Nominee: Best Director (Jane Doe)'; 'Official submission of Saudi Arabia: Best International Feature Film'."""
    status = labels["recognition"][r.result]
    if r.result == "submitted" and r.country:
        status = labels["recognition"]["submitted_by"].format(country=i18n.country_name(r.country, lang))
    text = f"{status}{labels.get('colon', ': ')}{r.award}" if r.award else status
    return text + (f" ({r.recipient})" if r.recipient else "")


def recognition_lines(film: Film, lang: str, labels: dict) -> list[RecognitionLine]:
    """Recognitions that are not a festival's, in year order (then as listed)."""
    return [
        RecognitionLine(f"{r.edition} {r.body}" if r.edition else r.body, r.year, recognition_text(r, lang, labels))
        for r in sorted(film.recognitions, key=lambda r: r.year)
    ]


def festival_lines(film: Film, labels: dict, lang: str = "en") -> list[FestivalLine]:
    """Festivals in the order the film played them (year, then as listed)."""
    lines = []
    for entry in sorted(film.festivals, key=lambda e: e.year):
        details = [
            d
            for d in (
                localeformat.edition_line(entry.edition, labels, lang),
                premiere_text(entry, labels),
                entry.section,
                entry.slot,
                labels["official_selection"] if entry.official_selection and not entry.awards else None,
            )
            if d
        ]
        lines.append(
            FestivalLine(
                entry.festival,
                entry.year,
                details,
                [award_text(a, labels) for a in entry.awards],
                [screening_text(s, lang) for s in entry.screenings],
            )
        )
    return lines


def ranked_quotes(film: Film, lang: str) -> list[QuoteLine]:
    """Ranked quotes first (1 = best), then the unranked in the order given; each between the quotation
    marks of its language (CLDR)."""
    order = sorted(enumerate(film.quotes), key=lambda iq: (iq[1].rank is None, iq[1].rank or 0, iq[0]))
    lines = []
    for _, q in order:
        text = localeformat.text_in(q.text, lang) or ""
        lines.append(QuoteLine(localeformat.quoted(text, quote_lang(q.text, lang)), q.outlet, q.critic))
    return lines


def quote_lang(text: dict[str, str] | None, lang: str) -> str:
    """The language of the quote printed (`lang` when it has it), whose quotation marks it takes."""
    if not text or lang in text or lang.split("-")[0] in text:
        return lang
    return next((k for k in (*text, "en") if k != "*"), lang)


def contact_lines(film: Film, lang: str, labels: dict) -> list[ContactLine]:
    order = ["world-sales", "distribution", "press", "festivals", "production"]
    lines = []
    for contact in sorted(film.contacts, key=lambda c: order.index(c.role)):
        details = [
            d
            for d in (
                Detail(contact.name) if contact.name else None,
                Detail(i18n.country_name(contact.territory, lang)) if contact.territory else None,
                Detail(contact.email, f"mailto:{contact.email}") if contact.email else None,
                Detail(contact.phone, "tel:" + "".join(ch for ch in contact.phone if ch in "+0123456789"))
                if contact.phone
                else None,
                Detail(short_url(contact.website), contact.website) if contact.website else None,
            )
            if d
        ]
        lines.append(ContactLine(labels["contact"][contact.role], contact.company, details))
    return lines


def short_url(url: str) -> str:
    """'https://www.example.com/red-rooms/' -> 'example.com/red-rooms', as printed."""
    text = url.split("://", 1)[-1].rstrip("/")
    return text[4:] if text.startswith("www.") else text


def link_lines(film: Film, labels: dict) -> list[tuple[str, Detail]]:
    """Trailer, screener and website, each printed as a short URL that is a live link."""
    links = film.links
    return [
        (labels["links"][name], Detail(short_url(url), url))
        for name, url in (("trailer", links.trailer), ("screener", links.screener), ("website", links.website))
        if url
    ]


def technical_rows(film: Film, lang: str, labels: dict) -> list[tuple[str, str]]:
    t = film.technical
    rows = [
        (labels["tech"]["original_title"], textlang.tag(film.original_title, textlang.original_language(film))),
        (labels["tech"]["countries"], ", ".join(i18n.country_name(c, lang) for c in film.countries)),
        (labels["tech"]["year"], str(film.year) if film.year else None),
        (labels["tech"]["runtime"], runtime_label(film.runtime, labels)),
        (labels["tech"]["languages"], ", ".join(i18n.language_name(c, lang) for c in film.languages)),
        (labels["tech"]["subtitles"], ", ".join(i18n.language_name(c, lang) for c in film.subtitles)),
        (labels["tech"]["genres"], ", ".join(localeformat.words(labels, "genre", film.genres))),
        (labels["tech"]["colour"], labels["colour"][t.colour] if t.colour else None),
        (labels["tech"]["aspect_ratio"], t.aspect_ratio),
        (labels["tech"]["sound"], t.sound),
        (labels["tech"]["shooting_format"], t.shooting_format),
        (labels["tech"]["exhibition_formats"], ", ".join(t.exhibition_formats)),
        (labels["tech"]["captions"], labels["captions"][t.captions] if t.captions else None),
        (labels["tech"]["ratings"], "; ".join(rating_lines(film, lang, labels))),
        (labels["tech"]["content_warnings"], ", ".join(localeformat.words(labels, "warning", film.content_warnings))),
        (labels["tech"]["production"], ", ".join(film.companies.production)),
        (labels["tech"]["co_production"], ", ".join(film.companies.co_production)),
        (
            labels["tech"]["distribution"],
            "; ".join(
                f"{d.company} ({labels['world'] if d.territory == 'world' else i18n.country_name(d.territory, lang)})"
                for d in film.distributors
            ),
        ),
    ]
    return [(label, value) for label, value in rows if value]


class ContextBuilder:
    """Builds the template context of one film for one language and image resolver."""

    def __init__(self, source: FilmSource, lang: str, labels: dict, resolve: ImageResolver = screen_image_url):
        self.source = source
        self.film = source.film
        self.lang = lang
        self.labels = labels
        self.resolve = resolve

    def text(self, value, field: str | None = None) -> str | None:
        """`value` in the build's language, else another (warned about once per film and `field`)."""
        text = localeformat.text_in(value, self.lang)
        if field is not None:
            textlang.warn_fallback(self.source.slug, field, self.lang, text)
        return text

    def image(self, image: Image | None, use: str) -> PrintImage | None:
        if image is None:
            return None
        caption = self.text(image.caption)
        kinds = self.labels["image_kind"]  # keyed by the start of the use: still, still_small -> still
        kind = next((kinds[k] for k in kinds if use.startswith(k)), "")
        title = self.text(self.film.title)
        return PrintImage(
            url=self.resolve(self.source.image_path(image), use),
            credit=image.credit,
            caption=caption,
            people=list(image.people),
            placeholder=image.placeholder,
            alt=caption or ", ".join(image.people) or f"{title}: {kind}",
        )

    def directors(self) -> list[DirectorBlock]:
        blocks = []
        for d in self.film.directors:
            filmography = [
                FilmographyLine(
                    f.year,
                    f.title,
                    f.original_title if f.original_title != f.title else None,
                    self.labels["kind"][f.kind] if f.kind != "feature" else None,
                    f.note,
                )
                for f in sorted(d.filmography, key=lambda f: f.year)
            ]
            blocks.append(
                DirectorBlock(d.name, paragraphs(self.text(d.bio)), self.image(d.headshot, "headshot"), filmography)
            )
        return blocks

    def film_context(self) -> dict:
        film, labels = self.film, self.labels
        title = self.text(film.title, "title")
        original = film.original_title if film.original_title and film.original_title != title else None
        original = textlang.tag(original, textlang.original_language(film))
        directors = [d.name for d in film.directors]
        return {
            "slug": self.source.slug,
            "lang": self.lang,
            "title": title,
            "original_title": original,
            "year": film.year,
            "countries": [i18n.country_name(c, self.lang) for c in film.countries],
            "runtime": runtime_label(film.runtime, labels),
            "language_line": language_line(film, self.lang, labels),
            "genres": localeformat.words(labels, "genre", film.genres),
            "directors": directors,
            "a_film_by": localeformat.elide(labels["a_film_by"].format(names=join_names(directors, labels)), self.lang),
            "principal_cast": principal_cast(film),
            "tagline": self.text(film.texts.tagline, "texts.tagline"),
            "logline": self.text(film.texts.logline, "texts.logline"),
            "synopsis_short": paragraphs(self.text(film.texts.synopsis_short, "texts.synopsis_short")),
            "synopsis_long": paragraphs(self.text(film.texts.synopsis_long, "texts.synopsis_long")),
            "directors_statement": paragraphs(self.text(film.texts.directors_statement, "texts.directors_statement")),
            "production_notes": paragraphs(self.text(film.texts.production_notes, "texts.production_notes")),
            "director_blocks": self.directors(),
            "cast": [CastLine(c.name, self.text(c.character)) for c in film.cast],
            "cast_bios": [(c.name, paragraphs(self.text(c.bio))) for c in film.cast if c.bio],
            "crew": crew_credits(film, labels),
            "technical": technical_rows(film, self.lang, labels),
            "festivals": festival_lines(film, labels, self.lang),
            "recognitions": recognition_lines(film, self.lang, labels),
            "quotes": ranked_quotes(film, self.lang),
            "key_art": self.image(film.images.key_art, "key_art"),
            "stills": [self.image(s, "still") for s in film.images.stills],
            "contacts": contact_lines(film, self.lang, labels),
            "links": link_lines(film, labels),
        }


def svg_markup(svg: str) -> Markup:
    """Inline a generated SVG (our own trusted output, its text already XML-escaped)."""
    start = svg.find("<svg")
    return Markup(svg[start:] if start >= 0 else svg)
