"""Layout configuration (manifest.yaml, labels.yaml): a project's files merged over the built-in ones and
checked like the film data, every problem with file, line and key."""

from __future__ import annotations

import logging
import textwrap
from pathlib import Path

import pytest
import yaml
from babel.messages.pofile import read_po
from click.testing import CliRunner

from presskit.cli import cli
from presskit.errors import DataError, LayoutError
from presskit.layoutconfig import MANIFESTS, load_labels, load_manifest
from presskit.messages import flatten, nest
from presskit.render import layout_path
from presskit.resources import builtin_layouts

BUILTIN = (builtin_layouts(),)


def _read_po(lang: str) -> dict:
    """A built-in catalogue read on its own (babel's reader), nested by the dots of its keys."""
    with (builtin_layouts() / "locale" / lang / "LC_MESSAGES" / "presskit.po").open("rb") as f:
        return nest({m.id: m.string for m in read_po(f) if m.id})


BUILTIN_LABELS = {lang: _read_po(lang) for lang in ("en", "fr")}


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    """An empty project folder, the working directory (problems name files relative to it)."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write(project: Path, relative: str, text: str) -> tuple[Path, ...]:
    """Write a file of the project's layouts/ folder; the search path of a project with those layouts."""
    path = project / "layouts" / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return tuple(layout_path(project / "layouts"))


def problems(call, *args) -> list[str]:
    with pytest.raises(LayoutError) as info:
        call(*args)
    return [str(p) for p in info.value.problems]


# --- manifests ---------------------------------------------------------------------------------


@pytest.mark.parametrize("product", sorted(MANIFESTS))
def test_builtin_manifests_are_valid_and_returned_as_written(product):
    raw = yaml.safe_load((builtin_layouts() / product / "manifest.yaml").read_text(encoding="utf-8"))
    assert load_manifest(BUILTIN, product) == raw


def test_a_project_manifest_with_only_a_palette_is_merged_over_the_builtin_one(project):
    search_path = write(
        project,
        "presskit/manifest.yaml",
        """\
        palette:
          accent: [0, 80, 80, 0]
        """,
    )
    spec = load_manifest(search_path, "presskit")
    builtin = load_manifest(BUILTIN, "presskit")
    assert spec["palette"]["accent"] == [0, 80, 80, 0]
    assert spec["palette"]["ink"] == builtin["palette"]["ink"]
    assert list(spec["palette"]) == list(builtin["palette"])  # the built-in order, for the same CSS
    assert spec["template"] == "presskit/kit.html.j2"
    assert spec["laurels"] == builtin["laurels"]


def test_the_result_is_a_copy_and_a_changed_file_is_read_again(project):
    search_path = write(project, "onesheet/manifest.yaml", "laurels: {colour: white}\n")
    spec = load_manifest(search_path, "onesheet")
    assert spec["laurels"] == {"colour": "white"}
    spec["palette"]["ink"][3] = 0
    assert load_manifest(search_path, "onesheet")["palette"]["ink"] == [0, 0, 0, 100]
    write(project, "onesheet/manifest.yaml", "laurels: {colour: gold}\n")
    assert load_manifest(search_path, "onesheet")["laurels"] == {"colour": "gold"}


def test_a_misspelled_key_says_which_was_meant(project):
    search_path = write(
        project,
        "programme/manifest.yaml",
        """\
        # wider side column
        side_widht: 50mm
        margins:
          botom: 20mm
        """,
    )
    assert problems(load_manifest, search_path, "programme") == [
        "layouts/programme/manifest.yaml:2: side_widht: unknown key; did you mean 'side_width'?",
        "layouts/programme/manifest.yaml:4: margins.botom: unknown key; did you mean 'bottom'?",
    ]


