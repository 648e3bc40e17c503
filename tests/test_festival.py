"""festival.yaml: the schema's exact messages, the cross-checks against the project's films, and problems
reported together with the films' own."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
import yaml
from conftest import DEMO, MINIMAL_FILM, write_film

from presskit.errors import DataError
from presskit.load import load_project

FESTIVAL = """\
id: test-fest-2024
name: {en: Test Festival, fr: Festival test}
year: 2024
dates: {start: 2024-09-05, end: 2024-09-08}
venues:
  - {id: main-hall, name: Main Hall, screens: [Hall 1, Hall 2]}
  - {id: rio, name: The Rio}
sections:
  - id: competition
    title: {en: Competition, fr: Compétition}
    films: [small-film]
  - id: panorama
    title: Panorama
    colour: [100, 45, 0, 10]
    films:
      - {film: other-film, festival_entry: elsewhere-2023, page: half}
screenings:
  - {film: small-film, date: 2024-09-06, time: "19:30", venue: main-hall, screen: Hall 1, code: C02}
  - {film: small-film, date: 2024-09-05, time: 21:00, venue: rio, code: C01, rating: 19+}
  - {film: other-film, date: 2024-09-07, time: "14:00", venue: main-hall, code: P01}
"""

OTHER_FILM = """\
title: Other Film
directors:
  - name: Bo Director
festivals:
  - id: elsewhere-2023
    festival: Elsewhere
    year: 2023
    synopsis: A synopsis written for Elsewhere.
