"""The print edition, checked on real PDFs the way a printer's tools see them.

Every render is done once per module: the demo kit (print edition, PDF/X-4, A4), a small project whose
images are sharp enough for 300 ppi (A4, built twice for byte-identity; letter with crop marks and its
own profile; PDF/X-1a through the CLI).
"""

from __future__ import annotations

import logging
import re
import subprocess
import textwrap
import uuid
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pytest
from click.testing import CliRunner
from PIL import Image

from presskit.build import BuildOptions, build_kit
from presskit.cli import cli
from presskit.edition import Edition, laurel_colour, print_edition
from presskit.errors import DataError, LayoutError, RenderError
from presskit.model import PrintSettings
from presskit.preflight import preflight
from presskit.resources import builtin_assets
from presskit.units import length_pt

GS_CMYK = Path("/usr/share/color/icc/ghostscript/default_cmyk.icc")
MM = 72 / 25.4

pytestmark = pytest.mark.skipif(not GS_CMYK.is_file(), reason="needs libgs-common's CMYK profile")


# --- small project with print-sharp images -----------------------------------------------------------

SHARP_FILM = """\
title: Sharp Film
year: 2024
countries: [FR]
runtime: 95
languages: [fr]
updated: 2024-05-01
directors:
  - name: Ana Example
    bio: A director.
    headshot: {file: images/ana.jpg, credit: Studio}
cast:
  - {name: Actor One, character: Hero, principal: true}
texts:
  logline: A film sharp enough to print.
  synopsis_short: A short synopsis.
festivals:
  - {id: cannes-2024, festival: Festival de Cannes, year: 2024, tier: 1, premiere: world}
  - id: fantasia-2024
    festival: Fantasia International Film Festival
    year: 2024
    awards: [{prize: Cheval Noir, name: Best Film}]
quotes:
  - {text: Sharp., outlet: The Paper}
images:
  key_art: {file: images/key.jpg, credit: Studio}
  stills:
    - {file: images/still-1.jpg, caption: One}
    - {file: images/still-2.jpg, caption: Two}
"""
RED, BLUE = (200, 30, 40), (60, 90, 160)


