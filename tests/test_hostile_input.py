"""Hostile and broken input: each ends in a clear error (exit 1, the first problem naming file, line and key,
what was expected and what was found; never a traceback), within seconds and modest memory, with nothing
read outside the project. Through the command line (click's CliRunner), as a user meets them."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import MINIMAL_FILM, ROOT, write_film

from presskit.cli import cli

FILM = "films/small-film/film.yaml"


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def problems(result) -> list[str]:
    """The problems of a failed command, after its first line ('Error: ...')."""
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("Error: "), result.output
    return [line.strip() for line in lines[1:]]


def film_with(project: Path, *lines: str, text: str = MINIMAL_FILM) -> Path:
    """The small project's film.yaml with `lines` added at its end (from line 15)."""
    path = project / FILM
    path.write_text(text + "".join(f"{line}\n" for line in lines), encoding="utf-8")
    return path


def sparse(path: Path, size: int, start: bytes = b"title: X\n") -> None:
    """A file of `size` bytes written in no time: its start, then a hole."""
    with open(path, "wb") as f:
        f.write(start)
        f.truncate(size)


@pytest.fixture
def project(small_project, monkeypatch) -> Path:
    monkeypatch.chdir(small_project)
    return small_project


@pytest.fixture
def outside(tmp_path_factory) -> Path:
    """A folder outside the project holding what must never be read: a film, an image, a laurel."""
    folder = tmp_path_factory.mktemp("outside")
    write_film(
        folder / "secret-film", MINIMAL_FILM.replace("Small Film", "SECRET TITLE"), {"images/key.jpg": (1800, 2700)}
    )
    (folder / "secret.yaml").write_text("SECRET-KEY: SECRET VALUE\n")
    (folder / "laurel.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"><text>SECRET</text></svg>')
    return folder


def assert_only_project_files_opened(opened: list[Path], project: Path, outside: Path) -> None:
    allowed = [
        project.resolve(),
        ROOT / "presskit",
        Path(sys.prefix).resolve(),
        Path(sys.base_prefix).resolve(),
        Path("/dev/null"),
    ]
    for path in (p.resolve() for p in opened):
        assert not path.is_relative_to(outside.resolve()), f"opened {path}, outside the project"
        assert any(path.is_relative_to(a) for a in allowed), f"opened {path}, outside the project"


# --- YAML limits --------------------------------------------------------------------------------------


def test_a_50_mb_film_file_is_refused_by_its_size_quickly_and_in_little_memory(project):
    sparse(project / FILM, 50_000_000)
    script = (
        "import resource, subprocess, sys\n"
        "done = subprocess.run([sys.executable, '-m', 'presskit', 'validate', '.'], capture_output=True, "
        "text=True)\n"
        "print(done.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
        "print(done.stderr + done.stdout)\n"
    )
    start = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=project,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=60,
    )
    elapsed = time.monotonic() - start
    status, output = done.stdout.split("\n", 1)
    code, max_rss_kb = (int(n) for n in status.split())
    assert code == 1, output
    assert output.splitlines()[:2] == [
        "Error: 1 problem(s) in the project data",
        f"  {FILM}: expected a file of at most 2 MB, got 50.0 MB",
    ]
    assert "Traceback" not in output
    assert elapsed < 10
    assert max_rss_kb < 600 * 1024


def test_a_billion_laughs_of_aliases_is_refused_at_the_first_alias(project):
    film_with(
        project,
        'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]',
        *(f"{k}: &{k} [{', '.join([f'*{prev}'] * 9)}]" for prev, k in zip("abcdefgh", "bcdefghi", strict=True)),
    )
    start = time.monotonic()
    result = run("validate", ".")
    assert time.monotonic() - start < 10
    assert problems(result) == [
        f"{FILM}:16: b[0]: expected a value written out, got an alias (*name): YAML aliases are not allowed in "
        "presskit's data"
    ]


def test_an_alias_to_a_scalar_is_refused_too(project):
    film_with(project, "original_title: &t Small Film", "transliteration: *t")
    assert problems(run("validate", "."))[0] == (
        f"{FILM}:16: transliteration: expected a value written out, got an alias (*name): YAML aliases are not "
        "allowed in presskit's data"
    )


