"""Languages and countries (Babel), localized text selection and printed labels."""

from __future__ import annotations

from functools import cache

from babel import Locale, UnknownLocaleError

from .textlang import tag


@cache
def _english() -> Locale:
    return Locale("en")


def is_language(code: str) -> bool:
    base = code.split("-")[0]
    return base in _english().languages


def is_country(code: str) -> bool:
    return len(code) == 2 and code.isalpha() and code.isupper() and code in _english().territories


@cache
def locale(lang: str) -> Locale:
    try:
        return Locale.parse(lang.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return _english()


def language_name(code: str, lang: str) -> str:
    name = locale(lang).languages.get(code.split("-")[0], code)
    return name[:1].upper() + name[1:]


def country_name(code: str, lang: str) -> str:
    return locale(lang).territories.get(code, code)


def pick(text: dict[str, str] | None, lang: str) -> str | None:
    """The text in `lang`, else in English, else the language-neutral or first one given: a
    textlang.LangText, which knows the language it is in."""
    if not text:
        return None
    for key in (lang, lang.split("-")[0], "*", "en"):
        if key in text:
            return tag(text[key], key)
    return tag(*next(iter(text.items()))[::-1])
