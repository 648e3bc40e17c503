"""festival.yaml -> a validated Festival, with the cross-checks a schema cannot make.

The schema (model.Festival) checks each value; this module checks that the references hold together:
each screening names a film of the project, a known venue (and one of its screens) and a date within the
festival; each film is listed in one section only; a film's chosen `festival_entry` exists; the schedule
stays within what is laid out in reasonable time (MAX_SCREENINGS, MAX_SCREENINGS_PER_FILM). Every problem
carries its file, line and key, like the film problems it is reported with.
"""

from __future__ import annotations

import difflib
import logging
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from . import glyphs
from .errors import DataError, Problem
from .model import Festival, FestivalEntry, FestivalScreening, Film, Section, SectionFilm, Venue
from .yamlfile import display_path, format_key, read_yaml, read_yaml_remembered, resolve_inside, validate

log = logging.getLogger("presskit")

MAX_BYTES = 8_000_000  # a festival's file lists hundreds of films and screenings: larger than a film's
# The catalogue's schedule grows with the screenings: 5000 make about 110 pages (what that costs:
# benchmarks/README.md). The largest festivals hold some 1000-2000 public screenings.
MAX_SCREENINGS = 5000
# A programme page lists some ten screenings; a film screened daily through a month-long festival, 31.
MAX_SCREENINGS_PER_FILM = 100


@dataclass
class Listing:
    """Where a film stands in the festival: its section and its line in that section."""

    section: Section
    item: SectionFilm


@dataclass
class FestivalSource:
    """A validated festival edition with where it came from."""

    festival: Festival
    file: Path

    def venue(self, venue_id: str) -> Venue:
        return next(v for v in self.festival.venues if v.id == venue_id)

    @cached_property
    def _listings(self) -> dict[str, Listing]:
        """slug -> its (first) listing; built once, as a catalogue asks for hundreds of films."""
        index: dict[str, Listing] = {}
        for section in self.festival.sections:
            for item in section.films:
                index.setdefault(item.film, Listing(section, item))
        return index

    @cached_property
    def _screenings(self) -> dict[str, list[FestivalScreening]]:
        index: dict[str, list[FestivalScreening]] = {}
        for s in sorted(self.festival.screenings, key=lambda s: (s.date, s.time)):
            index.setdefault(s.film, []).append(s)
        return index

    def listing(self, slug: str) -> Listing | None:
        return self._listings.get(slug)

    def slugs(self) -> list[str]:
        """Every listed film, in catalogue order (section by section)."""
        return [item.film for section in self.festival.sections for item in section.films]

    def screenings(self, slug: str) -> list[FestivalScreening]:
        """The film's screenings in time order."""
        return list(self._screenings.get(slug, []))

    def features_before(self, short: str, films: Mapping) -> list[str]:
        """The listed features (slugs, in catalogue order) whose festival entry says they screen with the
        film `short`. `films` maps slugs to FilmSource; the index is built once per mapping, as each of a
        catalogue's hundreds of entries asks."""
        cached = self.__dict__.get("_screens_with")
        if cached is None or cached[0] is not films:
            index: dict[str, list[str]] = {}
            for slug in self.slugs():
                other = films.get(slug)
                entry = self.entry_for(slug, other.film) if other is not None else None
                short_film = entry.screens_with.film if entry and entry.screens_with else None
                if short_film is not None and slug not in index.get(short_film, ()):
                    index.setdefault(short_film, []).append(slug)
            cached = self.__dict__["_screens_with"] = (films, index)
        return [slug for slug in cached[1].get(short, []) if slug != short]

    def entry_for(self, slug: str, film: Film) -> FestivalEntry | None:
        """The film's own festivals[] entry for this edition: the listing's festival_entry, else the entry
        whose id is the festival's id."""
        listing = self.listing(slug)
        wanted = listing.item.festival_entry if listing and listing.item.festival_entry else self.festival.id
        return next((e for e in film.festivals if e.id == wanted), None)


def text_entry(film: Film, own: FestivalEntry | None) -> FestivalEntry | None:
    """The entry whose synopsis and programmer's note a programme page prints: the festival's own entry,
    else (a fallback, warned by fallback_warnings) the first entry with a synopsis."""
    if own is not None and (own.synopsis or own.programme_note):
        return own
    return next((e for e in film.festivals if e.synopsis), None)


