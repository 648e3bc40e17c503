"""Every printed text of the data knows its language: a LangText is the text (a str) with the language it
is written in (the key of a localized text, a film's original language for its original title; None
when the data gives it once for every language). The element that prints it carries `lang` (hyphenation,
quotation marks and the Han face follow it: fonts.py) and `dir="rtl"` for a right-to-left text, through
the layouts' `lang_attrs` filter. A text printed in another language than the build's, for want of one
in the build's, is warned about once per film and field."""

from __future__ import annotations

import logging
import unicodedata

from markupsafe import Markup, escape

log = logging.getLogger("presskit")

# Languages written right to left (ISO 639-1 and the common 639-3 codes of such languages).
RTL_LANGUAGES = frozenset({"ar", "fa", "ur", "he", "yi", "ps", "sd", "ug", "ckb", "dv", "syr", "arc", "ku-arab"})


class LangText(str):
    """A text with the language it is written in (`lang`, None: not known)."""

    lang: str | None

    def __new__(cls, text: str, lang: str | None) -> LangText:
        obj = super().__new__(cls, text)
        obj.lang = lang
        return obj

    def __reduce__(self):
        return (LangText, (str(self), self.lang))


def tag(text: str | None, lang: str | None) -> LangText | None:
    """`text` marked as written in `lang` ("*", a text for every language: None)."""
    if text is None:
        return None
    return LangText(text, None if lang in (None, "*") else lang)


def original_language(film) -> str | None:
    """The language of a film's original title: its original_language, else the first of its languages."""
    return film.original_language or (film.languages[0] if film.languages else None)


def direction(text: str, lang: str | None) -> str | None:
    """ "rtl" for a text in a right-to-left language (or of unknown language whose first strong character
    is right-to-left), else None (the layout's own direction)."""
    if lang is not None:
        base = lang.lower()
        return "rtl" if base in RTL_LANGUAGES or base.split("-")[0] in RTL_LANGUAGES else None
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return None
    return None


def lang_attrs(value: object) -> Markup:
    """' lang="ko"', ' lang="ar" dir="rtl"' or '' for the element that prints `value` (a Jinja filter)."""
    if not isinstance(value, str) or not value:
        return Markup("")
    lang = value.lang if isinstance(value, LangText) else None
    out = f' lang="{escape(lang)}"' if lang else ""
    if direction(value, lang) == "rtl":
        out += ' dir="rtl"'
    return Markup(out)


def lang_span(value: object) -> Markup:
    """`value` escaped, in a <span> that carries its lang (and dir="rtl"), when it has either: a title or
    a name inside a line of the layout keeps the line's alignment, its own direction isolated (a Jinja
    filter; paragraphs take lang_attrs on their own element, and a right-to-left one its alignment)."""
    if value is None:
        return Markup("")
    attrs = lang_attrs(value)
    if attrs:
        return Markup(f"<span{attrs}>{escape(value)}</span>")
    return _isolated(str(value))


def _isolated(text: str) -> Markup:
    """`text` (a name, a line of names, of no declared language) escaped, each right-to-left run inside it
    in a <span dir="rtl">: "Eiman Yousif (<span dir="rtl">إيمان يوسف</span>), Siran Riak"."""
    runs: list[tuple[int, int]] = []
    start: int | None = None
    end = 0
    for i, ch in enumerate(text):
        kind = unicodedata.bidirectional(ch)
        if kind in ("R", "AL"):
            if start is None:
                start = i
            end = i + 1
        elif start is not None and (kind == "L" or unicodedata.category(ch) in ("Ps", "Pe", "Pi", "Pf")):
            runs.append((start, end))
            start = None
    if start is not None:
        runs.append((start, end))
    if not runs:
        return escape(text)
    out, at = [], 0
    for a, b in runs:
        out += [str(escape(text[at:a])), f'<span dir="rtl">{escape(text[a:b])}</span>']
        at = b
    out.append(str(escape(text[at:])))
    return Markup("".join(out))


def each(paragraphs: list[str], like: str | None) -> list[str]:
    """The paragraphs of a text, each in its language."""
    if isinstance(like, LangText):
        return [LangText(p, like.lang) for p in paragraphs]
    return paragraphs


_WARNED: set[tuple[str, str, str]] = set()


def warn_fallback(what: str, field: str, asked: str, text: object) -> None:
    """Warn once per film (`what`) and field when the text printed is not in the language asked for:
    "red-rooms: texts.synopsis_long: no 'de' text, printing 'en'"."""
    printed = text.lang if isinstance(text, LangText) else None
    if printed is None or printed == asked or printed.split("-")[0] == asked.split("-")[0]:
        return
    if (what, field, asked) in _WARNED:
        return
    _WARNED.add((what, field, asked))
    log.warning("warning: %s: %s: no '%s' text, printing '%s'", what, field, asked, printed)
