"""presskit's print PDFs checked by tools presskit did not write: yob/pdf-preflight's PDF/X-1a profile,
Ghostscript (separations, reading), qpdf; and presskit's own preflight against yob/pdf-preflight's corpus of
good and bad files (extracted from a local mirror at test time, never vendored: tests/independent.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from independent import (
    ghostscript_errors,
    pdf_preflight_checkout,
    pdfx1a_issues,
    qpdf_check,
    ruby_missing,
    total_ink,
)

from presskit.errors import PreflightError
from presskit.preflight import preflight

pytestmark = pytest.mark.slow

VARIANTS = [("a4", "x-4"), ("letter", "x-4"), ("a4", "x-1a"), ("letter", "x-1a")]
VERSION_NOTE = "PDF version should be 1.3 or lower"  # yob's profile is X-1a:2001; presskit writes X-1a:2003


# --- the demo's print products, built once per session --------------------------------------------


@pytest.fixture(scope="session")
def print_builds(demo_copy, tmp_path_factory):
    """Every print product of the demo per (paper, standard), built on first use: the folder, or the error
    that stopped the build."""
    from presskit.build import BuildOptions, build_project

    built: dict[tuple[str, str], Path | Exception] = {}

    def get(paper: str, pdfx: str) -> list[Path]:
        if (paper, pdfx) not in built:
            out = tmp_path_factory.mktemp(f"print-{paper}-{pdfx}")
            try:
                build_project(demo_copy, BuildOptions(out_dir=out, paper=paper, edition="print", pdfx=pdfx))
                built[paper, pdfx] = out
            except Exception as exc:  # (reported by each test of this variant)
                built[paper, pdfx] = exc
        result = built[paper, pdfx]
        if isinstance(result, Exception):
            pytest.fail(f"the {paper} {pdfx} print build failed: {result}")
        pdfs = sorted(p for p in result.rglob("*.pdf") if ".cache" not in p.relative_to(result).parts)
        assert pdfs and any(p.name == "catalogue.pdf" for p in pdfs)
        assert {p.name for p in pdfs} >= {"presskit-print.pdf", "onesheet.pdf", "programme.pdf", "catalogue.pdf"}
        return pdfs

    return get


@pytest.fixture(scope="session")
def pdf_preflight(tmp_path_factory) -> Path:
    checkout = pdf_preflight_checkout(tmp_path_factory.mktemp("pdf-preflight"))
    if isinstance(checkout, str):
        pytest.skip(checkout)
    return checkout


def _needs(*tools: str) -> None:
    for tool in tools:
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not installed")


# --- yob/pdf-preflight's PDF/X-1a profile ---------------------------------------------------------


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_every_x1a_product_passes_pdf_preflights_pdfx1a_profile(print_builds, pdf_preflight, paper):
    if reason := ruby_missing():
        pytest.skip(reason)
    pdfs = print_builds(paper, "x-1a")
    issues = pdfx1a_issues(pdf_preflight, pdfs)
    assert set(issues) == set(pdfs)
    # the only note: its profile is X-1a:2001 (PDF 1.3); presskit writes X-1a:2003, which allows PDF 1.4
    assert {pdf.name: [i for i in found if i != VERSION_NOTE] for pdf, found in issues.items()} == {
        pdf.name: [] for pdf in pdfs
    }


def test_pdf_preflights_profile_runs_here(pdf_preflight):
    """The harness itself: yob's profile passes its own good file and flags its RGB one."""
    if reason := ruby_missing():
        pytest.skip(reason)
    pdfs = pdf_preflight / "spec" / "pdfs"
    issues = pdfx1a_issues(pdf_preflight, [pdfs / "pdfx-1a-subsetting.pdf", pdfs / "rgb.pdf"])
    assert issues[pdfs / "pdfx-1a-subsetting.pdf"] == []
    assert "RGB color detected" in issues[pdfs / "rgb.pdf"]


# --- Ghostscript and qpdf -------------------------------------------------------------------------


@pytest.mark.parametrize("paper, pdfx", VARIANTS)
def test_total_ink_at_most_300_percent_on_every_page(print_builds, tmp_path, paper, pdfx):
    _needs("gs")
    over = {}
    for n, pdf in enumerate(print_builds(paper, pdfx)):
        totals = total_ink(pdf, tmp_path / str(n))
        assert totals, pdf
        over.update({f"{pdf.parent.name}/{pdf.name} p{page}": round(t) for page, t in enumerate(totals, 1) if t > 301})
    assert over == {}  # (301: the 8-bit separations round each ink to 0.4 %)


