"""Layouts are data: a project's own layouts/ folder overrides any built-in template by name."""

from __future__ import annotations

import pypdfium2 as pdfium
import pytest

from presskit.build import BuildOptions, build_kit
from presskit.errors import DataError, LayoutError


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
        "<html lang=\"en\"><body><p>Custom kit for {{ film.title }} by {{ film.directors | join(', ') }}</p></body></html>"  # noqa: E501
    )
    build_kit(small_project / "films" / "small-film", BuildOptions(out_dir=tmp_path, edition="screen"))
    text = first_page_text(tmp_path / "films" / "small-film" / "presskit.pdf")
    assert "Custom kit for Small Film by Ana Example" in text


@pytest.mark.slow
def test_data_is_autoescaped_in_templates(small_project, tmp_path):
    film_yaml = small_project / "films" / "small-film" / "film.yaml"
    film_yaml.write_text(
        film_yaml.read_text().replace(
            "title: {en: Small Film, fr: Petit film}", 'title: "<b>Bold</b> & <script>x</script>"'
        )
    )
    build_kit(small_project / "films" / "small-film", BuildOptions(out_dir=tmp_path, edition="screen"))
    assert "<b>Bold</b> & <script>x</script>" in first_page_text(tmp_path / "films" / "small-film" / "presskit.pdf")


def test_an_undefined_template_value_is_a_layout_error(small_project, tmp_path):
    override = small_project / "layouts" / "presskit"
    override.mkdir(parents=True)
    (override / "kit.html.j2").write_text("<p>{{ film.no_such_field }}</p>")
    with pytest.raises(LayoutError, match="no_such_field"):
        build_kit(small_project / "films" / "small-film", BuildOptions(out_dir=tmp_path, edition="screen"))


# --- a layout is data: sandboxed, confined to the layout folders ----------------------------------


def _layout(project, name: str, text: str):
    folder = project / "layouts" / "presskit"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text)
    return folder


@pytest.mark.parametrize(
    "payload",
    [
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
        "{{ film.__class__ }}",
    ],
)
def test_a_layout_cannot_reach_python_internals(small_project, tmp_path, payload):
    """A template that reaches for Python's internals (the way to run code or open files) is stopped by the
    sandbox: a LayoutError naming the template and its line, nothing rendered."""
    _layout(small_project, "kit.html.j2", "<p>first line</p>\n<p>" + payload + "</p>\n")
    with pytest.raises(LayoutError) as info:
        build_kit(small_project / "films" / "small-film", BuildOptions(out_dir=tmp_path / "out", edition="screen"))
    assert info.value.message.startswith("template presskit/kit.html.j2:2: ")
    assert "unsafe" in info.value.message or "undefined" in info.value.message
    assert not (tmp_path / "out" / "films").exists()


def test_a_layout_cannot_include_a_file_outside_the_layouts(small_project, tmp_path):
    """{% include %} of a symbolic link that leads outside the layout folders is refused; the file it
    points to is never read into the document."""
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    folder = _layout(small_project, "kit.html.j2", "<p>{% include 'presskit/leak.txt' %}</p>")
    (folder / "leak.txt").symlink_to(secret)
    with pytest.raises(LayoutError) as info:
        build_kit(small_project / "films" / "small-film", BuildOptions(out_dir=tmp_path / "out", edition="screen"))
    assert "presskit/leak.txt" in info.value.message and "outside the layout folders" in info.value.message
    assert "TOP SECRET" not in info.value.message
    assert not (tmp_path / "out" / "films").exists()


def test_a_project_s_layouts_leading_outside_it_are_refused(small_project, tmp_path):
    """A layouts folder is read only inside the project: a symbolic link to one elsewhere is refused before
    any template is read."""
    elsewhere = tmp_path.parent / f"{tmp_path.name}-elsewhere"
    (elsewhere / "presskit").mkdir(parents=True)
    (elsewhere / "presskit" / "kit.html.j2").write_text("<p>FROM ELSEWHERE</p>")
    (small_project / "layouts").symlink_to(elsewhere)
    with pytest.raises(DataError) as info:
        build_kit(small_project / "films" / "small-film", BuildOptions(out_dir=tmp_path / "out", edition="screen"))
    assert info.value.message == (
        f"{small_project / 'layouts'}: expected a folder inside the project, got a symbolic link leading outside it"
    )
    (small_project / "layouts").unlink()
    config = small_project / "presskit.yaml"
    config.write_text(config.read_text() + f"layouts: ../{elsewhere.name}\n")
    with pytest.raises(DataError) as info:
        build_kit(small_project / "films" / "small-film", BuildOptions(out_dir=tmp_path / "out", edition="screen"))
    assert info.value.message == (
        f"presskit.yaml: layouts: expected a folder inside the project, got '../{elsewhere.name}'"
    )
