"""Preflight: a good WeasyPrint PDF/X-4 passes, and each planted defect is caught by its check on its page."""

from __future__ import annotations

import json
import sys

import pikepdf
import pytest
from pdf_factory import BLEED, CMYK_ICC, PdfBuilder, place
from pikepdf import Array, Dictionary, Name
from PIL import Image

from presskit.errors import PreflightError
from presskit.preflight import Finding, Report, preflight


def found(report: Report, check: str, page: int | None, severity: str = "error") -> list[Finding]:
    return [f for f in report.findings if f.check == check and f.page == page and f.severity == severity]


def cmyk(size=(600, 400), colour=(40, 30, 20, 10)) -> Image.Image:
    return Image.new("CMYK", size, colour)


FULL_PAGE = b"0 0 0 1 k -50 -50 800 1000 re f\n"  # ink over the whole MediaBox, whatever its bleed


def two_pages(tmp_path, name, content, resources, *, version="PDF/X-4", **builder_kwargs):
    """A clean first page and the defect on page 2, so the page number is tested too."""
    b = PdfBuilder(version, **builder_kwargs)
    b.page()
    b.page(content, resources=resources)
    return b.save(tmp_path / name)


# --- the good file --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def good_pdf(tmp_path_factory):
    weasyprint = pytest.importorskip("weasyprint")
    folder = tmp_path_factory.mktemp("good")
    cmyk((900, 600)).save(folder / "photo.jpg", quality=90)  # 900 px at 2 in = 450 ppi
    html = f"""<html><head><title>Good</title><style>
      @color-profile device-cmyk {{ components: cyan, magenta, yellow, black; src: url({CMYK_ICC.as_uri()}) }}
      @page {{ size: A4; bleed: 3mm; margin: 2cm }}
      html {{ color: device-cmyk(0 0 0 1); font-family: DejaVu Sans, sans-serif }}
      img {{ width: 2in }}
    </style></head><body><h1>Press kit</h1><p>Text in an embedded font.</p><img src="photo.jpg"></body></html>"""
    target = folder / "good.pdf"
    weasyprint.HTML(string=html, base_url=str(folder) + "/").write_pdf(target, pdf_variant="pdf/x-4")
    return target


@pytest.mark.slow
def test_weasyprint_pdfx4_passes(good_pdf):
    report = preflight(good_pdf, "x-4")
    assert report.errors == [], report.format_text()
    assert report.warnings == [], report.format_text()
    assert report.ok and report.pages == 1
    assert found(report, "output-intent", None, "info")  # names the output condition


@pytest.fixture
def clean_pdf(tmp_path):
    """A one-page PDF/X-4 that passes, made without WeasyPrint."""
    b = PdfBuilder()
    b.page()
    return b.save(tmp_path / "good.pdf")


def test_report_serialises_and_formats(clean_pdf, tmp_path):
    report = preflight(clean_pdf)
    data = json.loads(json.dumps(report.to_dict()))
    assert data["ok"] is True and data["pages"] == 1 and data["profile"] == "x-4"
    assert report.format_text().splitlines()[-1] == "good.pdf: PASS (0 errors, 0 warnings) against pdf/x-4"

    b = PdfBuilder(output_intent=False)
    b.page(FULL_PAGE, bleed=None)  # a background to the trim, no bleed: one finding per edge
    bad = preflight(b.save(tmp_path / "red.pdf"))
    text = bad.format_text()
    assert text.index("Document") < text.index("Page 1")
    assert text.splitlines()[-1] == "red.pdf: FAIL (5 errors, 0 warnings) against pdf/x-4"
    assert json.loads(json.dumps(bad.to_dict()))["errors"] == 5


# --- colour ---------------------------------------------------------------------------------------


def test_rgb_image_is_a_colour_space_error(tmp_path):
    b = PdfBuilder()
    b.page()
    im = b.image(Image.new("RGB", (600, 600), (200, 30, 30)))
    b.page(place("Im1", 50, 50, 144, 144), resources={"/XObject": Dictionary(Im1=im)})
    report = preflight(b.save(tmp_path / "rgb.pdf"))
    [error] = report.errors
    assert (error.check, error.page) == ("colour-space", 2)
    assert error.object == "image /Im1 600x600 DeviceRGB"


def test_rgb_operators_are_caught_but_cmyk_and_gray_are_not(tmp_path):
    content = b"0 0 0 1 k 0.5 g 1 0 0 rg 0 0 10 10 re f\n"
    report = preflight(two_pages(tmp_path, "rg.pdf", content, {}))
    assert [(f.check, f.page) for f in report.errors] == [("colour-space", 2)]
    assert "DeviceRGB" in report.errors[0].object


