"""Index sort rules (titles without their leading article, names by surname, accents folded) and the
title, director and country indexes of a catalogue, as plain data.

Everything here is pure: it takes plain values (titles, languages, names, page numbers) so the rules can
be tested without a festival or a PDF.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from ... import textlang

# Leading articles per language (ISO 639-1). Elided forms end in an apostrophe and join the next word.
ARTICLES: dict[str, tuple[str, ...]] = {
    "en": ("the", "a", "an"),
    "fr": ("le", "la", "les", "l'", "un", "une", "des"),
    "es": ("el", "la", "los", "las", "un", "una", "unos", "unas"),
    "it": ("il", "lo", "la", "i", "gli", "le", "l'", "un", "uno", "una", "un'"),
    "pt": ("o", "a", "os", "as", "um", "uma", "uns", "umas"),
    "de": ("der", "die", "das", "ein", "eine"),
    "nl": ("de", "het", "een", "'t"),
    "ca": ("el", "la", "els", "les", "l'", "un", "una"),
    "sv": ("en", "ett"),
    "da": ("en", "et", "den", "det"),
    "no": ("en", "et", "ei", "den", "det"),
    "nb": ("en", "et", "ei", "den", "det"),
    "ro": ("un", "o"),
    "el": ("ο", "η", "το", "οι", "τα"),
    "ar": ("al-", "el-"),
}

# Name particles that belong to the surname when sorting "Jan van der Berg" under "van der Berg".
PARTICLES = {
    "van",
    "von",
    "der",
    "den",
    "de",
    "del",
    "della",
    "di",
    "da",
    "du",
    "des",
    "le",
    "la",
    "ten",
    "ter",
    "bin",
    "ibn",
    "al",
    "el",
    "dos",
    "das",
    "do",
    "zu",
    "af",
    "av",
}

_APOSTROPHES = "'’ʼ"
_EXTRA_FOLDS = {"æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i", "ß": "ss"}


def fold(text: str) -> str:
    """Lower case, accents and ligatures removed, punctuation dropped, spaces collapsed: 'Ça va!' -> 'ca va'."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(_EXTRA_FOLDS.get(ch, ch) for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"[^\w\s]|_", "", text)
    return " ".join(text.split())


def split_article(title: str, lang: str | None) -> tuple[str, str]:
    """('The ', 'Wall') for 'The Wall' in English; ('', title) when there is no leading article.

    Elided articles (L', Un') are matched with straight or curly apostrophes; a title that is only an
    article ('A', 'Les') keeps it.
    """
    articles = ARTICLES.get((lang or "").split("-")[0].lower(), ())
    stripped = title.lstrip()
    lowered = stripped.casefold()
    for article in sorted(articles, key=len, reverse=True):
        if article.endswith(("'", "-")):
            pattern = re.escape(article[:-1]) + ("[" + _APOSTROPHES + "]" if article.endswith("'") else "-")
            m = re.match(pattern, lowered)
            if m and len(stripped) > m.end() and stripped[m.end()].isalnum():
                return stripped[: m.end()], stripped[m.end() :]
        elif article.startswith("'"):
            m = re.match("[" + _APOSTROPHES + "]" + re.escape(article[1:]) + r"\s+", lowered)
            if m and len(stripped) > m.end():
                return stripped[: m.end()], stripped[m.end() :]
        else:
            m = re.match(re.escape(article) + r"\s+", lowered)
            if m and len(stripped) > m.end():
                return stripped[: m.end()], stripped[m.end() :]
    return "", stripped


def title_key(title: str, lang: str | None) -> tuple[str, str]:
    """Sort key of a title: without its leading article, folded; the full title breaks ties."""
    _, rest = split_article(title, lang)
    return (fold(rest), fold(title) + "\x00" + title)


def surname_split(name: str) -> tuple[str, str]:
    """('Plante', 'Pascal') for 'Pascal Plante'; ('van der Berg', 'Jan') for 'Jan van der Berg'.

    A name given as 'Surname, Given' is taken as it is; a single name is all surname.
    """
    if "," in name:
        surname, given = name.split(",", 1)
        return surname.strip(), given.strip()
    words = name.split()
    if len(words) <= 1:
        return name.strip(), ""
    start = len(words) - 1
    while start > 1 and words[start - 1].casefold() in PARTICLES:
        start -= 1
    return " ".join(words[start:]), " ".join(words[:start])


