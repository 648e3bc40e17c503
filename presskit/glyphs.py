"""Which characters presskit's fonts can print: the union of the character maps of the bundled fonts (the
only ones a render sees, fontconfig being isolated). A character outside it would render as .notdef, which
fails the build; validation reports it first, with the file, line and key that hold it."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from .resources import builtin_assets

FONT_SUFFIXES = (".otf", ".ttf")
# Never a glyph: controls and format characters (bidi marks, joiners), surrogates, and the noncharacters
# U+FFFE and U+FFFF (the reading of the data refuses these and controls on their own: yamlfile.check_text).
_NOT_DRAWN = {"Cc", "Cf", "Cs", "Zl", "Zp"}
_NONCHARACTERS = {"\ufffe", "\uffff"}
# Keys of the data whose values are never printed: file names, ids and references to other entries.
NOT_PRINTED = frozenset({"file", "laurel_artwork", "id", "slug", "film", "venue", "festival_entry"})


@lru_cache(maxsize=4)
def printable(fonts: Path | None = None) -> frozenset[int]:
    """Every code point some font under `fonts` (default: presskit's own) has a glyph for."""
    from fontTools.ttLib import TTFont

    folder = fonts or builtin_assets() / "fonts"
    found: set[int] = set()
    for path in sorted(p for p in folder.rglob("*") if p.suffix.lower() in FONT_SUFFIXES):
        with TTFont(path, lazy=True) as font:
            found.update(font.getBestCmap() or {})
    return frozenset(found)


def unprintable(text: str) -> list[str]:
    """The characters of `text` no font can print, each once, in order (white space and characters that
    are never drawn, such as bidi marks, left aside)."""
    covered = printable()
    missing: dict[str, None] = {}
    for ch in text:
        if (
            ord(ch) not in covered
            and not ch.isspace()
            and unicodedata.category(ch) not in _NOT_DRAWN
            and ch not in _NONCHARACTERS
        ):
            missing.setdefault(ch)
    return list(missing)


def describe(ch: str) -> str:
    """'"헤" (U+D5E4 HANGUL SYLLABLE HE)'"""
    name = unicodedata.name(ch, "")
    return f'"{ch}" (U+{ord(ch):04X}{" " + name if name else ""})'


def problem(loc: tuple, text: str) -> str | None:
    """What is wrong with a text of the data (at key path `loc`) that no font can print all of: None when
    nothing is, or when the key's value is never printed (a file name, an id). For yamlfile.validate."""
    if (loc and loc[-1] in NOT_PRINTED) or not _uncovered().search(text) or not (missing := unprintable(text)):
        return None
    shown = ", ".join(describe(ch) for ch in missing[:5]) + (" ..." if len(missing) > 5 else "")
    return f"expected text presskit's fonts can print, got {shown}, which no bundled font has"


@lru_cache(maxsize=1)
def _uncovered() -> re.Pattern:
    """A pattern of one character outside printable(), as a character class of its ranges: a text is
    searched at C speed, and only one with such a character is looked at closely (unprintable)."""
    ranges: list[list[int]] = []
    for code in sorted(printable()):
        if ranges and code == ranges[-1][1] + 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    covered = "".join(re.escape(chr(a)) + ("-" + re.escape(chr(b)) if b > a else "") for a, b in ranges)
    return re.compile(f"[^{covered}]")
