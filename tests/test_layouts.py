"""Layouts are data: a project's own layouts/ folder overrides any built-in template by name."""
from __future__ import annotations

import pypdfium2 as pdfium
import pytest

from presskit.build import BuildOptions, build_kit
from presskit.errors import LayoutError


def first_page_text(path) -> str:
    pdf = pdfium.PdfDocument(str(path))
    try:
        return pdf[0].get_textpage().get_text_range()
    finally:
        pdf.close()


@pytest.mark.slow
def test_project_template_overrides_the_builtin_one(small_project, tmp_path):
    override = small_project / "layouts" / "presskit"
    override.mkdir(parents=True)
    (override / "kit.html.j2").write_text(
        "<html lang=\"en\"><body><p>Custom kit for {{ film.title }} by {{ film.directors | join(', ') }}</p></body></html>"
    )
    build_kit(small_project / "films" / "small-film", BuildOptions(out_dir=tmp_path, edition="screen"))
    text = first_page_text(tmp_path / "films" / "small-film" / "presskit.pdf")
    assert "Custom kit for Small Film by Ana Example" in text


@pytest.mark.slow
def test_data_is_autoescaped_in_templates(small_project, tmp_path):
    film_yaml = small_project / "films" / "small-film" / "film.yaml"
    film_yaml.write_text(film_yaml.read_text().replace(
        "title: {en: Small Film, fr: Petit film}", 'title: "<b>Bold</b> & <script>x</script>"'))
    build_kit(small_project / "films" / "small-film", BuildOptions(out_dir=tmp_path, edition="screen"))
    assert "<b>Bold</b> & <script>x</script>" in first_page_text(tmp_path / "films" / "small-film" / "presskit.pdf")


def test_an_undefined_template_value_is_a_layout_error(small_project, tmp_path):
    override = small_project / "layouts" / "presskit"
    override.mkdir(parents=True)
    (override / "kit.html.j2").write_text("<p>{{ film.no_such_field }}</p>")
    with pytest.raises(LayoutError, match="no_such_field"):
        build_kit(small_project / "films" / "small-film", BuildOptions(out_dir=tmp_path, edition="screen"))
