"""What real festival pages say, printed where it belongs (issue 16): on the demo's real films, tested on
the PDFs' text and its place on the page."""

from __future__ import annotations

import re
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from presskit.load import load_project
from presskit.products import make
from presskit.settings import BuildOptions

pytestmark = pytest.mark.slow


def pages_text(path: Path) -> list[str]:
    """Each page's text, white space made single."""
    pdf = pdfium.PdfDocument(str(path))
    try:
        return [re.sub(r"[\s\u00ad\ufffe]+", " ", page.get_textpage().get_text_range()) for page in pdf]
    finally:
        pdf.close()


def find_box(path: Path, page_index: int, text: str) -> tuple[float, float, float, float]:
    """(left, bottom, right, top) in points of the first occurrence of `text` on a page."""
    pdf = pdfium.PdfDocument(str(path))
    try:
        page = pdf[page_index]
        found = page.get_textpage().search(text, match_case=False).get_next()
        assert found is not None, f"{text!r} not on page {page_index + 1}"
        return page.get_textpage().get_charbox(found[0])
    finally:
        pdf.close()


@pytest.fixture(scope="module")
def built(demo_copy, tmp_path_factory):
    """The screen kits of Inshallah a Boy and Red Rooms, and Blaga's Lessons' programme page."""
    out = tmp_path_factory.mktemp("real-out")
    project = load_project(demo_copy)
    kit = make("kit", project, BuildOptions(out_dir=out, edition="screen"))
    programme = make("programme", project, BuildOptions(out_dir=out, edition="screen"))
    paths = {}
    for slug in ("inshallah-a-boy", "red-rooms"):
        [paths[f"{slug}/kit"]] = kit.write(project.film(slug), kit.settings.edition("screen"))
    [paths["blagas-lessons/programme"]] = programme.write(
        project.film("blagas-lessons"), programme.settings.edition("screen")
    )
    return paths


def test_the_kit_lists_recognitions_with_their_body(built):
    """Jordan's Academy Award submission and the APSA prize print on the festivals page, body and year first."""
    path = built["inshallah-a-boy/kit"]
    pages = pages_text(path)
    [page] = [i for i, text in enumerate(pages) if "Academy Awards 2024" in text]
    text = pages[page]
    assert "Academy Awards 2024 ★ Official submission of Jordan: Best International Feature Film" in text
    assert "Asia Pacific Screen Awards 2023 ★ Winner: Best Performance" in text
    body = find_box(path, page, "Academy Awards 2024")
    what = find_box(path, page, "Official submission of Jordan")
    assert what[3] < body[1]  # the recognition under its body


def test_the_kit_prints_a_rating_with_its_source(built):
    """Red Rooms' VIFF ratings, each saying whose it is (the festival) and where."""
    text = " ".join(pages_text(built["red-rooms/kit"]))
    assert "18+ (VIFF 2023, at International Village); 19+ (VIFF 2023, at The Rio)" in text


def test_a_festival_life_screening_prints_with_screen_and_city(built):
    text = " ".join(pages_text(built["inshallah-a-boy/kit"]))
    assert "International Film Festival of Ottawa 2024 Sun 17 Mar 2024, 19:45, Ottawa Art Gallery, Ottawa" in text


def test_a_critics_week_without_official_selection_makes_no_official_selection_laurel(built):
    """Cannes Critics' Week gives awards, never an OFFICIAL SELECTION; TIFF's page says so and gets one."""
    text = " ".join(pages_text(built["inshallah-a-boy/kit"]))
    assert text.count("OFFICIAL SELECTION") == 2  # TIFF's, on the cover and on the festivals page
    assert "Toronto International Film Festival 2023 Centrepiece · Official Selection" in text
    assert "Cannes Critics’ Week 2023 World Premiere ★ Winner: Gan Foundation Award" in text


def test_the_programme_page_says_there_is_no_rating_for_the_festivals_country(built):
    path = built["blagas-lessons/programme"]
    [text] = pages_text(path)
    assert "No rating for Canada" in text
    screenings = find_box(path, 0, "SCREENINGS")
    none = find_box(path, 0, "No rating for Canada")
    assert none[3] < screenings[1]  # in the sidebar, under the screenings
    assert "CO-PRODUCTION Bulgarian National Television, 42film" in text
