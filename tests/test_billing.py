"""The billing block order rule (presskit/billing.py), on its own: order, empty roles, labels."""

from __future__ import annotations

import pytest

from presskit.billing import BILLING_ORDER, billing_block, billing_label
from presskit.layoutconfig import load_labels
from presskit.model import Film
from presskit.resources import builtin_layouts

LABELS = {lang: load_labels((builtin_layouts(),), lang) for lang in ("en", "fr")}


def make_film(**extra) -> Film:
    data = {"title": "X", "directors": [{"name": "Dee Rector"}]}
    data.update(extra)
    return Film.model_validate(data)


@pytest.fixture
def full_film() -> Film:
    """Every billed role filled, given in film.yaml in an order unlike the billing order."""
    return make_film(
        directors=[{"name": "Dee Rector"}, {"name": "Co Rector"}],
        crew={
            "screenplay": ["Wri Ter"],
            "producers": ["Pro Ducer", "Pro Two"],
            "co_producers": ["Co Pro"],
            "executive_producers": ["Exec One"],
            "cinematography": ["Dop Person"],
            "editing": ["Ed Itor"],
            "production_design": ["Pro Designer"],
            "costumes": ["Cos Tume"],
            "music": ["Com Poser"],
            "casting": ["Cast Director"],
            "sound": ["Not Billed"],
            "makeup": ["Not Billed Either"],
        },
        cast=[
            {"name": "Star One", "principal": True},
            {"name": "Bit Part"},
            {"name": "Star Two", "principal": True},
        ],
        companies={"presenting": ["Big Co", "Small Co"], "in_association_with": ["Fund"], "production": ["Prod Co"]},
    )


def test_conventional_order(full_film: Film) -> None:
    lines = billing_block(full_film, LABELS["en"])
    assert [(line.label, list(line.names)) for line in lines] == [
        ("present", ["Big Co", "Small Co"]),
        ("in association with", ["Fund"]),
        ("production", ["Prod Co"]),  # "a PROD CO production": the lead "a" before, "production" after
        ("a film by", ["Dee Rector", "Co Rector"]),
        ("", ["Star One", "Star Two"]),  # principal cast only, in billing order, no label
        ("casting by", ["Cast Director"]),
        ("music by", ["Com Poser"]),
        ("costume designer", ["Cos Tume"]),
        ("edited by", ["Ed Itor"]),
        ("production designer", ["Pro Designer"]),
        ("director of photography", ["Dop Person"]),
        ("co-producer", ["Co Pro"]),
        ("executive producer", ["Exec One"]),
        ("produced by", ["Pro Ducer", "Pro Two"]),
        ("written by", ["Wri Ter"]),
        ("directed by", ["Dee Rector", "Co Rector"]),
    ]
    assert [line.role for line in lines] == [role for role, _ in BILLING_ORDER]
    # Sound and make-up are credited in the full credits, not in the billing block.
    assert all("Not Billed" not in name for line in lines for name in line.names)


def test_presenting_label_follows_the_names(full_film: Film) -> None:
    lines = billing_block(full_film, LABELS["en"])
    assert [line.label_after for line in lines] == [True, False, True] + [False] * (len(lines) - 3)


@pytest.mark.parametrize(("lang", "lead", "after"), [("en", "a", "production"), ("fr", "une production", "")])
def test_production_company_is_billed_around_its_name(full_film: Film, lang: str, lead: str, after: str) -> None:
    """'a PROD CO production' after the presenting companies and before 'a film by'."""
    lines = billing_block(full_film, LABELS[lang])
    roles = [line.role for line in lines]
    production = lines[roles.index("production")]
    assert (production.lead, production.names, production.label) == (lead, ("Prod Co",), after)
    assert roles.index("in_association_with") < roles.index("production") < roles.index("a_film_by")


def test_empty_roles_are_left_out() -> None:
    film = make_film(crew={"music": ["Com Poser"]}, cast=[{"name": "Lead"}])
    lines = billing_block(film, LABELS["en"])
    assert [(line.role, line.names) for line in lines] == [
        ("a_film_by", ("Dee Rector",)),
        ("cast", ("Lead",)),  # nobody marked principal: the first three billed
        ("music", ("Com Poser",)),
        ("directed_by", ("Dee Rector",)),
    ]


def test_directed_by_is_always_last(full_film: Film) -> None:
    for film in (full_film, make_film(), make_film(crew={"screenplay": ["W"], "producers": ["P"]})):
        lines = billing_block(film, LABELS["en"])
        assert lines[-1].role == "directed_by"
        assert lines[-1].label == "directed by"
        assert sum(line.role == "directed_by" for line in lines) == 1


def test_labels_are_localized(full_film: Film) -> None:
    lines = billing_block(full_film, LABELS["fr"])
    labels = {line.role: line.label for line in lines}
    assert labels["presenting"] == "présentent"  # two companies
    assert labels["in_association_with"] == "en association avec"
    assert labels["a_film_by"] == "un film de"
    assert labels["cast"] == "avec"
    assert labels["cinematography"] == "image"
    assert labels["producers"] == "produit par"
    assert labels["directed_by"] == "réalisé par"
    assert [line.names for line in lines] == [line.names for line in billing_block(full_film, LABELS["en"])]


def test_singular_and_plural_labels() -> None:
    one = make_film(companies={"presenting": ["Solo Co"]}, crew={"executive_producers": ["A"]})
    many = make_film(companies={"presenting": ["A Co", "B Co"]}, crew={"executive_producers": ["A", "B"]})
    expectations = {
        "en": ("presents", "present", "executive producer", "executive producers"),
        "fr": ("présente", "présentent", "production exécutive", "production exécutive"),
    }
    for lang, expected in expectations.items():
        single = {line.role: line.label for line in billing_block(one, LABELS[lang])}
        plural = {line.role: line.label for line in billing_block(many, LABELS[lang])}
        assert (
            single["presenting"],
            plural["presenting"],
            single["executive_producers"],
            plural["executive_producers"],
        ) == expected


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_every_role_has_a_label(lang: str) -> None:
    for role, _ in BILLING_ORDER:
        for count in (1, 2):
            assert isinstance(billing_label(LABELS[lang], role, count), str)


def test_french_elides_a_film_by_into_a_name_with_a_vowel(full_film):
    film = full_film.model_copy(
        update={"directors": [full_film.directors[0].model_copy(update={"name": "Alice Diop"})]}
    )
    [line] = [line for line in billing_block(film, LABELS["fr"], "fr") if line.role == "a_film_by"]
    assert (line.label, line.names, line.elided) == ("un film d’", ("Alice Diop",), True)
    [line] = [line for line in billing_block(full_film, LABELS["fr"], "fr") if line.role == "a_film_by"]
    assert line.label == "un film de" and not line.elided
    [line] = [line for line in billing_block(film, LABELS["en"], "en") if line.role == "a_film_by"]
    assert line.label == "a film by" and not line.elided


def test_a_production_company_whose_name_starts_with_a_vowel_takes_an() -> None:
    film = make_film(companies={"production": ["Argo Film"]})
    production = next(line for line in billing_block(film, LABELS["en"], "en") if line.role == "production")
    assert (production.lead, production.names, production.label) == ("an", ("Argo Film",), "production")
