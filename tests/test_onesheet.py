"""The one-sheet: context pieces, QR code, fitting ladder, and real renders checked through the PDF."""

from __future__ import annotations

import re
import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pytest
import segno
from click.testing import CliRunner
from conftest import write_film

from presskit.billing import billing_block
from presskit.build import BuildOptions
from presskit.cli import cli
from presskit.load import open_film
from presskit.products import make
from presskit.products.onesheet import BODY_STEPS, MIN_PT, Attempt, OneSheet, text_variants, type_sizes
from presskit.qr import qr_svg, short_url

PT_PER_PX = 0.75
A4_PT = (595.28, 841.89)


def pdf_text(path: Path) -> str:
    pdf = pdfium.PdfDocument(str(path))
    text = "\n".join(page.get_textpage().get_text_range() for page in pdf)
    pdf.close()
    return re.sub(r"[ \t\r\n\u00ad\ufffe]+", " ", text)


def flat(text: str) -> str:
    """Upper case (the layout sets many lines in capitals), single spaces, hyphenated words rejoined."""
    return re.sub(r"\s+", " ", re.sub("\u2010\\s+", "", text)).upper()  # hyphenated line ends rejoined


def images_on_page(page) -> list:
    """Every image XObject the page draws, through nested form XObjects."""
    found, stack = [], [page.Resources]
    while stack:
        resources = stack.pop()
        for xobject in (resources.get("/XObject") or {}).values():
            if xobject.get("/Subtype") == "/Image":
                found.append(xobject)
            elif xobject.get("/Subtype") == "/Form" and "/Resources" in xobject:
                stack.append(xobject.Resources)
    return found


def billing_tokens(film, labels) -> list[str]:
    """Labels and names of the billing block in reading order."""
    tokens = []
    for line in billing_block(film, labels):
        if line.lead:
            tokens.append(line.lead)
        if line.label and not line.label_after:
            tokens.append(line.label)
        tokens += line.names
        if line.label and line.label_after:
            tokens.append(line.label)
    return [t.upper() for t in tokens]


def assert_in_order(text: str, tokens: list[str], start: int = 0) -> None:
    position = start
    for token in tokens:
        found = text.find(token, position)
        assert found >= 0, f"{token!r} missing after position {position}: ...{text[position : position + 200]}"
        position = found + len(token)


def huge_text(sentences: int) -> str:
    sentence = (
        "The investigation widens as the witness recalls a night she had tried to forget, and every "
        "answer opens another door in the old house by the river. "
    )
    return (sentence * sentences).strip()


def cast_yaml(count: int, stem: str) -> str:
    return "\n".join(f"  - {{name: {stem}{i} Surname{i}, principal: true}}" for i in range(count))


# --- no rendering ------------------------------------------------------------------------------


