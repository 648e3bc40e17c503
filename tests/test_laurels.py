"""Laurels: ranking, SVG drawing (flat, print-safe, well-formed) and writing the files."""
from __future__ import annotations

import base64
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from presskit.laurels import Laurel, laurel_svg, laurels_for, top_laurels, write_laurels
from presskit.model import Film

SVG_NS = "{http://www.w3.org/2000/svg}"


def make_film(*festivals: dict) -> Film:
    return Film.model_validate({"title": "X", "directors": [{"name": "A"}], "festivals": list(festivals)})


@pytest.fixture
def film() -> Film:
    return make_film(
        {"id": "smallfest", "festival": "Small Town Film Days", "year": 2024, "tier": 3},
        {
            "id": "fantasia-2023",
            "festival": "Fantasia International Film Festival",
            "year": 2023,
            "tier": 2,
            "awards": [
                {"name": "Best Director", "result": "nominee"},
                {"name": "Best Film", "prize": "Cheval Noir", "result": "winner"},
            ],
        },
        {"id": "berlinale", "festival": "Berlinale", "year": 2023, "tier": 1, "premiere": "world"},
        {"id": "tiff", "festival": "Toronto International Film Festival", "year": 2023, "tier": 1,
         "premiere": "north-american"},
        {"id": "thessaloniki", "festival": "Thessaloniki", "year": 2023, "premiere": "national",
         "premiere_label": "Greek Premiere"},
        {"id": "sitges", "festival": "Sitges", "year": 2022, "tier": 1,
         "awards": [{"name": "Best Actress", "result": "special-mention"}]},
        {"id": "national-no-label", "festival": "Nowhere Fest", "year": 2022, "premiere": "national"},
        {"id": "not-selected", "festival": "Market Screening", "year": 2022, "official_selection": False},
    )


def test_ranking_follows_the_documented_rule(film: Film) -> None:
    order = [(lau.festival_id, lau.status) for lau in laurels_for(film)]
    assert order == [
        ("berlinale", "WORLD PREMIERE"),  # major (tier-1) festivals lead
        ("sitges", "SPECIAL MENTION"),
        ("tiff", "NORTH AMERICAN PREMIERE"),
        ("fantasia-2023", "WINNER"),  # within a tier, a win comes first
        ("fantasia-2023", "NOMINEE"),
        ("thessaloniki", "GREEK PREMIERE"),
        ("national-no-label", "OFFICIAL SELECTION"),  # tier 2, before the tier-3 selection
        ("smallfest", "OFFICIAL SELECTION"),
    ]
    # A festival with awards gives no premiere/selection laurel; not selected and no awards gives none.
    assert all(lau.festival_id != "not-selected" for lau in laurels_for(film))


def test_laurel_fields_and_slug(film: Film) -> None:
    winner = laurels_for(film)[3]
    assert winner.award == "CHEVAL NOIR – BEST FILM"
    assert winner.festival == "Fantasia International Film Festival"
    assert winner.year == 2023 and winner.artwork is None
    assert winner.slug == "fantasia-2023-winner-cheval-noir-best-film"  # year not repeated
    berlinale = laurels_for(film)[0]
    assert berlinale.award is None and berlinale.slug == "berlinale-2023-world-premiere"


def test_ties_break_on_tier_then_recent_year_then_order() -> None:
    film = make_film(
        {"id": "a", "festival": "A", "year": 2020, "tier": 2},
        {"id": "b", "festival": "B", "year": 2022, "tier": 2},
        {"id": "c", "festival": "C", "year": 2020, "tier": 1},
        {"id": "d", "festival": "D", "year": 2020, "tier": 2},
    )
    assert [lau.festival_id for lau in laurels_for(film)] == ["c", "b", "a", "d"]


def test_deterministic_without_duplicates_and_top(film: Film) -> None:
    first, second = laurels_for(film), laurels_for(film)
    assert first == second
    slugs = [lau.slug for lau in first]
    assert len(slugs) == len(set(slugs))
    assert top_laurels(film, 3) == first[:3]
    assert top_laurels(film, 0) == []
    twice = make_film(
        {"id": "f", "festival": "F", "year": 2021,
         "awards": [{"name": "Best Film"}, {"name": "Best Film"}]},
    )
    assert len(laurels_for(twice)) == 1


def _texts(svg: str) -> list[str]:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG_NS}svg"
    return [el.text or "" for el in root.iter(f"{SVG_NS}text")]


def _laurel(**changes) -> Laurel:
    base = dict(status="WINNER", award="CHEVAL NOIR – BEST FILM", festival="Fantasia International Film Festival",
                year=2023, festival_id="fantasia", artwork=None, rank=(2, 0, -2023, 0))
    return Laurel(**{**base, **changes})


def test_svg_is_a_standalone_document_with_all_texts() -> None:
    svg = laurel_svg(_laurel(), "gold")
    root = ET.fromstring(svg)
    assert root.get("viewBox") == "0 0 300 180"
    assert root.get("width") == "300px" and root.get("height") == "180px"
    lines = _texts(svg)
    assert lines[0] == "WINNER"
    assert "CHEVAL NOIR" in lines and "BEST FILM" in lines  # wrapped at the dash, dash dropped
    assert " ".join(lines).count("FANTASIA INTERNATIONAL") == 1 and "FILM FESTIVAL" in lines
    assert lines[-1] == "2023"
    assert "#B08D3C" in svg