def name_key(name: str, sort_as: str | None = None) -> tuple[str, str]:
    """Sort key of a person: surname without its particles ('van der Berg' files under B), then given
    names; an explicit index name ('Wong Kar-wai', 'Plante, Pascal') is taken in its own order."""
    if sort_as and "," not in sort_as:
        return (fold(sort_as), fold(name) + "\x00" + name)
    surname, given = surname_split(sort_as or name)
    bare = surname
    while bare.split(" ", 1)[0].casefold() in PARTICLES and " " in bare:
        bare = bare.split(" ", 1)[1]
    return (fold(bare) + " " + fold(given), fold(name) + "\x00" + name)


def inverted_name(name: str, sort_as: str | None = None) -> str:
    """'Plante, Pascal' for the director index; a name whose surname comes first is printed as given."""
    if sort_as:
        return sort_as
    surname, given = surname_split(name)
    return f"{surname}, {given}" if given else surname


def group_letter(key: str) -> str:
    """The heading an entry files under: its first letter, '#' for digits and symbols."""
    first = key[:1].upper()
    return first if first.isalpha() else "#"


# --- the indexes ---------------------------------------------------------------------------------


@dataclass
class IndexFilm:
    """What the indexes need to know about one film entry in the catalogue."""

    slug: str
    title: str
    page: int
    title_lang: str | None = None
    original_title: str | None = None
    original_lang: str | None = None
    directors: list[tuple[str, str | None]] = field(default_factory=list)  # (name, sort_as)
    countries: list[str] = field(default_factory=list)  # names in the catalogue's language


@dataclass
class IndexRef:
    """One reference of an index line: a film title (or nothing) and its page."""

    text: str | None
    page: int
    slug: str


@dataclass
class IndexLine:
    label: str
    key: tuple
    refs: list[IndexRef]
    article: str = ""  # the leading article that sorting ignored, printed in lighter type
    see: str | None = None  # for an original title: the title it is listed under in the catalogue

    @property
    def pages(self) -> list[int]:
        return sorted({r.page for r in self.refs})


@dataclass
class IndexGroup:
    letter: str
    lines: list[IndexLine]


def grouped(lines: list[IndexLine]) -> list[IndexGroup]:
    groups: list[IndexGroup] = []
    for line in sorted(lines, key=lambda ln: ln.key):
        letter = group_letter(line.key[0])
        if not groups or groups[-1].letter != letter:
            groups.append(IndexGroup(letter, []))
        groups[-1].lines.append(line)
    return groups


def title_index(films: list[IndexFilm]) -> list[IndexGroup]:
    """Every title once, and every original title that differs as its own entry (pointing to the title)."""
    lines = []
    for f in films:
        article, _ = split_article(f.title, f.title_lang)
        lines.append(IndexLine(f.title, title_key(f.title, f.title_lang), [IndexRef(None, f.page, f.slug)], article))
        if f.original_title and fold(f.original_title) != fold(f.title):
            article, _ = split_article(f.original_title, f.original_lang)
            lines.append(
                IndexLine(
                    textlang.tag(f.original_title, f.original_lang) or "",
                    title_key(f.original_title, f.original_lang),
                    [IndexRef(None, f.page, f.slug)],
                    article,
                    see=f.title,
                )
            )
    return grouped(lines)


def director_index(films: list[IndexFilm]) -> list[IndexGroup]:
    """Directors by surname, each with their films in the catalogue and the pages."""
    by_name: dict[str, IndexLine] = {}
    for f in films:
        for name, sort_as in f.directors:
            line = by_name.get(name)
            if line is None:
                line = by_name[name] = IndexLine(inverted_name(name, sort_as), name_key(name, sort_as), [])
            line.refs.append(IndexRef(f.title, f.page, f.slug))
    for line in by_name.values():
        line.refs.sort(key=lambda r: (r.page, title_key(r.text or "", None)))
    return grouped(list(by_name.values()))


def country_index(films: list[IndexFilm]) -> list[IndexGroup]:
    """Countries of production, each with its films (co-productions under every country)."""
    by_country: dict[str, IndexLine] = {}
    for f in films:
        for country in f.countries:
            line = by_country.get(country)
            if line is None:
                line = by_country[country] = IndexLine(country, (fold(country), country), [])
            line.refs.append(IndexRef(f.title, f.page, f.slug))
    keys = {f.slug: title_key(f.title, f.title_lang) for f in films}
    for line in by_country.values():
        line.refs.sort(key=lambda r: keys[r.slug])
    return grouped(list(by_country.values()))