def test_qr_svg_is_flat_vector_and_encodes_the_url() -> None:
    url = "https://www.example.com/red-rooms"
    code = qr_svg(url, "device-cmyk(0 0 0 1)")
    root = ET.fromstring(code.svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("viewBox") == f"0 0 {code.modules} {code.modules}"
    assert "width" not in root.attrib  # sized by the layout
    assert not root.findall(".//{http://www.w3.org/2000/svg}image")  # never a raster
    (path,) = root.findall("{http://www.w3.org/2000/svg}path")
    assert path.get("stroke") == "device-cmyk(0 0 0 1)" and path.get("fill") == "none"
    # Replay the path (rows of horizontal runs, each 1 module tall) into a module grid.
    dark, x, y = set(), 0.0, 0.0
    for op, a, b in re.findall(r"([Mmh])(-?[\d.]+)(?: (-?[\d.]+))?", path.get("d")):
        if op == "M":
            x, y = float(a), float(b)
        elif op == "m":
            x, y = x + float(a), y + float(b)
        else:
            dark |= {(int(x) + i, int(y)) for i in range(int(float(a)))}
            x += float(a)
    matrix = segno.make(url, error="m", micro=False).matrix
    expected = {(c, r) for r, row in enumerate(matrix) for c, v in enumerate(row) if v}
    assert dark == expected


def test_short_url() -> None:
    assert short_url("https://www.example.com/red-rooms/") == "example.com/red-rooms"
    assert short_url("https://vimeo.com/123?h=abc") == "vimeo.com/123?h=abc"


def test_text_variants_richest_first(demo_copy: Path) -> None:
    source = open_film(demo_copy / "films" / "red-rooms")[1]
    variants = text_variants(source, "en")
    assert [v.key for v in variants] == ["texts.synopsis_long", "texts.synopsis_short", "texts.logline"]
    assert all(v.pitch == "Some obsessions should stay in the\u00a0dark." for v in variants)  # no widow
    assert variants[-1].body == (source.film.texts.logline["en"],)


def test_type_never_below_the_floor(demo_copy: Path) -> None:
    source = open_film(demo_copy / "films" / "red-rooms")[1]
    font = Path(__file__).resolve().parent.parent / "assets" / "fonts" / "bebas-neue" / "BebasNeue-Regular.otf"
    for body in BODY_STEPS:
        sizes = type_sizes(Attempt(text_variants(source, "en")[0], body), "Red Rooms", 80.0, font)
        assert min(sizes.values()) >= MIN_PT
        assert sizes["billing_label"] < sizes["billing_name"]  # role labels smaller than names
    assert BODY_STEPS[0] == 10.0 and BODY_STEPS[-1] == 7.5


@pytest.mark.parametrize(("option", "expected"), [(None, 4), (2, 2), (0, 0)])
def test_max_laurels(demo_copy: Path, tmp_path: Path, option: int | None, expected: int) -> None:
    project, source = open_film(demo_copy / "films" / "red-rooms")
    builder = make("onesheet", project, BuildOptions(out_dir=tmp_path, edition="screen", max_laurels=option))
    sheet = OneSheet(builder, source, builder.settings.edition("screen"))
    assert len(sheet.sheet["laurels"]) == expected


def test_cli_has_the_onesheet_command() -> None:
    result = CliRunner().invoke(cli, ["onesheet", "--help"])
    assert result.exit_code == 0
    assert "--max-laurels" in result.output and "--paper" in result.output and "--edition" in result.output


# --- the demo one-sheet (print edition, the default) -----------------------------------------------


@pytest.fixture(scope="module")
def demo(demo_copy: Path, tmp_path_factory) -> OneSheet:
    project, source = open_film(demo_copy / "films" / "red-rooms")
    builder = make("onesheet", project, BuildOptions(out_dir=tmp_path_factory.mktemp("onesheet-out")))
    (edition,) = builder.editions()
    sheet = OneSheet(builder, source, edition)
    sheet.path = sheet.write()
    return sheet


@pytest.fixture(scope="module")
def demo_text(demo: OneSheet) -> str:
    return flat(pdf_text(demo.path))


@pytest.mark.slow
def test_demo_is_one_a4_page_named_onesheet(demo: OneSheet) -> None:
    assert demo.path.name == "onesheet.pdf"
    assert demo.path.parent.name == "red-rooms"
    with pikepdf.open(demo.path) as pdf:
        assert len(pdf.pages) == 1
        trim = [float(v) for v in pdf.pages[0].trimbox]
        assert trim[2] - trim[0] == pytest.approx(A4_PT[0], abs=0.1)
        assert trim[3] - trim[1] == pytest.approx(A4_PT[1], abs=0.1)


@pytest.mark.slow
def test_demo_text(demo: OneSheet, demo_text: str) -> None:
    film = demo.source.film
    for fact in [
        "RED ROOMS",
        "LES CHAMBRES ROUGES",
        flat(film.texts.tagline["en"]),
        "PALAIS DE JUSTICE",  # the synopsis (the long one fits)
        "CANADA · 2023 · 118 MIN · FRENCH, ENGLISH · ENGLISH SUBTITLES",  # the technical line
        "WORLD SALES H264 DISTRIBUTION",
        "DISTRIBUTION ENTRACT FILMS",
        "PRODUCTION NEMESIS FILMS",
        "WEBSITE EXAMPLE.COM/RED-ROOMS",
        "WORLD PREMIERE",
        "CHEVAL NOIR",  # laurels
    ]:
        assert fact in demo_text, fact


@pytest.mark.slow
def test_demo_billing_block_in_order(demo: OneSheet, demo_text: str) -> None:
    tokens = billing_tokens(demo.source.film, demo.labels)
    assert tokens[:6] == ["NEMESIS FILMS", "PRESENTS", "A", "NEMESIS FILMS", "PRODUCTION", "A FILM BY"]
    assert tokens[-3:] == ["PASCAL PLANTE", "DIRECTED BY", "PASCAL PLANTE"]
    assert_in_order(demo_text, tokens, demo_text.index("NEMESIS FILMS PRESENTS"))
    # "directed by" is the last line of the billing block as laid out.
    _, document, _ = demo.fitted
    lines = [box for box in _boxes(document, "billing") if type(box).__name__ == "LineBox"]
    assert flat(_text(lines[-1])).strip() == "DIRECTED BY PASCAL PLANTE"
    # The production company is billed in the block, on its first line, after the presenting company.
    assert "NEMESIS FILMS PRESENTS A NEMESIS FILMS PRODUCTION A FILM BY PASCAL PLANTE" in flat(_text(lines[0]))


@pytest.mark.slow
def test_demo_qr_is_vector_only_image_is_the_key_art(demo: OneSheet) -> None:
    with pikepdf.open(demo.path) as pdf:
        images = images_on_page(pdf.pages[0])
    assert len(images) == 1  # the key art; laurels and the QR code are vector paths
    assert images[0].get("/ColorSpace") == "/DeviceCMYK"


@pytest.mark.slow
def test_demo_qr_decodes_to_the_link(demo: OneSheet) -> None:
    """Sample the printed QR code module by module; it must be the symbol of links.website."""
    _, document, _ = demo.fitted
    (box,) = [b for b in _boxes(document, "qr") if type(b).__name__.endswith("ReplacedBox")]  # the <svg>
    url = demo.source.film.links.website
    matrix = segno.make(url, error="m", micro=False).matrix
    size = len(matrix)
    scale = 5.0  # 360 dpi
    bleed = demo.edition.bleed_pt
    pdf = pdfium.PdfDocument(str(demo.path))
    image = pdf[0].render(scale=scale, grayscale=True).to_pil()
    pdf.close()
    x0, y0 = (box.content_box_x() * PT_PER_PX + bleed) * scale, (box.content_box_y() * PT_PER_PX + bleed) * scale
    module = box.width * PT_PER_PX * scale / size
    seen = [
        [image.getpixel((int(x0 + (c + 0.5) * module), int(y0 + (r + 0.5) * module))) < 128 for c in range(size)]
        for r in range(size)
    ]
    assert seen == [[bool(v) for v in row] for row in matrix]
    # The quiet zone (4 modules) around it is paper.
    for offset in (-2.5, size + 1.5):
        assert image.getpixel((int(x0 + offset * module), int(y0 + size / 2 * module))) > 200


def _boxes(document, element_id: str):
    """Every box of the element with this id and of its descendants."""

    def walk(box, inside):
        element = getattr(box, "element", None)
        here = inside or (element is not None and element.get("id") == element_id)
        if here:
            yield box
        for child in getattr(box, "children", None) or ():
            yield from walk(child, here)

    yield from walk(document.pages[0]._page_box, False)


def _text(box) -> str:
    if isinstance(getattr(box, "text", None), str):
        return box.text
    return " ".join(_text(child) for child in getattr(box, "children", None) or ())


# --- fitting: shorter texts, smaller type, or a clear error -----------------------------------------


@pytest.fixture(scope="module")
def fixtures(tmp_path_factory) -> Path:
    """A project with films that are too long for one page at full size."""
    root = tmp_path_factory.mktemp("onesheet-fixtures")
    (root / "presskit.yaml").write_text("name: fixtures\nlanguage: en\npaper: a4\nfilms: films\n")
    key = {"images/key.jpg": (1800, 2700)}
    _write(
        root / "films" / "falls-back",
        """\
        title: The Long Road
        year: 2024
        countries: [FR, BE]
        runtime: 131
        languages: [fr]
        subtitles: [en]
        directors: [{name: Ana Example}]
        cast:
        @CAST@
        crew:
          producers: [Pro Ducer]
        companies:
          presenting: [Big Pictures]
        ratings:
          - {rating: "16+", territory: FR}
        texts:
          tagline: Nothing stays buried.
          logline: A witness returns to the town where it happened, and finds that everyone remembers it differently.
          synopsis_short: "@SYNOPSIS@"
        contacts:
          - {role: world-sales, company: Sales Co, email: sales@sales.example.com}
        links:
          screener: https://www.example.com/screener/long-road
        images:
          key_art: {file: images/key.jpg}
        """,
        key,
        cast=cast_yaml(40, "Actor Number"),
    )
    _write(
        root / "films" / "cannot-fit",
        """\
        title: Too Much
        year: 2024
        directors: [{name: Ana Example}]
        cast:
        @CAST@
        texts:
          synopsis_short: "@SYNOPSIS@"
        images:
          key_art: {file: images/key.jpg}
        """,
        key,
        cast=cast_yaml(400, "Performer"),
    )
    _write(
        root / "films" / "no-link",
        """\
        title: {en: Quiet Film, fr: Film tranquille}
        year: 2022
        countries: [JP]
        runtime: 88
        languages: [ja]
        directors: [{name: Kei Director}]
        cast: [{name: Ai One}, {name: Bo Two}]
        crew: {producers: [Pro Ducer], music: [Com Poser]}
        texts:
          logline: {en: A lighthouse keeper and her radio., fr: Une gardienne de phare et sa radio.}
          synopsis_short: {en: Every night she listens to the radio., fr: "Chaque nuit, elle écoute la radio."}
        contacts:
          - {role: press, company: Press Co, email: press@press.example.com}
        """,
    )
    return root


def _write(folder: Path, template: str, images: dict | None = None, cast: str = "") -> None:
    text = textwrap.dedent(template).replace("@CAST@", cast).replace("@SYNOPSIS@", huge_text(40))
    write_film(folder, text, images)


@pytest.fixture(scope="module")
def falls_back(fixtures: Path) -> OneSheet:
    project, source = open_film(fixtures / "films" / "falls-back")
    builder = make("onesheet", project, BuildOptions(out_dir=fixtures / "out", edition="screen"))
    sheet = OneSheet(builder, source, builder.settings.edition("screen"))
    sheet.path = sheet.write()
    return sheet


@pytest.mark.slow
def test_overlong_film_falls_back_to_one_page(falls_back: OneSheet) -> None:
    assert falls_back.path.name == "onesheet-screen.pdf"
    _, document, attempt = falls_back.fitted
    assert attempt.variant.key == "texts.logline"  # the huge synopsis was dropped for the logline
    assert attempt.body < BODY_STEPS[0]  # and 40 billed names needed smaller type
    with pikepdf.open(falls_back.path) as pdf:
        assert len(pdf.pages) == 1
        assert len(images_on_page(pdf.pages[0])) == 1  # the key art; the QR code is vector
    text = flat(pdf_text(falls_back.path))
    assert "EVERYONE REMEMBERS IT DIFFERENTLY" in text and "NOTHING STAYS BURIED" in text
    assert "OLD HOUSE BY THE RIVER" not in text
    assert "WATCH THE SCREENER EXAMPLE.COM/SCREENER/LONG-ROAD" in text.replace("/ ", "/")  # may break after /
    assert "16+ FRANCE" in text  # the rating, under the billing block
    assert_in_order(
        text, billing_tokens(falls_back.source.film, falls_back.labels), text.index("BIG PICTURES PRESENTS")
    )


@pytest.mark.slow
def test_film_that_cannot_fit_exits_1_naming_what_overflowed(fixtures: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["onesheet", str(fixtures / "films" / "cannot-fit"), "-o", str(tmp_path), "--edition", "screen"]
    )
    chars = len(huge_text(40))
    assert result.exit_code == 1
    assert result.output.strip().splitlines()[-1] == (
        "Error: cannot-fit one-sheet: the billing block and synopsis do not fit on one A4 page even at 7.5 pt; "
        f"bill fewer cast members as principal (400 principal); shorten texts.synopsis_short ({chars} characters)"
    )
    assert not list(tmp_path.glob("**/*.pdf"))  # nothing written


@pytest.mark.slow
def test_no_link_no_key_art_french_letter(fixtures: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli,
        [
            "onesheet",
            str(fixtures / "films" / "no-link"),
            "-o",
            str(tmp_path),
            "--edition",
            "screen",
            "--lang",
            "fr",
            "--paper",
            "letter",
        ],
    )
    assert result.exit_code == 0, result.output
    path = tmp_path / "films" / "no-link" / "onesheet-screen.pdf"
    with pikepdf.open(path) as pdf:
        assert len(pdf.pages) == 1
        assert not images_on_page(pdf.pages[0])  # no key art, and no QR code without a link
        box = [float(v) for v in pdf.pages[0].trimbox]
        assert (box[2] - box[0], box[3] - box[1]) == pytest.approx((612, 792), abs=0.1)
    text = flat(pdf_text(path))
    assert "FILM TRANQUILLE" in text and "CHAQUE NUIT, ELLE ÉCOUTE LA RADIO." in text
    assert "JAPON · 2022 · 88 MIN · JAPONAIS" in text
    assert "VOIR LA BANDE-ANNONCE" not in text and "SITE WEB" not in text
    assert_in_order(
        text,
        [
            "UN FILM DE",
            "KEI DIRECTOR",
            "AVEC",
            "AI ONE",
            "BO TWO",
            "MUSIQUE",
            "COM POSER",
            "PRODUIT PAR",
            "PRO DUCER",
            "RÉALISÉ PAR",
            "KEI DIRECTOR",
        ],
        text.index("UN FILM DE"),
    )


@pytest.mark.slow
def test_sparse_film_grows_its_key_art_to_fill_the_page(small_project: Path, tmp_path: Path) -> None:
    project, source = open_film(small_project / "films" / "small-film")
    builder = make("onesheet", project, BuildOptions(out_dir=tmp_path / "out", edition="screen"))
    sheet = OneSheet(builder, source, builder.settings.edition("screen"))
    sheet.write()
    _, document, attempt = sheet.fitted
    assert len(document.pages) == 1
    assert attempt.body == BODY_STEPS[0] and attempt.grow > 0
    (art,) = [b for b in _boxes(document, "band") if type(b).__name__.endswith("ReplacedBox")]
    assert art.height * PT_PER_PX / 72 * 25.4 > 148.5 + attempt.grow - 1  # taller than the normal 148.5 mm


@pytest.mark.slow
def test_layout_problems_catch_what_would_be_cut() -> None:
    from weasyprint import HTML

    from presskit.products.onesheet import layout_problems

    html = (
        "<style>@page { size: 100mm 100mm; margin: 0 } body { margin: 0 }</style>"
        "<div style='width: 20mm'>fine words then averyveryverylongunbreakableaddress@example.com</div>"
        "<div style='height: 5mm'>a<br>b<br>c<br>d</div>"
    )
    document = HTML(string=html).render()
    page = 100 / 25.4 * 96
    problems = layout_problems(document, page, page)
    assert any("wider than its column" in p and "averyvery" in p for p in problems)
    assert any("runs below its box" in p for p in problems)
    document = HTML(string=html.replace("100mm 100mm", "100mm 10mm")).render()
    problems = layout_problems(document, page, 10 / 25.4 * 96)
    assert any(p.startswith("runs to ") and p.endswith(" pages") for p in problems)
