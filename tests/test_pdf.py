"""The render stage: sandboxed URL fetcher, WeasyPrint log capture, atomic writes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from presskit.errors import RenderError
from presskit.output import write_atomic
from presskit.pdf import RenderJob, make_fetcher, render_pdf


def job(tmp_path: Path, body: str) -> RenderJob:
    return RenderJob(
        html=f"<html><body>{body}</body></html>", base_url=tmp_path, roots=[tmp_path], what="test document"
    )


def test_fetcher_serves_files_inside_the_roots(tmp_path):
    (tmp_path / "a.css").write_text("p { color: red }")
    response = make_fetcher([tmp_path]).fetch((tmp_path / "a.css").as_uri())
    assert response.read() == b"p { color: red }"


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/x.png",
        "https://example.com/x.css",
        "ftp://example.com/x",
        "file:///etc/passwd",
    ],
)
def test_fetcher_refuses_network_and_outside_files(tmp_path, url):
    with pytest.raises(ValueError, match="blocked"):
        make_fetcher([tmp_path]).fetch(url)


def test_fetcher_refuses_dot_dot_escapes(tmp_path):
    inside = tmp_path / "project"
    inside.mkdir()
    (tmp_path / "secret.txt").write_text("secret")
    with pytest.raises(ValueError, match="outside the project"):
        make_fetcher([inside]).fetch(inside.as_uri() + "/../secret.txt")


@pytest.mark.slow
def test_a_blocked_resource_fails_the_render(tmp_path):
    with pytest.raises(RenderError) as info:
        render_pdf(job(tmp_path, '<img src="http://example.com/tracker.png"><p>x</p>'))
    message = str(info.value)
    assert message.startswith("rendering the test document failed: WeasyPrint reported 1 problem(s)")
    assert "http://example.com/tracker.png" in message


@pytest.mark.slow
def test_a_missing_image_fails_the_render(tmp_path):
    with pytest.raises(RenderError, match="missing.png"):
        render_pdf(job(tmp_path, '<img src="missing.png"><p>x</p>'))


@pytest.mark.slow
def test_a_character_no_font_has_fails_the_render(tmp_path):
    with pytest.raises(RenderError) as info:
        render_pdf(job(tmp_path, "<p>花樣年華 \U00010000</p>"))  # Han has a face; Linear B has none
    assert "U+10000" in str(info.value) and "U+82B1" not in str(info.value)


@pytest.mark.slow
def test_system_fonts_are_never_used(tmp_path):
    import pikepdf

    style = "<style>p { font-family: 'DejaVu Sans', sans-serif }</style>"
    data = render_pdf(job(tmp_path, style + "<p>Ελληνικά Łódź</p>"))
    path = tmp_path / "out.pdf"
    path.write_bytes(data)
    with pikepdf.open(path) as pdf:
        fonts = {str(f.BaseFont) for f in pdf.pages[0].Resources.Font.values()}
    assert fonts and all("DejaVu" not in name for name in fonts), fonts


def test_write_atomic_leaves_no_partial_file(tmp_path):
    target = tmp_path / "out" / "file.pdf"
    write_atomic(target, b"first")
    assert target.read_bytes() == b"first"

    with pytest.raises(TypeError):
        write_atomic(target, object())  # type: ignore[arg-type]
    assert target.read_bytes() == b"first"  # the good file is untouched
    assert [p.name for p in target.parent.iterdir()] == ["file.pdf"]  # no temp file left


def test_a_full_disk_is_an_output_error_naming_the_file_and_leaves_nothing(tmp_path, monkeypatch):
    import errno
    import io

    import presskit.pdf as pdf_module
    from presskit.errors import OutputError

    target = tmp_path / "out" / "file.pdf"
    write_atomic(target, b"first")

    class FullDisk(io.BytesIO):
        def write(self, data):
            raise OSError(errno.ENOSPC, "No space left on device")

    real_fdopen = pdf_module.os.fdopen
    monkeypatch.setattr(pdf_module.os, "fdopen", lambda fd, mode: (os.close(fd), FullDisk())[1])
    with pytest.raises(OutputError) as info:
        write_atomic(target, b"second")
    assert info.value.message == (
        f"{target}: no space left on the device: could not be written; free some space, or write the output "
        "elsewhere (-o), and build again (nothing half-written was left)"
    )
    monkeypatch.setattr(pdf_module.os, "fdopen", real_fdopen)
    assert target.read_bytes() == b"first"
    assert [p.name for p in target.parent.iterdir()] == ["file.pdf"]


def _page_images(path: Path, dpi: int = 40) -> list[bytes]:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        return [page.render(scale=dpi / 72).to_pil().convert("RGB").tobytes() for page in pdf]
    finally:
        pdf.close()


@pytest.mark.slow
def test_the_lean_user_agent_stylesheet_renders_presskit_documents_exactly_as_weasyprints(
    demo_copy, tmp_path, monkeypatch
):
    """Every page of the demo film's press kit, one-sheet, programme page and of the demo
    catalogue, in both editions: the same pixels over WeasyPrint's own user-agent stylesheet."""
    import presskit.patches
    from presskit.build import BuildOptions, build_kit, build_onesheet, build_programme
    from presskit.products.catalogue import build_catalogue_project

    def build(out: Path) -> list[Path]:
        film = demo_copy / "films" / "red-rooms"
        written = []
        for edition in ("screen", "print"):
            options = BuildOptions(out_dir=out, edition=edition)
            written += build_kit(film, options).written + build_onesheet(film, options).written
            written += build_programme(film, options).written
        written += build_catalogue_project(demo_copy, BuildOptions(out_dir=out, edition="print", jobs=1)).written
        return sorted(p for p in written if p.suffix == ".pdf")

    assert presskit.patches.lean_user_agent_stylesheet() is not None  # the lean stylesheet is in use
    lean = build(tmp_path / "lean")
    monkeypatch.setattr(presskit.patches, "lean_user_agent_stylesheet", lambda: None)
    full = build(tmp_path / "full")
    assert [p.relative_to(tmp_path / "lean") for p in lean] == [p.relative_to(tmp_path / "full") for p in full]
    assert len(lean) == 7  # kit, one-sheet and programme page in two editions; the catalogue
    for a, b in zip(lean, full):
        assert _page_images(a) == _page_images(b), f"{a.name} renders differently over the lean stylesheet"