def test_rgb_colour_space_resource_via_cs(tmp_path):
    content = b"/CS0 cs 1 0 0 scn 0 0 10 10 re f\n"
    report = preflight(two_pages(tmp_path, "cs.pdf", content, {"/ColorSpace": Dictionary(CS0=Name.DeviceRGB)}))
    assert found(report, "colour-space", 2)


def test_icc_rgb_is_allowed_in_x4_but_not_in_x1a(tmp_path):
    b = PdfBuilder("PDF/X-1a:2003")
    srgb = b.pdf.make_stream(b"not really an ICC profile")
    srgb.N = 3
    im = b.image(Image.new("RGB", (600, 600)), ColorSpace=Array([Name.ICCBased, srgb]))
    b.page(place("Im1", 50, 50, 144, 144), resources={"/XObject": Dictionary(Im1=im)})
    path = b.save(tmp_path / "icc.pdf")
    x4 = [f for f in preflight(path, "x-4").errors if f.check == "colour-space"]
    assert x4 == []
    x1a = preflight(path, "x-1a")
    assert [(f.check, f.page) for f in x1a.errors] == [("colour-space", 1)]
    assert "ICCBased N=3" in x1a.errors[0].object


# --- images ---------------------------------------------------------------------------------------


def test_low_resolution_image(tmp_path):
    b = PdfBuilder()
    b.page()
    low = b.image(cmyk((144, 144)))  # 144 px at 2 in = 72 ppi
    mid = b.image(cmyk((400, 400)))  # 400 px at 2 in = 200 ppi
    content = place("Low", 50, 50, 144, 144) + place("Mid", 250, 50, 144, 144)
    b.page(content, resources={"/XObject": Dictionary(Low=low, Mid=mid)})
    path = b.save(tmp_path / "lowres.pdf")
    report = preflight(path)
    [error] = report.errors
    assert (error.check, error.page, error.object) == ("image-ppi", 2, "image /Low 144x144 DeviceCMYK")
    assert error.message.startswith("72 ppi")
    [warning] = report.warnings
    assert (warning.check, warning.page) == ("image-ppi", 2) and warning.message.startswith("200 ppi")
    assert preflight(path, min_ppi=150, error_ppi=50).ok and not preflight(path, min_ppi=150).warnings


def test_ppi_follows_nested_forms_rotation_and_smaller_axis(tmp_path):
    b = PdfBuilder()
    im = b.image(cmyk((600, 300)))
    # inside the form the image is 144 x 72 pt; the form is scaled by 2 and rotated 90 degrees
    form = b.form(place("Im", 0, 0, 144, 72), resources={"/XObject": Dictionary(Im=im)}, matrix=(0, 2, -2, 0, 0, 0))
    b.page(b"q 1 0 0 1 300 100 cm /Fm Do Q\n", resources={"/XObject": Dictionary(Fm=form)})
    report = preflight(b.save(tmp_path / "nested.pdf"))
    [finding] = report.warnings
    assert finding.check == "image-ppi" and finding.page == 1
    assert finding.message.startswith("150 ppi")  # 600 px over 4 in both ways


def test_stencil_masks_are_not_measured(tmp_path):
    b = PdfBuilder()
    mask = b.pdf.make_stream(bytes(2))
    mask.Type, mask.Subtype, mask.Width, mask.Height = Name.XObject, Name.Image, 4, 4
    mask.ImageMask, mask.BitsPerComponent = True, 1
    b.page(place("M", 50, 50, 400, 400), resources={"/XObject": Dictionary(M=mask)})
    report = preflight(b.save(tmp_path / "mask.pdf"))
    assert [f.check for f in report.findings] == ["output-intent"]  # only the info line


# --- ink ------------------------------------------------------------------------------------------


def test_over_inked_cmyk_image(tmp_path):
    b = PdfBuilder()
    b.page()
    im = b.image(cmyk((600, 600), (255, 255, 255, 255)))
    b.page(place("Black", 50, 50, 144, 144), resources={"/XObject": Dictionary(Black=im)})
    report = preflight(b.save(tmp_path / "ink.pdf"))
    [error] = report.errors
    assert (error.check, error.page) == ("ink-coverage", 2)
    assert "400%" in error.message and "Black" in error.object
    assert preflight(tmp_path / "ink.pdf", ink_limit=400).ok


def test_adobe_inverted_jpeg_is_measured_the_right_way_round(tmp_path):
    b = PdfBuilder()
    light = b.jpeg(cmyk((600, 600), (25, 25, 25, 25)))  # ~40 % total; inverted it would read 360 %
    heavy = b.jpeg(cmyk((600, 600), (255, 255, 255, 230)))
    content = place("Light", 50, 50, 144, 144) + place("Heavy", 250, 50, 144, 144)
    b.page(content, resources={"/XObject": Dictionary(Light=light, Heavy=heavy)})
    report = preflight(b.save(tmp_path / "jpeg.pdf"))
    assert [(f.check, f.page, f.object) for f in report.errors] == [
        ("ink-coverage", 1, "image /Heavy 600x600 DeviceCMYK")
    ]


