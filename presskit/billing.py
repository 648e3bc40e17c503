"""The billing block: who is credited, in which order, with which label.

The order is the convention of a poster billing block (one-sheet, sell sheet):

    presenting companies ("X presents") -> "in association with" -> "a X production" (the production
    companies) -> "a film by" -> principal cast
    -> casting, music, costume designer, editor, production designer, director of photography
    -> co-producers, executive producers, producers -> writers -> "directed by", always last.

Roles with nobody in them are left out. Labels come from the label catalogues (`billing.*`); a label given as
`{one: ..., many: ...}` is chosen by the number of names ("executive producer" / "executive producers",
"présente" / "présentent").
"""

from __future__ import annotations

from typing import NamedTuple

from .context import principal_cast
from .localeformat import elide
from .model import Film

# (role, where the names come from) in billing order; "cast" has no label in most languages.
BILLING_ORDER = [
    ("presenting", "companies.presenting"),
    ("in_association_with", "companies.in_association_with"),
    ("production", "companies.production"),
    ("a_film_by", "directors"),
    ("cast", "cast"),
    ("casting", "crew.casting"),
    ("music", "crew.music"),
    ("costumes", "crew.costumes"),
    ("editing", "crew.editing"),
    ("production_design", "crew.production_design"),
    ("cinematography", "crew.cinematography"),
    ("co_producers", "crew.co_producers"),
    ("executive_producers", "crew.executive_producers"),
    ("producers", "crew.producers"),
    ("screenplay", "crew.screenplay"),
    ("directed_by", "directors"),
]

# Roles whose label follows the names ("NEMESIS FILMS presents"); every other label comes first. A label
# with "{names}" in it ("a {names} production") is split around the names: `lead` before, `label` after.
LABEL_AFTER = {"presenting", "production"}


class BillingLine(NamedTuple):
    """One credit of the billing block: `label` (may be empty) and the names it credits."""

    label: str
    names: tuple[str, ...]
    role: str
    lead: str = ""  # printed before the names when the label surrounds them ("a" of "a X production")
    elided: bool = False  # the label ends elided into the first name ("un film d’" Alice Diop): no space

    @property
    def label_after(self) -> bool:
        return self.role in LABEL_AFTER


def _names(film: Film, source: str) -> list[str]:
    if source == "directors":
        return [d.name for d in film.directors]
    if source == "cast":
        return principal_cast(film)
    group, field = source.split(".")
    return list(getattr(getattr(film, group), field))


def billing_label(labels: dict, role: str, count: int) -> str:
    """The label for `role` from labels['billing'], singular or plural by `count`."""
    label = labels["billing"][role]
    if isinstance(label, dict):
        return label["one"] if count == 1 else label["many"]
    return label or ""


def billing_block(film: Film, labels: dict, lang: str = "en") -> list[BillingLine]:
    """The billing block of `film` as (label, names) lines in conventional order; empty roles left out.
    A label before the names is elided into the first where the language does so (French: "un film d’").

    "directed by" is always the last line.
    """
    lines = []
    for role, source in BILLING_ORDER:
        names = _names(film, source)
        if names:
            label = billing_label(labels, role, len(names))
            lead, _, after = label.rpartition("{names}")
            label, lead = after.strip(), lead.strip()
            if lead == "a" and lang.split("-")[0] == "en" and names[0][:1].lower() in "aeiou":
                lead = "an"  # "an ARGO FILM production"
            elided = ""
            if label and role not in LABEL_AFTER:
                joined = elide(f"{label} {names[0]}", lang)
                elided = (
                    joined[: -len(names[0])]
                    if joined.endswith(names[0]) and not joined[: -len(names[0])].endswith(" ")
                    else ""
                )
            lines.append(BillingLine(elided or label, tuple(names), role, lead, bool(elided)))
    return lines