def test_documents_with_footnotes_or_list_items_keep_weasyprints_user_agent_stylesheet(tmp_path):
    from weasyprint import HTML

    from presskit.pdf import html_document

    assert type(html_document("<p>Plain</p>", tmp_path.as_uri() + "/", None)) is not HTML
    for html, css in (
        ('<p>Text<span style="float: footnote">A note</span></p>', ()),
        ("<p>Text</p>", (".aside { float: footnote }",)),
        ("<p>Text</p>", ("dt { display: list-item }",)),
    ):
        assert type(html_document(html, tmp_path.as_uri() + "/", None, css)) is HTML


@pytest.mark.slow
def test_a_footnote_still_gets_its_call_number(tmp_path):
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(
        render_pdf(job(tmp_path, '<p>Body text<span style="float: footnote">The note.</span></p>'))
    )
    text = pdf[0].get_textpage().get_text_range()
    pdf.close()
    assert "Body text1" in text and "1. The note." in text  # the call and the marker


@pytest.mark.slow
def test_streams_are_compressed_at_the_faster_level_and_read_back(tmp_path):
    """Page contents and font subsets at zlib level 6 (header 78 9C), not pydyf's level 9 (78 DA), and
    they decompress to what the page shows."""
    import io
    import zlib

    import pikepdf
    import pypdfium2 as pdfium

    data = render_pdf(job(tmp_path, "<p>Compressed at level six.</p>"))
    with pikepdf.open(io.BytesIO(data)) as pdf:
        flate = [
            obj
            for obj in pdf.objects
            if isinstance(obj, pikepdf.Stream) and obj.get("/Filter") == pikepdf.Name.FlateDecode
        ]
        assert flate and {obj.read_raw_bytes()[:2] for obj in flate} == {b"\x78\x9c"}
        page = pdf.pages[0].Contents
        assert zlib.decompress(page.read_raw_bytes()) == page.read_bytes()
    document = pdfium.PdfDocument(data)
    assert "Compressed at level six." in document[0].get_textpage().get_text_range()
    document.close()


