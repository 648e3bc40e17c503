"""Locale formatting (CLDR through Babel) and the typographic rules of a language.

day(date, lang)              'Thu, Oct 5', 'Do., 5. Okt.', 'jeu. 5 oct.': the skeleton MMMEd per locale
long_day(date, lang)         'Thursday, October 5', 'Donnerstag, 5. Oktober'
clock(time, lang, form)      '17:30' or '5:30 PM': 12- or 24-hour, by `form` or the locale's own
number(n, lang)              '1,200' / '1 200' / '1.200'
edition_line(edition, labels, lang)   '79th edition', '79e édition', '79. Ausgabe' (labels `edition_line`)
word(labels, group, text)    a word of a fixed vocabulary (genre, content warning, premiere) translated
elide(text, lang)            French elision: 'un film de Alice' -> 'un film d’Alice'
spacing(text, lang)          French spacing: a narrow no-break space before ; : ! ? and inside « »
quoted(text, lang)           the text between the locale's quotation marks: “…”, « … », „…“, 「…」
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from functools import cache

from babel import Locale

from .i18n import locale

NNBSP = "\u202f"  # narrow no-break space
NBSP = "\u00a0"


def _base(lang: str) -> str:
    return lang.split("-")[0].split("_")[0].lower()


@cache
def pattern(skeleton: str, lang: str) -> str:
    """The locale's date pattern for a CLDR skeleton, its fields widened to the skeleton's (ICU's pattern
    generator: Babel's format_skeleton keeps the width of the pattern it matches, 'Thu' for EEEE)."""
    from icu import DateTimePatternGenerator
    from icu import Locale as IcuLocale

    return str(DateTimePatternGenerator.createInstance(IcuLocale(lang.replace("-", "_"))).getBestPattern(skeleton))


@cache
def format_day(date: dt.date, skeleton: str, lang: str) -> str:
    from babel.dates import format_date

    return format_date(date, pattern(skeleton, lang), locale=locale(lang))


def day(date: dt.date, lang: str) -> str:
    """A screening day, short: weekday, day and month in the locale's order (CLDR skeleton MMMEd)."""
    return format_day(date, "MMMEd", lang)


def long_day(date: dt.date, lang: str) -> str:
    """A schedule's day heading: weekday, day and month written out (CLDR skeleton MMMMEEEEd), capitalised."""
    text = format_day(date, "MMMMEEEEd", lang)
    return text[:1].upper() + text[1:]


@cache
def twelve_hour(lang: str) -> bool:
    """Whether the locale writes times on a 12-hour clock (CLDR's short time pattern uses h or K)."""
    pattern = locale(lang).time_formats["short"].pattern
    return bool(re.search(r"[hK]", re.sub(r"'[^']*'", "", pattern)))


@cache  # a 300-film schedule asks for some 1,400 times; babel's format_skeleton takes 0.6 ms each
def clock(time: str, lang: str, form: str | None = None) -> str:
    """'17:30' (the model's form) in 24-hour form or as '5:30 PM', by `form` ('12h' or '24h'), else as the
    locale writes times."""
    from babel.dates import format_skeleton

    hour, minute = (int(part) for part in time.split(":"))
    twelve = twelve_hour(lang) if form is None else form == "12h"
    value = dt.time(hour, minute)
    return format_skeleton("hmm" if twelve else "HHmm", value, locale=locale(lang))


@cache
def hour(hour: int, lang: str, form: str | None = None) -> str:
    """A schedule row's hour: '17h' on a 24-hour clock, '5 PM' on a 12-hour one."""
    from babel.dates import format_skeleton

    if not (twelve_hour(lang) if form is None else form == "12h"):
        return f"{hour}h"
    return format_skeleton("h", dt.time(hour, 0), locale=locale(lang))


def number(n: int | float, lang: str) -> str:
    from babel.numbers import format_decimal

    return format_decimal(n, locale=locale(lang))


_LEADING_NUMBER = re.compile(r"^\s*(\d+)\s*(?:st|nd|rd|th|e|er|re|ème|eme|\.|º|ª|η|ο)?\s*$", re.IGNORECASE)


def edition_line(edition: str | int | None, labels: dict, lang: str) -> str | None:
    """'79th edition' from an edition given as 79, '79' or '79th', through the language's rule in the
    labels (`edition_line`, one text per CLDR ordinal category: one, two, few, other); an edition given
    otherwise ('Jubilee') is printed with the word `edition` after it."""
    if edition is None or edition == "":
        return None
    m = _LEADING_NUMBER.match(str(edition))
    if not m:
        return f"{edition} {labels['edition']}"
    n = int(m.group(1))
    rules = labels["edition_line"]
    category = _ordinal_category(lang, n)
    return str(rules.get(category, rules["other"])).format(n=n)


def _ordinal_category(lang: str, n: int) -> str:
    try:
        return Locale.parse(_base(lang)).ordinal_form(n)
    except (ValueError, LookupError):
        return "other"


def _slug(text: str) -> str:
    return "-".join(re.findall(r"\w+", text.casefold()))


def word(labels: dict, group: str, text: str) -> str:
    """A word of a fixed vocabulary (labels `genre`, `warning`, `premiere_label`) in the labels' language,
    matched without regard to case or punctuation ('Sexual Violence', 'sexual violence'); a word the
    vocabulary does not hold is printed as given."""
    return labels.get(group, {}).get(_slug(text), text)


def words(labels: dict, group: str, texts: list[str]) -> list[str]:
    return [word(labels, group, t) for t in texts]


# French elision: de, le, la, que, ne, je, me, te, se, ce before a vowel or a mute h.
_ELIDED = ("de", "le", "la", "que", "ne", "je", "me", "te", "se", "ce", "jusque", "lorsque", "puisque")
_VOWEL = "aeiouyàâäéèêëîïôöùûüœæh"
_ELISION = re.compile(r"\b(" + "|".join(_ELIDED) + r") (?=[" + _VOWEL + r"])", re.IGNORECASE)
# Words whose h is aspirated (no elision: "le héros", "de Hugues"? no: only common nouns matter here).
_ASPIRATED = ("haut", "hér", "hon", "hors", "hall", "hamac", "hasard", "hâte", "hibou", "homard", "hurl", "hutte")


def elide(text: str, lang: str) -> str:
    """French elision where a label's words meet a name or a title: 'UN FILM DE ALICE DIOP' ->
    'UN FILM D’ALICE DIOP', 'de Isabelle' -> 'd’Isabelle' (before a vowel or a mute h)."""
    if _base(lang) != "fr":
        return text

    def repl(m: re.Match) -> str:
        following = text[m.end() :].lower()
        if following.startswith("h") and following.startswith(_ASPIRATED):
            return m.group(0)
        article = m.group(1)
        return article[:-1] + ("’")

    return _ELISION.sub(repl, text)


_BEFORE = re.compile(r"[ \u00a0\u202f]*([;!?:])(?=\s|$|[»)\]])")
_OPEN_GUILLEMET = re.compile(r"«[ \u00a0\u202f]*")
_CLOSE_GUILLEMET = re.compile(r"[ \u00a0\u202f]*»")


def spacing(text: str | None, lang: str) -> str | None:
    """French spacing: a narrow no-break space before ; : ! ? and inside « », whatever was typed there (a
    space, a no-break space or nothing); a colon inside a time or an address (17:30, https://) is left."""
    if not text or _base(lang) != "fr":
        return text
    text = _BEFORE.sub(lambda m: NNBSP + m.group(1), text)
    text = _OPEN_GUILLEMET.sub("«" + NNBSP, text)
    return _CLOSE_GUILLEMET.sub(NNBSP + "»", text)


_GREEK_ACCENTS = re.compile(r"(?<=[\u0370-\u03ff\u1f00-\u1fff])[\u0301\u0342\u0313\u0314\u0300\u0345]+")


def greek_upper(text: str) -> str:
    """Greek capitals without accents (tonos, breathings, perispomeni): Greek typography drops them in
    capitals, which str.upper() keeps ('ΠΡΕΜΙΈΡΑ' -> 'ΠΡΕΜΙΕΡΑ'); the diaeresis stays."""
    if not any("\u0370" <= ch <= "\u03ff" or "\u1f00" <= ch <= "\u1fff" for ch in text):
        return text
    decomposed = unicodedata.normalize("NFD", text)
    stripped = _GREEK_ACCENTS.sub("", decomposed)
    return unicodedata.normalize("NFC", stripped)


@cache
def quotation_marks(lang: str) -> tuple[str, str]:
    """The locale's quotation marks (CLDR delimiters, read through ICU: Babel does not carry them)."""
    from icu import LocaleData, ULocaleDataDelimiterType

    data = LocaleData(lang.replace("-", "_"))
    start = data.getDelimiter(ULocaleDataDelimiterType.QUOTATION_START)
    end = data.getDelimiter(ULocaleDataDelimiterType.QUOTATION_END)
    return (start, end) if start and end else ("“", "”")


def text_in(value: dict[str, str] | None, lang: str) -> str | None:
    """The text in `lang` (i18n.pick: else in English, else the first given), with French spacing only
    where the text picked is French: an English fallback is printed as written."""
    from .i18n import pick
    from .textlang import LangText, tag

    text = pick(value, lang)
    if text is not None and value and (lang in value or lang.split("-")[0] in value):
        spaced = spacing(text, lang)  # (a plain str: the language the text was picked in kept on it)
        return tag(spaced, text.lang) if isinstance(text, LangText) else spaced
    return text


def quoted(text: str, lang: str) -> str:
    """The text between the locale's quotation marks (CLDR delimiters), with French spacing."""
    start, end = quotation_marks(lang)
    if _base(lang) == "fr":
        return f"{start}{NNBSP}{text}{NNBSP}{end}"
    return f"{start}{text}{end}"
