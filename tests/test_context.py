"""The context builder: ordering and formatting rules as plain functions."""

from __future__ import annotations

from presskit import context as ctx
from presskit.layoutconfig import load_labels
from presskit.model import Film
from presskit.resources import builtin_layouts

LABELS = {lang: load_labels((builtin_layouts(),), lang) for lang in ("en", "fr")}


def film(**extra) -> Film:
    return Film.model_validate({"title": "T", "directors": [{"name": "Dir One"}], **extra})


def test_crew_credits_follow_conventional_order_and_skip_empty_roles():
    f = film(
        crew={"music": ["M"], "screenplay": ["W"], "editing": ["E"], "producers": ["P1", "P2"], "cinematography": ["C"]}
    )
    credits = ctx.crew_credits(f, LABELS["en"])
    assert [(c.label, c.text) for c in credits] == [
        ("Directed by", "Dir One"),
        ("Screenplay", "W"),
        ("Producers", "P1, P2"),
        ("Cinematography", "C"),
        ("Editing", "E"),
        ("Music", "M"),
    ]


def test_crew_labels_are_localized():
    credits = ctx.crew_credits(film(crew={"screenplay": ["W"]}), LABELS["fr"])
    assert [c.label for c in credits] == ["Réalisation", "Scénario"]


def test_every_crew_role_has_a_place_in_the_order_and_a_label():
    from presskit.model import Crew

    assert set(ctx.CREW_ORDER) == set(Crew.model_fields)
    for lang in ("en", "fr"):
        assert set(ctx.CREW_ORDER) <= set(LABELS[lang]["crew"])


def test_principal_cast_uses_flags_then_first_three():
    flagged = film(cast=[{"name": "A"}, {"name": "B", "principal": True}, {"name": "C", "principal": True}])
    assert ctx.principal_cast(flagged) == ["B", "C"]
    plain = film(cast=[{"name": n} for n in "ABCDE"])
    assert ctx.principal_cast(plain) == ["A", "B", "C"]


def test_quotes_ranked_first_then_in_given_order():
    f = film(
        quotes=[
            {"text": "third", "outlet": "O3"},
            {"text": "second", "outlet": "O2", "rank": 2},
            {"text": "first", "outlet": "O1", "rank": 1},
            {"text": "fourth", "outlet": "O4"},
        ]
    )
    assert [q.text for q in ctx.ranked_quotes(f, "en")] == ["“first”", "“second”", "“third”", "“fourth”"]


def test_language_line_in_reader_language():
    f = film(languages=["fr", "en"], subtitles=["en"])
    assert ctx.language_line(f, "en", LABELS["en"]) == "French, English · English subtitles"
    assert ctx.language_line(f, "fr", LABELS["fr"]) == "Français, Anglais · sous-titres Anglais"


def test_localized_text_falls_back_to_english_then_any():
    f = film(title={"en": "Red Rooms", "fr": "Les Chambres rouges"})
    builder_pick = __import__("presskit.i18n", fromlist=["pick"]).pick
    assert builder_pick(f.title, "fr") == "Les Chambres rouges"
    assert builder_pick(f.title, "de") == "Red Rooms"
    assert builder_pick({"*": "Same"}, "fr") == "Same"


def test_festival_lines_in_year_order_with_awards():
    f = film(
        festivals=[
            {"id": "b", "festival": "Later Fest", "year": 2024, "premiere": "european", "official_selection": True},
            {
                "id": "a",
                "festival": "Fantasia",
                "year": 2023,
                "section": "Cheval Noir",
                "awards": [{"prize": "Cheval Noir", "name": "Best Film"}],
            },
        ]
    )
    lines = ctx.festival_lines(f, LABELS["en"])
    assert [line.festival for line in lines] == ["Fantasia", "Later Fest"]
    assert lines[0].awards == ["Winner: Cheval Noir – Best Film"]
    assert lines[1].details == ["European Premiere", "Official Selection"]


def test_technical_rows_leave_out_what_is_missing():
    f = film(year=2023, runtime=118, countries=["CA"], technical={"exhibition_formats": ["DCP"]})
    assert ctx.technical_rows(f, "en", LABELS["en"]) == [
        ("Country", "Canada"),
        ("Year", "2023"),
        ("Running time", "118 min"),
        ("Exhibition formats", "DCP"),
    ]


def test_paragraphs_split_on_blank_lines_and_fold_whitespace():
    assert ctx.paragraphs("One\nline.\n\n\nTwo.") == ["One line.", "Two."]
    assert ctx.paragraphs(None) == []


def test_ratings_say_whose_they_are_and_both_ages():
    f = film(
        ratings=[{"rating": "PG12", "territory": "SA"}, {"legal_age": 12, "suggested_age": 14, "territory": "DE"}],
        festivals=[
            {
                "id": "viff",
                "festival": "Vancouver",
                "short_name": "VIFF",
                "year": 2023,
                "ratings": [{"rating": "18+", "venue": "The Rio"}],
            },
        ],
    )
    assert ctx.rating_lines(f, "en", LABELS["en"]) == [
        "PG12 (Saudi Arabia)",
        "legal age 12, suggested age 14 (Germany)",
        "18+ (VIFF 2023, at The Rio)",
    ]


def test_recognitions_say_what_they_are():
    f = film(
        recognitions=[
            {
                "kind": "academy-award-submission",
                "body": "Academy Awards",
                "award": "Best International Feature Film",
                "year": 2024,
                "result": "submitted",
                "country": "JO",
            },
            {
                "kind": "national-award",
                "body": "Golden Rooster Awards",
                "award": "Best Actress",
                "year": 2023,
                "result": "nominated",
                "recipient": "Mouna Hawa",
                "edition": "36th",
            },
        ]
    )
    assert [(r.body, r.year, r.text) for r in ctx.recognition_lines(f, "en", LABELS["en"])] == [
        ("36th Golden Rooster Awards", 2023, "Nominee: Best Actress (Mouna Hawa)"),
        ("Academy Awards", 2024, "Official submission of Jordan: Best International Feature Film"),
    ]


def test_a_label_and_its_number_are_kept_together():
    from presskit.context import keep_with_number

    assert keep_with_number("AMC River East, Screen 4") == "AMC River East, Screen\u00a04"
    assert keep_with_number("Cinema 10 and Salle 3") == "Cinema\u00a010 and Salle\u00a03"
    assert keep_with_number("The Rio") == "The Rio"
