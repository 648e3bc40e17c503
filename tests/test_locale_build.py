"""The demo in every shipped language: no English label left in the extracted text of a kit, a one-sheet
and a programme page.

Which labels a product prints is found by building it once with every English label replaced by a marker
(a project catalogue `qz<n>zq`): the markers in its text are the labels printed, and its text without them
is the film data's. A build in another language may then hold an English label's words only as often as
the data does.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from presskit.build import BuildOptions, build_kit, build_onesheet, build_programme
from presskit.glyphs import unprintable
from presskit.layoutconfig import load_labels
from presskit.messages import flatten
from presskit.resources import builtin_layouts

pytestmark = pytest.mark.slow

FILM = "red-rooms"
LANGUAGES = ["fr", "de", "es", "it", "pt", "el", "ar", "ja"]


def pdf_text(path: Path) -> str:
    pdf = pdfium.PdfDocument(str(path))
    text = "\n".join(page.get_textpage().get_text_range() for page in pdf)
    pdf.close()
    return text.replace("\u00ad", "").replace("\ufffe", "")


def build_all(project: Path, out: Path, lang: str) -> str:
    film = project / "films" / FILM
    options = BuildOptions(out_dir=out, lang=lang, edition="screen")
    build_kit(film, options)
    build_onesheet(film, options)
    build_programme(film, options)
    folder = out / "films" / FILM
    return "\n".join(
        pdf_text(folder / name) for name in ("presskit.pdf", "onesheet-screen.pdf", "programme-screen.pdf")
    )


ENGLISH = dict(flatten(load_labels((builtin_layouts(),), "en")))


@pytest.fixture(scope="module")
def marked(demo_copy, tmp_path_factory) -> tuple[str, dict[int, str]]:
    """(the text of the products built with markers for labels, the label keys by marker number)."""
    project = tmp_path_factory.mktemp("marked") / "data"
    shutil.copytree(demo_copy, project)
    catalogue = Catalog(locale="en", domain="presskit", fuzzy=False)
    keys = {}
    for number, (key, text) in enumerate(ENGLISH.items()):
        if key == "colon" or not text:
            continue
        fields = " ".join("{" + name + "}" for name in re.findall(r"\{(\w+)\}", text))
        catalogue.add(key, f"qz{number}zq {fields}".strip())
        keys[number] = key
    po = project / "layouts" / "locale" / "en" / "LC_MESSAGES" / "presskit.po"
    po.parent.mkdir(parents=True)
    with po.open("wb") as f:
        write_po(f, catalogue)
    return build_all(project, tmp_path_factory.mktemp("marked-out"), "en"), keys


def translations(lang: str) -> dict[str, str]:
    """The shipped catalogue's own texts (not filled in from English where it lacks one)."""
    with (builtin_layouts() / "locale" / lang / "LC_MESSAGES" / "presskit.po").open("rb") as f:
        return {m.id: m.string for m in read_po(f) if m.id and not m.fuzzy}


def occurrences(words: str, text: str) -> int:
    """How often `words` stand in `text` as words, whatever the case and the letter spacing."""
    letters = [re.escape(ch) for ch in words if not ch.isspace()]
    pattern = r"(?<!\w)" + r"\s*".join(letters) + r"(?!\w)"
    return len(re.findall(pattern, text, flags=re.IGNORECASE))


def test_the_markers_show_the_labels_printed(marked):
    text, keys = marked
    printed = {keys[int(n)] for n in re.findall(r"qz(\d+)zq", re.sub(r"\s+", "", text), flags=re.IGNORECASE)}
    assert {"sections.synopsis", "tech.runtime", "premiere.world", "programme.screenings", "crew.editing"} <= printed
    assert len(printed) > 60


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_demo_prints_no_english_label(lang, marked, demo_copy, tmp_path):
    labels = translations(lang)
    if unprintable("".join(labels.values())):
        pytest.skip(f"the bundled fonts cannot print the '{lang}' labels yet")
    text, keys = marked
    times: dict[str, int] = {}  # how often each label is printed
    for n in re.findall(r"qz(\d+)zq", re.sub(r"\s+", "", text), flags=re.IGNORECASE):
        times[keys[int(n)]] = times.get(keys[int(n)], 0) + 1
    data_text = re.sub(r"qz\d+zq", " ", text, flags=re.IGNORECASE)
    built = build_all(demo_copy, tmp_path / "out", lang)
    left = []
    for key in sorted(times):
        english = re.sub(r"\{\w+\}", " ", ENGLISH[key]).strip()
        if not english or english.casefold() in labels.get(key, "").casefold():
            continue  # the same word in both languages (Thriller, Festivals, ISSN)
        # the words may stand in the data, and in another label's translation (Italian "Cast e troupe")
        allowed = occurrences(english, data_text) + sum(
            occurrences(english, labels.get(k, "")) * n for k, n in times.items()
        )
        if occurrences(english, built) > allowed:
            left.append(f"{key}: {english!r}")
    assert left == []


def test_a_french_kit_elides_and_spaces_and_a_second_language_is_said_to_be_left_out(demo_copy, tmp_path, caplog):
    import logging

    project = tmp_path / "data"
    shutil.copytree(demo_copy, project)
    film = project / "films" / FILM / "film.yaml"
    film.write_text(film.read_text(encoding="utf-8").replace("name: Pascal Plante", "name: Alice Diop"))
    with caplog.at_level(logging.WARNING, logger="presskit"):
        build_kit(project / "films" / FILM, BuildOptions(out_dir=tmp_path / "out", lang="fr,en", edition="screen"))
    text = re.sub(r"\s+", "", pdf_text(tmp_path / "out" / "films" / FILM / "presskit.pdf"))
    assert "UNFILMD’ALICEDIOP" in text.upper() and "FILMDEALICE" not in text.upper()
    assert "«\u202fAdisturbingly" not in text  # an English quote keeps English marks in a French kit
    assert "“Adisturbinglybrilliantpsychologicalhorror”" in text
    assert (
        "warning: --lang fr,en: press kits and one-sheets print one language, 'fr' (programme pages and the "
        "catalogue print both)"
    ) in caplog.text
