"""presskit.glyphs: which characters the bundled fonts can print, read from the fonts themselves."""
from __future__ import annotations

from presskit.glyphs import describe, printable, unprintable


def test_latin_greek_cyrillic_and_vietnamese_are_printable():
    for text in ("Les Chambres rouges", "Mùa hè chiều thẳng đứng", "Ο Θίασος", "Летят журавли", "Ñandú — “ok”"):
        assert unprintable(text) == [], text


def test_scripts_without_a_bundled_font_are_named_once_each_in_order():
    assert unprintable("헤어질 결심 헤") == ["헤", "어", "질", "결", "심"]
    assert unprintable("Film 🎬!") == ["🎬"]
    assert describe("헤") == '"헤" (U+D5E4 HANGUL SYLLABLE HE)'


def test_white_space_and_characters_never_drawn_are_left_aside():
    assert unprintable("a\u00a0b\u202ec\u200dd\n") == []


def test_the_coverage_is_the_fonts_own(tmp_path):
    import shutil

    from presskit.resources import builtin_assets

    shutil.copy(builtin_assets() / "fonts" / "bebas-neue" / "BebasNeue-Regular.otf", tmp_path)
    condensed = printable(tmp_path)
    assert ord("A") in condensed and ord("я") in condensed and ord("ề") not in condensed  # (no Vietnamese)
    assert condensed < printable()