@pytest.mark.parametrize("paper, pdfx", VARIANTS)
def test_ghostscript_reads_every_product_without_error(print_builds, paper, pdfx):
    _needs("gs")
    assert {pdf.name: ghostscript_errors(pdf) for pdf in print_builds(paper, pdfx)} == {
        pdf.name: "" for pdf in print_builds(paper, pdfx)
    }


@pytest.mark.parametrize("paper, pdfx", VARIANTS)
def test_qpdf_check_is_clean(print_builds, paper, pdfx):
    _needs("qpdf")
    for pdf in print_builds(paper, pdfx):
        code, output = qpdf_check(pdf)
        assert code == 0 and "No syntax or stream encoding errors found" in output, (pdf, output)
        assert "WARNING" not in output, (pdf, output)


# --- presskit preflight on yob/pdf-preflight's corpus ---------------------------------------------

# Each known-bad file of the corpus (spec/pdfs; its specs say which defect each one carries) and the check
# of presskit's preflight that must report it.
BAD = {
    "72ppi": "image-ppi",  # a 72 ppi image (min_ppi_spec)
    "low_ppi_image_within_form_xobject": "image-ppi",  # 148 ppi, inside a form XObject
    "bleedbox_larger_than_mediabox": "bleed",  # box_nesting_spec
    "image_no_bleed": "bleed",  # an image that touches the trim and stops (min_bleed_spec)
    "rectangle_no_bleed": "bleed",  # a rectangle that does the same
    "no_artbox_or_trimbox": "trimbox",  # box_presence / print_boxes
    "registration_black": "ink-coverage",  # 100/100/100/100
    "rgb": "colour-space",  # no_rgb_spec
    "rgb-hexagon": "colour-space",
    "standard_14_font": "font-embedded",  # only_embedded_fonts_spec
    "transparency": "transparency",  # no_transparency_spec
    "version_1_4": "pdfx-version",  # not PDF/X at all (max_version_spec: PDF 1.4)
    "no_document_id": "document-id",  # document_id_spec: no /ID in the trailer
    "jbig2": "pdf-version",  # JBIG2 in a PDF 1.6 (compression_algorithms_spec)
}
GOOD = ("pdfx-1a-subsetting", "pdfx-1a-no-subsetting", "pdfx-1a-quark")
BLEEDS_RIGHT = ("image_5mm_bleed", "rectangle_5mm_bleed", "image_no_bleed_5mm_gap", "rectangle_no_bleed_5mm_gap")


@pytest.mark.parametrize("name, check", sorted(BAD.items()))
def test_presskit_preflight_catches_each_defect_of_the_bad_files(pdf_preflight, name, check):
    report = preflight(pdf_preflight / "spec" / "pdfs" / f"{name}.pdf", "x-1a")
    assert not report.ok
    assert check in {f.check for f in report.errors}, report.format_text()


def test_bleed_is_reported_on_the_edges_the_ink_stops_at(pdf_preflight):
    report = preflight(pdf_preflight / "spec" / "pdfs" / "rectangle_no_bleed.pdf", "x-1a")
    assert sorted(f.object for f in report.errors if f.check == "bleed") == [
        "bottom edge",
        "left edge",
        "right edge",
        "top edge",
    ]


@pytest.mark.parametrize("name", ["encrypted", "encrypted_with_user_pass_apples"])
def test_presskit_preflight_refuses_the_encrypted_files(pdf_preflight, name):
    with pytest.raises(PreflightError, match="the PDF is encrypted"):
        preflight(pdf_preflight / "spec" / "pdfs" / f"{name}.pdf", "x-1a")


@pytest.mark.parametrize("name", GOOD)
@pytest.mark.parametrize("profile", ["x-1a", "catalogue"])
def test_presskit_preflight_accepts_the_good_x1a_files(pdf_preflight, name, profile):
    report = preflight(pdf_preflight / "spec" / "pdfs" / f"{name}.pdf", profile)
    assert report.standard == "x-1a" and report.label == "PDF/X-1a:2001"
    errors = [f for f in report.errors if f.check != "page-count"]  # (one page: not a booklet)
    assert errors == [], report.format_text()


@pytest.mark.parametrize("name", BLEEDS_RIGHT)
def test_no_bleed_finding_where_the_ink_bleeds_or_stops_short_of_the_trim(pdf_preflight, name):
    report = preflight(pdf_preflight / "spec" / "pdfs" / f"{name}.pdf", "x-1a")
    assert [f for f in report.findings if f.check == "bleed"] == []
