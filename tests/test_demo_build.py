"""`presskit build` on the bundled demo: every product of every film, checked as a printer would."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from presskit.build import BuildOptions, build_project
from presskit.load import load_project
from presskit.preflight import preflight

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo_build(demo_copy, tmp_path_factory):
    out = tmp_path_factory.mktemp("demo-out")
    result = build_project(demo_copy, BuildOptions(out_dir=out))
    return out, result


def test_every_film_gets_its_products(demo_build, demo_copy):
    out, result = demo_build
    project = load_project(demo_copy)
    for source in project.films:
        folder = out / "films" / source.slug
        for name in ("presskit.pdf", "presskit-print.pdf", "onesheet.pdf", "programme.pdf"):
            assert (folder / name).is_file(), folder / name
        assert any((folder / "laurels").glob("*.svg")) == bool(source.film.festivals)
    assert (out / "catalogue.pdf").is_file()
    assert result.summary().startswith("built ")
    assert "catalogue" in result.summary()


def test_the_products_name_exactly_the_files_the_build_wrote(demo_build, demo_copy):
    """Every product's outputs(), for every film (or the festival) it is made for and every edition, are the
    PDFs the build wrote: the orchestrator drives them all through the same interface."""
    from presskit.products import all_products, make

    out, _ = demo_build
    project = load_project(demo_copy)
    named = set()
    for name, cls in all_products().items():
        product = make(name, project, BuildOptions(out_dir=out))
        subjects = project.films if cls.scope == "film" else [project]
        for subject in subjects:
            if product.wants(subject):
                named.update(path for edition in product.editions() for path in product.outputs(subject, edition))
    assert named == set(pdfs(out))


def pdfs(out: Path) -> list[Path]:
    """The delivered PDFs (not the catalogue's cached parts)."""
    return sorted(p for p in out.rglob("*.pdf") if ".cache" not in p.relative_to(out).parts)


def test_only_bundled_fonts_all_embedded(demo_build):
    out, _ = demo_build
    for pdf in pdfs(out):
        listing = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
        for row in listing.splitlines()[2:]:
            name, emb = row.split()[0], row.split()[-5]
            assert "+PK-" in name, f"{pdf.name}: {row}"
            assert emb == "yes", f"{pdf.name}: {row}"


def test_every_print_pdf_passes_preflight(demo_build):
    out, _ = demo_build
    for pdf in pdfs(out):
        if pdf.name == "presskit.pdf" or pdf.name.endswith("-screen.pdf"):
            continue
        report = preflight(pdf, "catalogue" if pdf.name == "catalogue.pdf" else "x-4")
        assert report.ok, report.format_text()


def test_screen_kits_are_compact(demo_build):
    out, _ = demo_build
    for kit in out.glob("films/*/presskit.pdf"):
        assert kit.stat().st_size < 1_500_000, kit


def test_a_rebuild_gives_identical_bytes(demo_build, demo_copy, tmp_path):
    out, _ = demo_build
    build_project(demo_copy, BuildOptions(out_dir=tmp_path, jobs=1))
    for pdf in pdfs(out):
        again = tmp_path / pdf.relative_to(out)
        assert again.read_bytes() == pdf.read_bytes(), pdf.relative_to(out)


def test_a_rebuild_into_the_same_folder_rewrites_nothing_and_leaves_nothing(demo_build, demo_copy):
    """`presskit build` again over its own output: every file the same bytes, no temporary file left."""
    out, _ = demo_build
    before = {p: p.read_bytes() for p in pdfs(out)}
    build_project(demo_copy, BuildOptions(out_dir=out))
    assert {p: p.read_bytes() for p in pdfs(out)} == before
    assert not [p for p in out.rglob(".*") if ".cache" not in p.relative_to(out).parts]
