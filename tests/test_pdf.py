"""The render stage: sandboxed URL fetcher, WeasyPrint log capture, atomic writes."""
from __future__ import annotations

from pathlib import Path

import pytest

from presskit.errors import RenderError
from presskit.pdf import RenderJob, make_fetcher, render_pdf, write_atomic


def job(tmp_path: Path, body: str) -> RenderJob:
    return RenderJob(html=f"<html><body>{body}</body></html>", base_url=tmp_path, roots=[tmp_path],
                     what="test document")


def test_fetcher_serves_files_inside_the_roots(tmp_path):
    (tmp_path / "a.css").write_text("p { color: red }")
    response = make_fetcher([tmp_path]).fetch((tmp_path / "a.css").as_uri())
    assert response.read() == b"p { color: red }"


@pytest.mark.parametrize("url", [
    "http://example.com/x.png",
    "https://example.com/x.css",
    "ftp://example.com/x",
    "file:///etc/passwd",
])
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
def test_a_character_no_bundled_font_has_fails_the_render(tmp_path):
    with pytest.raises(RenderError) as info:
        render_pdf(job(tmp_path, "<p>花樣年華</p>"))
    assert "U+82B1" in str(info.value)


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
