"""The printed labels as gettext catalogues: `layouts/locale/<lang>/LC_MESSAGES/presskit.po`, one per language.

A message's msgid is the label's key, dotted as the templates reach it (`sections.synopsis`,
`billing.presenting.one`), and its msgstr the text printed. Keys, not English text, because one English
word stands for different labels ("Production" is a crew role, a contact and a technical row, each of
which other languages word differently) and because a key stays when the English wording changes. The
English catalogue is the reference: it holds every key (its msgstr is the English text); `pybabel extract`
writes the template `layouts/locale/presskit.pot` from it (with the English text as each message's
comment for translators), `pybabel update` carries new keys into every language, `pybabel compile` checks
them (`make messages`). presskit reads the `.po` files themselves (no compiled `.mo`), so a fresh clone
builds without a compile step.

    read_catalogue(path, reference) -> Catalogue   one .po file: its labels by key, what it lacks, problems
    extract_labels(...)                             the Babel extractor of babel.cfg
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import Problem

LOCALE_DIR = "locale"
DOMAIN = "presskit"
REFERENCE_LANGUAGE = "en"


def po_path(layouts: Path, lang: str) -> Path:
    return layouts / LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def po_files(layouts: Path) -> dict[str, Path]:
    """The catalogues in one layouts folder, by language."""
    folder = layouts / LOCALE_DIR
    if not folder.is_dir():
        return {}
    found = {p.parent.parent.name: p for p in folder.glob(f"*/LC_MESSAGES/{DOMAIN}.po") if p.is_file()}
    return dict(sorted(found.items()))


@dataclass
class Catalogue:
    """One .po file read: its translated labels by dotted key (untranslated and fuzzy ones left out)."""

    path: Path
    labels: dict[str, str] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def read_catalogue(path: Path, shown: str, reference: set[str] | None) -> Catalogue:
    """Read one catalogue; `reference`: the keys a label may have (None: this is the reference). A key the
    reference lacks is a problem (with a "did you mean"), as is a .po syntax error."""
    from babel.messages.pofile import PoFileError, read_po

    catalogue = Catalogue(path)
    try:
        with path.open("rb") as f:
            po = read_po(f, abort_invalid=True, ignore_obsolete=True)
    except (PoFileError, UnicodeDecodeError, ValueError) as exc:
        line = getattr(exc, "lineno", None)  # (Babel counts a PoFileError's lines from 0)
        line = line + 1 if isinstance(line, int) else None
        reason = str(getattr(exc, "args", [exc])[0]).split(" on ")[0]
        catalogue.problems.append(Problem(shown, line, "", f"expected a gettext catalogue (.po), got: {reason}"))
        return catalogue
    for message in po:
        key = message.id
        if not key or not isinstance(key, str):
            continue  # the header, or a plural message (presskit's labels have none)
        if reference is not None and key not in reference:
            close = difflib.get_close_matches(key, sorted(reference), n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            catalogue.problems.append(Problem(shown, message.lineno, key, f"unknown label{hint}"))
            continue
        text = message.string
        if not isinstance(text, str) or message.fuzzy or (not text and reference is not None):
            continue  # untranslated (in the English reference, an empty text is a label printed as nothing)
        catalogue.labels[key] = text
        catalogue.lines[key] = message.lineno or 0
    return catalogue


def nest(flat: dict[str, str]) -> dict:
    """{'sections.synopsis': 'Synopsis'} -> {'sections': {'synopsis': 'Synopsis'}}."""
    nested: dict[str, Any] = {}
    for key, text in flat.items():
        *groups, last = key.split(".")
        place = nested
        for group in groups:
            place = place.setdefault(group, {})
        place[last] = text
    return nested


def flatten(nested: dict, prefix: str = "") -> Iterator[tuple[str, Any]]:
    for key, value in nested.items():
        if isinstance(value, dict):
            yield from flatten(value, f"{prefix}{key}.")
        else:
            yield f"{prefix}{key}", value


BILINGUAL_SEPARATOR = " / "


def bilingual_labels(first: dict, second: dict) -> dict:
    """The labels a bilingual festival's templates print: each text in both languages ('Séances /
    Screenings'), once where both say the same; a label with a {field} to fill, and the `colon`, stay in
    the first language."""
    merged: dict[str, Any] = {}
    for key, value in first.items():
        other = second.get(key)
        if isinstance(value, dict) and isinstance(other, dict):
            merged[key] = bilingual_labels(value, other)
        elif (
            isinstance(value, str)
            and isinstance(other, str)
            and key != "colon"
            and "{" not in value
            and value
            and other
            and value.casefold() != other.casefold()
        ):
            merged[key] = f"{value}{BILINGUAL_SEPARATOR}{other}"
        else:
            merged[key] = value
    return merged


def extract_labels(fileobj, keywords, comment_tags, options) -> Iterator[tuple[int, str, str, list[str]]]:
    """Babel extraction method for the reference catalogue (babel.cfg): every label key, with its English
    text as the translators' comment."""
    from babel.messages.pofile import read_po

    for message in read_po(fileobj, ignore_obsolete=True):
        if message.id and isinstance(message.id, str):
            yield message.lineno or 0, "", message.id, [f"English: {message.string}"]