def fallback_text(film: Film, own: FestivalEntry | None) -> str | None:
    """What a programme page and catalogue entry print in place of the festival's own entry's texts, said
    for a warning; None when the entry has its own synopsis."""
    if own is not None and own.synopsis:
        return None
    texts = text_entry(film, own)
    if texts is not None and texts is not own and texts.synopsis:
        used = f"the synopsis{' and programme note' if texts.programme_note else ''} of its '{texts.id}' entry"
    elif film.texts.synopsis_short:
        used = "its texts.synopsis_short"
    else:
        used = "no synopsis"
    if own is None:
        return f"has no festivals[] entry for this festival: its programme page and catalogue entry print {used}"
    return f"has no synopsis in its '{own.id}' entry: its programme page and catalogue entry print {used}"


def fallback_warnings(festival: Festival, films: Mapping[str, Film | None]) -> list[str]:
    """One warning for each listed film whose programme texts come from elsewhere than its entry for this
    festival (see fallback_text)."""
    messages = []
    for section in festival.sections:
        for item in section.films:
            film = films.get(item.film)
            if film is None or item.texts == "film":  # (the film's own texts, chosen)
                continue
            wanted = item.festival_entry or festival.id
            found = fallback_text(film, next((e for e in film.festivals if e.id == wanted), None))
            if found:
                messages.append(f"warning: {item.film} {found}")
    return messages