"""


def make_project(root: Path, festival: str = FESTIVAL, extra_films: dict[str, str] | None = None) -> Path:
    """A two-film project with a festival file; `festival` is written as given."""
    (root / "presskit.yaml").write_text("name: t\nfilms: films\nfestival: festival.yaml\n")
    write_film(root / "films" / "small-film", MINIMAL_FILM, {"images/key.jpg": (1800, 2700)})
    write_film(root / "films" / "other-film", OTHER_FILM)
    for slug, text in (extra_films or {}).items():
        write_film(root / "films" / slug, text)
    (root / "festival.yaml").write_text(textwrap.dedent(festival), encoding="utf-8")
    return root


def problems(root: Path) -> list[str]:
    with pytest.raises(DataError) as info:
        load_project(root)
    return [str(p) for p in info.value.problems]


def test_a_valid_festival_loads_with_the_project(tmp_path):
    project = load_project(make_project(tmp_path))
    source = project.festival
    f = source.festival
    assert f.name == {"en": "Test Festival", "fr": "Festival test"}
    assert f.trim == "170mm 240mm"  # the default catalogue trim size
    assert source.slugs() == ["small-film", "other-film"]
    assert [s.code for s in source.screenings("small-film")] == ["C01", "C02"]  # in time order
    assert source.screenings("small-film")[0].time == "21:00"  # YAML's sexagesimal 21:00 read back
    listing = source.listing("other-film")
    assert (listing.section.id, listing.item.festival_entry, listing.item.page) == (
        "panorama",
        "elsewhere-2023",
        "half",
    )
    assert source.listing("small-film").item.page == "full"
    assert source.entry_for("other-film", project.film("other-film").film).festival == "Elsewhere"
    assert source.entry_for("small-film", project.film("small-film").film) is None


def test_unknown_film_and_venue_in_a_screening(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    festival = FESTIVAL.replace("{film: small-film, date: 2024-09-06", "{film: smal-film, date: 2024-09-06")
    festival = festival.replace("venue: rio, code: C01", "venue: main-hal, code: C01")
    assert problems(make_project(tmp_path, festival)) == [
        "festival.yaml:18: screenings[0].film: expected the slug of a film in the project, got 'smal-film' "
        "in screening C02; did you mean 'small-film'?",
        "festival.yaml:19: screenings[1].venue: expected a venue id from venues (main-hall, rio), got "
        "'main-hal' in screening C01; did you mean 'main-hall'?",
    ]


def test_bad_time_date_and_unknown_key(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    festival = FESTIVAL.replace('time: "19:30"', 'time: "25:00"').replace("date: 2024-09-07", "date: 2024-09-31")
    festival = festival.replace("    colour: [100, 45, 0, 10]", "    color: [100, 45, 0, 10]")
    assert problems(make_project(tmp_path, festival)) == [
        "festival.yaml:14: sections[1].color: unknown key; did you mean 'colour'?",
        "festival.yaml:18: screenings[0].time: expected a time as HH:MM (24-hour) or h:mm AM/PM (12-hour), got '25:00'",
        "festival.yaml:20: screenings[2].date: expected a date as YYYY-MM-DD, got '2024-09-31'",
    ]


def test_cross_checks_each_name_their_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    festival = (
        FESTIVAL.replace("dates: {start: 2024-09-05, end: 2024-09-08}", "dates: {start: 2024-09-05, end: 2024-09-07}")
        .replace("  - {id: rio, name: The Rio}", "  - {id: main-hall, name: The Rio}")
        .replace("    films: [small-film]", "    films: [small-film, other-film]")
        .replace("screen: Hall 1, code: C02", "screen: Hall 3, code: C01")
        .replace("date: 2024-09-07, time", "date: 2024-09-08, time")
    )
    assert problems(make_project(tmp_path, festival)) == [
        "festival.yaml:7: venues[1].id: expected each venue id once, got 'main-hall' again (first at venues[0])",
        "festival.yaml:16: sections[1].films[0].film: expected each film in one section, got 'other-film' also "
        "in section 'competition' (sections[0].films[1].film)",
        "festival.yaml:18: screenings[0].screen: expected one of the screens of Main Hall (Hall 1, Hall 2), "
        "got 'Hall 3'",
        "festival.yaml:19: screenings[1].venue: expected a venue id from venues (main-hall), got 'rio' in "
        "screening C01",
        "festival.yaml:19: screenings[1].code: expected each screening code once, got 'C01' again "
        "(first at screenings[0])",
        "festival.yaml:20: screenings[2].date: expected a date within the festival (2024-09-05 to 2024-09-07), "
        "got 2024-09-08 in screening P01",
    ]


def test_unknown_festival_entry_and_unlisted_film(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    festival = FESTIVAL.replace("festival_entry: elsewhere-2023", "festival_entry: elsewere-2023").replace(
        "    films: [small-film]", "    films: []"
    )
    assert problems(make_project(tmp_path, festival)) == [
        "festival.yaml:16: sections[1].films[0].festival_entry: expected the id of one of other-film's "
        "festival entries (elsewhere-2023), got 'elsewere-2023'; did you mean 'elsewhere-2023'?",
        "festival.yaml:18: screenings[0].film: expected a film listed in a section, got 'small-film' in "
        "screening C02, which no section lists",
        "festival.yaml:19: screenings[1].film: expected a film listed in a section, got 'small-film' in "
        "screening C01, which no section lists",
    ]


@pytest.mark.parametrize(
    "line, replacement, message",
    [
        (
            "year: 2024",
            "year: 2024\ntrim: A5",
            "trim: expected a page size as width and height between 80mm and 600mm, such as '170mm 240mm', got 'A5'",
        ),
        (
            "year: 2024",
            "year: 2024\ncolophon: {issn: 1234-5678}",
            "colophon.issn: expected an ISSN such as '1234-5679' "
            "(four digits, hyphen, three digits and a check digit), got '1234-5678'",
        ),
        (
            "    colour: [100, 45, 0, 10]",
            "    colour: [100, 45, 0]",
            "sections[1].colour: expected a CMYK colour as "
            "four percentages, such as [5, 100, 90, 20], got [100, 45, 0]",
        ),
        ("page: half", "page: third", "sections[1].films[0].page: expected one of 'full' or 'half', got 'third'"),
    ],
)
def test_schema_messages(tmp_path, monkeypatch, line, replacement, message):
    monkeypatch.chdir(tmp_path)
    found = problems(make_project(tmp_path, FESTIVAL.replace(line, replacement.replace("\\n", "\n"), 1)))
    assert [p.split(": ", 1)[1] for p in found] == [message]


def test_festival_problems_come_with_the_film_problems(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    root = make_project(
        tmp_path,
        FESTIVAL.replace("venue: rio, code: C01", "venue: the-rio, code: C01"),
        {"broken-film": "title: Broken\nruntime: 118 mins\ndirectors: [{name: A}]\n"},
    )
    assert problems(root) == [
        "films/broken-film/film.yaml:2: runtime: expected minutes as a whole number, got '118 mins'",
        "festival.yaml:19: screenings[1].venue: expected a venue id from venues (main-hall, rio), got 'the-rio' "
        "in screening C01; did you mean 'rio'?",
    ]


def test_an_invalid_film_still_counts_as_a_film_of_the_project(tmp_path, monkeypatch):
    """Its own problems are reported; the festival does not add an 'unknown film' for it."""
    monkeypatch.chdir(tmp_path)
    root = make_project(tmp_path)
    (root / "films" / "other-film" / "film.yaml").write_text("title: Other\nrunetime: 9\ndirectors: [{name: A}]\n")
    assert problems(root) == ["films/other-film/film.yaml:2: runetime: unknown key; did you mean 'runtime'?"]


def test_a_missing_festival_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    root = make_project(tmp_path)
    (root / "festival.yaml").unlink()
    assert problems(root) == [
        "presskit.yaml: festival: expected a festival file inside the project, got 'festival.yaml', which does "
        "not exist"
    ]


def test_the_demo_festival_is_valid_and_lists_every_demo_film(demo_copy):
    """data/festival.yaml: a demo edition with every bundled film, sections, screenings over several days
    and venues, ratings per venue, sponsors, staff and a placeholder ISSN."""
    raw = yaml.safe_load((DEMO / "festival.yaml").read_text(encoding="utf-8"))
    project = load_project(demo_copy)
    source = project.festival
    f = source.festival
    assert "Demo" in f.name["en"] and "demonstration" in f.welcome.text["en"]
    assert sorted(source.slugs()) == sorted(p.name for p in (DEMO / "films").iterdir() if (p / "film.yaml").is_file())
    assert len(f.sections) >= 2 and all("demo" in s.intro["en"].lower() for s in f.sections)
    assert len({s.date for s in f.screenings}) >= 2 and len({s.venue for s in f.screenings}) >= 2
    ratings = {(s.venue, s.rating) for s in source.screenings("red-rooms") if s.rating}
    assert ratings == {("international-village", "18+"), ("rio", "19+")}
    assert any(s.qa for s in f.screenings) and f.sponsors and f.staff
    assert f.colophon.issn == "0000-0000" and "placeholder" in f.colophon.credits["en"]
    assert raw["trim"] == f.trim == "170mm 240mm"


def test_a_remembered_festival_file_is_read_again_for_the_lines_of_its_problems(tmp_path, monkeypatch):
    """The memo gives the festival file's data as parsed last time; a problem found in it then (a film of
    the festival removed since) is still reported with its line."""
    import shutil

    from presskit import festival as festival_module
    from presskit.cache import State

    monkeypatch.chdir(tmp_path)
    root = make_project(tmp_path)
    state = State(tmp_path)
    load_project(root, memo=state.memo("tag"))
    state.save()
    parsed = []
    read_yaml = festival_module.read_yaml
    monkeypatch.setattr(
        festival_module, "read_yaml", lambda path, *limits: parsed.append(path.name) or read_yaml(path, *limits)
    )
    load_project(root, memo=State(tmp_path).memo("tag"))
    assert parsed == []  # remembered: not parsed again
    shutil.rmtree(root / "films" / "other-film")
    with pytest.raises(DataError) as info:
        load_project(root, memo=State(tmp_path).memo("tag"))
    assert parsed == ["festival.yaml"]
    lines = [str(p).split(": ", 2)[:2] for p in info.value.problems]
    assert lines == [["festival.yaml:16", "sections[1].films[0].film"], ["festival.yaml:20", "screenings[2].film"]]


CHICAGO_FILM = """\
title: Chicago Film
directors:
  - name: Cy Director
