"""A festival's own laurel artwork: refused when it holds what presskit never runs or fetches, placed as an
image of its own, its gradients drawn flat, in CMYK in print (and then passing the preflight)."""

from __future__ import annotations

import logging
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from presskit.artwork import official_svg
from presskit.build import BuildOptions, build_kit
from presskit.errors import DataError
from presskit.images import rgb_to_cmyk
from presskit.load import load_film
from presskit.preflight import preflight

SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 120">{}</svg>'
GOLD = (
    '<defs><linearGradient id="gold"><stop offset="0" stop-color="#f5d77a"/>'
    '<stop offset="1" style="stop-color:#a0762b"/></linearGradient>'
    "<style>.t { fill: rgb(40, 40, 40) }</style></defs>"
    '<path d="M20 100 Q10 60 40 20 Q30 60 45 100 Z" fill="url(#gold)"/>'
    '<path d="M180 100 Q190 60 160 20 Q170 60 155 100 Z" style="fill:url(#gold)"/>'
    '<text x="100" y="55" class="t">KVIFF</text>'
    '<text x="100" y="80" fill="darkred" stroke="none">OFFICIAL SELECTION</text>'
)
PROFILE = Path("/usr/share/color/icc/ghostscript/default_cmyk.icc")


def svg_file(tmp_path: Path, body: str, name: str = "laurel.svg") -> Path:
    path = tmp_path / name
    path.write_text(SVG.format(body), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "body, expected",
    [
        ("<script>alert(1)</script>", "got a <script> element, which presskit does not place"),
        ('<foreignObject><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject>', "<foreignObject>"),
        ('<rect width="5" height="5" onload="x()"/>', "an event handler (onload=...) on <rect>"),
        (
            '<image href="http://tracker.example/pixel.png" width="5" height="5"/>',
            "<image> refers to 'http://tracker.example/pixel.png': expected a reference inside the file",
        ),
        (
            '<image xmlns:xlink="http://www.w3.org/1999/xlink" xlink:href="../../secret.png" width="5" height="5"/>',
            "refers to '../../secret.png'",
        ),
        ('<rect width="5" height="5" style="fill:url(https://example.com/x.svg#p)"/>', "refers to another file"),
        ('<style>@import url("#x");</style>', "refers to another file"),
        ('<rect width="5" height="5" fill="url(file:///etc/passwd#p)"/>', "a style of <rect> refers to another file"),
    ],
)
def test_what_is_never_run_or_fetched_is_refused_naming_the_file(tmp_path, body, expected):
    with pytest.raises(DataError) as caught:
        official_svg(svg_file(tmp_path, body), "film.yaml: festivals: cannes: laurel_artwork press/cannes.svg")
    message = str(caught.value)
    assert message.startswith("film.yaml: festivals: cannes: laurel_artwork press/cannes.svg: "), message
    assert expected in message


def test_not_an_svg_is_refused(tmp_path):
    (tmp_path / "a.svg").write_text("<svg><g></svg>")
    with pytest.raises(DataError, match="a.svg: expected an SVG file \\(XML\\), got one that does not parse"):
        official_svg(tmp_path / "a.svg", "a.svg")
    (tmp_path / "b.svg").write_text('<html xmlns="http://www.w3.org/1999/xhtml"><body/></html>')
    with pytest.raises(DataError, match="b.svg: expected an SVG document, got a <html> element at its root"):
        official_svg(tmp_path / "b.svg", "b.svg")


def test_written_out_again_so_nothing_can_close_the_page_markup(tmp_path):
    placed = official_svg(
        svg_file(tmp_path, '<text>&lt;/div&gt;&lt;h1&gt;x</text><rect href="#a" width="1" height="1"/>'), "x"
    )
    assert "</div>" not in placed and "&lt;/div&gt;" in placed
    root = ET.fromstring(placed)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    # a link around the drawing loses its address (an image's links cannot be followed), the drawing stays
    linked = official_svg(
        svg_file(tmp_path, '<a href="https://festival.example"><rect width="1" height="1"/></a>', "a.svg"), "x"
    )
    assert "festival.example" not in linked and "<a><rect" in linked
    # an editor's metadata (another namespace) is left out
    inkscape = official_svg(
        svg_file(
            tmp_path,
            '<x:namedview xmlns:x="http://www.inkscape.org/namespaces/inkscape" '
            'x:zoom="2"/><rect width="1" height="1"/>',
            "ink.svg",
        ),
        "x",
    )
    assert "namedview" not in inkscape and "<rect" in inkscape
    # an SVG written without its namespace gets it
    bare = tmp_path / "bare.svg"
    bare.write_text('<svg viewBox="0 0 1 1"><rect width="1" height="1" fill="red"/></svg>')
    assert ET.fromstring(official_svg(bare, "x")).find("{http://www.w3.org/2000/svg}rect") is not None


