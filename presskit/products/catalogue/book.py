"""Festival data -> the catalogue's ready-to-print views: sections with their film pages, table of
contents, indexes, the schedule grid, sponsors, welcome and colophon. Templates only print these.

Page numbers are inputs here (the planner computes them); nothing in this module renders.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ... import i18n, localeformat
from ...context import keep_with_number, paragraphs
from ...festival import FestivalSource
from ...load import ProjectSource
from ...model import Festival, FestivalScreening, Film
from .indexes import IndexFilm, country_index, director_index, title_index

# Section colours (CMYK %) used in turn when a section names none.
SECTION_COLOURS = [
    (5, 100, 90, 20),
    (85, 45, 0, 10),
    (0, 45, 100, 0),
    (60, 0, 60, 15),
    (45, 80, 0, 10),
    (0, 20, 30, 60),
    (100, 0, 30, 20),
    (0, 70, 60, 0),
]


@dataclass
class FilmLine:
    """A film as the contents, indexes and schedule name it."""

    slug: str
    title: str
    note: str | None = None  # the listing's slot, e.g. "Opening Film"
    page: int | str = 0  # (placeholder digits in the sizing render of a page that lists it)


@dataclass
class SectionView:
    id: str
    number: int
    title: str
    intro: list[str]
    sponsor: str | None
    cmyk: tuple
    colour: str = ""  # CSS colour for the edition
    films: list[FilmLine] = field(default_factory=list)
    page: int = 0
    second_lang: str | None = None  # a bilingual festival's second language, where the section has its own texts
    second_title: str | None = None
    second_intro: list[str] = field(default_factory=list)


@dataclass
class SlotView:
    """One screening in the schedule grid."""

    code: str
    time: str
    title: str
    slug: str
    runtime: str | None
    screen: str | None
    qa: bool
    rating: str | None
    section: str  # section id: its colour marks the slot
    page: int


def text(value, lang: str) -> str | None:
    """A text in `lang` (else in English...), with the language's spacing where it is in `lang`."""
    return localeformat.text_in(value, lang)


def title(value, lang: str) -> str:
    """A title (required, so always there) in `lang`."""
    return i18n.pick(value, lang) or ""


def film_of(project: ProjectSource, slug: str) -> Film:
    """A film the festival lists (its validation made sure the project has it)."""
    source = project.film(slug)
    if source is None:
        raise KeyError(f"the festival lists {slug!r}, which the project does not have")
    return source.film


def date_label(day: dt.date, lang: str) -> str:
    """A schedule day: 'Thursday, October 5', 'Donnerstag, 5. Oktober' (CLDR, per locale)."""
    return localeformat.long_day(day, lang)


def dates_line(festival: Festival, lang: str) -> str:
    from babel.dates import format_interval

    return format_interval(festival.dates.start, festival.dates.end, "yMMMMd", locale=i18n.locale(lang))


def sections(
    festival: FestivalSource, project: ProjectSource, lang: str, second: str | None = None
) -> list[SectionView]:
    """The sections in order, with their films; for a bilingual festival (`second`), the section's title
    and intro in the second language where the data gives them (a text given once is printed once)."""
    views = []
    for number, section in enumerate(festival.festival.sections, start=1):
        cmyk = section.colour or SECTION_COLOURS[(number - 1) % len(SECTION_COLOURS)]
        view = SectionView(
            section.id,
            number,
            title(section.title, lang),
            paragraphs(text(section.intro, lang)),
            section.sponsor,
            tuple(cmyk),
        )
        if second:
            other_title, other_intro = title(section.title, second), paragraphs(text(section.intro, second))
            view.second_title = other_title if other_title != view.title else None
            view.second_intro = other_intro if other_intro != view.intro else []
            view.second_lang = second if view.second_title or view.second_intro else None
        for item in section.films:
            film = film_of(project, item.film)
            view.films.append(FilmLine(item.film, title(film.title, lang), text(item.slot, lang)))
        views.append(view)
    return views


def book_info(festival: Festival, lang: str, labels: dict, second: str | None = None) -> dict:
    """The cover, welcome and colophon's facts; for a bilingual festival (`second`), the welcome in the
    second language too where the data gives it."""
    C = labels["catalogue"]
    welcome = None
    if festival.welcome:
        w = festival.welcome
        welcome = {
            "title": text(w.title, lang) or C["welcome"],
            "paragraphs": paragraphs(text(w.text, lang)),
            "signature": w.signature,
            "role": text(w.signature_role, lang),
            "second": None,
        }
        if second:
            other = {"lang": second, "title": text(w.title, second), "paragraphs": paragraphs(text(w.text, second))}
            if other["paragraphs"] != welcome["paragraphs"]:
                other["title"] = other["title"] if other["title"] != welcome["title"] else None
                welcome["second"] = other
    staff: list[tuple[str, list[str]]] = []
    for member in festival.staff:
        role = title(member.role, lang)
        if staff and staff[-1][0] == role:
            staff[-1][1].append(member.name)
        else:
            staff.append((role, [member.name]))
    col = festival.colophon
    imprint = [
        (label, value)
        for label, value in (
            (C["publisher"], col.publisher),
            (C["printer"], col.printer),
            (C["print_run"], C["copies"].format(n=localeformat.number(col.print_run, lang)) if col.print_run else None),
            (C["issn"], col.issn),
        )
        if value
    ]
    return {
        "name": text(festival.name, lang),
        "short_name": festival.short_name,
        "edition": localeformat.edition_line(festival.edition, labels, lang),
        "year": festival.year,
        "dates": dates_line(festival, lang),
        "website": festival.website.split("://", 1)[-1].rstrip("/") if festival.website else None,
        "lang": lang,
        "welcome": welcome,
        "staff": staff,
        "imprint": imprint,
        "credits": paragraphs(text(col.credits, lang)),
    }