def test_svg_escapes_ampersand_and_stays_inside_the_wreath() -> None:
    long_name = "Fantasy & Horror International Independent Film Festival of Greater Northern Somewhere"
    svg = laurel_svg(_laurel(festival=long_name, award="SPECIAL JURY PRIZE FOR OUTSTANDING ARTISTIC WORK"), "black")
    assert "&amp;" in svg
    lines = _texts(svg)
    assert any("&" in line for line in lines)
    root = ET.fromstring(svg)
    for el in root.iter(f"{SVG_NS}text"):
        size, y = float(el.get("font-size")), float(el.get("y"))
        assert 0.6 * size * len(el.text) <= 140  # estimated width fits between the branches
        assert 25 <= y <= 160


def test_svg_is_flat_and_self_contained() -> None:
    for colour in ("gold", "black", "white", "cmyk-black"):
        svg = laurel_svg(_laurel(), colour)
        for banned in ("Gradient", "opacity", "filter", "textPath", "<style", "href", "url(", "<image"):
            assert banned not in svg, (colour, banned)
        assert 'font-family="PK Sans, Inter, sans-serif"' in svg
    svg = laurel_svg(_laurel(), "gold")
    assert 'transform="translate(300 0) scale(-1 1)"' in svg
    root = ET.fromstring(svg)
    left, right = (g for g in root.iter(f"{SVG_NS}g") if (g.get("class") or "").startswith("branch-"))
    assert ET.tostring(left).count(b"<ns0:path") == ET.tostring(right).count(b"<ns0:path")
    assert 7 <= ET.tostring(left).count(b"<ns0:path") - 1 <= 13  # leaves, besides the stem


def test_svg_colours_and_determinism() -> None:
    assert 'fill="device-cmyk(0 0 0 1)"' in laurel_svg(_laurel(), "cmyk-black")
    assert 'fill="#fff"' in laurel_svg(_laurel(), "white")
    assert 'fill="#000"' in laurel_svg(_laurel(), "black")
    assert laurel_svg(_laurel(), "gold") == laurel_svg(_laurel(), "gold")
    with pytest.raises(ValueError):
        laurel_svg(_laurel(), "red")


def test_premiere_without_award_wraps_status() -> None:
    lines = _texts(laurel_svg(_laurel(status="NORTH AMERICAN PREMIERE", award=None), "gold"))
    assert lines[:2] == ["NORTH AMERICAN", "PREMIERE"]


def test_write_laurels_writes_three_colours(film: Film, tmp_path: Path) -> None:
    out = tmp_path / "out" / "laurels"
    paths = write_laurels(film, out, tmp_path)
    assert len(paths) == 3 * len(laurels_for(film))
    assert [p.name for p in paths[:3]] == [
        "berlinale-2023-world-premiere-gold.svg",
        "berlinale-2023-world-premiere-black.svg",
        "berlinale-2023-world-premiere-white.svg",
    ]
    for path in paths:
        ET.fromstring(path.read_text(encoding="utf-8"))
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in paths)  # no temp files left


def test_write_laurels_uses_official_artwork(tmp_path: Path) -> None:
    film_dir = tmp_path / "film"
    (film_dir / "press").mkdir(parents=True)
    official = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10"/></svg>'
    (film_dir / "press" / "cannes.svg").write_text(official)
    film = make_film(
        {"id": "cannes", "festival": "Festival de Cannes", "year": 2024, "tier": 1,
         "laurel_artwork": "press/cannes.svg"},
        {"id": "other", "festival": "Other", "year": 2024},
    )
    paths = write_laurels(film, tmp_path / "out", film_dir)
    assert [p.name for p in paths] == [
        "cannes-2024-official-selection-official.svg",
        "other-2024-official-selection-gold.svg",
        "other-2024-official-selection-black.svg",
        "other-2024-official-selection-white.svg",
    ]
    assert paths[0].read_text() == official


def test_write_laurels_refuses_artwork_outside_the_film_folder(tmp_path: Path) -> None:
    (tmp_path / "elsewhere.svg").write_text("<svg/>")
    film = make_film({"id": "x", "festival": "X", "year": 2024, "laurel_artwork": "../elsewhere.svg"})
    (tmp_path / "film").mkdir()
    with pytest.raises(ValueError, match="outside the film folder"):
        write_laurels(film, tmp_path / "out", tmp_path / "film")


@pytest.mark.slow
def test_laurel_svg_draws_in_weasyprint() -> None:
    weasyprint = pytest.importorskip("weasyprint")
    pdfium = pytest.importorskip("pypdfium2")
    data = base64.b64encode(laurel_svg(_laurel(), "cmyk-black").encode()).decode()
    html = f'<style>@page {{ size: 320px 200px; margin: 10px }}</style><img src="data:image/svg+xml;base64,{data}">'
    pdf = weasyprint.HTML(string=html).write_pdf()
    image = pdfium.PdfDocument(pdf)[0].render(scale=1).to_pil().convert("L")

    def ink(box: tuple[int, int, int, int]) -> int:
        return sum(image.crop(box).histogram()[:128])  # pixels darker than mid-grey

    width, height = image.size
    dark = ink((0, 0, width, height))
    assert dark > 0.02 * width * height  # wreath and text are drawn
    # The wreath is symmetric: about as much ink left of the centre as right of it.
    left, right = ink((0, 0, width // 2, height)), ink((width - width // 2, 0, width, height))
    assert abs(left - right) < 0.1 * dark