def test_gradients_drawn_flat_and_colours_in_cmyk_for_print(tmp_path, caplog):
    path = svg_file(tmp_path, GOLD)
    with caplog.at_level(logging.WARNING, logger="presskit"):
        screen = official_svg(path, "the-film.yaml: laurel_artwork")
    assert "url(#gold)" not in screen and screen.count("#caa652") == 2  # the mean of #f5d77a and #a0762b
    assert "gradients are drawn flat" in caplog.text and "the-film.yaml: laurel_artwork" in caplog.text

    to_cmyk = lambda colours: rgb_to_cmyk(colours, PROFILE)
    printed = official_svg(path, "x", to_cmyk)
    assert "#" not in printed.replace("#gold", "") and "rgb(" not in printed and "darkred" not in printed
    gold = "device-cmyk({:.4g} {:.4g} {:.4g} {:.4g})".format(*to_cmyk([(202, 166, 82)])[0])
    assert printed.count(gold) == 2
    assert 'stroke="none"' in printed  # not a colour: left alone
    c, m, y, k = to_cmyk([(139, 0, 0)])[0]  # darkred: mostly magenta and yellow
    assert m > 0.8 and y > 0.8 and c < 0.5


@pytest.mark.slow
def test_a_kit_with_official_gradient_artwork_passes_preflight_and_draws_it(demo_copy, tmp_path):
    film_dir = tmp_path / "red-rooms"
    shutil.copytree(demo_copy / "films" / "red-rooms", film_dir)
    (film_dir / "press").mkdir()
    svg_file(film_dir / "press", GOLD, "kviff.svg")
    yaml = film_dir / "film.yaml"
    text = yaml.read_text(encoding="utf-8")
    marker = "    premiere: world\n    official_selection: true\n"
    assert marker in text
    yaml.write_text(text.replace(marker, marker + "    laurel_artwork: press/kviff.svg\n", 1), encoding="utf-8")
    build_kit(film_dir, BuildOptions(out_dir=tmp_path / "out"))
    out = tmp_path / "out" / "films" / "red-rooms"
    report = preflight(out / "presskit-print.pdf", "x-4")
    assert report.ok, report.format_text()
    for name in ("presskit.pdf", "presskit-print.pdf"):
        page = pdfium.PdfDocument(str(out / name))[0]
        assert "OFFICIAL SELECTION" in page.get_textpage().get_text_range()
        image = page.render(scale=1).to_pil().convert("RGB")
        data = image.tobytes()
        golden = sum(
            1
            for r, g, b in zip(data[0::3], data[1::3], data[2::3])
            if r > 150 and 110 < g < 200 and b < 120 and r - b > 80
        )
        assert golden > 200, (name, golden)  # the two flat gold branches are drawn


def test_validate_reports_a_dangerous_artwork_with_its_line(demo_copy, tmp_path):
    film_dir = tmp_path / "red-rooms"
    shutil.copytree(demo_copy / "films" / "red-rooms", film_dir)
    svg_file(film_dir, "<script>x()</script>", "kviff.svg")
    yaml = film_dir / "film.yaml"
    text = yaml.read_text(encoding="utf-8")
    marker = "    premiere: world\n    official_selection: true\n"
    yaml.write_text(text.replace(marker, marker + "    laurel_artwork: kviff.svg\n", 1), encoding="utf-8")
    line = next(i for i, row in enumerate(yaml.read_text().splitlines(), 1) if "laurel_artwork" in row)
    with pytest.raises(DataError) as caught:
        load_film(film_dir)
    assert f"film.yaml:{line}: festivals[0].laurel_artwork: kviff.svg: expected an SVG drawing, got a <script>" in str(
        caught.value
    )
