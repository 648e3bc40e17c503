"""Index sort rules (titles without their leading article, names by surname, in the collation of the
catalogue's language: ICU's, through PyICU) and the title, director and country indexes of a catalogue, as
plain data. Swedish files Å Ä Ö after Z, Spanish Ñ after N, German ä with a; presskit's own rules (leading
articles, name particles) decide what is compared, the language's collation how.

Everything here is pure: it takes plain values (titles, languages, names, page numbers) so the rules can
be tested without a festival or a PDF.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache

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


@cache
def collator(lang: str | None):
    """ICU's collator of a language (CLDR's root order without one): punctuation and spaces ignored at
    first, numbers compared by value (2 before 10)."""
    from icu import Collator, Locale, UCollAttribute, UCollAttributeValue

    collator = Collator.createInstance(Locale((lang or "root").replace("-", "_")))
    collator.setAttribute(UCollAttribute.ALTERNATE_HANDLING, UCollAttributeValue.SHIFTED)
    collator.setAttribute(UCollAttribute.NUMERIC_COLLATION, UCollAttributeValue.ON)
    return collator


def collation_key(text: str, lang: str | None) -> bytes:
    return bytes(collator(lang).getSortKey(text))


def title_key(title: str, lang: str | None, collate: str | None = None) -> tuple[bytes, bytes]:
    """Sort key of a title in the collation of `collate` (the catalogue's language): without its leading
    article (in the title's own language `lang`); the full title breaks ties."""
    _, rest = split_article(title, lang)
    return (collation_key(rest, collate), collation_key(title, collate) + b"\x00" + title.encode())


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


def name_key(name: str, sort_as: str | None = None, collate: str | None = None) -> tuple[bytes, ...]:
    """Sort key of a person: surname without its particles ('van der Berg' files under B), then given
    names; an explicit index name ('Wong Kar-wai', 'Plante, Pascal') is taken in its own order."""
    tie = collation_key(name, collate) + b"\x00" + name.encode()
    if sort_as and "," not in sort_as:
        return (collation_key(sort_as, collate), b"", tie)
    return (
        collation_key(filed_name(name, sort_as), collate),
        collation_key(surname_split(sort_as or name)[1], collate),
        tie,
    )


def filed_name(name: str, sort_as: str | None = None) -> str:
    """The part of a name it files under: 'Berg' for 'Jan van der Berg', 'Wong Kar-wai' as given."""
    if sort_as and "," not in sort_as:
        return sort_as
    bare, _ = surname_split(sort_as or name)
    while bare.split(" ", 1)[0].casefold() in PARTICLES and " " in bare:
        bare = bare.split(" ", 1)[1]
    return bare


def inverted_name(name: str, sort_as: str | None = None) -> str:
    """'Plante, Pascal' for the director index; a name whose surname comes first is printed as given."""
    if sort_as:
        return sort_as
    surname, given = surname_split(name)
    return f"{surname}, {given}" if given else surname


def group_letter(text: str, lang: str | None = None) -> str:
    """The heading an entry files under: its first letter, '#' for digits and symbols. A letter with an
    accent files under its base letter where the language's collation says they are one letter (German
    Ä under A), under its own heading where they are not (Swedish Ä after Z)."""
    first = next((ch for ch in text if ch.isalnum()), "")[:1].upper()
    if not first.isalpha():
        return "#"
    base = unicodedata.normalize("NFD", first)[0]
    if base != first and _primary_equal(first, base, lang):
        return base
    return first


@cache
def _primary_equal(a: str, b: str, lang: str | None) -> bool:
    from icu import Collator, Locale

    primary = Collator.createInstance(Locale((lang or "root").replace("-", "_")))
    primary.setStrength(Collator.PRIMARY)
    return primary.compare(a, b) == 0


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
    filed: str = ""  # the text it files under (its heading's letter): the label without its article

    @property
    def pages(self) -> list[int]:
        return sorted({r.page for r in self.refs})


@dataclass
class IndexGroup:
    letter: str
    lines: list[IndexLine]


def grouped(lines: list[IndexLine], lang: str | None = None) -> list[IndexGroup]:
    groups: list[IndexGroup] = []
    for line in sorted(lines, key=lambda ln: ln.key):
        letter = group_letter(line.filed or line.label, lang)
        if not groups or groups[-1].letter != letter:
            groups.append(IndexGroup(letter, []))
        groups[-1].lines.append(line)
    return groups


def title_index(films: list[IndexFilm], lang: str | None = None) -> list[IndexGroup]:
    """Every title once, and every original title that differs as its own entry (pointing to the title);
    in the collation of `lang`, the catalogue's language."""
    lines = []
    for f in films:
        article, rest = split_article(f.title, f.title_lang)
        key = title_key(f.title, f.title_lang, lang)
        lines.append(IndexLine(f.title, key, [IndexRef(None, f.page, f.slug)], article, filed=rest))
        if f.original_title and fold(f.original_title) != fold(f.title):
            article, rest = split_article(f.original_title, f.original_lang)
            lines.append(
                IndexLine(
                    textlang.tag(f.original_title, f.original_lang) or "",
                    title_key(f.original_title, f.original_lang, lang),
                    [IndexRef(None, f.page, f.slug)],
                    article,
                    see=f.title,
                    filed=rest,
                )
            )
    return grouped(lines, lang)


def director_index(films: list[IndexFilm], lang: str | None = None) -> list[IndexGroup]:
    """Directors by surname, each with their films in the catalogue and the pages."""
    by_name: dict[str, IndexLine] = {}
    for f in films:
        for name, sort_as in f.directors:
            line = by_name.get(name)
            if line is None:
                label, key = inverted_name(name, sort_as), name_key(name, sort_as, lang)
                line = by_name[name] = IndexLine(label, key, [], filed=filed_name(name, sort_as))
            line.refs.append(IndexRef(f.title, f.page, f.slug))
    for line in by_name.values():
        line.refs.sort(key=lambda r: (r.page, title_key(r.text or "", None, lang)))
    return grouped(list(by_name.values()), lang)


def country_index(films: list[IndexFilm], lang: str | None = None) -> list[IndexGroup]:
    """Countries of production, each with its films (co-productions under every country)."""
    by_country: dict[str, IndexLine] = {}
    for f in films:
        for country in f.countries:
            line = by_country.get(country)
            if line is None:
                key = (collation_key(country, lang), country.encode())
                line = by_country[country] = IndexLine(country, key, [])
            line.refs.append(IndexRef(f.title, f.page, f.slug))
    keys = {f.slug: title_key(f.title, f.title_lang, lang) for f in films}
    for line in by_country.values():
        line.refs.sort(key=lambda r: keys[r.slug])
    return grouped(list(by_country.values()), lang)