def test_over_inked_vector_colour(tmp_path):
    report = preflight(two_pages(tmp_path, "k.pdf", b"1 1 1 1 k 0 0 10 10 re f 0.6 0.4 0.4 1 k\n", {}))
    [error] = report.errors
    assert (error.check, error.page) == ("ink-coverage", 2) and "400%" in error.message


# --- boxes ----------------------------------------------------------------------------------------


def test_missing_trimbox(tmp_path):
    b = PdfBuilder()
    b.page()
    b.page(trim=False)
    report = preflight(b.save(tmp_path / "notrim.pdf"))
    assert [(f.check, f.page) for f in report.errors] == [("trimbox", 2)]


@pytest.mark.parametrize(
    "bleed, expected", [(0, "there is no bleed"), (2 * 72 / 25.4, "there is only 2.0 mm"), (8.4, None), (BLEED, None)]
)
def test_bleed_where_ink_reaches_the_trim(tmp_path, bleed, expected):
    b = PdfBuilder()
    b.page(FULL_PAGE, bleed=bleed)
    report = preflight(b.save(tmp_path / "bleed.pdf"))
    if expected is None:
        assert report.ok, report.format_text()
    else:
        assert [(f.check, f.page, f.object) for f in report.errors] == [
            ("bleed", 1, f"{side} edge") for side in ("top", "bottom", "left", "right")
        ]
        assert all(expected in f.message and "no bleed: ink reaches the trim" in f.message for f in report.errors)


def test_the_rendering_document_is_opened_anew_every_few_pages_with_the_same_findings(tmp_path, monkeypatch):
    """pdfium keeps what it parsed of every page rendered while the document is open: it is opened again
    every PDFIUM_PAGES_PER_OPEN page numbers, which changes nothing found."""
    import pypdfium2

    from presskit import preflight as preflight_module

    b = PdfBuilder()
    for bleed in (0, BLEED, 0, 0, BLEED):
        b.page(FULL_PAGE, bleed=bleed)
    path = b.save(tmp_path / "pages.pdf")
    opened = []
    real = pypdfium2.PdfDocument
    monkeypatch.setattr(pypdfium2, "PdfDocument", lambda *a, **k: opened.append(1) or real(*a, **k))
    once = preflight(path).to_dict()
    monkeypatch.setattr(preflight_module, "PDFIUM_PAGES_PER_OPEN", 2)
    assert len(opened) == 1 and preflight(path).to_dict() == once and len(opened) == 1 + 3
    assert [f["page"] for f in once["findings"] if f["check"] == "bleed"] == [p for p in (1, 3, 4) for _ in range(4)]


@pytest.mark.parametrize("bleed", [0, None])
def test_no_bleed_is_no_error_where_nothing_reaches_the_trim(tmp_path, bleed):
    b = PdfBuilder()
    b.page(b"0.05 1 0.9 0.2 k 100 100 300 300 re f\n", bleed=bleed)  # 100 pt inside the trim
    report = preflight(b.save(tmp_path / "inside.pdf"))
    assert report.ok and not report.warnings, report.format_text()


@pytest.mark.parametrize(
    "side, rect", [("top", "100 700 200 142"), ("left", "0 300 100 200"), ("right", "495 100 101 300")]
)
def test_ink_that_stops_at_the_trim_is_found_on_its_edge(tmp_path, side, rect):
    """A band that reaches the trim (with a 3 mm bleed on the page) but not into the bleed: the edge is named;
    the same band carried into the bleed passes."""
    b = PdfBuilder()
    b.page()
    b.page(f"0.05 1 0.9 0.2 k {rect} re f\n".encode())
    report = preflight(b.save(tmp_path / "stops.pdf"))
    [error] = report.errors
    assert (error.check, error.page, error.object) == ("bleed", 2, f"{side} edge")
    assert "stops there" in error.message
    x, y, w, h = (float(v) for v in rect.split())
    grow = {"top": (x, y, w, h + 20), "left": (x - 20, y, w + 20, h), "right": (x, y, w + 20, h)}[side]
    b = PdfBuilder()
    b.page("0.05 1 0.9 0.2 k {:g} {:g} {:g} {:g} re f\n".format(*grow).encode())
    assert preflight(b.save(tmp_path / "bleeds.pdf")).ok


def test_a_band_on_a_dark_background_that_stops_at_the_trim(tmp_path):
    """The catalogue cover's red band on the rich-black page: not paper beyond the trim, another colour."""
    b = PdfBuilder()
    b.page(FULL_PAGE + b"0.05 1 0.9 0.2 k 0 600 595.276 241.89 re f\n")
    report = preflight(b.save(tmp_path / "cover.pdf"))
    assert sorted(f.object for f in report.errors) == ["left edge", "right edge", "top edge"]