def index_films(festival: FestivalSource, project: ProjectSource, lang: str, pages: dict[str, int]) -> list[IndexFilm]:
    films = []
    for slug in festival.slugs():
        film = film_of(project, slug)
        films.append(
            IndexFilm(
                slug=slug,
                title=title(film.title, lang),
                page=pages[slug],
                title_lang=title_language(film, lang),
                original_title=film.original_title,
                original_lang=film.original_language or (film.languages[0] if film.languages else None),
                directors=[(d.name, d.index_name) for d in film.directors],
                countries=[i18n.country_name(c, lang) for c in film.countries],
            )
        )
    return films


def title_language(film: Film, lang: str) -> str:
    """The language of the title printed in `lang` (its leading article is that language's): `lang` where
    the film has a title in it, the original language for a title given once, else English's."""
    titles = film.title
    if lang in titles or lang.split("-")[0] in titles:
        return lang
    if "*" in titles:
        return film.original_language or (film.languages[0] if film.languages else lang)
    return "en" if "en" in titles else next(iter(titles), lang)


def indexes(films: list[IndexFilm], labels: dict, lang: str | None = None) -> list[dict]:
    """The title, director and country indexes, in the collation of `lang` (the catalogue's language)."""
    C = labels["catalogue"]
    return [
        {"id": "index-titles", "kind": "titles", "heading": C["index_titles"], "groups": title_index(films, lang)},
        {
            "id": "index-directors",
            "kind": "directors",
            "heading": C["index_directors"],
            "groups": director_index(films, lang),
        },
        {
            "id": "index-countries",
            "kind": "countries",
            "heading": C["index_countries"],
            "groups": country_index(films, lang),
        },
    ]


def schedule(
    festival: FestivalSource,
    project: ProjectSource,
    lang: str,
    labels: dict,
    pages: dict[str, int],
    per_table: int,
    page_from: int = 12,
) -> list[dict]:
    """The screening grid: one block per day, venues as columns (at most `per_table` to a table), hours
    as rows; every screening of the festival in exactly one cell. A day of `page_from` screenings or more
    starts a page (`starts_page`; not the first day, which follows the schedule's title): a big festival's
    day then opens its own page, and a small festival's days follow one another."""
    f = festival.festival
    venue_order = [v.id for v in f.venues]
    venue_names = {v.id: v.short_name or v.name for v in f.venues}
    section_of = {item.film: s.id for s in f.sections for item in s.films}
    by_day: dict[dt.date, list[FestivalScreening]] = {}
    for s in sorted(f.screenings, key=lambda s: (s.date, s.time, venue_order.index(s.venue), s.code)):
        by_day.setdefault(s.date, []).append(s)
    days: list[dict] = []
    for day, shows in by_day.items():
        used = [v for v in venue_order if any(s.venue == v for s in shows)]
        tables = []
        for i in range(0, len(used), per_table):
            venues = used[i : i + per_table]
            hours = sorted({s.time[:2] for s in shows if s.venue in venues})
            rows = []
            for hour in hours:
                cells = []
                for venue in venues:
                    cell = []
                    for s in shows:
                        if s.venue == venue and s.time[:2] == hour:
                            film = film_of(project, s.film)
                            cell.append(
                                SlotView(
                                    code=s.code,
                                    time=localeformat.clock(s.time, lang, f.time_format),
                                    title=title(film.title, lang),
                                    slug=s.film,
                                    runtime=f"{film.runtime} {labels['minutes_abbr']}" if film.runtime else None,
                                    screen=keep_with_number(s.screen) if s.screen else None,
                                    qa=bool(s.qa or s.guests),
                                    rating=s.rating,
                                    section=section_of[s.film],
                                    page=pages[s.film],
                                )
                            )
                    cells.append(cell)
                rows.append({"label": localeformat.hour(int(hour), lang, f.time_format), "cells": cells})
            tables.append({"venues": [venue_names[v] for v in venues], "rows": rows})
        label = date_label(day, lang)
        continued = labels["catalogue"]["continued"].format(day=label)
        days.append(
            {
                "id": f"schedule-{day.isoformat()}",
                "date": day,
                "label": label,
                "continued": continued,
                "tables": tables,
                "starts_page": bool(days) and len(shows) >= page_from,
            }
        )
    return days


def schedule_parts(days: list[dict]) -> list[tuple[str, list[dict]]]:
    """The schedule's parts of the catalogue, in order: (name, days). A day that starts a page starts a part
    of its own (named after it), so that a late change renders again only the days it touches; the first
    part is "schedule" (it holds the schedule's title), and a festival without screenings has that one."""
    parts: list[tuple[str, list[dict]]] = [("schedule", [])]
    for day in days:
        if day["starts_page"]:
            parts.append((day["id"], []))
        parts[-1][1].append(day)
    return parts


def sponsors(festival: Festival, lang: str) -> list[dict]:
    return [{"label": text(t.tier, lang), "names": list(t.names)} for t in festival.sponsors]


def venues(festival: Festival) -> list[dict]:
    return [{"name": v.name, "address": v.address or ""} for v in festival.venues]