def _hint(value: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(value, choices, n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


class _Checker:
    """Collects cross-reference problems with their lines."""

    def __init__(self, file: str, lines: dict):
        self.file = file
        self.lines = lines
        self.problems: list[Problem] = []

    def add(self, loc: tuple, message: str) -> None:
        line = None
        probe = loc
        while probe and line is None:
            line = self.lines.get(probe)
            probe = probe[:-1]
        self.problems.append(Problem(self.file, line, format_key(loc), message))

    def unique(self, items: list, key: str, loc: tuple, what: str) -> None:
        seen: dict[str, int] = {}
        for i, item in enumerate(items):
            value = getattr(item, key)
            if value in seen:
                self.add(
                    loc + (i, key),
                    f"expected each {what} once, got '{value}' again (first at {format_key(loc + (seen[value],))})",
                )
            seen.setdefault(value, i)


def check_festival(festival: Festival, films: dict[str, Film | None], file: str, lines: dict) -> list[Problem]:
    """Cross-checks of a schema-valid festival against itself and the project's films.

    `films` maps every film slug of the project to its Film, or to None when the film's own data is invalid
    (its problems are reported on their own; it still counts as a known film here)."""
    check = _Checker(file, lines)
    f = festival
    known = sorted(films)

    def film_ref(loc: tuple, slug: str, what: str) -> bool:
        if slug in films:
            return True
        check.add(loc, f"expected the slug of a film in the project, got '{slug}' in {what}{_hint(slug, known)}")
        return False

    if f.dates.end < f.dates.start:
        check.add(("dates", "end"), f"expected a date on or after the start ({f.dates.start}), got {f.dates.end}")

    check.unique(f.venues, "id", ("venues",), "venue id")
    check.unique(f.sections, "id", ("sections",), "section id")

    listed: dict[str, tuple] = {}
    for si, section in enumerate(f.sections):
        for fi, item in enumerate(section.films):
            loc: tuple = ("sections", si, "films", fi, "film")
            if not film_ref(loc, item.film, f"section '{section.id}'"):
                continue
            if item.film in listed:
                first_section, first_loc = listed[item.film]
                check.add(
                    loc,
                    f"expected each film in one section, got '{item.film}' also in section "
                    f"'{first_section}' ({format_key(first_loc)})",
                )
                continue
            listed[item.film] = (section.id, loc)
            film = films[item.film]
            if item.festival_entry and film is not None:
                ids = [e.id for e in film.festivals]
                if item.festival_entry not in ids:
                    check.add(
                        ("sections", si, "films", fi, "festival_entry"),
                        f"expected the id of one of {item.film}'s festival entries "
                        f"({', '.join(ids) or 'it has none'}), got '{item.festival_entry}'"
                        f"{_hint(item.festival_entry, ids)}",
                    )
            wanted = item.festival_entry or f.id
            entry = next((e for e in film.festivals if e.id == wanted), None) if film is not None else None
            for k, own_screening in enumerate(entry.screenings if entry else []):
                if not f.dates.start <= own_screening.date <= f.dates.end:
                    check.add(
                        loc,
                        f"expected {item.film}'s screenings at this festival (its film.yaml: festivals: "
                        f"{wanted}: screenings[{k}]) within the festival ({f.dates.start} to {f.dates.end}), "
                        f"got {own_screening.date}",
                    )

    venues: dict[str, Venue] = {}
    for venue in f.venues:
        venues.setdefault(venue.id, venue)  # a repeated id is reported above; the first one stands
    codes: dict[str, int] = {}
    for i, screening in enumerate(f.screenings):
        loc = ("screenings", i)
        what = f"screening {screening.code}"
        if film_ref(loc + ("film",), screening.film, what) and screening.film not in listed:
            check.add(
                loc + ("film",),
                f"expected a film listed in a section, got '{screening.film}' in {what}, which no section lists",
            )
        found = venues.get(screening.venue)
        if found is None:
            check.add(
                loc + ("venue",),
                f"expected a venue id from venues ({', '.join(venues)}), got "
                f"'{screening.venue}' in {what}{_hint(screening.venue, list(venues))}",
            )
        elif screening.screen and screening.screen not in found.screens:
            choices = ", ".join(found.screens) if found.screens else "it lists none"
            check.add(
                loc + ("screen",), f"expected one of the screens of {found.name} ({choices}), got '{screening.screen}'"
            )
        if not f.dates.start <= screening.date <= f.dates.end:
            check.add(
                loc + ("date",),
                f"expected a date within the festival ({f.dates.start} to {f.dates.end}), "
                f"got {screening.date} in {what}",
            )
        if screening.code in codes:
            check.add(
                loc + ("code",),
                f"expected each screening code once, got '{screening.code}' again "
                f"(first at screenings[{codes[screening.code]}])",
            )
        codes.setdefault(screening.code, i)
    _check_scale(f, check)
    return check.problems


def _check_scale(f: Festival, check: _Checker) -> None:
    """At most MAX_SCREENINGS screenings, and MAX_SCREENINGS_PER_FILM of each film (reported at the first
    screening past the limit)."""
    if len(f.screenings) > MAX_SCREENINGS:
        check.add(
            ("screenings",),
            f"expected at most {MAX_SCREENINGS} screenings (the catalogue's schedule of "
            f"that many runs to about 110 pages), got {len(f.screenings)}",
        )
    totals = Counter(s.film for s in f.screenings)
    seen: Counter[str] = Counter()
    for i, screening in enumerate(f.screenings):
        seen[screening.film] += 1
        if seen[screening.film] == MAX_SCREENINGS_PER_FILM + 1:
            check.add(
                ("screenings", i, "film"),
                f"expected at most {MAX_SCREENINGS_PER_FILM} screenings of one "
                f"film, got {totals[screening.film]} of '{screening.film}'",
            )


def read_festival(
    root: Path,
    name: str,
    films: dict[str, Film | None],
    config_file: str = "presskit.yaml",
    memo=None,
    fonts: tuple[Path, ...] = (),
) -> tuple[FestivalSource | None, list[Problem]]:
    """Read, validate and cross-check the project's festival file; return it (or None) and its problems.
    With `memo` (cache.Memo), the file's data as the last build parsed it when it has not changed (a big
    festival's file is long to parse); read again for the line numbers of any problem."""
    path = resolve_inside(root, name, root)
    if path is None or not path.exists():
        why = "which leads outside it" if path is None else "which does not exist"
        return None, [
            Problem(config_file, None, "festival", f"expected a festival file inside the project, got {name!r}, {why}")
        ]
    shown = display_path(path)
    try:
        # (a folder, a pipe, a file too large: refused there)
        data, lines = (
            read_yaml_remembered(path, memo, MAX_BYTES, root) if memo is not None else read_yaml(path, MAX_BYTES, root)
        )
    except DataError as exc:
        return None, exc.problems or [Problem(shown, None, "", str(exc.message).split(": ", 1)[-1])]
    festival, problems = validate(Festival, data, shown, lines or {}, printable=glyphs.checker(fonts))
    if festival is not None:
        problems = check_festival(festival, films, shown, lines or {})
        if not problems:
            for message in fallback_warnings(festival, films):
                log.warning("%s", message)
    if problems and lines is None:  # remembered data: read the file for the line numbers of the problems
        return read_festival(root, name, films, config_file, None, fonts)
    return (FestivalSource(festival, path) if festival is not None else None), problems
