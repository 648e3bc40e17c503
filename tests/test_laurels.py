"""Laurels: ranking, SVG drawing (flat, print-safe, well-formed) and writing the files."""

from __future__ import annotations

import base64
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from presskit import laurels as laurel_module
from presskit.laurels import (
    HEIGHT,
    MIN_PLACED_WIDTH_MM,
    MIN_SIZE,
    WIDTH,
    Laurel,
    laurel_layout,
    laurel_svg,
    laurel_warnings,
    laurels_for,
    write_laurels,
)
from presskit.layoutconfig import load_labels
from presskit.load import load_project
from presskit.model import Film
from presskit.resources import builtin_layouts

SVG_NS = "{http://www.w3.org/2000/svg}"
ROOT = Path(__file__).resolve().parent.parent
PRINTERS_MIN_PT = 6.0  # printers reject smaller text (shared/notes/print-production.md)


def smallest_pt(layout) -> float:
    """The smallest line of a laurel layout, in printed points, with the laurel placed at its narrowest."""
    return min(size for _, size, _, _ in layout.lines) * laurel_module.PT_PER_UNIT


def make_film(*festivals: dict) -> Film:
    """A film whose festival entries are official selections unless they say otherwise."""
    entries = [{"official_selection": True, **entry} for entry in festivals]
    return Film.model_validate({"title": "X", "directors": [{"name": "A"}], "festivals": entries})


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
        {
            "id": "tiff",
            "festival": "Toronto International Film Festival",
            "year": 2023,
            "tier": 1,
            "premiere": "north-american",
        },
        {
            "id": "thessaloniki",
            "festival": "Thessaloniki",
            "year": 2023,
            "premiere": "national",
            "premiere_label": "Greek Premiere",
        },
        {
            "id": "sitges",
            "festival": "Sitges",
            "year": 2022,
            "tier": 1,
            "awards": [{"name": "Best Actress", "result": "special-mention"}],
        },
        {"id": "national-no-label", "festival": "Nowhere Fest", "year": 2022, "premiere": "national"},
        {"id": "not-selected", "festival": "Market Screening", "year": 2022, "official_selection": False},
    )


LABELS = {lang: load_labels((builtin_layouts(),), lang) for lang in ("en", "fr")}


def test_status_lines_follow_the_language(film: Film) -> None:
    english = [lau.status for lau in laurels_for(film)]
    assert [lau.status for lau in laurels_for(film, LABELS["en"])] == english
    assert english == [
        "WORLD PREMIERE",
        "SPECIAL MENTION",
        "NORTH AMERICAN PREMIERE",
        "WINNER",
        "NOMINEE",
        "GREEK PREMIERE",
        "OFFICIAL SELECTION",
        "OFFICIAL SELECTION",
    ]
    french = laurels_for(film, LABELS["fr"])
    assert [lau.status for lau in french] == [
        "PREMIÈRE MONDIALE",
        "MENTION SPÉCIALE",
        "PREMIÈRE NORD-AMÉRICAINE",
        "LAURÉAT",
        "NOMMÉ",
        "GREEK PREMIERE",  # a premiere_label is printed as the data gives it
        "SÉLECTION OFFICIELLE",
        "SÉLECTION OFFICIELLE",
    ]
    assert french[0].slug == "berlinale-2023-premiere-mondiale"
    # a project's own labels file without these keys: English, never a KeyError
    assert [lau.status for lau in laurels_for(film, {"result": {"winner": "  "}})] == english
    for laurel in french:  # the longer French words still fit the wreath at a readable size
        layout = laurel_layout(laurel)
        assert layout.overflow == 0 and smallest_pt(layout) >= PRINTERS_MIN_PT, laurel


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


def test_deterministic_without_duplicates(film: Film) -> None:
    first, second = laurels_for(film), laurels_for(film)
    assert first == second
    slugs = [lau.slug for lau in first]
    assert len(slugs) == len(set(slugs))
    twice = make_film(
        {"id": "f", "festival": "F", "year": 2021, "awards": [{"name": "Best Film"}, {"name": "Best Film"}]},
    )
    assert len(laurels_for(twice)) == 1


def _texts(svg: str) -> list[str]:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG_NS}svg"
    return [el.text or "" for el in root.iter(f"{SVG_NS}text")]


