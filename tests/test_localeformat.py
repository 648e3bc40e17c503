"""Locale formatting (CLDR through Babel and ICU) and the typographic rules of a language: no rendering."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from presskit import localeformat as lf
from presskit.context import festival_lines, ranked_quotes, technical_rows
from presskit.layoutconfig import load_labels
from presskit.model import _TIME_PATTERN, FestivalScreening, Film
from presskit.resources import builtin_layouts

DAY = dt.date(2023, 10, 5)  # a Thursday


def labels(lang: str) -> dict:
    return load_labels((builtin_layouts(),), lang)


@pytest.mark.parametrize(
    "lang, short, long",
    [
        ("en", "Thu, Oct 5", "Thursday, October 5"),
        ("en-GB", "Thu, 5 Oct", "Thursday, 5 October"),
        ("fr", "jeu. 5 oct.", "Jeudi 5 octobre"),
        ("de", "Do., 5. Okt.", "Donnerstag, 5. Oktober"),
        ("es", "jue, 5 oct", "Jueves, 5 de octubre"),
        ("el", "Πέμ 5 Οκτ", "Πέμπτη 5 Οκτωβρίου"),
        ("ja", "10月5日(木)", "10月5日木曜日"),
    ],
)
def test_days_come_from_cldr_skeletons(lang, short, long):
    assert lf.day(DAY, lang) == short
    assert lf.long_day(DAY, lang) == long


def test_times_in_the_locale_s_clock_or_the_festival_s():
    assert lf.clock("17:30", "en") == "5:30 PM"
    assert lf.clock("17:30", "fr") == "17:30"
    assert lf.clock("17:30", "en", "24h") == "17:30"
    assert lf.clock("09:05", "de", "12h").startswith("9:05")
    assert lf.clock("00:15", "en") == "12:15 AM"
    assert lf.hour(17, "en") == "5 PM" and lf.hour(17, "de") == "17h" and lf.hour(17, "en", "24h") == "17h"


@pytest.mark.parametrize(
    "given, expected",
    [
        ("17:30", "17:30"),
        ("5:30pm", "17:30"),
        ("5:30 PM", "17:30"),
        ("5.30 p.m.", "17:30"),
        ("12:00 am", "00:00"),
        ("12:15 PM", "12:15"),
        ("11am", "11:00"),
        ("9:05", "09:05"),
    ],
)
def test_screening_times_are_read_in_12_or_24_hour_form(given, expected):
    screening = FestivalScreening.model_validate(
        {"film": "x", "date": "2023-10-05", "time": given, "venue": "v", "code": "C1"}
    )
    assert screening.time == expected
    assert re.match(_TIME_PATTERN, given)  # the JSON Schema an editor checks film.yaml with agrees


@pytest.mark.parametrize("given", ["13:30 pm", "25:00", "0 am", "5:75pm"])
def test_impossible_times_are_refused(given):
    assert not re.match(_TIME_PATTERN, given)
    with pytest.raises(ValueError, match="12-hour"):
        FestivalScreening.model_validate({"film": "x", "date": "2023-10-05", "time": given, "venue": "v", "code": "C"})


@pytest.mark.parametrize(
    "lang, expected",
    [
        ("en", ["1st edition", "2nd edition", "3rd edition", "11th edition", "22nd edition", "79th edition"]),
        ("fr", ["1re édition", "2e édition", "3e édition", "11e édition", "22e édition", "79e édition"]),
        ("de", ["1. Ausgabe", "2. Ausgabe", "3. Ausgabe", "11. Ausgabe", "22. Ausgabe", "79. Ausgabe"]),
        ("ja", ["第1回", "第2回", "第3回", "第11回", "第22回", "第79回"]),
    ],
)
def test_edition_lines_follow_each_language_s_ordinal_rule(lang, expected):
    given = ["1st", "2", 3, "11th", "22nd", "79th"]
    assert [lf.edition_line(e, labels(lang), lang) for e in given] == expected
    assert lf.edition_line("Jubilee", labels(lang), lang) == f"Jubilee {labels(lang)['edition']}"
    assert lf.edition_line(None, labels(lang), lang) is None


def test_french_elision_before_a_vowel_or_a_mute_h():
    assert lf.elide("UN FILM DE ALICE DIOP", "fr") == "UN FILM D’ALICE DIOP"
    assert lf.elide("un film de Isabelle Huppert", "fr") == "un film d’Isabelle Huppert"
    assert lf.elide("un film de Hélène Cattet", "fr") == "un film d’Hélène Cattet"
    assert lf.elide("un film de Pascal Plante", "fr") == "un film de Pascal Plante"
    assert lf.elide("le héros de la ville", "fr") == "le héros de la ville"  # aspirated h
    assert lf.elide("a film by Alice Diop", "en") == "a film by Alice Diop"


def test_french_spacing_narrow_no_break_spaces():
    text = "Qui ? Elle : oui ! « Non »; à 17:30, https://x.fr"
    assert lf.spacing(text, "fr") == "Qui\u202f? Elle\u202f: oui\u202f! «\u202fNon\u202f»\u202f; à 17:30, https://x.fr"
    assert lf.spacing(text, "en") == text


@pytest.mark.parametrize(
    "lang, expected",
    [("en", "“Brilliant”"), ("fr", "«\u202fBrilliant\u202f»"), ("de", "„Brilliant“"), ("ja", "「Brilliant」")],
)
def test_quotes_take_the_locale_s_quotation_marks(lang, expected):
    assert lf.quoted("Brilliant", lang) == expected
    film = Film.model_validate(
        {"title": "X", "directors": [{"name": "D"}], "quotes": [{"text": {lang: "Brilliant"}, "outlet": "O"}]}
    )
    assert ranked_quotes(film, lang)[0].text == expected


def test_vocabulary_words_are_translated_like_labels():
    film = Film.model_validate(
        {
            "title": "X",
            "directors": [{"name": "D"}],
            "genres": ["Thriller", "Drama", "Mumblecore"],
            "content_warnings": ["Violence", "Sexual Violence"],
            "festivals": [
                {"id": "tiff", "festival": "TIFF", "year": 2023, "edition": "64th", "premiere_label": "Greek Premiere"}
            ],
        }
    )
    rows = dict(technical_rows(film, "fr", labels("fr")))
    assert rows["Genre"] == "Thriller, Drame, Mumblecore"  # a word outside the vocabulary as given
    assert rows["Avertissements"] == "Violence, Violence sexuelle"
    [line] = festival_lines(film, labels("fr"), "fr")
    assert line.details[:2] == ["64e édition", "Première grecque"]
    [line] = festival_lines(film, labels("de"), "de")
    assert line.details[:2] == ["64. Ausgabe", "Griechenlandpremiere"]


@pytest.mark.parametrize(
    "lang, copies", [("en", "2,500 copies"), ("fr", "2\u202f500 exemplaires"), ("de", "2.500 Exemplare")]
)
def test_counts_are_numbers_of_the_language(lang, copies):
    from presskit.model import Festival
    from presskit.products.catalogue.book import book_info

    festival = Festival.model_validate(
        {
            "id": "f",
            "name": "F",
            "year": 2024,
            "edition": "79th",
            "dates": {"start": "2024-10-01", "end": "2024-10-05"},
            "venues": [{"id": "v", "name": "V"}],
            "sections": [{"id": "s", "title": "S", "films": []}],
            "colophon": {"print_run": 2500},
        }
    )
    info = book_info(festival, lang, labels(lang))
    assert dict(info["imprint"])[labels(lang)["catalogue"]["print_run"]] == copies
    assert info["edition"] == {"en": "79th edition", "fr": "79e édition", "de": "79. Ausgabe"}[lang]


def test_greek_capitals_drop_their_accents_and_keep_the_diaeresis():
    from presskit.laurels import laurels_for

    assert lf.greek_upper("ΠΑΓΚΌΣΜΙΑ ΠΡΕΜΙΈΡΑ") == "ΠΑΓΚΟΣΜΙΑ ΠΡΕΜΙΕΡΑ"
    assert lf.greek_upper("ΚΑΪΜΆΚΙ") == "ΚΑΪΜΑΚΙ"
    assert lf.greek_upper("PREMIÈRE MONDIALE") == "PREMIÈRE MONDIALE"  # other scripts keep theirs
    film = Film.model_validate(
        {
            "title": "X",
            "directors": [{"name": "D"}],
            "festivals": [{"id": "f", "festival": "F", "year": 2023, "premiere": "world"}],
        }
    )
    assert [laurel.status for laurel in laurels_for(film, labels("el"))] == ["ΠΑΓΚΟΣΜΙΑ ΠΡΕΜΙΕΡΑ"]