@pytest.mark.parametrize("depth", [51, 5000])
def test_nesting_deeper_than_50_levels_is_an_error_not_a_recursion_error(project, depth):
    film_with(project, "genres: " + "[" * depth + "]" * depth)
    key = ("genres" + "[0]" * 50)[:117] + "..."
    assert problems(run("validate", ".")) == [f"{FILM}:15: {key}: expected at most 50 levels of nesting, got more"]


def test_50_levels_are_allowed(project):
    film_with(project, "genres: " + "[" * 49 + "]" * 49)
    assert problems(run("validate", "."))[0] == f"{FILM}:15: genres[0]: expected text, got {'[' * 48 + ']' * 9}..."


@pytest.mark.parametrize("char, code", [("\x00", "U+0000"), ("\x0c", "U+000C"), ("\x7f", "U+007F"), ("\x1b", "U+001B")])
def test_a_character_yaml_refuses_in_the_file_names_its_line_and_key(project, char, code):
    path = project / FILM
    path.write_text(MINIMAL_FILM.replace("A short synopsis.", f"A short{char} synopsis."), encoding="utf-8")
    assert problems(run("validate", ".")) == [
        f"{FILM}:12: texts.synopsis_short.en: expected text without control characters, got {code} "
        "(a control character)"
    ]


def test_bytes_that_are_not_utf8_name_their_line(project):
    (project / FILM).write_bytes(MINIMAL_FILM.encode().replace(b"Hero", b"H\xe9ro"))
    assert problems(run("validate", ".")) == [f"{FILM}:10: expected UTF-8 text, got undecodable bytes at offset 184"]


def test_a_festival_file_over_8_mb_is_refused(project):
    (project / "presskit.yaml").write_text("name: test\nfestival: festival.yaml\n")
    sparse(project / "festival.yaml", 9_000_000)
    assert problems(run("validate", ".")) == ["festival.yaml: expected a file of at most 8 MB, got 9.0 MB"]


def test_a_presskit_yaml_over_2_mb_is_refused(project):
    sparse(project / "presskit.yaml", 3_000_000)
    assert problems(run("validate", ".")) == ["presskit.yaml: expected a file of at most 2 MB, got 3.0 MB"]


# --- control characters -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "escape, code, kind",
    [
        ("\\x1b[2J", "U+001B", "a control character"),
        ("\\x85", "U+0085", "a control character"),
        ("\\r", "U+000D", "a control character"),
        ("\\uFFFE", "U+FFFE", "a noncharacter"),
        ("\\ud800", "U+D800", "a lone surrogate"),
    ],
)
def test_control_characters_in_any_text_are_refused_with_file_line_key(project, escape, code, kind):
    film_with(
        project,
        "cast:",
        f'  - {{name: "Actor{escape} One"}}',
        text=MINIMAL_FILM.replace("cast:\n  - {name: Actor One, character: Hero}\n", ""),
    )
    assert problems(run("validate", ".")) == [
        f"{FILM}:14: cast[0].name: expected text without control characters, got {code} ({kind})"
    ]


def test_a_control_character_in_a_key_is_shown_escaped(project):
    film_with(project, '"ti\\x1btle": X')
    assert problems(run("validate", ".")) == [
        f"{FILM}:15: ti\\x1btle: expected text without control characters, got U+001B (a control character)"
    ]


def test_bidirectional_overrides_are_warned_about_and_printed_as_typed(project):
    path = project / FILM
    path.write_text(MINIMAL_FILM.replace("Small Film", "Small \u202eFilm"), encoding="utf-8")
    result = run("validate", ".")
    assert result.exit_code == 0, result.output
    assert (
        f"warning: {FILM}:1: title.en: U+202E (RIGHT-TO-LEFT OVERRIDE) reorders the text around it; it is "
        "printed as typed"
    ) in result.output
    from presskit.load import load_film

    assert load_film(project / "films" / "small-film").film.title["en"] == "Small \u202eFilm"