festivals:
  - id: chicago-2022
    festival: Chicago International Film Festival
    year: 2022
    screenings:
      - {date: 2022-10-19, time: "17:30", venue: AMC River East, screen: Screen 4, city: Chicago}
  - id: test-fest-2024
    festival: Test Festival
    year: 2024
    synopsis: Its own synopsis.
    screenings:
      - {date: 2024-09-06, venue: Main Hall, screen: Hall 2}
"""


def test_a_festival_life_screening_elsewhere_and_before_is_accepted(tmp_path, monkeypatch):
    """Chicago 2022 (date, time, venue, screen, city) in the film's festival life, outside this festival's
    dates: accepted; only the film's screenings at the project's own festival are checked against them."""
    monkeypatch.chdir(tmp_path)
    festival = FESTIVAL.replace("films: [small-film]", "films: [small-film, chicago-film]")
    project = load_project(make_project(tmp_path, festival, {"chicago-film": CHICAGO_FILM}))
    [chicago, _] = project.film("chicago-film").film.festivals
    s = chicago.screenings[0]
    expected = ("2022-10-19", "17:30", "AMC River East", "Screen 4", "Chicago")
    assert (str(s.date), s.time, s.venue, s.screen, s.city) == expected


def test_a_screening_at_the_projects_festival_outside_its_dates_is_an_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    festival = FESTIVAL.replace("films: [small-film]", "films: [small-film, chicago-film]")
    film = CHICAGO_FILM.replace("{date: 2024-09-06, venue: Main Hall", "{date: 2024-09-16, venue: Main Hall")
    assert problems(make_project(tmp_path, festival, {"chicago-film": film})) == [
        "festival.yaml:11: sections[0].films[1].film: expected chicago-film's screenings at this festival (its "
        "film.yaml: festivals: test-fest-2024: screenings[0]) within the festival (2024-09-05 to 2024-09-08), "
        "got 2024-09-16"
    ]


def test_a_programme_text_taken_from_elsewhere_is_warned(tmp_path, monkeypatch, caplog):
    """small-film has no entry for the festival; chicago-film's entry has no synopsis: each warned once,
    naming the film and what its programme page and catalogue entry print instead."""
    monkeypatch.chdir(tmp_path)
    festival = FESTIVAL.replace("films: [small-film]", "films: [small-film, chicago-film]")
    film = CHICAGO_FILM.replace("    synopsis: Its own synopsis.\n", "").replace(
        "    year: 2022\n", "    year: 2022\n    synopsis: Chicago's synopsis.\n"
    )
    with caplog.at_level("WARNING", logger="presskit"):
        load_project(make_project(tmp_path, festival, {"chicago-film": film}))
    assert [r.getMessage() for r in caplog.records] == [
        "warning: small-film has no festivals[] entry for this festival: its programme page and catalogue entry "
        "print its texts.synopsis_short",
        "warning: chicago-film has no synopsis in its 'test-fest-2024' entry: its programme page and catalogue "
        "entry print the synopsis of its 'chicago-2022' entry",
    ]
    caplog.clear()
    chosen = festival.replace("films: [small-film, chicago-film]", "films: [{film: small-film, texts: film}]")
    with caplog.at_level("WARNING", logger="presskit"):
        load_project(make_project(tmp_path, chosen, {"chicago-film": film}))
    assert caplog.records == []  # the film's own texts, chosen: nothing falls back