def two_colour_jpeg(path: Path, size: tuple[int, int]) -> None:
    """Top half red, bottom half blue: an inverted CMYK image would come out cyan and yellow."""
    im = Image.new("RGB", size, RED)
    im.paste(BLUE, (0, size[1] // 2, size[0], size[1]))
    path.parent.mkdir(parents=True, exist_ok=True)
    im.save(path, quality=90)


def sharp_project(root: Path, config: str = "", key_art: tuple[int, int] = (2700, 4050)) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "presskit.yaml").write_text("name: test\nlanguage: en\nfilms: films\n" + textwrap.dedent(config))
    film = root / "films" / "sharp-film"
    film.mkdir(parents=True)
    (film / "film.yaml").write_text(SHARP_FILM)
    two_colour_jpeg(film / "images" / "key.jpg", key_art)  # 8.5 in (A4 + bleed) x 300 ppi = 2552 px
    two_colour_jpeg(film / "images" / "still-1.jpg", (2200, 917))  # 7 in x 300 ppi = 2100 px
    two_colour_jpeg(film / "images" / "still-2.jpg", (2200, 917))
    two_colour_jpeg(film / "images" / "ana.jpg", (700, 875))  # 2.2 in x 300 ppi = 660 px
    return film


def build_print(film: Path, out: Path, **options) -> Path:
    build_kit(film, BuildOptions(out_dir=out, edition="print", **options))
    return out / "films" / film.name / "presskit-print.pdf"


@pytest.fixture(scope="module")
def sharp(tmp_path_factory) -> Path:
    """The small project, print edition, A4, PDF/X-4 (the defaults)."""
    film = sharp_project(tmp_path_factory.mktemp("sharp"))
    return build_print(film, tmp_path_factory.mktemp("sharp-out"))


@pytest.fixture(scope="module")
def letter(tmp_path_factory) -> Path:
    """Letter, crop marks on, the project's own profile (a copy of Ghostscript's, inside the project)."""
    root = tmp_path_factory.mktemp("letter")
    film = sharp_project(
        root, "paper: letter\nprint:\n  profile: profiles/press.icc\n  crop_marks: true\n", key_art=(2700, 4050)
    )
    (root / "profiles").mkdir()
    (root / "profiles" / "press.icc").write_bytes(GS_CMYK.read_bytes())
    return build_print(film, tmp_path_factory.mktemp("letter-out"))


@pytest.fixture(scope="module")
def x1a(tmp_path_factory) -> Path:
    """PDF/X-1a on request, through the command line."""
    film = sharp_project(tmp_path_factory.mktemp("x1a"))
    out = tmp_path_factory.mktemp("x1a-out")
    result = CliRunner().invoke(cli, ["kit", str(film), "-o", str(out), "--edition", "print", "--pdfx", "x-1a"])
    assert result.exit_code == 0, result.output
    assert not (out / "films" / "sharp-film" / "presskit.pdf").exists()  # only the edition asked for
    return out / "films" / "sharp-film" / "presskit-print.pdf"


@pytest.fixture(scope="module")
def demo_print(demo_copy, tmp_path_factory):
    """The bundled demo kit, print edition, built once: (pdf, warnings logged)."""
    out = tmp_path_factory.mktemp("demo-print-out")
    records: list[logging.LogRecord] = []
    handler = logging.Handler(logging.WARNING)
    handler.emit = records.append
    logger = logging.getLogger("presskit")
    logger.addHandler(handler)
    try:
        path = build_print(demo_copy / "films" / "red-rooms", out)
    finally:
        logger.removeHandler(handler)
    return path, [r.getMessage() for r in records]


# --- what the printer's tools see ----------------------------------------------------------------------


def run(*cmd: str) -> str:
    return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout


def page_boxes(pdf: Path) -> dict[int, dict[str, list[float]]]:
    """pdfinfo -box: {page: {box name: [x0, y0, x1, y1]}}."""
    boxes: dict[int, dict[str, list[float]]] = {}
    for line in run("pdfinfo", "-box", "-f", "1", "-l", "999", str(pdf)).splitlines():
        if m := re.match(r"Page\s+(\d+)\s+(\w+Box):\s+([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)", line):
            boxes.setdefault(int(m[1]), {})[m[2]] = [float(v) for v in m.group(3, 4, 5, 6)]
    return boxes


def image_rows(pdf: Path) -> list[dict[str, str]]:
    """pdfimages -list, one dict per image."""
    lines = run("pdfimages", "-list", str(pdf)).splitlines()
    header = lines[0].split()
    return [dict(zip(header, line.split())) for line in lines[2:]]


def operators(pdf: Path) -> tuple[set[str], set[str], set[str]]:
    """(operators, colour spaces set with cs/CS, image colour spaces) over every page and nested form."""
    ops, spaces, image_spaces, seen = set(), set(), set(), set()
    with pikepdf.open(pdf) as doc:

        def walk(holder, resources):
            for instruction in pikepdf.parse_content_stream(holder):
                op = str(instruction.operator)
                ops.add(op)
                if op in ("cs", "CS"):
                    spaces.add(str(instruction.operands[0]))
            for xobj in (resources or {}).get("/XObject", {}).values():
                if xobj.objgen in seen:
                    continue
                seen.add(xobj.objgen)
                if xobj.Subtype == "/Image":
                    cs = xobj.get("/ColorSpace")
                    image_spaces.add(str(cs) if isinstance(cs, pikepdf.Name) else f"{cs[0]} N={cs[1].N}")
                elif xobj.Subtype == "/Form":
                    walk(xobj, xobj.get("/Resources"))

        for page in doc.pages:
            walk(page, page.obj.get("/Resources"))
    return ops, spaces, image_spaces


def assert_bleed(pdf: Path, bleed_pt: float, trim: tuple[float, float]) -> None:
    boxes = page_boxes(pdf)
    assert boxes
    for page, b in boxes.items():
        assert b["TrimBox"] == pytest.approx([0, 0, *trim], abs=0.01), page
        assert b["BleedBox"] == pytest.approx(
            [-bleed_pt, -bleed_pt, trim[0] + bleed_pt, trim[1] + bleed_pt], abs=0.01
        ), page
        media = b["MediaBox"]
        assert media[0] <= -bleed_pt + 0.01 and media[2] >= trim[0] + bleed_pt - 0.01, page


# --- boxes and bleed -----------------------------------------------------------------------------------


@pytest.mark.slow
def test_a4_has_trimbox_and_3mm_bleedbox_on_every_page(sharp, demo_print):
    for pdf in (sharp, demo_print[0]):
        assert_bleed(pdf, 8.5, (595.28, 841.89))  # 3 mm = 8.504 pt, as pdfinfo prints it
        assert "Page size:       612.283 x 858.898 pts" in run("pdfinfo", str(pdf))  # A4 + 2 x 3 mm


@pytest.mark.slow
def test_letter_has_a_9pt_bleed_and_crop_marks_outside_it(letter):
    assert_bleed(letter, 9.0, (612.0, 792.0))  # 0.125 in
    reach = 9.0 + 6 * MM + 2  # bleed + 6 mm marks + 2 pt of paper
    with pikepdf.open(letter) as pdf:
        for page in pdf.pages:
            assert [float(v) for v in page.mediabox] == pytest.approx([-reach, -reach, 612 + reach, 792 + reach])
            assert "/ArtBox" not in page.obj
            marks = [i for i in pikepdf.parse_content_stream(page) if str(i.operator) in ("m", "l")][-16:]
            points = [(float(i.operands[0]), float(i.operands[1])) for i in marks]
            # every mark lies outside the BleedBox, in the slug area
            assert all(x <= -9 or x >= 621 or y <= -9 or y >= 801 for x, y in points), points
        # the project's own profile wins over presskit's GRACoL 2006: a custom condition, named by the profile
        (intent,) = pdf.Root.OutputIntents
        assert (str(intent.OutputConditionIdentifier), str(intent.Info)) == ("Custom", "Artifex CMYK SWOP Profile")
        assert "/RegistryName" not in intent
    ops, spaces, _ = operators(letter)
    assert "K" in ops and not {"rg", "RG", "g", "G"} & ops  # marks in 100 % K, not RGB black
    assert preflight(letter, "x-4").ok


@pytest.mark.slow
def test_full_bleed_cover_reaches_the_bleed_edge(sharp):
    """The key art and the dark cover background both extend to the BleedBox edge."""
    pdfium = pytest.importorskip("pypdfium2")
    page = pdfium.PdfDocument(str(sharp))[0]
    im = page.render(scale=0.5).to_pil().convert("RGB")  # the MediaBox: trim + 8.5 pt of bleed each side
    top_left_of_art = im.getpixel((1, 1))  # inside the bleed, above and left of the trim
    red, green, blue = top_left_of_art
    assert red > 140 and green < 90 and blue < 90, top_left_of_art  # key art red, not paper, not inverted cyan
    bottom = im.getpixel((im.width // 2, im.height - 1))  # the bottom bleed: the cover's dark background
    assert max(bottom) < 60, bottom


@pytest.mark.slow
def test_images_colours_are_not_inverted_or_washed_out(sharp):
    pdfium = pytest.importorskip("pypdfium2")
    page = pdfium.PdfDocument(str(sharp))[0]
    im = page.render(scale=0.5).to_pil().convert("RGB")
    w, h = im.size
    # The key art is placed 30 % down its overflow: red on top, then blue, then the dark cover.
    reds = im.getpixel((w // 2, int(h * 0.15)))
    blues = im.getpixel((w // 2, int(h * 0.45)))
    assert reds[0] > 160 and reds[1] < 80 and reds[2] < 80, reds
    assert blues[2] > 120 and blues[0] < 110 and blues[2] > blues[0] + 50, blues


# --- colour, images, fonts, structure ------------------------------------------------------------------


@pytest.mark.slow
def test_every_image_is_cmyk_at_300_ppi_or_more(sharp):
    rows = image_rows(sharp)
    assert len(rows) == 4  # key art, headshot, two stills
    for row in rows:
        assert row["color"] == "cmyk" and row["comp"] == "4" and row["enc"] == "jpeg", row
        assert int(row["x-ppi"]) >= 300 and int(row["y-ppi"]) >= 300, row
    _, _, image_spaces = operators(sharp)
    assert image_spaces <= {"/DeviceCMYK", "/ICCBased N=4"}


@pytest.mark.slow
def test_demo_kit_images_are_cmyk_and_low_ones_are_named(demo_print):
    pdf, warnings = demo_print
    rows = image_rows(pdf)
    assert len(rows) == 6  # key art, headshot, four stills
    low = [row for row in rows if int(row["x-ppi"]) < 300]
    for row in rows:
        assert row["color"] == "cmyk", row
        assert int(row["x-ppi"]) >= 150, row  # below 150 the build would have failed
    # every image under 300 ppi was reported by name (the demo's key art is 2000 px over 8.5 in)
    ppi_warnings = [w for w in warnings if "ppi" in w]
    assert len(ppi_warnings) == len(low)
    if low:
        assert any("images/key-art.jpg" in w and "cover key art" in w for w in ppi_warnings), ppi_warnings


@pytest.mark.slow
def test_only_cmyk_colour_operators(sharp, demo_print, x1a):
    for pdf in (sharp, demo_print[0], x1a):
        ops, spaces, _ = operators(pdf)
        assert not {"rg", "RG", "g", "G", "sh"} & ops, pdf  # no RGB or grey colour, no gradient
        assert spaces <= {"/DeviceCMYK"}, spaces


@pytest.mark.slow
def test_fonts_embedded_and_structure_clean(sharp, demo_print, letter, x1a):
    for pdf in (sharp, demo_print[0], letter, x1a):
        rows = run("pdffonts", str(pdf)).splitlines()[2:]
        assert rows and all(re.search(r"\byes\s+yes\s+yes\b", row) for row in rows), rows
        check = subprocess.run(["qpdf", "--check", str(pdf)], capture_output=True, text=True)
        assert check.returncode == 0 and "No syntax or stream encoding errors found" in check.stdout, check.stdout


@pytest.mark.slow
def test_pdfx4_output_intent_and_version(sharp):
    with pikepdf.open(sharp) as pdf:
        assert pdf.pdf_version == "1.6"
        (intent,) = pdf.Root.OutputIntents
        assert intent.S == "/GTS_PDFX"
        profile = intent.DestOutputProfile
        assert profile.N == 4
        header = profile.read_bytes()[:40]
        assert header[12:20] == b"prtrCMYK" and header[36:40] == b"acsp"
        assert str(intent.OutputConditionIdentifier) == "FOGRA39"  # A4: presskit's default for metric sizes
        assert str(intent.RegistryName) == "http://www.color.org"
        meta = pdf.open_metadata()
        assert meta["{http://www.npes.org/pdfx/ns/id/}GTS_PDFXVersion"] == "PDF/X-4"
        document_id = meta["{http://ns.adobe.com/xap/1.0/mm/}DocumentID"]
        assert uuid.UUID(document_id.removeprefix("xmp.did:")).version == 5  # derived, not uuid4
        assert "/Group" not in pdf.pages[0].obj
    report = preflight(sharp, "x-4")
    assert report.ok and not report.warnings, report.format_text()


@pytest.mark.slow
def test_pdfx1a_on_request(x1a):
    with pikepdf.open(x1a) as pdf:
        assert pdf.pdf_version == "1.4"
        assert str(pdf.docinfo["/GTS_PDFXVersion"]) == "PDF/X-1a:2003"
        assert pdf.Root.OutputIntents[0].DestOutputProfile.N == 4
        groups = [
            obj for obj in pdf.objects if isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream)) and "/Group" in obj
        ]
        assert groups == []  # WeasyPrint's transparency groups around the laurel SVGs are gone
    report = preflight(x1a, "x-1a")
    assert report.ok and not report.warnings, report.format_text()


@pytest.mark.slow
def test_demo_kit_passes_preflight(demo_print):
    report = preflight(demo_print[0], "x-4")
    assert report.ok, report.format_text()


@pytest.mark.slow
def test_print_edition_has_no_link_annotations_but_prints_the_address(demo_print):
    """PDF/X allows no annotation in the printable area: the website stays printed, its link goes (the
    screen edition keeps it: test_kit.test_links_are_live)."""
    with pikepdf.open(demo_print[0]) as pdf:
        assert [a.Subtype for page in pdf.pages for a in page.obj.get("/Annots", [])] == []
        assert "/AcroForm" not in pdf.Root
    text = "".join(page.get_textpage().get_text_range() for page in pdfium.PdfDocument(str(demo_print[0])))
    assert "example.com/red-rooms" in text


# --- determinism -----------------------------------------------------------------------------------------


@pytest.mark.slow
def test_rebuild_is_byte_identical(sharp, tmp_path):
    film = sharp_project(tmp_path / "again")  # another project folder and another output folder
    rebuilt = build_print(film, tmp_path / "out")
    assert rebuilt.read_bytes() == sharp.read_bytes()


# --- configuration and errors --------------------------------------------------------------------------


def test_missing_profile_says_what_to_configure(tmp_path, monkeypatch):
    monkeypatch.setattr("presskit.edition.default_profile", lambda family: tmp_path / "no-such.icc")
    film = sharp_project(tmp_path / "p", key_art=(1800, 2700))
    with pytest.raises(RenderError, match=r"print\.profile: path/to/printer\.icc in presskit\.yaml"):
        build_kit(film, BuildOptions(out_dir=tmp_path / "out", edition="print"))


def test_configured_profile_must_be_a_cmyk_profile_inside_the_project(tmp_path):
    (tmp_path / "rgb.icc").write_bytes(Path("/usr/share/color/icc/ghostscript/srgb.icc").read_bytes())
    with pytest.raises(DataError, match="RGB profile; the press needs a CMYK output profile"):
        print_edition(PrintSettings(profile="rgb.icc"), "3mm", tmp_path)
    with pytest.raises(DataError, match="no such file 'press.icc'"):
        print_edition(PrintSettings(profile="press.icc"), "3mm", tmp_path)
    with pytest.raises(DataError, match="inside the project"):
        print_edition(PrintSettings(profile=str(GS_CMYK)), "3mm", tmp_path)


def test_too_small_key_art_fails_before_rendering(tmp_path):
    film = sharp_project(tmp_path / "p", key_art=(1000, 1800))  # 118 ppi at 8.5 in
    with pytest.raises(RenderError) as info:
        build_kit(film, BuildOptions(out_dir=tmp_path / "out", edition="print"))
    assert "films/sharp-film/images/key.jpg (sharp-film press kit, cover key art)" in str(info.value)
    assert "118 ppi" in str(info.value)
    assert not (tmp_path / "out" / "films" / "sharp-film" / "presskit-print.pdf").exists()


def test_print_edition_settings(tmp_path):
    a4 = print_edition(PrintSettings(), "3mm", tmp_path)
    fogra39 = builtin_assets() / "icc" / "FOGRA39.icc"
    assert (a4.pdf_variant, a4.bleed, a4.marks, a4.profile, a4.ppi) == ("pdf/x-4", "3mm", False, fogra39, 300)
    assert a4.bleed_pt == pytest.approx(8.504, abs=0.001)
    assert print_edition(PrintSettings(), "0.125in", tmp_path).bleed_pt == 9
    assert print_edition(PrintSettings(standard="pdf/x-1a"), "3mm", tmp_path).pdf_variant == "pdf/x-1a"
    assert print_edition(PrintSettings(standard="pdf/x-1a"), "3mm", tmp_path, "x-4").pdf_variant == "pdf/x-4"
    assert print_edition(PrintSettings(bleed="5mm", crop_marks=True), "3mm", tmp_path).bleed == "5mm"
    with pytest.raises(DataError, match="at least 3mm"):
        print_edition(PrintSettings(bleed="1mm"), "3mm", tmp_path)
    assert length_pt("0.125in") == 9 and length_pt("10pt") == 10


def test_laurel_colours_in_print():
    printed = Edition("print")
    assert laurel_colour("white", printed) == "cmyk-white"
    assert laurel_colour("black", printed) == "cmyk-black"
    assert laurel_colour("cmyk-black", printed) == "cmyk-black"
    assert laurel_colour("gold", Edition("screen")) == "gold"
    with pytest.raises(LayoutError, match="no CMYK version"):
        laurel_colour("gold", printed)


def test_cli_edition_options(tmp_path):
    result = CliRunner().invoke(cli, ["kit", str(tmp_path), "--edition", "screen", "--pdfx", "x-1a"])
    assert result.exit_code == 2 and "--pdfx applies to the print edition" in result.output
    result = CliRunner().invoke(cli, ["build", str(tmp_path), "--edition", "paper"])
    assert result.exit_code == 2 and "'screen', 'print'" in result.output


# --- post-processing on small renders ------------------------------------------------------------------


def render_raw(tmp_path: Path, body: str, variant: str = "pdf/x-4", profile: bool = True) -> bytes:
    """WeasyPrint's own output for a tiny print document (before presskit's post-processing)."""
    from presskit.pdf import RenderJob, render_pdf

    rule = (
        (f"@color-profile device-cmyk {{ components: cyan, magenta, yellow, black; src: url({GS_CMYK.as_uri()}) }}")
        if profile
        else ""
    )
    html = (
        f"<style>{rule} @page {{ size: 100mm 60mm; bleed: 3mm; margin: 5mm }} "
        f"html {{ color: device-cmyk(0 0 0 1) }}</style><body>{body}</body>"
    )
    job = RenderJob(
        html=html,
        base_url=tmp_path,
        roots=[tmp_path, GS_CMYK.parent],
        what="test",
        pdf_variant=variant,
        options={"output_intent": "device-cmyk"},
    )
    return render_pdf(job)


def groups(data: bytes) -> list:
    import io

    with pikepdf.open(io.BytesIO(data)) as pdf:
        return [
            dict(obj.Group)
            for obj in pdf.objects
            if isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream)) and "/Group" in obj
        ]


# Like the laurels: WeasyPrint draws SVG text with text-anchor="middle" inside a transparency group.
SVG = (
    '<svg width="60" height="30" viewBox="0 0 60 30"><g fill="device-cmyk(0 0 0 1)" text-anchor="middle">'
    '<rect width="60" height="4"/><text x="30" y="20" font-size="10">LAUREL</text></g></svg>'
)


@pytest.mark.slow
def test_transparency_groups_without_transparency_are_removed(tmp_path):
    from presskit.postprocess import finish_print

    raw = render_raw(tmp_path, SVG)
    assert groups(raw), "WeasyPrint 70 wraps SVG text in a transparency group"
    edition = Edition("print", pdf_variant="pdf/x-4", bleed="3mm", profile=GS_CMYK)
    assert groups(finish_print(raw, edition, "test")) == []


@pytest.mark.slow
def test_real_transparency_is_kept_in_x4_and_refused_in_x1a(tmp_path):
    from presskit.postprocess import finish_print

    body = f'<div style="opacity: 0.5">{SVG}<p>half</p></div>'
    x4 = finish_print(render_raw(tmp_path, body), Edition("print", pdf_variant="pdf/x-4", bleed="3mm"), "test")
    kept = groups(x4)
    assert kept and all(str(g["/CS"]) != "/DeviceRGB" for g in kept)
    with pytest.raises(RenderError, match="transparency on page 1 .*opacity 0.5.*PDF/X-1a forbids"):
        finish_print(render_raw(tmp_path, body, "pdf/x-1a"), Edition("print", pdf_variant="pdf/x-1a"), "test kit")


@pytest.mark.slow
def test_a_layout_without_the_color_profile_rule_is_refused(tmp_path):
    from presskit.postprocess import finish_print

    raw = render_raw(tmp_path, "<p>no profile</p>", profile=False)
    with pytest.raises(RenderError, match='no CMYK output intent: its layout must include "_shared/print.css.j2"'):
        finish_print(raw, Edition("print", pdf_variant="pdf/x-4"), "test kit")