def _laurel(**changes) -> Laurel:
    base = dict(
        status="WINNER",
        award="CHEVAL NOIR – BEST FILM",
        festival="Fantasia International Film Festival",
        year=2023,
        festival_id="fantasia",
        artwork=None,
        rank=(2, 0, -2023, 0),
    )
    return Laurel(**{**base, **changes})


def test_svg_is_a_standalone_document_with_all_texts() -> None:
    svg = laurel_svg(_laurel(), "gold")
    root = ET.fromstring(svg)
    assert root.get("viewBox") == f"0 0 {WIDTH} {HEIGHT}"
    assert root.get("width") == f"{WIDTH}px" and root.get("height") == f"{HEIGHT}px"
    lines = _texts(svg)
    assert lines[0] == "WINNER"
    assert "CHEVAL NOIR" in lines and "BEST FILM" in lines  # wrapped at the dash, dash dropped
    assert " ".join(lines).count("FANTASIA INTERNATIONAL") == 1 and "FILM FESTIVAL" in lines
    assert lines[-1] == "2023"
    assert "#B08D3C" in svg


def test_svg_escapes_ampersand_and_stays_inside_the_wreath() -> None:
    long_name = "Fantasy & Horror International Independent Film Festival of Greater Northern Somewhere"
    laurel = _laurel(
        festival=long_name, award="SPECIAL JURY PRIZE FOR OUTSTANDING ARTISTIC WORK", short_name="Fantasy & Horror"
    )
    svg = laurel_svg(laurel, "black")
    assert "&amp;" in svg
    lines = _texts(svg)
    assert "FANTASY & HORROR" in lines and not any("SOMEWHERE" in line for line in lines)  # the short name
    assert long_name in ET.fromstring(svg).find(f"{SVG_NS}title").text  # the full name stays in the title
    layout = laurel_layout(laurel)
    assert layout.short_name and layout.overflow == 0  # every line inside the wreath
    for _, size, _, y in layout.lines:
        assert size >= MIN_SIZE - 1e-9 and 0 < y < HEIGHT


def test_without_a_short_name_a_name_too_long_overflows_but_never_shrinks() -> None:
    long_name = "Fantasy & Horror International Independent Film Festival of Greater Northern Somewhere"
    laurel = _laurel(festival=long_name, award="SPECIAL JURY PRIZE FOR OUTSTANDING ARTISTIC WORK", festival_id="fhff")
    layout = laurel_layout(laurel)
    assert layout.overflow > 0 and layout.slim and not layout.short_name  # the last resort
    assert smallest_pt(layout) >= laurel_module.MIN_TEXT_PT - 1e-9  # ... still at the minimum size
    assert laurel_warnings("x", [laurel]) == [
        f"warning: x: laurel '{laurel.slug}': its text does not fit inside the wreath at 6.2 pt (placed 40 mm "
        "wide); give festival 'fhff' a shorter short_name or a shorter award name"
    ]


def test_short_name_only_when_the_full_name_does_not_fit() -> None:
    fits = laurel_layout(
        _laurel(
            status="WORLD PREMIERE", award=None, festival="Karlovy Vary International Film Festival", short_name="KVIFF"
        )
    )
    assert not fits.short_name
    assert [t for t, *_ in fits.lines][-4:-1] == ["KARLOVY VARY", "INTERNATIONAL", "FILM FESTIVAL"]
    crowded = laurel_layout(_laurel(short_name="Fantasia"))  # WINNER, CHEVAL NOIR / BEST FILM, 3-line name
    assert crowded.short_name
    assert [t for t, *_ in crowded.lines] == ["WINNER", "CHEVAL NOIR", "BEST FILM", "FANTASIA", "2023"]
    # Without a short name the full name is still drawn, wrapped to 3 lines, none below the minimum.
    full = laurel_layout(_laurel())
    assert not full.short_name and full.overflow == 0 and "INTERNATIONAL" in [t for t, *_ in full.lines]


def test_prize_goes_on_its_own_line() -> None:
    layout = laurel_layout(_laurel(award="SANDRO FORTE AWARD – BEST MOTION PICTURE SCORE", short_name="Fantasia"))
    lines = [t for t, *_ in layout.lines]
    assert lines[:4] == ["WINNER", "SANDRO FORTE AWARD", "BEST MOTION", "PICTURE SCORE"]
    assert not any("–" in line for line in lines) and layout.overflow == 0


