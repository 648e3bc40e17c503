"""Index sort rules (presskit.products.catalogue.indexes) as plain functions: no festival, no PDF."""

from __future__ import annotations

import pytest

from presskit.products.catalogue.indexes import (
    IndexFilm,
    country_index,
    director_index,
    fold,
    inverted_name,
    name_key,
    split_article,
    title_index,
    title_key,
)


@pytest.mark.parametrize(
    "title, lang, article, rest",
    [
        ("The Wall", "en", "The ", "Wall"),
        ("A Part of Me", "en", "A ", "Part of Me"),
        ("An Education", "en", "An ", "Education"),
        ("Anatomy of a Fall", "en", "", "Anatomy of a Fall"),  # not "An" + "atomy"
        ("Les Chambres rouges", "fr", "Les ", "Chambres rouges"),
        ("La Haine", "fr", "La ", "Haine"),
        ("Le Samouraï", "fr", "Le ", "Samouraï"),
        ("L'Atalante", "fr", "L'", "Atalante"),
        ("L’Histoire de Souleymane", "fr", "L’", "Histoire de Souleymane"),  # curly apostrophe
        ("Un prophète", "fr", "Un ", "prophète"),
        ("Une femme mariée", "fr", "Une ", "femme mariée"),
        ("El laberinto del fauno", "es", "El ", "laberinto del fauno"),
        ("Il buono, il brutto, il cattivo", "it", "Il ", "buono, il brutto, il cattivo"),
        ("Der Himmel über Berlin", "de", "Der ", "Himmel über Berlin"),
        ("The Wall", "fr", "", "The Wall"),  # articles are those of the title's own language
        ("Les Misérables", "en", "", "Les Misérables"),
        ("A", "en", "", "A"),  # a title that is only an article keeps it
        ("The", "en", "", "The"),
        ("Lady Bird", None, "", "Lady Bird"),
    ],
)
def test_split_article_per_language(title, lang, article, rest):
    assert split_article(title, lang) == (article, rest)


def test_fold_removes_accents_case_ligatures_and_punctuation():
    assert fold("Ça Ira!") == "ca ira"
    assert fold("Œdipe & Æsop") == "oedipe aesop"
    assert fold("Ødegaard") == "odegaard"
    assert fold("Straße") == "strasse"
    assert fold("It’s Never Over, Jeff Buckley") == "its never over jeff buckley"


def test_titles_sort_without_articles_and_accents():
    titles = [
        ("The Zone of Interest", "en"),
        ("Amour", "fr"),
        ("Les Éblouis", "fr"),
        ("L'Atalante", "fr"),
        ("A Part of Me", "en"),
        ("Être et avoir", "fr"),
        ("Babel", "en"),
        ("Un prophète", "fr"),
    ]
    ordered = [t for t, lang in sorted(titles, key=lambda tl: title_key(*tl))]
    assert ordered == [
        "Amour",
        "L'Atalante",
        "Babel",
        "Les Éblouis",
        "Être et avoir",
        "A Part of Me",
        "Un prophète",
        "The Zone of Interest",
    ]


def test_digits_file_before_letters_under_hash():
    [digits, *_] = title_index([IndexFilm("a", "2046", 5, "en"), IndexFilm("b", "Amour", 6, "fr")])
    assert digits.letter == "#"


FILMS = [
    IndexFilm("red-rooms", "Red Rooms", 6, "en", "Les Chambres rouges", "fr", [("Pascal Plante", None)], ["Canada"]),
    IndexFilm(
        "mood",
        "In the Mood for Love",
        10,
        "en",
        "Fa yeung nin wa",
        "yue",
        [("Wong Kar-wai", "Wong Kar-wai")],
        ["Hong Kong SAR China", "France"],
    ),
    IndexFilm("part", "A Part of Me", 7, "en", None, None, [("Taye Alvis", None)], ["United States"]),
    IndexFilm(
        "folk",
        "Folktales",
        12,
        "en",
        "Folktales",
        "en",
        [("Heidi Ewing", None), ("Rachel Grady", None)],
        ["United States", "Norway"],
    ),
    IndexFilm("berg", "Stilte", 13, "nl", None, None, [("Jan van der Berg", None)], ["Belgium"]),
]


def lines(groups):
    return [(g.letter, line.label, line.pages, line.see) for g in groups for line in g.lines]


def test_title_index_includes_original_titles_as_their_own_entries():
    assert lines(title_index(FILMS)) == [
        ("C", "Les Chambres rouges", [6], "Red Rooms"),  # filed under C, pointing to the catalogue title
        ("F", "Fa yeung nin wa", [10], "In the Mood for Love"),
        ("F", "Folktales", [12], None),  # an original title equal to the title is not repeated
        ("I", "In the Mood for Love", [10], None),
        ("P", "A Part of Me", [7], None),
        ("R", "Red Rooms", [6], None),
        ("S", "Stilte", [13], None),
    ]
    [line] = [ln for g in title_index(FILMS) for ln in g.lines if ln.label == "A Part of Me"]
    assert line.article == "A "