def test_wrong_types_are_all_reported_with_what_was_expected(project):
    search_path = write(
        project,
        "catalogue/manifest.yaml",
        """\
        margins:
          top: 12
        palette:
          accent: [5, 100, 90]
          ink: [0, 0, 0, 120]
        templates: {toc: catalogue/tocc.html.j2}
        schedule_venues_per_table: 0
        still_height: 40mm
        """,
    )
    colour = "expected a CMYK colour as four percentages, such as [5, 100, 90, 20]"
    assert problems(load_manifest, search_path, "catalogue") == [
        "layouts/catalogue/manifest.yaml:2: margins.top: expected a length such as '17mm' or '0.5in' "
        "(mm, cm, in, pt or px), got 12",
        f"layouts/catalogue/manifest.yaml:4: palette.accent: {colour}, got [5, 100, 90]",
        f"layouts/catalogue/manifest.yaml:5: palette.ink: {colour}, got [0, 0, 0, 120]",
        "layouts/catalogue/manifest.yaml:6: templates.toc: expected a template file in the layouts, "
        "such as 'catalogue/toc.html.j2', got 'catalogue/tocc.html.j2'",
        "layouts/catalogue/manifest.yaml:7: schedule_venues_per_table: expected a whole number from 1, got 0",
        "layouts/catalogue/manifest.yaml:8: still_height: unknown key; expected one of: stylesheet, "
        "films_stylesheet, placed_stylesheet, templates, margins, schedule_venues_per_table, schedule_day_page_from, "
        "palette",  # (a programme key)
    ]


def test_a_laurel_colour_is_one_that_can_be_drawn(project):
    search_path = write(project, "presskit/manifest.yaml", "laurels:\n  cover_colour: whte\n")
    assert problems(load_manifest, search_path, "presskit") == [
        "layouts/presskit/manifest.yaml:2: laurels.cover_colour: expected one of 'gold', 'black', 'white', "
        "'cmyk-black' or 'cmyk-white', got 'whte'; did you mean 'white'?"
    ]


def test_a_project_template_may_be_named(project):
    search_path = write(project, "presskit/manifest.yaml", "template: mine/kit.html.j2\n")
    (project / "layouts" / "mine").mkdir()
    (project / "layouts" / "mine" / "kit.html.j2").write_text("<p>kit</p>")
    assert load_manifest(search_path, "presskit")["template"] == "mine/kit.html.j2"


def test_a_manifest_that_is_not_a_mapping_or_not_yaml(project):
    search_path = write(project, "onesheet/manifest.yaml", "- template\n")
    assert problems(load_manifest, search_path, "onesheet") == [
        "layouts/onesheet/manifest.yaml:1: expected a mapping of manifest keys to values, got ['template']"
    ]
    write(project, "onesheet/manifest.yaml", "palette: [oops\n")
    assert problems(load_manifest, search_path, "onesheet") == [
        "layouts/onesheet/manifest.yaml:2: YAML syntax: expected ',' or ']', but got '<stream end>'"
    ]


def test_an_empty_project_manifest_changes_nothing(project):
    search_path = write(project, "onesheet/manifest.yaml", "# nothing yet\n")
    assert load_manifest(search_path, "onesheet") == load_manifest(BUILTIN, "onesheet")


# --- labels ------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_builtin_labels_are_returned_as_written_with_a_colon(lang):
    assert load_labels(BUILTIN, lang) == {"colon": ": ", **BUILTIN_LABELS[lang]}


def test_a_project_may_override_one_english_label(project):
    search_path = write(
        project,
        "labels.yaml",
        """\
        en:
          sections:
            synopsis: The story
        """,
    )
    labels = load_labels(search_path, "en")
    assert labels["sections"]["synopsis"] == "The story"
    expected = {"colon": ": ", **BUILTIN_LABELS["en"]}
    expected["sections"] = {**expected["sections"], "synopsis": "The story"}
    assert labels == expected
    assert load_labels(search_path, "fr") == {"colon": ": ", **BUILTIN_LABELS["fr"]}  # still there


def test_a_new_language_must_be_complete(project):
    german = yaml.safe_load(yaml.safe_dump(BUILTIN_LABELS["en"]))
    del german["sections"]["synopsis"]
    del german["colour"]["black-and-white"]
    del german["colon"]  # optional: ': '
    search_path = write(project, "labels.yaml", yaml.safe_dump({"sv": german}, sort_keys=False))
    text = (project / "layouts" / "labels.yaml").read_text().splitlines()
    sections, colour = text.index("  sections:") + 1, text.index("  colour:") + 1
    assert problems(load_labels, search_path, "en") == sorted(
        [  # (in the order of their lines)
            f"layouts/labels.yaml:{sections}: sv.sections.synopsis: required key is missing",
            f"layouts/labels.yaml:{colour}: sv.colour.black-and-white: required key is missing",
        ],
        key=lambda p: int(p.split(":")[1]),
    )
    german["sections"]["synopsis"] = "Inhalt"
    german["colour"]["black-and-white"] = "Schwarzweiß"
    search_path = write(project, "labels.yaml", yaml.safe_dump({"sv": german}, sort_keys=False))
    labels = load_labels(search_path, "sv")
    assert labels["colon"] == ": " and labels["sections"]["synopsis"] == "Inhalt"