def test_slim_branches_widen_the_text_area_before_overflowing() -> None:
    word = "W" * 13  # one unbreakable word: too wide between normal branches at the minimum size
    layout = laurel_layout(_laurel(status="OFFICIAL SELECTION", award=None, festival=word))
    assert layout.slim and layout.overflow == 0 and word in [t for t, *_ in layout.lines]
    normal, slim = (
        laurel_svg(_laurel(), "black"),
        laurel_svg(_laurel(status="OFFICIAL SELECTION", award=None, festival=word), "black"),
    )
    assert normal.count("<path") == slim.count("<path")  # as many leaves, smaller inside


def test_wreath_stays_inside_the_view_box() -> None:
    for slim in (False, True):
        xs, ys = zip(*laurel_module._outline(slim))  # the left branch; the right one mirrors it
        assert min(xs) > 0 and max(xs) < WIDTH / 2 and min(ys) > 0 and max(ys) < HEIGHT


def _demo_laurels() -> list[Laurel]:
    project = load_project(ROOT / "data")
    return [laurel for source in project.films for laurel in laurels_for(source.film) if not laurel.artwork]


def test_demo_laurels_print_at_least_6pt_at_the_narrowest_placement() -> None:
    laurels = _demo_laurels()
    assert len(laurels) >= 6
    for laurel in laurels:
        root = ET.fromstring(laurel_svg(laurel, "cmyk-black"))
        view_width = float(root.get("viewBox").split()[2])
        pt_per_unit = MIN_PLACED_WIDTH_MM / view_width * 72 / 25.4
        texts = list(root.iter(f"{SVG_NS}text"))
        assert texts, laurel.slug
        for el in texts:
            printed = float(el.get("font-size")) * pt_per_unit
            assert printed >= PRINTERS_MIN_PT, (laurel.slug, el.text, round(printed, 2))
            assert printed >= laurel_module.MIN_TEXT_PT - 0.01, (laurel.slug, el.text, round(printed, 2))


def test_no_demo_laurel_needs_the_last_resort() -> None:
    for laurel in _demo_laurels():
        layout = laurel_layout(laurel)
        assert layout.overflow == 0, f"{laurel.slug}: text overflows the wreath by {layout.overflow:.1f} units"


def test_demo_laurels_take_the_short_name_from_the_festival_entry() -> None:
    by_slug = {laurel.slug: laurel for laurel in _demo_laurels()}
    winner = by_slug["fantasia-2023-winner-cheval-noir-best-film"]
    assert winner.short_name == "Fantasia" and winner.festival == "Fantasia International Film Festival"
    assert "FANTASIA" in _texts(laurel_svg(winner, "gold"))


# --- where the layouts place laurels -----------------------------------------------------------


def _css_rules(path: Path) -> list[tuple[str, str]]:
    """(selector, declarations) of every innermost rule of a CSS template."""
    text = re.sub(r"\{#.*?#\}|/\*.*?\*/", "", path.read_text(encoding="utf-8"), flags=re.S)
    text = re.sub(r"\{\{(.*?)\}\}", r"<<\1>>", text)  # Jinja expressions hold no braces of the CSS
    text = re.sub(r"\{%.*?%\}", "", text)
    return [(sel.strip().split(";")[-1].strip(), body) for sel, body in re.findall(r"([^{}]*)\{([^{}]*)\}", text)]


def _laurel_width_rules() -> list[tuple[Path, str, str]]:
    found = []
    for path in sorted((ROOT / "layouts").rglob("*.css.j2")):
        for selector, body in _css_rules(path):
            width = re.search(r"(?<![-\w])width:\s*([^;]+)", body)
            if "laurel" in selector and "svg" not in selector and width:
                found.append((path, selector, width.group(1).strip()))
    return found


def _onesheet_laurel_widths() -> list[float]:
    from presskit.paper import PAPERS
    from presskit.products.onesheet import BODY_STEPS, geometry

    return [
        geometry(paper, bleed, body / BODY_STEPS[0], ratio, grow)["laurel_w"]
        for paper in PAPERS.values()
        for bleed in (0.0, 3.0)
        for body in BODY_STEPS
        for ratio in (None, 0.675, 1.5)
        for grow in (0.0, 30.0)
    ]