# --- text lengths -------------------------------------------------------------------------------------------


def test_a_title_of_more_than_300_characters_is_an_error_naming_the_field(project):
    film_with(project, "original_title: " + "A" * 5000)
    start = time.monotonic()
    assert problems(run("validate", ".")) == [
        f"{FILM}:15: original_title: expected a title of at most 300 characters, got 5,000"
    ]
    assert time.monotonic() - start < 10


def test_a_localized_title_names_its_language(project):
    (project / FILM).write_text(MINIMAL_FILM.replace("Petit film", "B" * 301), encoding="utf-8")
    assert problems(run("validate", ".")) == [
        f"{FILM}:1: title: expected a title of at most 300 characters, got 301 (language 'fr')"
    ]


@pytest.mark.parametrize(
    "line, message",
    [
        ("  logline: " + "w" * 1001, "texts.logline: expected a line of text of at most 1,000 characters, got 1,001"),
        (
            "  synopsis_long: " + "w" * 10001,
            "texts.synopsis_long: expected a text of at most 10,000 characters, got 10,001",
        ),
        (
            "  production_notes: " + "w" * 20001,
            "texts.production_notes: expected a text of at most 20,000 characters, got 20,001",
        ),
    ],
)
def test_each_text_has_its_limit(project, line, message):
    film_with(
        project,
        "texts:",
        "  synopsis_short: A short synopsis.",
        line,
        text=MINIMAL_FILM.replace("texts:\n  synopsis_short: {en: A short synopsis., fr: Un synopsis court.}\n", ""),
    )
    assert problems(run("validate", ".")) == [f"{FILM}:15: {message}"]


def test_any_text_has_a_limit_even_a_name(project):
    film_with(project, "crew:", "  sound: [" + "s" * 20001 + "]")
    assert problems(run("validate", ".")) == [
        f"{FILM}:16: crew.sound[0]: expected text of at most 1,000 characters, got 20,001"
    ]


# --- links ----------------------------------------------------------------------------------------------------

PUBLIC = "expected a public web address with a host name such as https://example.com, got"


@pytest.mark.parametrize(
    "url, found",
    [
        (
            "ftp://example.com/film.mp4",
            "expected a web address starting with https://, got 'ftp://example.com/film.mp4'",
        ),
        ("file:///etc/passwd", "expected a web address starting with https://, got 'file:///etc/passwd'"),
        ("javascript:alert(1)", "expected a web address starting with https://, got 'javascript:alert(1)'"),
        ("http://127.0.0.1/screener", f"{PUBLIC} 'http://127.0.0.1/screener', whose host is an IP address"),
        ("http://[::1]:8080/", f"{PUBLIC} 'http://[::1]:8080/', whose host is an IP address"),
        ("http://169.254.169.254/latest/", f"{PUBLIC} 'http://169.254.169.254/latest/', whose host is an IP address"),
        (
            "http://localhost:8000/",
            f"{PUBLIC} 'http://localhost:8000/', whose host is a name of one word (a local name)",
        ),
        ("http://intranet/film", f"{PUBLIC} 'http://intranet/film', whose host is a name of one word (a local name)"),
        ("http://2130706433/", f"{PUBLIC} 'http://2130706433/', whose host is a name of one word (a local name)"),
        ("http://127.1/", f"{PUBLIC} 'http://127.1/', whose host is not a valid host name"),
        ("https://nas.local/film", f"{PUBLIC} 'https://nas.local/film', whose host is a local name (.local)"),
        (
            "https://cdn.corp.internal/x",
            f"{PUBLIC} 'https://cdn.corp.internal/x', whose host is a local name (.internal)",
        ),
        (
            "https://user:secret@example.com/",
            f"{PUBLIC} an address with a user name or password before its host (user@)",
        ),
    ],
)
def test_links_must_be_public_web_addresses(project, url, found):
    film_with(project, "links:", f"  screener: '{url}'")
    assert problems(run("validate", ".")) == [f"{FILM}:16: links.screener: {found}"]