def test_labels_of_the_wrong_shape_and_unknown_labels(project):
    search_path = write(
        project,
        "labels.yaml",
        """\
        en:
          and: 12
          sections:
            synopsys: Story
          colour:
            black-and-white: [B, W]
          billing:
            producers: {one: producer, many: producers}
            cast: {one: with}
        es: nada
        """,
    )
    assert problems(load_labels, search_path, "en") == [
        "layouts/labels.yaml:2: en.and: expected text, got 12",
        "layouts/labels.yaml:4: en.sections.synopsys: unknown key; did you mean 'synopsis'?",
        "layouts/labels.yaml:6: en.colour.black-and-white: expected text, got ['B', 'W']",
        "layouts/labels.yaml:9: en.billing.cast: expected text, or {one: ..., many: ...} (singular and plural), "
        "got {'one': 'with'}",
        "layouts/labels.yaml:10: es: expected a mapping of label keys to text, got 'nada'",
    ]


SHIPPED = "ar, de, el, en, es, fr, it, ja, pt"


def test_an_unknown_language_lists_the_available_ones(project):
    with pytest.raises(DataError) as info:
        load_labels(BUILTIN, "sv")
    shown = str(builtin_layouts() / "locale")
    assert info.value.message.endswith(f"locale: no labels for language 'sv'; expected one of {SHIPPED}")
    assert shown.endswith(info.value.message.split(":")[0])
    search_path = write(project, "labels.yaml", "en: {and: und}\n")
    with pytest.raises(DataError) as info:
        load_labels(search_path, "fi")
    assert info.value.message.endswith(f"locale: no labels for language 'fi'; expected one of {SHIPPED}")


# --- gettext catalogues ------------------------------------------------------------------------

PO_HEADER = """\
msgid ""
msgstr ""
"Content-Type: text/plain; charset=utf-8\\n"

"""


@pytest.mark.parametrize("lang", SHIPPED.split(", "))
def test_every_shipped_language_is_complete(lang, caplog):
    with caplog.at_level(logging.WARNING, logger="presskit"):
        labels = load_labels(BUILTIN, lang)
    assert caplog.text == ""
    assert set(labels) == set(BUILTIN_LABELS["en"]) | {"colon"}
    if lang != "en":  # a few words are the same in English (Trailer, Thriller): most are not
        english = dict(flatten(BUILTIN_LABELS["en"]))
        same = [key for key, text in flatten(labels) if text and english.get(key) == text]
        assert len(same) < len(english) / 6, same


def test_a_project_catalogue_overrides_one_message(project):
    search_path = write(
        project, "locale/fr/LC_MESSAGES/presskit.po", PO_HEADER + 'msgid "sections.synopsis"\nmsgstr "L’histoire"\n'
    )
    labels = load_labels(search_path, "fr")
    assert labels["sections"]["synopsis"] == "L’histoire"
    assert labels["sections"]["cast"] == BUILTIN_LABELS["fr"]["sections"]["cast"]


def test_a_new_language_is_one_po_file_falling_back_to_english_with_one_warning(project, caplog):
    search_path = write(
        project,
        "locale/sv/LC_MESSAGES/presskit.po",
        PO_HEADER
        + 'msgid "sections.synopsis"\nmsgstr "Handling"\n\n'
        + 'msgid "and"\nmsgstr "och"\n\n'
        + '#, fuzzy\nmsgid "page"\nmsgstr "Sida"\n',  # fuzzy: not yet a translation
    )
    with caplog.at_level(logging.WARNING, logger="presskit"):
        labels = load_labels(search_path, "sv")
        load_labels(search_path, "sv")  # once per build process
    assert labels["sections"]["synopsis"] == "Handling" and labels["and"] == "och"
    assert labels["page"] == "Page" and labels["sections"]["cast"] == "Cast"
    [record] = caplog.records
    missing = len(list(flatten(BUILTIN_LABELS["en"]))) - 2
    assert record.getMessage().startswith(
        f"warning: layouts/locale/sv/LC_MESSAGES/presskit.po: {missing} label(s) not translated into 'sv', "
        "printed in English: links.trailer, links.screener, "
    )
    assert "sections.synopsis" not in record.getMessage() and ", page, " in record.getMessage()


