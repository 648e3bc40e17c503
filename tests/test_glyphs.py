"""presskit.glyphs: which characters the bundled fonts can print, read from the fonts themselves."""

from __future__ import annotations

from presskit.glyphs import describe, printable, unprintable


def test_latin_greek_cyrillic_and_vietnamese_are_printable():
    for text in ("Les Chambres rouges", "Mùa hè chiều thẳng đứng", "Ο Θίασος", "Летят журавли", "Ñandú — “ok”"):
        assert unprintable(text) == [], text


def test_characters_without_a_font_are_named_once_each_in_order():
    assert unprintable("Film 🎬 𐀀 🎬!") == ["🎬", "𐀀"]  # an emoji, a Linear B syllable
    assert describe("헤") == '"헤" (U+D5E4 HANGUL SYLLABLE HE)'


def test_white_space_and_characters_never_drawn_are_left_aside():
    assert unprintable("a\u00a0b\u202ec\u200dd\n") == []


def test_the_coverage_is_the_fonts_own(tmp_path):
    import shutil

    from presskit.resources import builtin_assets

    shutil.copy(builtin_assets() / "fonts" / "bebas-neue" / "BebasNeue-Regular.otf", tmp_path)
    condensed = printable(tmp_path)
    assert ord("A") in condensed and ord("я") in condensed and ord("ề") not in condensed  # (no Vietnamese)
    assert set(condensed.ranges) != set(printable().ranges)
    assert all(any(a <= x and y <= b for a, b in printable().ranges) for x, y in condensed.ranges)


def test_validate_names_an_unprintable_character_with_file_line_and_key(small_project):
    """`presskit validate` (and so every build, which loads the same way) reports a character no bundled
    font has, before anything renders; a file name is not printed text and is not checked."""
    from click.testing import CliRunner

    from presskit.cli import cli

    film_yaml = small_project / "films" / "small-film" / "film.yaml"
    film_yaml.write_text(
        film_yaml.read_text().replace(
            "title: {en: Small Film, fr: Petit film}", "title: Decision to Leave\noriginal_title: 헤어질 결심 😀"
        )
    )
    result = CliRunner().invoke(cli, ["validate", str(small_project)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0] == "Error: 1 problem(s) in the project data"
    assert lines[1] == (
        f"  {small_project}/films/small-film/film.yaml:2: original_title: expected text presskit's fonts can print, "
        'got "😀" (U+1F600 GRINNING FACE), which no font presskit uses has'
    )
    assert "Traceback" not in result.output