def test_missing_bleedbox_and_boxes_out_of_order(tmp_path):
    b = PdfBuilder()
    b.page(FULL_PAGE, bleed=None)
    page = b.page()
    page.TrimBox = Array([-20, 0, 100, 100])  # sticks out of the bleed and the media box
    report = preflight(b.save(tmp_path / "boxes.pdf"))
    assert found(report, "bleed", 1) and found(report, "trimbox", 2)


# --- fonts ----------------------------------------------------------------------------------------


def test_unembedded_font(tmp_path):
    b = PdfBuilder()
    b.page(b"BT /F1 12 Tf 72 720 Td (embedded) Tj ET\n", resources={"/Font": Dictionary(F1=b.embedded_font())})
    helvetica = b.standard_font("Helvetica")
    b.page(b"BT /F2 12 Tf 72 720 Td (Hello) Tj ET\n", resources={"/Font": Dictionary(F2=helvetica)})
    report = preflight(b.save(tmp_path / "font.pdf"))
    [error] = report.errors
    assert (error.check, error.page, error.object) == ("font-embedded", 2, "Helvetica")


def test_font_inside_a_form_xobject(tmp_path):
    b = PdfBuilder()
    form = b.form(b"BT /F9 9 Tf (x) Tj ET", resources={"/Font": Dictionary(F9=b.standard_font("Times-Roman"))})
    b.page(b"/Fm Do", resources={"/XObject": Dictionary(Fm=form)})
    assert [(f.check, f.object) for f in preflight(b.save(tmp_path / "f.pdf")).errors] == [
        ("font-embedded", "Times-Roman")
    ]


# --- transparency ---------------------------------------------------------------------------------


def test_transparency_is_an_error_only_in_x1a(tmp_path):
    content = b"/GS1 gs 0 0 0 1 k 0 0 10 10 re f\n"
    resources = {"/ExtGState": Dictionary(GS1=Dictionary(ca=0.5))}
    path = two_pages(tmp_path, "alpha.pdf", content, resources, version="PDF/X-1a:2003")
    report = preflight(path, "x-1a")
    [error] = report.errors
    assert (error.check, error.page) == ("transparency", 2) and "ca 0.5" in error.message
    x4 = preflight(path, "x-4")
    assert not found(x4, "transparency", 2) and found(x4, "transparency", 2, "info")


def test_soft_mask_image_and_group_in_x1a(tmp_path):
    b = PdfBuilder("PDF/X-1a:2001")
    smask = b.image(Image.new("L", (600, 600), 128))
    im = b.image(cmyk((600, 600)), SMask=smask)
    page = b.page(place("Im1", 0, 0, 144, 144), resources={"/XObject": Dictionary(Im1=im)})
    page.Group = Dictionary(S=Name.Transparency, CS=Name.DeviceCMYK)
    report = preflight(b.save(tmp_path / "smask.pdf"), "x-1a")
    assert {f.check for f in report.errors} == {"transparency"}
    assert {f.object for f in report.errors} == {"image /Im1 600x600 DeviceCMYK", "page transparency group"}


# --- document level -------------------------------------------------------------------------------


def test_missing_output_intent(tmp_path):
    b = PdfBuilder(output_intent=False)
    b.page()
    report = preflight(b.save(tmp_path / "nointent.pdf"))
    assert [(f.check, f.page) for f in report.errors] == [("output-intent", None)]


def test_rgb_output_intent_is_rejected(tmp_path):
    b = PdfBuilder()
    b.pdf.Root.OutputIntents[0].DestOutputProfile.N = 3
    b.page()
    assert [(f.check, f.page) for f in preflight(b.save(tmp_path / "rgbintent.pdf")).errors] == [
        ("output-intent", None)
    ]


def test_pdfx_version_keys(tmp_path):
    b = PdfBuilder(version=None)
    b.page()
    path = b.save(tmp_path / "noversion.pdf")
    assert [(f.check, f.page) for f in preflight(path).errors] == [("pdfx-version", None)]

    b = PdfBuilder("PDF/X-1a:2001")
    b.page()
    path = b.save(tmp_path / "x1a.pdf")
    assert preflight(path, "x-1a").ok
    assert [f.check for f in preflight(path, "x-4").errors] == ["pdfx-version", "pdfx-version"]  # Info and XMP


def test_catalogue_page_count(tmp_path):
    b = PdfBuilder()
    for _ in range(3):
        b.page()
    path = b.save(tmp_path / "three.pdf")
    assert [(f.check, f.page) for f in preflight(path, "catalogue").errors] == [("page-count", None)]
    assert preflight(path, "x-4").ok
    b.page()
    assert preflight(b.save(tmp_path / "four.pdf"), "catalogue").ok