def test_layouts_place_laurels_no_narrower_than_the_minimum() -> None:
    rules = _laurel_width_rules()
    selectors = {(path.parent.name, selector) for path, selector, _ in rules}
    assert {
        ("presskit", ".cover-laurels .laurel"),
        ("presskit", ".laurel-row .laurel"),
        ("onesheet", ".laurel"),
    } <= selectors
    for path, selector, width in rules:
        if width == "<< geo.laurel_w >>mm":
            assert min(_onesheet_laurel_widths()) >= MIN_PLACED_WIDTH_MM, (path.name, selector)
        else:
            number = re.fullmatch(r"(\d+(?:\.\d+)?)mm", width)
            assert number, f"{path.name} {selector}: laurel width {width!r} should be in mm"
            assert float(number.group(1)) >= MIN_PLACED_WIDTH_MM, (path.name, selector, width)
        body = dict(_css_rules(path))[selector]
        assert re.search(r"flex:\s*none", body), f"{path.name} {selector}: a flex item may shrink below its width"


def test_four_laurels_still_fit_a_row() -> None:
    rules = dict(_css_rules(ROOT / "layouts" / "presskit" / "kit.css.j2"))

    def mm(body: str, prop: str) -> float:
        return float(re.search(rf"(?<![-\w]){prop}:\s*([^;]+)", body).group(1).split()[-1].removesuffix("mm"))

    narrowest_page = 210.0  # A4; Letter is 215.9 mm wide
    cover = 4 * mm(rules[".cover-laurels .laurel"], "width") + 3 * mm(rules[".cover-laurels"], "gap")
    assert cover <= narrowest_page - 2 * 14  # .cover-text: 14 mm from each side
    section = 4 * mm(rules[".laurel-row .laurel"], "width") + 3 * mm(rules[".laurel-row"], "gap")
    assert section <= narrowest_page - 2 * 20  # the page margins
    assert 4 * max(_onesheet_laurel_widths()) + 3 * 0.6 * 7.0 <= narrowest_page - 2 * 12


def test_svg_is_flat_and_self_contained() -> None:
    for colour in ("gold", "black", "white", "cmyk-black"):
        svg = laurel_svg(_laurel(), colour)
        for banned in ("Gradient", "opacity", "filter", "textPath", "<style", "href", "url(", "<image"):
            assert banned not in svg, (colour, banned)
        assert 'font-family="PK Sans, Inter, sans-serif"' in svg
    svg = laurel_svg(_laurel(), "gold")
    assert f'transform="translate({WIDTH} 0) scale(-1 1)"' in svg
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
        {
            "id": "cannes",
            "festival": "Festival de Cannes",
            "year": 2024,
            "tier": 1,
            "laurel_artwork": "press/cannes.svg",
        },
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


def test_official_selection_only_when_the_entry_says_so() -> None:
    """No `official_selection`: no OFFICIAL SELECTION laurel (a festival's section does not imply one)."""
    entry = {"id": "berlinale-2024", "festival": "Berlinale", "year": 2024, "section": "Forum"}
    film = Film.model_validate({"title": "X", "directors": [{"name": "A"}], "festivals": [entry]})
    assert laurels_for(film) == []
    said = Film.model_validate(
        {"title": "X", "directors": [{"name": "A"}], "festivals": [{**entry, "official_selection": True}]}
    )
    assert [lau.status for lau in laurels_for(said)] == ["OFFICIAL SELECTION"]


