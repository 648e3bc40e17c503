"""Every script a world festival prints (fonts.py, glyphs.py, textlang.py): the original titles of real films
in nine scripts (tests/data/world-festival) build in every product and print in the faces presskit chooses,
in logical order; a character no font has is reported before anything renders, with file and line; a
project adds its own faces through fonts/ or presskit.yaml fonts:."""

from __future__ import annotations

import ctypes
import logging
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from presskit import fonts, glyphs, textlang

WORLD = Path(__file__).resolve().parent / "data" / "world-festival"
TITLES = {
    "decision-to-leave": ("헤어질 결심", "ko"),
    "in-the-mood-for-love": ("花樣年華", "zh-Hant"),
    "drive-my-car": ("ドライブ・マイ・カー", "ja"),
    "goodbye-julia": ("وداعا جوليا", "ar"),
    "ballad-of-a-white-cow": ("قصیده گاو سفید", "fa"),
    "waltz-with-bashir": ("ואלס עם באשיר", "he"),
    "pyaasa": ("प्यासा", "hi"),
    "uncle-boonmee": ("ลุงบุญมีระลึกชาติ", "th"),
}
VIETNAMESE = "Mùa hè chiều thẳng đứng"
BIDI_CONTROLS = dict.fromkeys(range(0x202A, 0x202F)) | dict.fromkeys(range(0x2066, 0x206A))


# --- what the fonts cover (fast) ----------------------------------------------------------------------


def test_every_script_of_the_festival_is_printable():
    for title, _ in TITLES.values():
        assert glyphs.unprintable(title) == [], title
    samples = (
        "Ελληνικά Русский বাংলা தமிழ் తెలుగు ಕನ್ನಡ മലയാളം ગુજરાતી ਪੰਜਾਬੀ ଓଡ଼ିଆ සිංහල ខ្មែរ ქართული Հայերեն ኢትዮጵያ 简体 繁體 اردو"
    )
    assert glyphs.unprintable(samples) == []
    assert glyphs.unprintable(VIETNAMESE.upper()) == []


def test_coverage_is_read_from_the_cmap_tables_as_fonttools_reads_them():
    from fontTools.ttLib import TTFont

    for path in (*fonts.bundled_files()[:2], fonts.system_faces()[0].path):
        with TTFont(path, lazy=True) as font:
            expected = set(font.getBestCmap())
        read = {c for a, b in glyphs.file_ranges(path) for c in range(a, b + 1)}
        assert read == expected, path


def test_the_condensed_fallback_draws_lower_case_as_capitals_and_has_vietnamese():
    from fontTools.ttLib import TTFont

    path = next(p for p in fonts.bundled_files() if p.name == "PKCondensedFallback-Regular.ttf")
    with TTFont(path) as font:
        cmap = font.getBestCmap()
        assert font["name"].getDebugName(1) == "PK Condensed Fallback"
    for lower in "ềẳứđa":
        assert cmap[ord(lower)] == cmap[ord(lower.upper())], lower


def test_the_renderer_sees_the_chosen_fonts_and_no_other(tmp_path):
    """fontconfig, given presskit's fonts.conf, lists the bundled files and the chosen Noto faces only (fonts
    of the same folders that presskit does not choose stay unseen)."""
    conf = fonts.write_fontconfig(tmp_path)
    listed = subprocess.run(
        ["fc-list", "--format", "%{file}\n"],
        env={**os.environ, "FONTCONFIG_FILE": str(conf)},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    real = {Path(p).resolve() for p in listed}
    chosen = {p.resolve() for p in fonts.bundled_files()} | {f.path.resolve() for f in fonts.system_faces()}
    assert real == chosen
    assert any("NotoSansCJK" in p.name for p in real) and any("NotoSansArabic" in p.name for p in real)
    assert not any("NotoSansMono" in p.name or "NotoSansMath" in p.name for p in real)


# --- languages of the texts (fast) ----------------------------------------------------------------------


def test_each_text_carries_its_language_and_right_to_left_ones_their_direction():
    assert textlang.lang_attrs(textlang.tag("وداعا جوليا", "ar")) == ' lang="ar" dir="rtl"'
    assert textlang.lang_attrs(textlang.tag("قصیده گاو سفید", "fa")) == ' lang="fa" dir="rtl"'
    assert textlang.lang_attrs(textlang.tag("花樣年華", "zh-Hant")) == ' lang="zh-Hant"'
    assert textlang.lang_attrs(textlang.tag("Red Rooms", "*")) == ""  # given once: the document's language
    assert textlang.lang_attrs("ואלס עם באשיר") == ' dir="rtl"'  # a name: its direction from its letters
    assert textlang.lang_attrs("Eiman Yousif (إيمان يوسف)") == ""
    assert str(textlang.lang_span(textlang.tag("a<b", "he"))) == '<span lang="he" dir="rtl">a&lt;b</span>'
    assert str(textlang.lang_span("Eiman Yousif (إيمان يوسف), Siran & co")) == (
        'Eiman Yousif (<span dir="rtl">إيمان يوسف</span>), Siran &amp; co'
    )


def test_a_text_missing_in_the_build_language_is_warned_about_once_per_film_and_field(caplog):
    from presskit.build import BuildOptions
    from presskit.context import ContextBuilder
    from presskit.load import load_project
    from presskit.settings import Settings

    project = load_project(WORLD)
    source = project.film("goodbye-julia")
    labels = Settings.resolve(project, BuildOptions()).labels_for("en")
    with caplog.at_level(logging.WARNING, logger="presskit"):
        for _ in range(2):
            context = ContextBuilder(source, "de", labels).film_context()
    warned = [r.getMessage() for r in caplog.records]
    assert warned.count("warning: goodbye-julia: texts.synopsis_short: no 'de' text, printing 'en'") == 1
    assert context["synopsis_short"][0].lang == "en"
    assert context["original_title"] == "وداعا جوليا" and context["original_title"].lang == "ar"
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="presskit"):
        context = ContextBuilder(source, "ar", labels).film_context()
    assert not [r for r in caplog.records if "synopsis_short" in r.getMessage()]
    assert context["synopsis_short"][0].lang == "ar"