_IMPORT_REPORT = """
import json, resource, sys
{setup}
from presskit.patches import load_weasyprint
load_weasyprint()
import weasyprint.text.ffi as ffi
children = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({{"programs": children.ru_utime + children.ru_stime,
                   "subset": ffi.harfbuzz_subset is not None,
                   "libraries": sorted(line.split("/")[-1].split(".so")[0] for line in open("/proc/self/maps")
                                       if "/libpango" in line or "/libharfbuzz" in line)}}))
"""


def _import_report(setup: str = "") -> dict:
    import json
    import subprocess
    import sys

    run = subprocess.run(
        [sys.executable, "-c", _IMPORT_REPORT.format(setup=setup)], capture_output=True, text=True, check=True
    )
    return json.loads(run.stdout)  # (nothing else on stdout: WeasyPrint's advice is not printed)


@pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="reads /proc (Linux)")
def test_weasyprint_is_imported_without_running_ldconfig_or_the_compiler():
    report = _import_report()
    assert report["programs"] == 0  # no child process ran (the standard lookup runs about 45)
    assert report["subset"]
    assert {"libpango-1.0", "libpangoft2-1.0", "libharfbuzz", "libharfbuzz-subset"} <= set(report["libraries"])


@pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="reads /proc (Linux)")
def test_weasyprint_is_imported_with_the_standard_lookup_when_the_linux_names_do_not_open():
    # a system where the libraries open only by the paths find_library gives
    setup = """
import cffi.api, ctypes.util
load = cffi.api._load_backend_lib
def only_found(backend, name, flags):
    if getattr(ctypes.util.find_library, "__name__", "") == "<lambda>":
        raise OSError("cannot open " + name)
    return load(backend, name, flags)
cffi.api._load_backend_lib = only_found
"""
    report = _import_report(setup)
    assert report["programs"] > 0  # the standard lookup ran ldconfig
    assert {"libpango-1.0", "libharfbuzz"} <= set(report["libraries"])


@pytest.mark.slow
def test_font_subsets_are_the_same_bytes_with_harfbuzz_arrays_declared_open(tmp_path, monkeypatch):
    """The shim that spares cffi a parse of each `hb_codepoint_t[n]` (patches._arrays_without_parsing) changes
    no byte of the PDF: the same document rendered with WeasyPrint's own ffi.new."""
    import cffi.cparser

    from presskit.patches import _arrays_without_parsing

    body = (
        "<p>Regular <b>bold</b> <i>italic</i> <b><i>both</i></b> "
        "<span style='font-family: \"PK Condensed\"'>CONDENSED 0123</span> “quoted” — Ærø Łódź Ελλάδα</p>"
    )
    assert _arrays_without_parsing()
    from weasyprint.pdf import fonts

    parses: list[str] = []
    parse = cffi.cparser.Parser.parse_type_and_quals
    monkeypatch.setattr(
        cffi.cparser.Parser, "parse_type_and_quals", lambda self, cdecl: parses.append(cdecl) or parse(self, cdecl)
    )
    shimmed = render_pdf(job(tmp_path, body))
    assert not [cdecl for cdecl in parses if "hb_codepoint_t[" in cdecl and not cdecl.endswith("[]")]
    ffi = fonts.ffi._ffi
    monkeypatch.setattr(fonts, "ffi", ffi)  # WeasyPrint's own FFI again
    for cdecl in [k for k in ffi._parsed_types if isinstance(k, str) and k.startswith("hb_codepoint_t[")]:
        del ffi._parsed_types[cdecl]  # (sizes another test's render may have had parsed already)
    assert render_pdf(job(tmp_path, body)) == shimmed
    assert [cdecl for cdecl in parses if "hb_codepoint_t[" in cdecl and not cdecl.endswith("[]")]