def test_a_public_link_is_accepted(project):
    film_with(project, "links:", "  screener: https://vimeo.com/123456", "  website: https://bücher.example.de/film")
    assert run("validate", ".").exit_code == 0


# --- paths -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "command", [("validate", "."), ("validate", "films/small-film"), ("kit", "films/small-film"), ("build", ".")]
)
def test_a_film_yaml_linked_outside_the_project_is_refused_unread(project, outside, opened, tmp_path_factory, command):
    (project / FILM).unlink()
    (project / FILM).symlink_to(outside / "secret.yaml")
    out = tmp_path_factory.mktemp("out")
    result = run(*command, *(["-o", str(out)] if command[0] != "validate" else []))
    assert not any(out.rglob("*.pdf"))
    assert problems(result) == [f"{FILM}: expected a file inside the project, got a symbolic link leading outside it"]
    assert "SECRET" not in result.output
    assert_only_project_files_opened(opened, project, outside)


def test_a_film_folder_linked_outside_the_project_is_refused_unread(project, outside, opened):
    (project / "films" / "secret-film").symlink_to(outside / "secret-film")
    result = run("validate", ".")
    assert problems(result) == [
        "films/secret-film/film.yaml: expected a file inside the project, got a symbolic link leading outside it"
    ]
    assert "SECRET" not in result.output
    assert_only_project_files_opened(opened, project, outside)


def test_a_lone_film_folder_linked_outside_its_project_is_refused_unread(project, outside, opened):
    (project / "films" / "secret-film").symlink_to(outside / "secret-film")
    result = run("validate", "films/secret-film")
    assert problems(result) == [
        "films/secret-film/film.yaml: expected a file inside the project, got a symbolic link leading outside it"
    ]
    assert "SECRET" not in result.output
    assert_only_project_files_opened(opened, project, outside)


def test_an_image_linked_outside_the_project_is_refused_unread(project, outside, opened):
    (project / "films/small-film/images/key.jpg").unlink()
    (project / "films/small-film/images/key.jpg").symlink_to(outside / "secret-film/images/key.jpg")
    assert problems(run("validate", ".")) == [
        f"{FILM}:14: images.key_art.file: expected a path inside the project, got 'images/key.jpg'"
    ]
    assert (project / FILM).resolve() in opened  # (the recording works)
    assert_only_project_files_opened(opened, project, outside)


def test_laurel_artwork_linked_outside_the_project_is_refused_unread(project, outside, opened):
    (project / "films/small-film/laurel.svg").symlink_to(outside / "laurel.svg")
    film_with(project, "festivals:", "  - {id: f, festival: F, year: 2024, laurel_artwork: laurel.svg}")
    result = run("validate", ".")
    assert problems(result) == [
        f"{FILM}:16: festivals[0].laurel_artwork: expected an SVG file inside the project, got 'laurel.svg'"
    ]
    assert "SECRET" not in result.output
    assert_only_project_files_opened(opened, project, outside)


def test_a_presskit_yaml_linked_outside_the_project_is_refused_unread(project, outside, opened):
    (project / "presskit.yaml").unlink()
    (project / "presskit.yaml").symlink_to(outside / "secret.yaml")
    result = run("validate", ".")
    assert problems(result) == [
        "presskit.yaml: expected a file inside the project, got a symbolic link leading outside it"
    ]
    assert "SECRET" not in result.output
    assert_only_project_files_opened(opened, project, outside)


def test_a_festival_file_linked_outside_the_project_is_refused_unread(project, outside, opened):
    (project / "presskit.yaml").write_text("name: test\nfestival: festival.yaml\n")
    (project / "festival.yaml").symlink_to(outside / "secret.yaml")
    result = run("validate", ".")
    assert problems(result) == [
        "presskit.yaml: festival: expected a festival file inside the project, got 'festival.yaml', which leads "
        "outside it"
    ]
    assert "SECRET" not in result.output
    assert_only_project_files_opened(opened, project, outside)


def test_a_films_folder_outside_the_project_is_refused_unread(project, outside, opened):
    (project / "presskit.yaml").write_text(f"name: test\nfilms: {outside}\n")
    result = run("validate", ".")
    assert problems(result) == [
        f"presskit.yaml: films: expected a folder of films inside the project, got '{outside}', which leads outside it"
    ]
    assert_only_project_files_opened(opened, project, outside)


