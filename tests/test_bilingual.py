"""Bilingual festivals (`--lang fr,en`, festival.yaml `languages: [fr, en]`): programme pages and the
catalogue print titles, synopses, notes and labels in both languages, each text with its `lang`."""

from __future__ import annotations

import re
from pathlib import Path

import pypdfium2 as pdfium
import pytest
import yaml

from presskit.build import BuildOptions, build_catalogue, build_programme
from presskit.errors import DataError
from presskit.load import load_project
from presskit.messages import bilingual_labels
from presskit.products import make
from presskit.settings import languages

FRENCH = "Premier film que Greta Gerwig signe comme scénariste et réalisatrice"
ENGLISH = "Greta Gerwig’s first film as writer-director is a delightful, painful comedy"


def squeeze(text: str) -> str:
    return re.sub(
        r"\s+", " ", text.replace("\u00ad", "").replace("\ufffe", "").replace("-\r\n", "").replace("‐\r\n", "")
    )


def pdf_pages(path: Path) -> list[str]:
    pdf = pdfium.PdfDocument(str(path))
    try:
        return [squeeze(page.get_textpage().get_text_range()) for page in pdf]
    finally:
        pdf.close()


def test_lang_names_one_language_or_two():
    assert languages("fr") == ["fr"] and languages("fr,en") == ["fr", "en"] and languages(" el , en ") == ["el", "en"]
    for bad in ("fr,en,de", "fr,fr", ","):
        with pytest.raises(DataError, match=r"--lang: expected a language code or two \('fr' or 'fr,en'\)"):
            languages(bad)


def test_bilingual_labels_join_both_languages_once():
    first = {"a": "Séances", "b": "Synopsis", "c": "avec {title}", "colon": "\u00a0: ", "g": {"x": "Durée"}}
    second = {"a": "Screenings", "b": "Synopsis", "c": "with {title}", "colon": ": ", "g": {"x": "Running time"}}
    assert bilingual_labels(first, second) == {
        "a": "Séances / Screenings",
        "b": "Synopsis",
        "c": "avec {title}",
        "colon": "\u00a0: ",
        "g": {"x": "Durée / Running time"},
    }


def bilingual_project(demo_copy: Path, tmp_path: Path, layout: str | None = None) -> Path:
    """The demo with its festival in French and English (festival.yaml `languages`)."""
    import shutil

    root = tmp_path / "data"
    shutil.copytree(demo_copy, root)
    festival = root / "festival.yaml"
    festival.write_text(
        festival.read_text(encoding="utf-8").replace("language: en\n", "language: fr\nlanguages: [fr, en]\n")
    )
    if layout:
        (root / "layouts" / "programme").mkdir(parents=True)
        (root / "layouts" / "programme" / "manifest.yaml").write_text(yaml.safe_dump({"bilingual": layout}))
    return root


@pytest.mark.parametrize("layout", ["stacked", "columns"])
def test_the_programme_page_html_gives_each_text_its_language(demo_copy, tmp_path, layout):
    root = bilingual_project(demo_copy, tmp_path, layout)
    product = make("programme", load_project(root), BuildOptions(out_dir=tmp_path / "out", edition="screen"))
    source = product.settings.project.film("lady-bird")
    html = product.html(source, product.settings.edition("screen"), "full")
    assert f'<div class="bilingual bilingual-{layout}">' in html
    assert re.search(r'<div class="texts" lang="fr">\s*<div class="synopsis"[^>]*>\s*<p[^>]*>' + FRENCH, html)
    assert re.search(
        r'<div class="texts texts-second" lang="en">\s*<div class="synopsis"[^>]*>\s*<p[^>]*>' + ENGLISH, html
    )
    assert "<h2>Séances / Screenings</h2>" in html


@pytest.mark.slow
def test_a_bilingual_programme_page_prints_both_synopses_and_labels(demo_copy, tmp_path):
    build_programme(demo_copy / "films" / "lady-bird", BuildOptions(out_dir=tmp_path, lang="fr,en", edition="screen"))
    [text] = pdf_pages(tmp_path / "films" / "lady-bird" / "programme-screen.pdf")
    assert FRENCH in text and ENGLISH in text
    assert text.index(FRENCH) < text.index(ENGLISH)  # the first language leads
    assert "SÉANCES / SCREENINGS" in text.upper()
    assert "dim. 1 oct." in text  # dates in the first language


@pytest.mark.slow
def test_a_bilingual_catalogue_builds_with_both_languages_in_its_entries(demo_copy, tmp_path):
    root = bilingual_project(demo_copy, tmp_path)
    run = build_catalogue(root, BuildOptions(out_dir=tmp_path / "out", jobs=1))
    assert [path.name for path in run.written] == ["catalogue.pdf"]
    pages = pdf_pages(tmp_path / "out" / "catalogue.pdf")
    [entry] = [page for page in pages if FRENCH in page]
    assert ENGLISH in entry and entry.index(FRENCH) < entry.index(ENGLISH)
    assert "SÉANCES / SCREENINGS" in entry.upper()
    assert any("INDEX DES TITRES / INDEX OF TITLES" in page.upper() for page in pages)
    assert any("GRILLE DES SÉANCES / SCREENING SCHEDULE" in page.upper() for page in pages)
    [welcome] = [page for page in pages if page.startswith("BIENVENUE") or "Bienvenue au Festival" in page]
    assert "Welcome to the presskit Demo Film Festival" in welcome
    [section] = [page for page in pages if "Une fois la nuit tombée, le cinéma de genre" in page]
    assert "After dark, genre cinema at its most unsettling" in section  # the section's intro in both