# --- checked before rendering (fast) --------------------------------------------------------------------


def _world_copy(tmp_path: Path) -> Path:
    target = tmp_path / "world"
    shutil.copytree(WORLD, target)
    return target


def test_validate_names_a_character_no_font_has_with_file_line_and_key(tmp_path):
    from click.testing import CliRunner

    from presskit.cli import cli

    project = _world_copy(tmp_path)
    film = project / "films" / "pyaasa" / "film.yaml"
    film.write_text(film.read_text().replace("character: Gulabo", "character: Gulabo 😀 𐀀"))
    line = next(n for n, text in enumerate(film.read_text().splitlines(), 1) if "Gulabo" in text)
    result = CliRunner().invoke(cli, ["validate", str(project)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[1] == (
        f"  {film}:{line}: cast[1].character: expected text presskit's fonts can print, got "
        '"😀" (U+1F600 GRINNING FACE), "𐀀" (U+10000 LINEAR B SYLLABLE B008 A), which no font presskit uses has'
    )
    # and a build stops there, before anything renders
    result = CliRunner().invoke(cli, ["build", str(project), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1 and f"{film}:{line}: cast[1].character" in result.output
    assert not (tmp_path / "out" / "films").exists()


def _linear_b_font(path: Path, family: str = "House Linear") -> Path:
    """A small font of one glyph, a square, for U+10000 LINEAR B SYLLABLE B008 A (no presskit font has it)."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    pen = TTGlyphPen(None)
    pen.moveTo((100, 0))
    pen.lineTo((100, 700))
    pen.lineTo((600, 700))
    pen.lineTo((600, 0))
    pen.closePath()
    fb = FontBuilder(1000, isTTF=True)
    fb.setupGlyphOrder([".notdef", "linb"])
    fb.setupCharacterMap({0x10000: "linb"})
    fb.setupGlyf({".notdef": TTGlyphPen(None).glyph(), "linb": pen.glyph()})
    fb.setupHorizontalMetrics({".notdef": (500, 0), "linb": (700, 100)})
    fb.setupHorizontalHeader(ascent=800, descent=-200)
    fb.setupNameTable({"familyName": family, "styleName": "Regular"})
    fb.setupOS2(usWeightClass=400)
    fb.setupPost()
    path.parent.mkdir(parents=True, exist_ok=True)
    fb.save(str(path))
    return path


def test_a_projects_own_fonts_join_the_check(tmp_path):
    from presskit.errors import DataError
    from presskit.load import load_project

    project = _world_copy(tmp_path)
    film = project / "films" / "pyaasa" / "film.yaml"
    film.write_text(film.read_text().replace("character: Gulabo", "character: Gulabo 𐀀"))
    with pytest.raises(DataError):
        load_project(project)
    _linear_b_font(project / "fonts" / "HouseLinear.ttf")
    loaded = load_project(project)
    assert loaded.fonts == ((project / "fonts" / "HouseLinear.ttf").resolve(),)
    # presskit.yaml fonts: names another folder; the default one is then not read
    (project / "fonts").rename(project / "house")
    with pytest.raises(DataError):
        load_project(project)
    (project / "presskit.yaml").write_text((project / "presskit.yaml").read_text() + "fonts: house\n")
    assert load_project(project).fonts == ((project / "house" / "HouseLinear.ttf").resolve(),)


def test_a_project_font_leading_outside_the_project_is_refused(tmp_path):
    from presskit.errors import DataError
    from presskit.load import load_project

    project = _world_copy(tmp_path)
    outside = _linear_b_font(tmp_path / "elsewhere" / "Outside.ttf")
    (project / "fonts").mkdir()
    (project / "fonts" / "Outside.ttf").symlink_to(outside)
    (project / "fonts" / "notes.ttf").write_text("not a font")
    with pytest.raises(DataError) as caught:
        load_project(project)
    messages = [str(p) for p in caught.value.problems]
    assert f"{project}/presskit.yaml: fonts: expected a font inside the project, got fonts/Outside.ttf" in messages
    assert f"{project}/presskit.yaml: fonts: expected an OpenType or TrueType font, got fonts/notes.ttf" in messages
    (project / "presskit.yaml").write_text((project / "presskit.yaml").read_text() + "fonts: ../elsewhere\n")
    with pytest.raises(DataError) as caught:
        load_project(project)
    assert [str(p) for p in caught.value.problems] == [
        f"{project}/presskit.yaml: fonts: expected a folder inside the project, got '../elsewhere'"
    ]


# --- the world festival, built (slow) --------------------------------------------------------------------


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> Path:
    from presskit.build import BuildOptions, build_project

    out = tmp_path_factory.mktemp("world-out")
    build_project(WORLD, BuildOptions(out_dir=out))
    return out


def _chars(pdf: Path) -> list[tuple[str, str]]:
    """(character, font name without its subset tag) of every character of the PDF, in content order."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    out = []
    buf = ctypes.create_string_buffer(256)
    flags = ctypes.c_int()
    document = pdfium.PdfDocument(pdf)
    for page in document:
        text = page.get_textpage()
        for i in range(text.count_chars()):
            raw.FPDFText_GetFontInfo(text.raw, i, buf, 256, ctypes.byref(flags))
            out.append((chr(raw.FPDFText_GetUnicode(text.raw, i)), buf.value.decode().split("+")[-1]))
    document.close()
    return out


def _text(pdf: Path) -> str:
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True).stdout
    return " ".join(text.translate(BIDI_CONTROLS).split())


def _fonts_of(pdf: Path, text: str) -> set[str]:
    """The fonts the characters of `text` (each of them, wherever it prints) are drawn in."""
    return {font for ch, font in _chars(pdf) if ch in text and not ch.isspace() and ch not in "・"}


@pytest.mark.slow
def test_every_product_of_every_film_builds_and_prints_its_original_title_in_logical_order(world):
    catalogue = _text(world / "catalogue.pdf")
    for slug, (title, _) in TITLES.items():
        folder = world / "films" / slug
        for product in ("presskit.pdf", "presskit-print.pdf", "onesheet.pdf", "programme.pdf"):
            assert title in _text(folder / product), (slug, product)
        assert title in catalogue, slug
    assert VIETNAMESE in _text(world / "films" / "vertical-ray-of-the-sun" / "programme.pdf")
    # a cast list that mixes scripts, in the order of the data
    cast = _text(world / "films" / "decision-to-leave" / "programme.pdf")
    assert "Tang Wei (汤唯), Park Hae-il (박해일), Lee Jung-hyun (이정현)" in cast


@pytest.mark.slow
def test_each_script_prints_in_its_noto_face(world):
    expected = {
        "goodbye-julia": "Noto-Naskh-Arabic",  # the original title is set in the serif: Noto Naskh
        "ballad-of-a-white-cow": "Noto-Naskh-Arabic",
        "waltz-with-bashir": "Noto-Serif-Hebrew",
        "pyaasa": "Noto-Serif-Devanagari",
        "uncle-boonmee": "Noto-Serif-Thai",
        "decision-to-leave": "Noto-Serif-CJK-KR",
        "in-the-mood-for-love": "Noto-Serif-CJK-TC",
        "drive-my-car": "Noto-Serif-CJK-JP",
    }
    for slug, face in expected.items():  # (names in the script print in the sans faces)
        title, _ = TITLES[slug]
        assert face in _fonts_of(world / "films" / slug / "programme.pdf", title), slug


@pytest.mark.slow
def test_han_takes_the_face_of_its_texts_language(world):
    """The original title (zh-Hant) prints in the Traditional Chinese faces wherever it prints, while the cast's
    names, whose language the data does not give, print in the document's default (Simplified) face."""
    chars = _chars(world / "films" / "in-the-mood-for-love" / "presskit.pdf")
    title_fonts = {f for c, f in chars if c in "花樣年華"}
    name_fonts = {f for c, f in chars if c in "張曼玉梁朝偉"}
    assert "Noto-Serif-CJK-TC" in title_fonts and all("CJK-TC" in f for f in title_fonts)  # cover, specs
    assert name_fonts and all("CJK-SC" in f for f in name_fonts)
    # Japanese kana and Han of a Japanese title: the Japanese face
    assert _fonts_of(world / "films" / "drive-my-car" / "presskit.pdf", "ドライブマイカー") == {
        "Noto-Serif-CJK-JP",  # the cover
        "Noto-Sans-CJK-JP",  # the technical specifications
    }


@pytest.mark.slow
def test_bold_display_fallbacks_match_the_display_face(world):
    """A title set in the condensed display face falls back to bold faces: Vietnamese letters to the
    condensed fallback, drawn as capitals; Korean and Arabic display titles to the bold sans faces."""
    chars = _chars(world / "films" / "vertical-ray-of-the-sun" / "programme.pdf")
    title = [(c, f) for c, f in chars if f.startswith("PK-Condensed")]
    assert "".join(c for c, _ in title if not c.isspace()).startswith("Mùahèchiềuthẳngđứng")
    assert {f for c, f in title if c in "ềẳứ"} == {"PK-Condensed-Fallback-Semi-Bold"}
    assert {f for c, f in title if c in "Mùahèchiutngđ"} == {"PK-Condensed"}


def test_right_to_left_titles_carry_lang_and_dir(tmp_path):
    """The HTML of a programme page: the original title's span carries lang="ar" dir="rtl", the synopsis
    its language on its paragraph."""
    from presskit.build import BuildOptions
    from presskit.load import load_project
    from presskit.products import make

    project = load_project(WORLD)
    product = make("programme", project, BuildOptions(out_dir=tmp_path))
    html = product.html(project.film("goodbye-julia"), product.settings.edition("print"), "half")
    assert '<span lang="ar" dir="rtl">وداعا جوليا</span>' in html
    assert '<p lang="en">Khartoum, on the eve' in html


@pytest.mark.slow
def test_only_the_glyphs_used_are_embedded(world):
    import pikepdf

    pdf = world / "films" / "goodbye-julia" / "presskit.pdf"
    with pikepdf.open(pdf) as doc:
        sizes = {}
        for obj in doc.objects:
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/FontDescriptor":
                name = str(obj.FontName).lstrip("/")
                assert name[6] == "+", name  # a subset
                stream = obj.get("/FontFile2") or obj.get("/FontFile3")
                sizes[name.split("+")[1]] = len(stream.read_raw_bytes())
    assert any("Arabic" in n for n in sizes)
    assert all(size < 60_000 for size in sizes.values()), sizes  # NotoNaskhArabic-Regular.ttf: 250 KB


@pytest.mark.slow
def test_a_projects_own_face_prints_what_presskits_fonts_cannot(tmp_path):
    """A house font in the project's fonts/ folder: the last fallback of every style, embedded as a subset."""
    from click.testing import CliRunner

    from presskit.cli import cli

    project = _world_copy(tmp_path)
    _linear_b_font(project / "fonts" / "HouseLinear.ttf")
    film = project / "films" / "pyaasa" / "film.yaml"
    film.write_text(film.read_text().replace("Waheeda Rehman", "Waheeda Rehman 𐀀"))  # (the page prints names)
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["programme", str(project / "films" / "pyaasa"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    chars = _chars(out / "films" / "pyaasa" / "programme.pdf")
    assert {f for c, f in chars if "\ud800" <= c <= "\udfff"} == {"PK-Project-Fonts"}  # (pdfium: UTF-16)
    assert "Waheeda Rehman 𐀀 (वहीदा रहमान)" in _text(out / "films" / "pyaasa" / "programme.pdf")


@pytest.mark.slow
def test_the_catalogues_bookmarks_are_the_titles(world):
    """Titles are texts that know their language (textlang.LangText): the outline still gets them as text."""
    import pikepdf

    with pikepdf.open(world / "catalogue.pdf") as pdf, pdf.open_outline() as outline:
        sections = {item.title: [child.title for child in item.children] for item in outline.root}
    assert sections["East Asia"] == ["Decision to Leave", "In the Mood for Love", "Drive My Car"]
    assert VIETNAMESE in sections["South and Southeast Asia"]
