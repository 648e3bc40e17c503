"""Which characters presskit's fonts can print: the union of the character maps of the bundled fonts (the
only ones a render sees, fontconfig being isolated). A character outside it would render as .notdef, which
fails the build; validation reports it first, with the file, line and key that hold it."""
from __future__ import annotations

import unicodedata
from functools import lru_cache
from pathlib import Path

from .resources import builtin_assets

FONT_SUFFIXES = (".otf", ".ttf")
_NOT_DRAWN = {"Cc", "Cf", "Zl", "Zp"}  # controls and format characters (bidi marks, joiners): never a glyph


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
        if ord(ch) not in covered and not ch.isspace() and unicodedata.category(ch) not in _NOT_DRAWN:
            missing.setdefault(ch)
    return list(missing)


def describe(ch: str) -> str:
    """'"헤" (U+D5E4 HANGUL SYLLABLE HE)'"""
    name = unicodedata.name(ch, "")
    return f'"{ch}" (U+{ord(ch):04X}{" " + name if name else ""})'
