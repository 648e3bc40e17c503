"""The validated film remembered (load.py's "film" memo): an unchanged film.yaml is neither validated nor
glyph-checked again, a changed one is, and what a load reports (its problems, the warnings it logs) is the
same either way."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from conftest import DEMO, MINIMAL_FILM

from presskit import load
from presskit.cache import State
from presskit.errors import DataError
from presskit.model import Film
from presskit.yamlfile import read_yaml, rebuilt, remembered_form, validate

TAG = "test"
BIDI = MINIMAL_FILM.replace("Small Film", "Small \u202eFilm")


@pytest.fixture
def validated(monkeypatch) -> list[str]:
    """The file of every film validated (load.validate called for a Film)."""
    files: list[str] = []

    def counting(model, data, file, *args, **kwargs):
        if model is Film:
            files.append(file)
        return validate(model, data, file, *args, **kwargs)

    monkeypatch.setattr(load, "validate", counting)
    return files


def load_with_state(root: Path, out: Path):
    """load_project as a build does it: the memo read from the state file, written back after."""
    state = State(out)
    try:
        return load.load_project(root, memo=state.memo(TAG))
    finally:
        state.save()


def warnings_of(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]


def test_an_unchanged_film_is_not_validated_again(small_project, tmp_path, validated, monkeypatch, caplog):
    film = small_project / "films" / "small-film" / "film.yaml"
    film.write_text(BIDI, encoding="utf-8")
    out = tmp_path / "out"
    caplog.set_level(logging.WARNING, logger="presskit")
    first = load_with_state(small_project, out)
    assert len(validated) == 1
    said = warnings_of(caplog)
    assert len(said) == 1 and "U+202E (RIGHT-TO-LEFT OVERRIDE) reorders the text" in said[0]

    caplog.clear()
    monkeypatch.setattr(load.glyphs, "problem", lambda *args: pytest.fail("glyph-checked again"))
    again = load_with_state(small_project, out)
    assert len(validated) == 1  # not validated again
    assert warnings_of(caplog) == said  # its warning logged as the validation logged it
    assert again.films[0].film == first.films[0].film
    assert repr(again.films[0].film) == repr(first.films[0].film)
    assert again.films[0].slug == first.films[0].slug == "small-film"


def test_a_changed_film_is_validated_again_with_the_same_problems(small_project, tmp_path, validated, caplog):
    film = small_project / "films" / "small-film" / "film.yaml"
    out = tmp_path / "out"
    load_with_state(small_project, out)
    load_with_state(small_project, out)
    assert len(validated) == 1

    film.write_text(MINIMAL_FILM.replace("runtime: 90", "runtime: 90 mins"), encoding="utf-8")
    with pytest.raises(DataError) as remembered:
        load_with_state(small_project, out)
    assert len(validated) >= 2
    with pytest.raises(DataError) as fresh:
        load.load_project(small_project)
    assert [str(p) for p in remembered.value.problems] == [str(p) for p in fresh.value.problems]
    assert any("runtime" in str(p) for p in fresh.value.problems)

    film.write_text(MINIMAL_FILM.replace("runtime: 90", "runtime: 95"), encoding="utf-8")
    count = len(validated)
    assert load_with_state(small_project, out).films[0].film.runtime == 95
    assert len(validated) == count + 1


def test_an_image_that_went_missing_is_reported_as_without_the_memo(small_project, tmp_path):
    out = tmp_path / "out"
    load_with_state(small_project, out)
    (small_project / "films" / "small-film" / "images" / "key.jpg").unlink()
    with pytest.raises(DataError) as remembered:
        load_with_state(small_project, out)
    with pytest.raises(DataError) as fresh:
        load.load_project(small_project)
    assert [str(p) for p in remembered.value.problems] == [str(p) for p in fresh.value.problems]
    assert "images.key_art.file" in str(fresh.value.problems[0])


def test_another_memo_tag_validates_again(small_project, tmp_path, validated, monkeypatch):
    out = tmp_path / "out"
    load_with_state(small_project, out)
    monkeypatch.setattr(load, "_film_tag", lambda fonts: "other code")
    load_with_state(small_project, out)
    assert len(validated) == 2


@pytest.mark.parametrize("folder", sorted(p.parent.name for p in (DEMO / "films").glob("*/film.yaml")))
def test_the_remembered_form_gives_back_the_validated_film(folder):
    data, _ = read_yaml(DEMO / "films" / folder / "film.yaml")
    film = Film.model_validate(data)
    again = rebuilt(Film, json.loads(json.dumps(remembered_form(film))))
    assert again == film
    assert again.model_dump() == film.model_dump()
    assert repr(again) == repr(film)


def test_the_fonts_character_maps_are_remembered(small_project, tmp_path, monkeypatch):
    from presskit import glyphs

    def new_process():
        for cache in (glyphs.file_ranges, glyphs._coverage):
            cache.cache_clear()
        monkeypatch.setattr(glyphs, "_READ", {})
        monkeypatch.setattr(glyphs, "_REMEMBERED", {})

    film = small_project / "films" / "small-film" / "film.yaml"
    film.write_text(MINIMAL_FILM.replace("Small Film", "Petit Café"), encoding="utf-8")
    out = tmp_path / "out"
    new_process()
    first = glyphs.coverage().ranges
    new_process()
    load_with_state(small_project, out)
    new_process()
    monkeypatch.setattr(glyphs, "_face_offsets", lambda data: pytest.fail("a font file read again"))
    film.write_text(MINIMAL_FILM.replace("Small Film", "Petit Café 2"), encoding="utf-8")  # validated again
    assert load_with_state(small_project, out).films[0].film.title["en"] == "Petit Café 2"
    assert glyphs.coverage().ranges == first
    new_process()


def test_a_stylesheet_file_is_hashed_once_across_builds(tmp_path, monkeypatch):
    from presskit import cache
    from presskit.products.catalogue.parts import FileHasher

    font = tmp_path / "face.otf"
    font.write_bytes(b"not really a font")
    state = State(tmp_path / "out")
    digest = FileHasher(state.memo(TAG)).digest(font)
    assert digest == cache.content_digest(font)
    state.save()
    monkeypatch.setattr(cache, "content_digest", lambda path: pytest.fail("hashed again"))
    assert FileHasher(State(tmp_path / "out").memo(TAG)).digest(font) == digest
    monkeypatch.undo()
    font.write_bytes(b"another font")
    assert FileHasher(State(tmp_path / "out").memo(TAG)).digest(font) == cache.content_digest(font) != digest