# --- unreadable input -----------------------------------------------------------------------------


def test_not_a_pdf(tmp_path):
    path = tmp_path / "x.pdf"
    path.write_bytes(b"hello, this is text")
    with pytest.raises(PreflightError, match=r"x\.pdf: not a PDF file \(starts with b'hello"):
        preflight(path)


def test_missing_file(tmp_path):
    with pytest.raises(PreflightError, match="no such file"):
        preflight(tmp_path / "nope.pdf")


@pytest.mark.parametrize("user", ["secret", ""])
def test_encrypted_pdf(tmp_path, user):
    b = PdfBuilder()
    b.page()
    path = b.save(tmp_path / "locked.pdf", encryption=pikepdf.Encryption(owner="owner", user=user))
    with pytest.raises(PreflightError, match=r"locked\.pdf: the PDF is encrypted"):
        preflight(path)


def test_damaged_pdf(tmp_path):
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.7\n" + b"\x00garbage" * 20)
    with pytest.raises(PreflightError, match=r"broken\.pdf: the PDF is damaged"):
        preflight(path)


def test_unknown_profile(clean_pdf):
    with pytest.raises(PreflightError, match="unknown preflight profile"):
        preflight(clean_pdf, "x-3")


# --- less common places for content ---------------------------------------------------------------


def test_inline_image_shading_pattern_and_annotation_are_walked(tmp_path):
    b = PdfBuilder()
    rgb_shading = Dictionary(
        ShadingType=2,
        ColorSpace=Name.DeviceRGB,
        Coords=Array([0, 0, 100, 0]),
        Extend=Array([True, True]),  # over the whole page, bleed included
        Function=Dictionary(FunctionType=2, Domain=Array([0, 1]), C0=Array([1, 0, 0]), C1=Array([0, 0, 1]), N=1),
    )
    tile = b.form(b"1 0 0 RG 0 0 5 5 re S", resources={})
    tile.PatternType, tile.PaintType, tile.TilingType, tile.XStep, tile.YStep = 1, 1, 1, 5, 5
    del tile["/Type"], tile["/Subtype"]
    inline = b"q 100 0 0 100 50 50 cm BI /W 10 /H 10 /CS /RGB /BPC 8 ID " + bytes(300) + b" EI Q\n"
    b.page(
        inline + b"/Sh1 sh /Pattern cs /P1 scn 50 50 50 50 re f\n",
        resources={"/Shading": Dictionary(Sh1=rgb_shading), "/Pattern": Dictionary(P1=tile)},
    )
    appearance = b.form(b"0 0 1 rg 0 0 10 10 re f", resources={}, bbox=(0, 0, 10, 10))
    annot = Dictionary(
        Type=Name.Annot, Subtype=Name.Square, Rect=Array([100, 100, 200, 200]), F=4, AP=Dictionary(N=appearance)
    )
    b.page(annots=[annot])
    report = preflight(b.save(tmp_path / "places.pdf"))
    objects = {(f.page, f.object) for f in report.errors}
    assert {f.check for f in report.errors} == {"colour-space", "image-ppi", "annotation"}
    assert (1, "image inline 10x10 DeviceRGB") in objects
    assert (1, "shading /Sh1 DeviceRGB") in objects
    assert (1, "stroke colour DeviceRGB") in objects  # inside the tiling pattern
    assert (2, "fill colour DeviceRGB") in objects  # inside the annotation's appearance


def test_annotations_in_the_printable_area_are_errors_and_the_press_fix_removes_them(tmp_path):
    from presskit.postprocess import remove_print_area_annotations

    link = lambda rect: Dictionary(
        Type=Name.Annot,
        Subtype=Name.Link,
        Rect=Array(rect),
        A=Dictionary(S=Name.URI, URI=pikepdf.String("https://example.com")),
    )
    b = PdfBuilder()
    b.page(annots=[link([56, 140, 160, 152])])  # a kit's website link, as WeasyPrint makes it
    slug = b.page(
        annots=[
            link([-40, -40, -20, -20]),  # beyond the bleed, in the slug: allowed
            Dictionary(Type=Name.Annot, Subtype=Name.PrinterMark, Rect=Array([0, 0, 20, 20])),
        ]
    )
    slug.MediaBox = Array([-50, -50, 650, 900])
    path = b.save(tmp_path / "links.pdf")
    report = preflight(path)
    assert [(f.page, f.object) for f in report.errors] == [(1, "Link annotation [56 140 160 152]")]
    assert "PDF/X allows none there" in report.errors[0].message

    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        assert remove_print_area_annotations(pdf) == 1
        assert "/Annots" not in pdf.pages[0].obj and len(pdf.pages[1].obj.Annots) == 2
        pdf.save(path)
    assert preflight(path).errors == []


