"""Validation: every problem reported at once, each with file, line, key, expected and found."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import write_film

from presskit.errors import DataError
from presskit.load import load_film, load_project


def problems_of(folder: Path) -> list[str]:
    with pytest.raises(DataError) as info:
        load_film(folder)
    return [str(p) for p in info.value.problems]


def test_minimal_film_loads(small_project):
    source = load_film(small_project / "films" / "small-film")
    assert source.slug == "small-film"
    assert source.film.title == {"en": "Small Film", "fr": "Petit film"}
    assert source.film.runtime == 90


def test_every_problem_is_reported_with_file_line_key(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "presskit.yaml").write_text("name: t\n")
    folder = write_film(
        tmp_path / "films" / "x",
        """\
        title: X
        titel: oops
        runtime: 118 mins
        year: 23
        countries: [CA, XX, NO]
        languages: [french]
        directors:
          - name: A
            headshot: {file: images/small.jpg}
        cast:
          - {name: B, charakter: C}
        festivals:
          - id: f1
            festival: F
            year: 2023
            premiere: wrld
            screenings:
              - {date: 2023-13-01, time: "25:00"}
              - {date: 2023-10-01, time: 19:30}
        images:
          key_art: {file: ../../../../etc/passwd}
          stills:
            - {file: images/missing.jpg}
        """,
        {"images/small.jpg": (300, 200)},
    )
    f = "films/x/film.yaml"
    assert problems_of(folder) == [
        f"{f}:2: titel: unknown key; did you mean 'title'?",
        f"{f}:3: runtime: expected minutes as a whole number, got '118 mins'",
        f"{f}:4: year: expected a four-digit year, got 23",
        f"{f}:5: countries[1]: expected an ISO 3166 country code such as 'CA' or 'FR', got 'XX'",
        f"{f}:6: languages[0]: expected an ISO 639 language code such as 'en' or 'fr', got 'french'",
        f"{f}:9: directors[0].headshot.file: expected at least 600 pixels on the long side for this use, "
        "got 300x200 (images/small.jpg)",
        f"{f}:11: cast[0].charakter: unknown key; did you mean 'character'?",
        f"{f}:16: festivals[0].premiere: expected one of 'world', 'international', 'north-american', "
        "'european', 'national' or 'regional', got 'wrld'; did you mean 'world'?",
        f"{f}:18: festivals[0].screenings[0].date: expected a date as YYYY-MM-DD, got '2023-13-01'",
        f"{f}:18: festivals[0].screenings[0].time: expected a time as HH:MM (24-hour) or h:mm AM/PM (12-hour), "
        "got '25:00'",
        f"{f}:21: images.key_art.file: expected a path inside the project, got '../../../../etc/passwd'",
        f"{f}:23: images.stills[0].file: expected an image file, got a path that does not exist (images/missing.jpg)",
    ]


def test_norway_and_times_survive_yaml_1_1_traps(tmp_path):
    folder = write_film(
        tmp_path / "f",
        """\
        title: T
        countries: [NO]
        directors: [{name: A}]
        festivals:
          - {id: f, festival: F, year: 2023, screenings: [{date: 2023-10-01, time: 19:30}]}
        """,
    )
    film = load_film(folder).film
    assert film.countries == ["NO"]
    assert film.festivals[0].screenings[0].time == "19:30"


def test_yaml_syntax_error_names_the_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    folder = write_film(tmp_path / "f", "title: X\ncast: [unclosed\n")
    [problem] = problems_of(folder)
    assert problem.startswith("f/film.yaml:3: YAML syntax: expected ',' or ']'")


def test_duplicate_key_is_an_error_not_a_silent_overwrite(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    folder = write_film(tmp_path / "f", "title: X\nyear: 2020\nyear: 2021\ndirectors: [{name: A}]\n")
    [problem] = problems_of(folder)
    assert problem == "f/film.yaml:3: YAML syntax: duplicate key 'year' (first at line 2)"


def test_missing_required_keys(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    folder = write_film(tmp_path / "f", "year: 2020\n")
    assert problems_of(folder) == [
        "f/film.yaml:1: directors: required key is missing",
        "f/film.yaml:1: title: required key is missing",
    ]


def test_undecodable_image(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    folder = write_film(tmp_path / "f", "title: X\ndirectors: [{name: A}]\nimages:\n  stills:\n    - {file: s.jpg}\n")
    (folder / "s.jpg").write_bytes(b"not an image at all")
    assert problems_of(folder) == [
        "f/film.yaml:5: images.stills[0].file: expected a JPEG, PNG, TIFF or WebP image, "
        "got a file that is not a readable image (s.jpg)"
    ]


def test_project_reports_problems_of_every_film(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "presskit.yaml").write_text("name: t\npaper: a5\n")
    write_film(tmp_path / "films" / "a", "title: A\nruntime: long\ndirectors: [{name: X}]\n")
    write_film(tmp_path / "films" / "b", "title: B\n")
    with pytest.raises(DataError) as info:
        load_project(tmp_path)
    assert [str(p) for p in info.value.problems] == [
        "presskit.yaml:2: paper: expected one of 'a4' or 'letter', got 'a5'",
        "films/a/film.yaml:2: runtime: expected minutes as a whole number, got 'long'",
        "films/b/film.yaml:1: directors: required key is missing",
    ]


def test_the_demo_project_is_valid():
    project = load_project(Path(__file__).resolve().parent.parent / "data")
    slugs = [f.slug for f in project.films]
    assert "red-rooms" in slugs and len(slugs) >= 8


def test_films_read_in_worker_processes_load_as_in_one(tmp_path, monkeypatch):
    """load_project with a process pool (the catalogue's workers) gives the same films, the same problems
    in the same order, and the same memo as reading every film in this process."""
    import presskit.load as load
    from presskit import pool
    from presskit.cache import State

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(load, "PARALLEL_LOAD_MIN", 4)
    (tmp_path / "presskit.yaml").write_text("name: t\n")
    for i in range(30):
        body = (
            "title: F\nruntime: long\ndirectors: [{name: X}]\n"
            if i in (3, 17)
            else f"title: Film {i}\nslug: film-{i:02d}\ndirectors: [{{name: X}}]\nimages: {{stills: [{{file: s.jpg}}]}}\n"  # noqa: E501
        )
        write_film(tmp_path / "films" / f"f{i:02d}", body, {"s.jpg": (1600, 900)})

    def load_with(workers, folder):
        state = State(tmp_path / folder)
        with pytest.raises(DataError) as info:
            load_project(tmp_path, memo=state.memo("tag"), workers=workers)
        state.save()
        return [str(p) for p in info.value.problems], (tmp_path / folder / "state.json").read_text()

    alone = load_with(None, "alone")
    with pool.executor(2) as workers:
        shared = load_with(workers, "shared")
    assert shared == alone
    assert alone[0] == [
        "films/f03/film.yaml:2: runtime: expected minutes as a whole number, got 'long'",
        "films/f17/film.yaml:2: runtime: expected minutes as a whole number, got 'long'",
    ]
    (tmp_path / "films" / "f03").rename(tmp_path / "f03")
    (tmp_path / "films" / "f17").rename(tmp_path / "f17")
    with pool.executor(2) as workers:
        project = load_project(tmp_path, workers=workers)
    assert [f.slug for f in project.films] == [f"film-{i:02d}" for i in range(30) if i not in (3, 17)]


def test_a_text_per_language_with_a_key_that_is_no_language_names_the_key(tmp_path):
    """A comma inside a YAML flow mapping makes a second key: the message names it, not the mapping."""
    film = tmp_path / "film"
    film.mkdir()
    (film / "film.yaml").write_text(
        "title: X\ndirectors: [{name: A}]\ntexts:\n  tagline: {en: Red (a film, not a colour)}\n", encoding="utf-8"
    )
    with pytest.raises(DataError) as info:
        load_film(film)
    assert [str(p).split("film.yaml:", 1)[1] for p in info.value.problems] == [
        "4: texts.tagline: expected a mapping of language code to text, such as {en: ..., fr: ...}, got the key "
        "'not a colour)', which is no ISO 639 language code"
    ]
