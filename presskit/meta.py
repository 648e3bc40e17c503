"""Document metadata (the PDF's title, author, subject, keywords and date), for every product, built here.

The date is never 'now': the same data always gives the same bytes.
"""

from __future__ import annotations

from .load import FilmSource
from .model import Film


def document_date(film: Film) -> str:
    """The film's `updated` date, else 1 January of its year."""
    if film.updated:
        return film.updated.isoformat()
    return f"{film.year or 2000}-01-01"


def film_document(source: FilmSource, film: dict, product: str) -> dict:
    """A film's press kit or one-sheet (`film`: its template context, `product`: 'Press kit' ...)."""
    model = source.film
    return {
        "title": f"{film['title']} – {product}",
        "author": ", ".join(model.companies.production) or ", ".join(film["directors"]),
        "description": film["logline"] or "",
        "keywords": ", ".join(model.genres),
        "date": document_date(model),
    }


def programme_page(source: FilmSource, title: str, synopsis: list[str], festival_name: str | None) -> dict:
    """A film's entry in a festival's programme, printed on its own."""
    film = source.film
    return {
        "title": f"{title} – {festival_name or 'programme'}",
        "author": festival_name or ", ".join(film.companies.production),
        "description": " ".join(synopsis)[:300],
        "keywords": ", ".join(film.genres),
        "date": document_date(film),
    }


def catalogue(
    name: str, year: int, product: str, publisher: str | None, dates: str, sections: list[str], start: str
) -> dict:
    """A festival's catalogue: `name` and `year` of the festival, `product` its label ('Catalogue'),
    `dates` as printed, `sections` their titles, `start` the festival's first day (ISO)."""
    return {
        "title": f"{name} {year} – {product}",
        "author": publisher or name,
        "description": dates,
        "keywords": ", ".join(sections),
        "date": start,
    }