def test_unreadable_cmyk_image_is_a_warning_not_a_crash(tmp_path):
    b = PdfBuilder()
    im = b.image(cmyk((600, 600)))
    im.write(b"this is not deflate data", filter=Name.FlateDecode)
    b.page(place("Im1", 0, 0, 144, 144), resources={"/XObject": Dictionary(Im1=im)})
    report = preflight(b.save(tmp_path / "corrupt.pdf"))
    assert report.ok
    [warning] = report.warnings
    assert (warning.check, warning.page) == ("ink-coverage", 1) and "could not be measured" in warning.message


@pytest.mark.slow
def test_a_long_document_checked_in_worker_processes_reports_what_one_process_does(tmp_path):
    """150 pages in two runs of pages: an unembedded font used on every page is reported once (its first
    page), the RGB rectangles and an RGB image on both sides of the split on their own pages, in order,
    and the ink the workers measured comes back to the caller's ink cache."""
    b = PdfBuilder()
    helvetica = b.standard_font("Helvetica")
    rgb = b.image(Image.new("RGB", (600, 600), (200, 30, 30)))
    cmyk = b.jpeg(Image.new("CMYK", (300, 300), (10, 20, 30, 40)))
    for n in range(1, 151):
        content = b"BT /F1 12 Tf 72 720 Td (Hello) Tj ET\n" + place("Im2", 300, 50, 72, 72)
        resources = {"/Font": Dictionary(F1=helvetica), "/XObject": Dictionary(Im2=cmyk)}
        if n in (3, 100, 140):
            content += b"1 0 0 rg 0 0 10 10 re f\n"
        if n in (50, 120):
            content += place("Im1", 50, 50, 144, 144)
            resources["/XObject"] = Dictionary(Im1=rgb, Im2=cmyk)
        b.page(content, resources=resources)
    path = b.save(tmp_path / "long.pdf")
    alone = preflight(path, ink_cache={})
    ink: dict = {}
    split = preflight(path, ink_cache=ink, processes=2)
    assert split.findings == alone.findings
    assert [(f.check, f.page) for f in split.errors] == [
        ("font-embedded", 1),
        ("colour-space", 3),
        ("colour-space", 50),
        ("colour-space", 100),
        ("colour-space", 120),
        ("colour-space", 140),
    ]
    assert len(ink) == 1 and list(ink.values())[0] == pytest.approx(100 * (10 + 20 + 30 + 40) / 255, abs=1)


# --- the file a print build installs ---------------------------------------------------------------


def _print_edition():
    from presskit.edition import Edition

    return Edition("print", pdf_variant="pdf/x-4", bleed="3mm")


def test_a_merged_file_that_fails_is_removed_and_the_previous_pdf_kept(tmp_path):
    """preflight_print given the temporary file a merge wrote: on errors it raises, the PDF already at the
    target stays as it was and the temporary file is gone; a file that passes replaces the target."""
    from presskit.output import preflight_print

    target = tmp_path / "catalogue.pdf"
    target.write_bytes(b"%PDF-1.7 the previous catalogue")
    bad = PdfBuilder()
    bad.page(b"1 0 0 rg 0 0 10 10 re f\n")  # RGB on a PDF/X-4 page
    tmp = bad.save(tmp_path / ".catalogue.pdf.x.merged.pdf")
    with pytest.raises(PreflightError, match=r"the catalogue fails the x-4 preflight; not written") as error:
        preflight_print(tmp, target, _print_edition(), "catalogue")
    assert "colour-space" in str(error.value) and str(target) in str(error.value)
    assert target.read_bytes() == b"%PDF-1.7 the previous catalogue"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["catalogue.pdf"]

    good = PdfBuilder()
    good.page(b"0 0 0 1 k 0 0 10 10 re f\n")
    tmp = good.save(tmp_path / ".catalogue.pdf.y.merged.pdf")
    data = tmp.read_bytes()
    preflight_print(tmp, target, _print_edition(), "catalogue")
    assert target.read_bytes() == data and oct(target.stat().st_mode & 0o777) == "0o644"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["catalogue.pdf"]


def test_an_unchanged_merge_leaves_the_installed_file_alone(tmp_path):
    from presskit.products.catalogue.merge import install_if_changed

    target = tmp_path / "catalogue.pdf"
    target.write_bytes(b"%PDF same bytes")
    before = target.stat().st_mtime_ns
    tmp = tmp_path / ".catalogue.pdf.1.merged.pdf"
    tmp.write_bytes(b"%PDF same bytes")
    assert install_if_changed(tmp, target) is False
    assert target.stat().st_mtime_ns == before and not tmp.exists()
    tmp.write_bytes(b"%PDF other bytes")
    assert install_if_changed(tmp, target) is True
    assert target.read_bytes() == b"%PDF other bytes" and not tmp.exists()