def test_recognitions_make_laurels_that_say_what_they_are() -> None:
    film = Film.model_validate(
        {
            "title": "X",
            "directors": [{"name": "A"}],
            "recognitions": [
                {
                    "kind": "academy-award-submission",
                    "body": "Academy Awards",
                    "award": "Best International Feature Film",
                    "year": 2024,
                    "result": "submitted",
                    "country": "SA",
                },
                {"kind": "critics-award", "body": "Critics Circle", "award": "Best Film", "year": 2023}
                | {"result": "won"},
                {"kind": "national-award", "body": "Quiet Prize", "year": 2023, "result": "nominated", "laurel": False},
            ],
        }
    )
    found = [(lau.status, lau.award, lau.festival, lau.year) for lau in laurels_for(film)]
    assert found == [
        ("WINNER", "BEST FILM", "Critics Circle", 2023),
        ("OFFICIAL SUBMISSION", "SAUDI ARABIA – BEST INTERNATIONAL FEATURE FILM", "Academy Awards", 2024),
    ]
    assert not any("SELECTION" in status for status, *_ in found)
    french = [(lau.status, lau.award) for lau in laurels_for(film, LABELS["fr"], "fr")]
    assert french[1] == ("CANDIDATURE OFFICIELLE", "ARABIE SAOUDITE – BEST INTERNATIONAL FEATURE FILM")


def test_laurels_of_one_festival_share_its_name_and_warn_once(tmp_path: Path, caplog) -> None:
    """One Fantasia laurel needs the short name: all of them use it, and one warning says so."""
    fantasia = {
        "id": "fantasia-2023",
        "festival": "Fantasia International Film Festival",
        "short_name": "Fantasia",
        "year": 2023,
        "awards": [
            {"prize": "Cheval Noir", "name": "Best Film"},
            {"prize": "Sandro Forte Award", "name": "Best Motion Picture Score"},
            {"name": "Audience Award"},
        ],
    }
    film = make_film(fantasia)
    names = [laurel_layout(lau).lines for lau in laurels_for(film)]
    festival_lines = [[t for t, *_ in lines if t in ("FANTASIA", "INTERNATIONAL")] for lines in names]
    assert festival_lines == [["FANTASIA"]] * 3
    with caplog.at_level("WARNING", logger="presskit"):
        write_laurels(film, tmp_path / "x" / "laurels", tmp_path)
    assert [r.getMessage() for r in caplog.records] == [
        "warning: x: laurels of 'fantasia-2023': 'Fantasia International Film Festival' does not fit the wreath "
        "of every laurel; all 3 of its laurels use its short name 'Fantasia'"
    ]


def test_stale_laurels_of_an_earlier_build_are_removed(tmp_path: Path, caplog) -> None:
    """A renamed award: the earlier build's files go (presskit recorded them), a file of one's own stays
    and is named in a warning."""
    out, record = tmp_path / "x" / "laurels", tmp_path / "cache" / "x.json"
    entry = {"id": "fest-2024", "festival": "Fest", "year": 2024, "awards": [{"name": "Best Film"}]}
    first = write_laurels(make_film(entry), out, tmp_path, record=record)
    assert [p.name for p in first][0] == "fest-2024-winner-best-film-gold.svg"
    (out / "my-own.svg").write_text("<svg/>")
    renamed = {**entry, "awards": [{"name": "Best Feature"}]}
    with caplog.at_level("WARNING", logger="presskit"):
        second = write_laurels(make_film(renamed), out, tmp_path, record=record)
    assert sorted(p.name for p in out.iterdir()) == sorted([p.name for p in second] + ["my-own.svg"])
    assert [r.getMessage() for r in caplog.records] == [
        "warning: x: laurels/my-own.svg was not made by this build; left in place (remove it if it is an "
        "earlier build's laurel)"
    ]


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


def test_a_build_warns_of_a_film_s_laurels_once(demo_copy, tmp_path, caplog) -> None:
    """The kit and the one-sheet of a build share one warning of Red Rooms' laurels (the one-sheet alone
    gives it too)."""
    from presskit.products import make
    from presskit.products.base import BuildState
    from presskit.settings import BuildOptions

    project = load_project(demo_copy)
    onesheet = make("onesheet", project, BuildOptions(out_dir=tmp_path))
    kit = type(make("kit", project, BuildOptions(out_dir=tmp_path)))(onesheet.state)
    assert isinstance(onesheet.state, BuildState) and kit.state is onesheet.state
    source = project.film("red-rooms")
    with caplog.at_level("WARNING", logger="presskit"):
        kit.warn_laurels(source)
        onesheet.warn_laurels(source)
    assert [r.getMessage() for r in caplog.records] == [
        "warning: red-rooms: laurels of 'fantasia-2023': 'Fantasia International Film Festival' does not fit the "
        "wreath of every laurel; all 4 of its laurels use its short name 'Fantasia'"
    ]