def test_an_unknown_message_and_a_broken_catalogue_are_errors_with_file_and_line(project):
    search_path = write(
        project,
        "locale/fr/LC_MESSAGES/presskit.po",
        PO_HEADER + 'msgid "sections.synopsys"\nmsgstr "Histoire"\n',
    )
    assert problems(load_labels, search_path, "fr") == [
        "layouts/locale/fr/LC_MESSAGES/presskit.po:5: sections.synopsys: unknown label; "
        "did you mean 'sections.synopsis'?"
    ]
    search_path = write(
        project, "locale/fr/LC_MESSAGES/presskit.po", PO_HEADER + 'msgid "and"\nmsgstr "et"\n\nmsgid "page"\n'
    )
    assert problems(load_labels, search_path, "fr") == [
        "layouts/locale/fr/LC_MESSAGES/presskit.po:8: expected a gettext catalogue (.po), "
        "got: missing msgstr for msgid 'page'"
    ]


def test_a_project_labels_yaml_fills_what_its_catalogue_lacks(project, caplog):
    write(project, "locale/sv/LC_MESSAGES/presskit.po", PO_HEADER + 'msgid "and"\nmsgstr "och"\n')
    english = yaml.safe_load(yaml.safe_dump(BUILTIN_LABELS["en"]))
    english.pop("and")
    search_path = write(project, "labels.yaml", yaml.safe_dump({"sv": english}, sort_keys=False))
    with caplog.at_level(logging.WARNING, logger="presskit"):
        labels = load_labels(search_path, "sv")
    assert labels["and"] == "och" and caplog.text == ""


# --- the command line --------------------------------------------------------------------------


def test_a_bad_project_manifest_is_one_paragraph_and_exit_1(small_project, monkeypatch, tmp_path):
    monkeypatch.chdir(small_project)
    write(
        small_project,
        "presskit/manifest.yaml",
        """\
        palete:
          accent: [0, 80, 80, 0]
        """,
    )
    result = CliRunner().invoke(cli, ["kit", "films/small-film", "--edition", "screen", "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert result.output == (
        "Error: 1 problem(s) in the layout configuration\n"
        "  layouts/presskit/manifest.yaml:1: palete: unknown key; did you mean 'palette'?\n"
    )
    assert not list((tmp_path / "out").rglob("*.pdf"))


def test_the_extractor_and_the_template_hold_every_english_key():
    """babel.cfg's extractor (pybabel extract) yields every key with its English text for translators, and
    the committed template layouts/locale/presskit.pot is up to date with it (`make messages`)."""
    from presskit.messages import extract_labels

    english = dict(flatten(BUILTIN_LABELS["en"]))
    with (builtin_layouts() / "locale" / "en" / "LC_MESSAGES" / "presskit.po").open("rb") as f:
        extracted = {key: comments for _, _, key, comments in extract_labels(f, (), (), {})}
    assert extracted == {key: [f"English: {text}"] for key, text in english.items()}
    with (builtin_layouts() / "locale" / "presskit.pot").open("rb") as f:
        template = [m.id for m in read_po(f) if m.id]
    assert template == list(english)


def test_a_regional_language_takes_its_base_language_s_labels():
    """en-GB, fr-CA, pt-BR print en, fr, pt labels (their dates and numbers follow the region: CLDR)."""
    assert load_labels(BUILTIN, "fr-CA")["sections"]["synopsis"] == load_labels(BUILTIN, "fr")["sections"]["synopsis"]
    assert load_labels(BUILTIN, "en-GB") == load_labels(BUILTIN, "en")
    with pytest.raises(DataError) as info:
        load_labels(BUILTIN, "sv-SE")
    assert info.value.message.endswith(f"locale: no labels for language 'sv-SE'; expected one of {SHIPPED}")