_PARENT: list = []  # (the test's process id, the real preflight._check_pages)


def _dies_in_a_child(*args):
    import os

    parent, check = _PARENT[0]
    if os.getpid() != parent:
        os._exit(9)
    return check(*args)


@pytest.mark.slow
def test_a_checking_process_that_dies_leaves_the_pages_to_this_one(tmp_path, monkeypatch):
    """A process forked to check pages killed (say, out of memory): the pages are checked here instead, and
    the report is the one a single process gives."""
    import os

    import presskit.preflight as module

    b = PdfBuilder()
    for n in range(1, 131):
        b.page(b"1 0 0 rg 0 0 10 10 re f\n" if n == 100 else b"0 0 0 1 k 0 0 10 10 re f\n")
    path = b.save(tmp_path / "long.pdf")
    monkeypatch.setattr(sys.modules[__name__], "_PARENT", [(os.getpid(), module._check_pages)])
    monkeypatch.setattr(module, "_check_pages", _dies_in_a_child)
    report = preflight(path, processes=2)
    assert [(f.check, f.page) for f in report.errors] == [("colour-space", 100)]
    assert report.findings == preflight(path).findings


# --- small type and fine rules --------------------------------------------------------------------


def _font_page(b: PdfBuilder, content: bytes):
    b.page(content, resources={"/Font": Dictionary(F1=b.embedded_font())})


@pytest.mark.parametrize(
    "content, expected",
    [
        (b"0.05 1 0.9 0.2 k BT /F1 6.3 Tf 100 500 Td (small) Tj ET", "6.3 pt text in 5/100/90/20"),
        # WeasyPrint's way: a 10.666 size under a 0.75 CTM and a flipped text matrix is 8 pt
        (
            b"q 0.75 0 0 0.75 0 0 cm /DeviceCMYK cs 0.05 1 0.9 0.2 scn"
            b" BT 1 0 0 -1 100 500 Tm /F1 10.666 Tf (x) Tj ET Q",
            "8.0 pt text in 5/100/90/20",
        ),
        (b"0 0 0 1 k BT /F1 6 Tf 100 500 Td (K only) Tj ET", None),
        (b"0 1 0 0 k BT /F1 6 Tf 100 500 Td (magenta only) Tj ET", None),
        (b"0.05 1 0.9 0.2 k BT /F1 9 Tf 100 500 Td (9 pt) Tj ET", None),
        (b"0.05 1 0.9 0.2 K 0.5 w 100 100 m 300 100 l S", "0.50 pt rule in 5/100/90/20"),
        (b"0 0 0 0.25 K 0.25 w 100 100 m 300 100 l S", None),  # one ink, however fine
        (b"0.05 1 0.9 0.2 K 1 w 100 100 m 300 100 l S", None),
        # a WeasyPrint border: the ring between two rectangles, filled even-odd; 0.5 pt at the bottom
        (b"0.05 1 0.9 0.2 k 100 100 200 50 re 100 99.5 200 50.5 re f*", "0.50 pt rule in 5/100/90/20"),
        (b"0.05 1 0.9 0.2 k 100 100 200 0.4 re f", "0.40 pt rule in 5/100/90/20"),
        (b"0.05 1 0.9 0.2 k 100 100 200 50 re f", None),  # a block, not a rule
    ],
)
def test_small_type_and_fine_rules_print_in_one_ink(tmp_path, content, expected):
    b = PdfBuilder()
    b.page()
    _font_page(b, content + b"\n")
    report = preflight(b.save(tmp_path / "fine.pdf"))
    if expected is None:
        assert report.ok, report.format_text()
    else:
        [error] = report.errors
        assert (error.check, error.page, error.object) == ("fine-element", 2, expected)
        assert "in one ink (K or a single process colour)" in error.message


# --- file structure and labelling -----------------------------------------------------------------


def test_x1a_2001_labelling_and_version_per_standard(tmp_path):
    b = PdfBuilder(None)
    b.pdf.docinfo["/GTS_PDFXVersion"] = "PDF/X-1:2001"
    b.pdf.docinfo["/GTS_PDFXConformance"] = "PDF/X-1a:2001"
    b.page()
    path = b.save(tmp_path / "x1a2001.pdf", min_version="1.3", force_version="1.3")
    report = preflight(path, "x-1a")
    assert report.ok and report.label == "PDF/X-1a:2001", report.format_text()
    later = b.save(tmp_path / "x1a2001-14.pdf", force_version="1.4")
    [error] = preflight(later, "x-1a").errors
    assert (error.check, error.message) == ("pdf-version", "PDF 1.4: PDF/X-1a:2001 allows PDF 1.3 at most")

    del b.pdf.docinfo["/GTS_PDFXConformance"]
    [error] = preflight(b.save(tmp_path / "x1-only.pdf", force_version="1.3"), "x-1a").errors
    assert error.check == "pdfx-version" and "needs GTS_PDFXConformance PDF/X-1a:2001" in error.message