@pytest.mark.parametrize("target", [".", "films/small-film"])
def test_a_folder_named_film_yaml_is_an_error_not_a_film_left_out(project, target):
    (project / FILM).unlink()
    (project / FILM).mkdir()
    assert problems(run("validate", target)) == [f"{FILM}: expected a file, got a folder"]


def test_a_folder_named_film_yaml_stops_the_kit(project, tmp_path_factory):
    (project / FILM).unlink()
    (project / FILM).mkdir()
    out = tmp_path_factory.mktemp("out")
    assert problems(run("kit", "films/small-film", "-o", str(out))) == [f"{FILM}: expected a file, got a folder"]
    assert not any(out.rglob("*.pdf"))


def test_a_pipe_named_film_yaml_is_refused_without_waiting_for_it(project):
    (project / FILM).unlink()
    os.mkfifo(project / FILM)
    assert problems(run("validate", ".")) == [
        f"{FILM}: expected a file, got a special file (a pipe, a socket or a device)"
    ]


def test_a_folder_named_like_an_image_is_an_error(project):
    (project / "films/small-film/images/key.jpg").unlink()
    (project / "films/small-film/images/key.jpg").mkdir()
    assert problems(run("validate", ".")) == [
        f"{FILM}:14: images.key_art.file: expected an image file, got a folder (images/key.jpg)"
    ]


# --- what validate checks before rendering --------------------------------------------------------------------


def test_validate_decodes_every_image_a_truncated_jpeg_fails(project):
    key = project / "films/small-film/images/key.jpg"
    from PIL import Image

    Image.effect_noise((1800, 2700), 50).convert("RGB").save(key, quality=90)
    key.write_bytes(key.read_bytes()[: key.stat().st_size * 3 // 4])
    [problem] = problems(run("validate", "."))
    assert problem.startswith(
        f"{FILM}:14: images.key_art.file: expected an image that decodes, got a damaged file (image file is truncated"
    )
    assert problem.endswith(") (images/key.jpg)")


def test_validate_decodes_images_of_a_lone_film_folder_too(project):
    key = project / "films/small-film/images/key.jpg"
    key.write_bytes(key.read_bytes()[:-2000])
    [problem] = problems(run("validate", "films/small-film"))
    assert problem.startswith(f"{FILM}:14: images.key_art.file: expected an image that decodes")


def test_laurel_artwork_that_does_not_parse_fails_validate(project):
    (project / "films/small-film/laurel.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'><g></svg>")
    film_with(project, "festivals:", "  - {id: f, festival: F, year: 2024, laurel_artwork: laurel.svg}")
    [problem] = problems(run("validate", "."))
    assert problem.startswith(
        f"{FILM}:16: festivals[0].laurel_artwork: laurel.svg: expected an SVG file (XML), "
        "got one that does not parse (mismatched tag"
    )


def test_an_svg_entity_bomb_is_refused_quickly(project):
    entities = "".join(f'<!ENTITY e{i} "{f"&e{i - 1};" * 10}">' for i in range(1, 10))
    (project / "films/small-film/laurel.svg").write_text(
        textwrap.dedent(f"""\
        <?xml version="1.0"?>
        <!DOCTYPE svg [<!ENTITY e0 "lol">{entities}]>
        <svg xmlns="http://www.w3.org/2000/svg"><text>&e9;</text></svg>
        """)
    )
    film_with(project, "festivals:", "  - {id: f, festival: F, year: 2024, laurel_artwork: laurel.svg}")
    start = time.monotonic()
    [problem] = problems(run("validate", "."))
    assert time.monotonic() - start < 10
    assert problem == (
        f"{FILM}:16: festivals[0].laurel_artwork: laurel.svg: expected an SVG without a DOCTYPE "
        "(presskit reads no DTD and no entity declarations), got <!DOCTYPE svg [...]> (line 2); "
        "remove it (Inkscape: save as plain SVG)"
    )