def test_director_index_sorts_by_surname_with_particles_and_explicit_index_names():
    groups = director_index(FILMS)
    assert [(g.letter, ln.label, [(r.text, r.page) for r in ln.refs]) for g in groups for ln in g.lines] == [
        ("A", "Alvis, Taye", [("A Part of Me", 7)]),
        ("B", "van der Berg, Jan", [("Stilte", 13)]),  # files under B, printed with its particles
        ("E", "Ewing, Heidi", [("Folktales", 12)]),
        ("G", "Grady, Rachel", [("Folktales", 12)]),  # co-directors each get the film
        ("P", "Plante, Pascal", [("Red Rooms", 6)]),
        ("W", "Wong Kar-wai", [("In the Mood for Love", 10)]),  # family name first, as given
    ]


def test_name_helpers():
    assert inverted_name("Pascal Plante") == "Plante, Pascal"
    assert inverted_name("Jan van der Berg") == "van der Berg, Jan"
    assert inverted_name("Madonna") == "Madonna"
    assert inverted_name("Wong Kar-wai", "Wong Kar-wai") == "Wong Kar-wai"
    assert name_key("Ana Ölçer") < name_key("Ana Ozon")  # accents folded: Olcer before Ozon


def test_country_index_lists_coproductions_under_every_country():
    groups = country_index(FILMS)
    assert [(ln.label, [r.text for r in ln.refs]) for g in groups for ln in g.lines] == [
        ("Belgium", ["Stilte"]),
        ("Canada", ["Red Rooms"]),
        ("France", ["In the Mood for Love"]),
        ("Hong Kong SAR China", ["In the Mood for Love"]),
        ("Norway", ["Folktales"]),
        ("United States", ["Folktales", "A Part of Me"]),  # films by title, articles ignored
    ]


# --- collation per language (ICU) ----------------------------------------------------------------


def titles_in(lang: str, titles: list[str]) -> list[tuple[str, str]]:
    films = [IndexFilm(f"f{i}", t, i + 1, lang) for i, t in enumerate(titles)]
    return [(g.letter, line.label) for g in title_index(films, lang) for line in g.lines]


def test_swedish_files_a_ring_a_diaeresis_and_o_diaeresis_after_z_under_their_own_letters():
    got = titles_in("sv", ["Ördögök", "Ängel", "Zorn", "Åsa", "Ett år", "Anna", "Ödet"])
    assert got == [
        ("A", "Anna"),
        ("Z", "Zorn"),
        ("Å", "Ett år"),  # the article 'Ett' is left aside: files under Å
        ("Å", "Åsa"),
        ("Ä", "Ängel"),
        ("Ö", "Ödet"),
        ("Ö", "Ördögök"),
    ]
    # the same titles in English: accents are no letters of their own
    assert [t for _, t in titles_in("en", ["Ödet", "Zorn", "Ängel", "Anna"])] == ["Ängel", "Anna", "Ödet", "Zorn"]


def test_spanish_files_n_tilde_after_n_and_german_a_umlaut_with_a():
    assert titles_in("es", ["El ñandú", "Nube", "Oro", "La noche"]) == [
        ("N", "La noche"),
        ("N", "Nube"),
        ("Ñ", "El ñandú"),
        ("O", "Oro"),
    ]
    assert titles_in("de", ["Ärger", "Affe", "Bär", "Die Ahnen"]) == [
        ("A", "Affe"),
        ("A", "Die Ahnen"),
        ("A", "Ärger"),
        ("B", "Bär"),
    ]


def test_names_keep_their_particles_aside_in_any_collation():
    films = [
        IndexFilm("a", "A", 1, "sv", directors=[("Jan van der Åberg", None)]),
        IndexFilm("b", "B", 2, "sv", directors=[("Anna Zetterling", None)]),
        IndexFilm("c", "C", 3, "sv", directors=[("Bo Widerberg", None)]),
    ]
    got = [(g.letter, line.label) for g in director_index(films, "sv") for line in g.lines]
    assert got == [("W", "Widerberg, Bo"), ("Z", "Zetterling, Anna"), ("Å", "van der Åberg, Jan")]


def test_numbers_sort_by_value():
    assert [t for _, t in titles_in("en", ["10 Days", "2 Days", "1 Day"])] == ["1 Day", "2 Days", "10 Days"]


def test_a_title_files_by_the_article_of_the_language_it_is_printed_in():
    from presskit.model import Film
    from presskit.products.catalogue.book import title_language

    def film(title, **more):
        return Film.model_validate({"title": title, "directors": [{"name": "D"}], **more})

    assert title_language(film({"en": "The Wall", "de": "Die Mauer"}), "de") == "de"
    assert title_language(film({"en": "A Part of Me"}), "de") == "en"  # the English title printed
    assert title_language(film("Les Éblouis", original_language="fr"), "de") == "fr"