def test_object_streams_and_pdf_15_are_refused_in_x1a_and_allowed_in_x4(tmp_path):
    b = PdfBuilder("PDF/X-1a:2003")
    b.page()
    path = b.save(tmp_path / "objstm.pdf", object_stream_mode=pikepdf.ObjectStreamMode.generate)
    objects = sorted(f.object for f in preflight(path, "x-1a").errors)
    assert objects == ["1 object stream", "PDF 1.5", "cross-reference stream"]
    b = PdfBuilder()
    b.page()
    assert preflight(b.save(tmp_path / "x4.pdf", object_stream_mode=pikepdf.ObjectStreamMode.generate)).ok


def test_fonts_per_standard_and_unique_subset_tags(tmp_path):
    b = PdfBuilder("PDF/X-1a:2003")
    one, two = b.embedded_font(), b.embedded_font()
    two.FontDescriptor.FontFile3 = b.pdf.make_stream(b"another program", Subtype=Name.OpenType)
    one.BaseFont = one.FontDescriptor.FontName = Name("/ABCDEF+Test,")
    b.page(b"BT /F1 12 Tf (a) Tj /F2 12 Tf (b) Tj ET\n", resources={"/Font": Dictionary(F1=one, F2=two)})
    path = b.save(tmp_path / "fonts.pdf")
    found_x1a = {(f.check, f.object) for f in preflight(path, "x-1a").errors}
    assert found_x1a == {
        ("font-format", "ABCDEF+Test"),
        ("font-name", "ABCDEF+Test,"),
    }
    one.BaseFont = one.FontDescriptor.FontName = Name("/ABCDEF+Test")  # the same name, two programs
    found_x1a = {(f.check, f.object) for f in preflight(b.save(tmp_path / "tags.pdf"), "x-1a").errors}
    assert ("font-subset-tag", "ABCDEF+Test") in found_x1a


def test_x1a_colour_spaces_declared_in_resources_even_unused(tmp_path):
    b = PdfBuilder("PDF/X-1a:2003")
    lab = Array([Name.Lab, Dictionary(WhitePoint=Array([0.9505, 1, 1.089]))])
    b.page(b"0 0 0 1 k 100 100 50 50 re f\n", resources={"/ColorSpace": Dictionary(L=lab)})
    path = b.save(tmp_path / "lab.pdf")
    [error] = preflight(path, "x-1a").errors
    assert (error.check, error.object) == ("colour-space", "colour space resource /L (Lab)")
    assert "colour-space" in {f.check for f in preflight(path, "catalogue", standard="x-1a").errors}


def test_output_intent_names_its_condition_and_registry(tmp_path):
    b = PdfBuilder()
    b.page()
    del b.pdf.Root.OutputIntents[0]["/RegistryName"]
    [error] = preflight(b.save(tmp_path / "noregistry.pdf")).errors
    assert error.check == "output-intent" and "without RegistryName" in error.message
    del b.pdf.Root.OutputIntents[0]["/OutputConditionIdentifier"]
    [error] = preflight(b.save(tmp_path / "noid.pdf")).errors
    assert error.check == "output-intent" and "no OutputConditionIdentifier" in error.message


@pytest.mark.parametrize("version, refused", [("PDF/X-1a:2003", True), ("PDF/X-4", False)])
def test_jpeg2000_images_are_refused_in_x1a(tmp_path, version, refused):
    b = PdfBuilder(version)
    im = b.image(cmyk((600, 600)))
    im.Filter = Name.JPXDecode  # (never decoded: the filter alone decides)
    b.page(place("J", 50, 50, 144, 144), resources={"/XObject": Dictionary(J=im)})
    report = preflight(b.save(tmp_path / "jpx.pdf"), "x-1a" if refused else "x-4")
    found = [(f.check, f.page, f.object) for f in report.errors if f.check == "compression"]
    assert found == ([("compression", 1, "image /J 600x600 DeviceCMYK")] if refused else [])


def test_an_empty_compressed_content_stream_is_an_error(tmp_path):
    """The catalogue's padding page once had a Flate content stream of length 0: Ghostscript reports 'error
    reading a stream' on it."""
    b = PdfBuilder()
    b.page()
    page = b.page()
    page.Contents = b.pdf.make_stream(b"")  # qpdf saves it Flate-compressed, with no data at all
    path = b.save(tmp_path / "empty.pdf")
    with pikepdf.open(path) as pdf:
        assert pdf.pages[1].Contents.get("/Filter") == Name.FlateDecode
    [error] = preflight(path).errors
    assert (error.check, error.page, error.object) == ("content", 2, "page content stream")
    assert "FlateDecode page content stream of length 0" in error.message
