"""Hostile and broken input while preparing and rendering: a clear error or a correct PDF, in bounded time and
memory, with nothing left in the temporary folder.

- a festival's laurel SVG with a DOCTYPE (entities: "billion laughs", external entities), processing
  instructions, too many bytes, elements or levels: refused before anything is expanded, naming the file;
- every render under a time limit (PRESSKIT_RENDER_TIMEOUT), and the one-sheet's whole fitting too;
- generated laurels of absurdly long names laid out at once;
- a text cut off at the page's bottom reported as overflowing by "at least" what was measured;
- a festival of 10 000 screenings refused at once, naming the key;
- no presskit-fontconfig-* (or weasyprint-*) folder left behind by a build, nor by one stopped by the limit.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from presskit import laurels
from presskit.artwork import MAX_BYTES, MAX_DEPTH, MAX_ELEMENTS, official_svg
from presskit.cli import cli
from presskit.errors import DataError, RenderError
from presskit.festival import MAX_SCREENINGS, MAX_SCREENINGS_PER_FILM
from presskit.limits import ENVIRONMENT, render_seconds, time_limit

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "data"
SVG_OPEN = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">'
WHAT = "film.yaml: festivals: kviff: laurel_artwork press/kviff.svg"
# entities nested ten deep: 10^9 copies of "lol" once expanded
LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE svg [\n<!ENTITY lol0 "lol">\n'
    + "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">\n' for i in range(1, 10))
    + f"]>\n{SVG_OPEN}<text>&lol9;</text></svg>"
)
FILM_MARKER = "    premiere: world\n    official_selection: true\n"  # red-rooms' Karlovy Vary entry


def run(
    *args: str, tmpdir: Path, env: dict | None = None, timeout: float = 120
) -> tuple[subprocess.CompletedProcess, float, float]:
    """`presskit args` in a subprocess with TMPDIR=tmpdir: (result, seconds, peak memory in MB). The peak is
    measured by a wrapper process, whose only child the command is."""
    wrapper = textwrap.dedent("""
        import json, resource, subprocess, sys, time
        start = time.monotonic()
        done = subprocess.run([sys.executable, "-m", "presskit", *sys.argv[1:]], capture_output=True, text=True)
        print(json.dumps([done.returncode, done.stdout, done.stderr, time.monotonic() - start,
                          resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024]))
    """)
    environment = {k: v for k, v in os.environ.items() if k != ENVIRONMENT}  # the default limit, unless `env`
    environment.update(TMPDIR=str(tmpdir), PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    environment.update(env or {})
    outer = subprocess.run(
        [sys.executable, "-c", wrapper, *args],
        env=environment,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=True,
    )
    code, out, err, seconds, peak = json.loads(outer.stdout)
    return subprocess.CompletedProcess(args, code, out, err), seconds, peak


def film_copy(tmp_path: Path, change=None) -> Path:
    """Red Rooms from the demo in tmp_path/red-rooms, its film.yaml text passed through `change`."""
    film = tmp_path / "red-rooms"
    shutil.copytree(DEMO / "films" / "red-rooms", film)
    if change is not None:
        yaml = film / "film.yaml"
        yaml.write_text(change(yaml.read_text(encoding="utf-8")), encoding="utf-8")
    return film


def with_artwork(tmp_path: Path, svg: str | bytes) -> Path:
    """Red Rooms with `svg` as its Karlovy Vary laurel (kviff.svg)."""
    placed = f"{FILM_MARKER}    laurel_artwork: kviff.svg\n"
    film = film_copy(tmp_path, lambda text: text.replace(FILM_MARKER, placed, 1))
    data = svg.encode("utf-8") if isinstance(svg, str) else svg
    (film / "kviff.svg").write_bytes(data)
    return film


def with_title(tmp_path: Path, title: str, synopsis: str | None = None) -> Path:
    def change(text: str) -> str:
        assert "title:\n  en: Red Rooms\n" in text
        text = text.replace("title:\n  en: Red Rooms\n", f"title:\n  en: {json.dumps(title)}\n", 1)
        if synopsis is not None:
            start = text.index("  synopsis_long:\n")
            end = re.compile(r"\n {0,2}\S").search(text, start + 1).start()  # the next key of texts: or after
            text = text[:start] + f"  synopsis_long:\n    en: {json.dumps(synopsis)}" + text[end:]
        return text

    return film_copy(tmp_path, change)


def left_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# --- SVG artwork ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "svg, found",
    [
        (LAUGHS, "got <!DOCTYPE svg [...]> (line 2)"),
        (
            '<?xml version="1.0"?>\n<!DOCTYPE svg [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
            f"{SVG_OPEN}<text>&xxe;</text></svg>",
            "got <!DOCTYPE svg [...]> (line 2)",
        ),
        (
            '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n'
            f'{SVG_OPEN}<rect width="1" height="1"/></svg>',
            "got <!DOCTYPE svg> (line 1)",
        ),
    ],
)
def test_a_doctype_is_refused_before_any_entity_is_read(tmp_path, svg, found):
    path = tmp_path / "kviff.svg"
    path.write_text(svg, encoding="utf-8")
    start = time.monotonic()
    with pytest.raises(DataError) as caught:
        official_svg(path, WHAT)
    assert time.monotonic() - start < 1
    message = str(caught.value)
    assert message.startswith(
        f"{WHAT}: expected an SVG without a DOCTYPE (presskit reads no DTD and no entity "
        f"declarations), {found}; remove it"
    ), message


def test_processing_instructions_and_undeclared_entities_are_refused(tmp_path):
    path = tmp_path / "kviff.svg"
    path.write_text(f'<?xml version="1.0"?>\n<?xml-stylesheet href="http://x.example/a.css"?>\n{SVG_OPEN}</svg>')
    with pytest.raises(
        DataError,
        match=r"^film.yaml: festivals: kviff: laurel_artwork press/kviff.svg: expected an "
        r"SVG without processing instructions, got <\?xml-stylesheet \.\.\.\?> "
        r"\(line 2\)",
    ):
        official_svg(path, WHAT)
    path.write_text(f"{SVG_OPEN}<text>&lol;</text></svg>")
    with pytest.raises(
        DataError, match="expected an SVG file \\(XML\\), got one that does not parse \\(undefined entity"
    ):
        official_svg(path, WHAT)


def test_too_large_too_many_elements_and_too_deep_are_refused_naming_the_limits(tmp_path):
    path = tmp_path / "kviff.svg"
    path.write_bytes(SVG_OPEN.encode() + b"<!--" + b"x" * (3 * MAX_BYTES // 2) + b"--></svg>")
    with pytest.raises(DataError) as caught:
        official_svg(path, WHAT)
    assert str(caught.value) == (
        f"{WHAT}: expected an SVG of at most 2 MB, got 3.0 MB; ask the festival for a smaller file"
    )
    path.write_text(SVG_OPEN + '<rect width="1" height="1"/>\n' * MAX_ELEMENTS + "</svg>")
    with pytest.raises(DataError) as caught:
        official_svg(path, WHAT)
    assert str(caught.value) == (
        f"{WHAT}: expected an SVG of at most 20000 elements, got more than 20000 "
        f"(line {MAX_ELEMENTS}); ask the festival for a simpler drawing"
    )
    path.write_text(SVG_OPEN + "<g>" * (MAX_DEPTH + 400) + "</g>" * (MAX_DEPTH + 400) + "</svg>")
    with pytest.raises(
        DataError,
        match=f"expected elements nested at most {MAX_DEPTH} deep, got <g> nested {MAX_DEPTH + 1} deep \\(line 1\\)",
    ):
        official_svg(path, WHAT)
    # just under every limit: placed
    path.write_text(SVG_OPEN + '<rect width="1" height="1"/>' * (MAX_ELEMENTS - 1) + "</svg>")
    assert official_svg(path, WHAT).count("<rect") == MAX_ELEMENTS - 1


def test_the_default_black_fill_is_converted_in_print(tmp_path):
    path = tmp_path / "kviff.svg"
    path.write_text(f'{SVG_OPEN}<path d="M0 0h5v5z"/></svg>')
    printed = official_svg(path, WHAT, lambda colours: [(0.0, 0.0, 0.0, 1.0) for _ in colours])
    assert 'fill="device-cmyk(0 0 0 1)"' in printed  # else drawn in RGB black, which PDF/X refuses
    assert "fill=" not in official_svg(path, WHAT)  # on screen: left as it was


def test_the_kit_refuses_billion_laughs_at_once_naming_the_film_file_and_key(tmp_path):
    film = with_artwork(tmp_path, LAUGHS)
    line = next(i for i, row in enumerate((film / "film.yaml").read_text().splitlines(), 1) if "laurel_artwork" in row)
    start = time.monotonic()
    result = CliRunner().invoke(cli, ["kit", str(film), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1, result.output
    assert time.monotonic() - start < 10
    problem = result.output.splitlines()[1].strip()
    assert problem.startswith(
        f"{film / 'film.yaml'}:{line}: festivals[0].laurel_artwork: kviff.svg: expected an SVG without a DOCTYPE"
    ), result.output
    assert not (tmp_path / "out").exists()


# --- time limits -------------------------------------------------------------------------------------


def _spin(seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pass


def test_time_limit_stops_the_block_naming_the_document_and_restores_the_alarm():
    before = signal.getsignal(signal.SIGALRM)
    start = time.monotonic()
    with pytest.raises(RenderError) as caught, time_limit("red-rooms press kit (print)", 0.2):
        for _ in range(20):
            with contextlib.suppress(Exception):  # as WeasyPrint does around some steps: the limit is not swallowed
                _spin(1)
    assert time.monotonic() - start < 1
    assert str(caught.value).startswith("rendering the red-rooms press kit (print) took more than 0.2 s; ")
    assert f"allow more time with {ENVIRONMENT}=<seconds>" in str(caught.value)
    assert signal.getsignal(signal.SIGALRM) is before and signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    with time_limit("quick", 5):
        _spin(0.01)
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_time_limits_nest_and_the_outer_one_reports_its_own_time():
    outer = time_limit("red-rooms one-sheet", 0.3, doing="fitting")
    with pytest.raises(RenderError, match="^fitting the red-rooms one-sheet took more than 0.3 s"), outer:
        for _ in range(5):
            try:
                with time_limit("red-rooms one-sheet", 0.2):  # each render, caught and tried again
                    _spin(1)
            except RenderError as exc:
                assert str(exc).startswith("rendering the red-rooms one-sheet took more than 0.2 s")
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_the_limit_is_read_from_the_environment(monkeypatch):
    monkeypatch.delenv(ENVIRONMENT, raising=False)
    assert render_seconds() == 120
    monkeypatch.setenv(ENVIRONMENT, "2.5")
    assert render_seconds() == 2.5
    for wrong in ("soon", "-1", "inf", "nan"):
        monkeypatch.setenv(ENVIRONMENT, wrong)
        with pytest.raises(
            RenderError, match=f"^{ENVIRONMENT}: expected a number of seconds \\(0 for no limit\\), got '{wrong}'"
        ):
            render_seconds()


@pytest.mark.slow
def test_a_render_past_the_limit_stops_naming_the_document_and_leaves_nothing(tmp_path):
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    result, seconds, _ = run(
        "kit",
        "--edition",
        "screen",
        str(film_copy(tmp_path)),
        "-o",
        str(tmp_path / "out"),
        tmpdir=tmpdir,
        env={ENVIRONMENT: "0.3"},
    )
    assert result.returncode == 1, result.stderr
    assert errors(result).startswith("Error: rendering the red-rooms press kit (screen) took more than 0.3 s; "), (
        result.stderr
    )
    assert seconds < 30
    assert left_in(tmpdir) == []
    assert not list((tmp_path / "out").rglob("*.pdf"))


@pytest.mark.slow
def test_a_title_of_one_long_hyphenatable_word_no_longer_hangs_the_kit(tmp_path):
    """WeasyPrint measured the running head (the title, in a page margin) again at each of its hyphenation
    points, on every page: a 1000-letter word took the kit past 200 s. Running heads are not hyphenated; the
    longest title validation lets through (300 characters), one word, builds in time."""
    film = with_title(tmp_path, ("internationalization" * 15)[:300])
    result, seconds, peak = run("kit", str(film), "-o", str(tmp_path / "out"), tmpdir=tmp_path)
    assert result.returncode == 0, result.stderr
    assert seconds < 30 and peak < 600, (seconds, peak)


def errors(result) -> str:
    """stderr without the warnings before the error (Red Rooms' laurels: a fallback said once) and the
    print build's note of its output condition."""
    return "\n".join(line for line in result.stderr.splitlines() if not line.startswith(("warning: ", "print: ")))


@pytest.mark.slow
def test_the_one_sheet_fitting_as_a_whole_is_limited(tmp_path):
    synopsis = "\n\n".join(["The high-profile case of serial killer Ludovic Chevalier " * 9] * 110)[:10_000]
    film = with_title(tmp_path, ("the high profile case of serial killer Ludovic Chevalier " * 6)[:300], synopsis)
    result, seconds, _ = run(
        "onesheet", str(film), "-o", str(tmp_path / "out"), tmpdir=tmp_path, env={ENVIRONMENT: "1"}
    )
    assert result.returncode == 1, result.stderr
    assert errors(result).startswith("Error: fitting the red-rooms one-sheet took more than 1 s; "), result.stderr
    assert seconds < 30


@pytest.mark.slow
def test_a_long_unbreakable_title_and_a_huge_synopsis_end_within_30_s(tmp_path):
    """What validation lets through (a title under 300 characters, one word of it) ends in time, with the
    default limit: the kit is written, the one-sheet says what does not fit."""
    synopsis = "\n\n".join(["The high-profile case of serial killer Ludovic Chevalier " * 9] * 110)[:10_000]
    film = with_title(tmp_path, ("internationalization" * 15)[:290], synopsis)
    result, seconds, peak = run("kit", str(film), "-o", str(tmp_path / "out"), tmpdir=tmp_path)
    assert result.returncode == 0, result.stderr
    assert seconds < 30 and peak < 600, (seconds, peak)
    result, seconds, _ = run("onesheet", str(film), "-o", str(tmp_path / "out"), tmpdir=tmp_path)
    assert result.returncode == 1, result.stderr
    assert errors(result).startswith(
        "Error: red-rooms one-sheet: does not fit on one A4 page even at 7.5 pt: a line "
        "is wider than its column: 'INTERNATIONALIZATION"
    ), result.stderr
    assert seconds < 30


# --- generated laurels ------------------------------------------------------------------------------------


def test_laurels_of_absurdly_long_names_are_laid_out_at_once_with_short_file_names():
    name = " ".join(["International Film Festival of the Cinema Arts and Sciences"] * 250)
    start = time.monotonic()
    made = []
    huge = "X" * 20_000
    for status, award, festival in [
        ("WINNER", name.upper(), "Fantasia"),
        (name.upper(), None, "Fantasia"),
        ("WINNER", "CHEVAL NOIR – BEST FILM", name),
        ("WINNER", huge, huge),
    ]:
        laurel = laurels.Laurel(status, award, festival, 2023, "fantasia-2023", None, (1, 0, 0, 0), None)
        layout = laurels.laurel_layout(laurel)
        assert layout.overflow > 0 and layout.lines  # drawn overflowing (with a warning), never smaller
        assert "<svg" in laurels.laurel_svg(laurel, "gold")
        made.append(laurel.slug)
    assert time.monotonic() - start < 5
    assert all(len(slug) <= laurels.MAX_SLUG for slug in made) and len(set(made)) == len(made)
    short = laurels.Laurel("WINNER", "CHEVAL NOIR – BEST FILM", "Fantasia", 2023, "fantasia-2023", None, (1, 0, 0, 0))
    assert short.slug == "fantasia-2023-winner-cheval-noir-best-film"


# --- overflow cut off at the page's bottom ----------------------------------------------------------------


@pytest.mark.slow
def test_an_overflow_cut_off_by_the_page_is_reported_as_a_minimum(tmp_path):
    from presskit.fit import overflows
    from presskit.pdf import RenderJob, render_document

    def frame(words: int) -> list:
        html = (
            "<html><head><style>@page { size: 100mm 60mm; margin: 5mm } .f { height: 30mm; overflow: hidden }"
            f"</style></head><body><div class=f data-fit=box><p data-field=text>{'word ' * words}</p></div>"
            "</body></html>"
        )
        return overflows(render_document(RenderJob(html, tmp_path, [tmp_path], "test")))

    [cut] = frame(3000)
    assert cut.cut and cut.describe().startswith("text overflows its box by at least ")
    assert cut.describe().endswith(" mm (more than the page holds)")
    [inside] = frame(40)
    assert not inside.cut and "at least" not in inside.describe()


# --- a festival of 10 000 screenings ----------------------------------------------------------------------


def test_ten_thousand_screenings_are_refused_at_once_naming_the_key(tmp_path):
    project = tmp_path / "data"
    shutil.copytree(DEMO, project)
    festival = project / "festival.yaml"
    text = festival.read_text(encoding="utf-8")
    films = [
        "red-rooms",
        "souleymanes-story",
        "lady-bird",
        "in-the-mood-for-love",
        "casques-bleues",
        "folktales",
        "its-never-over-jeff-buckley",
    ]
    rows = [
        f'  - {{film: {films[i % 7]}, date: 2023-10-0{1 + i % 8}, time: "{10 + i // 8 % 14:02d}:{i * 7 % 60:02d}", '
        f"venue: rio, code: X{i:05d}}}"
        for i in range(10_000)
    ]
    start, end = text.index("screenings:\n"), text.index("\nsponsors:")
    festival.write_text(text[:start] + "screenings:\n" + "\n".join(rows) + "\n" + text[end:], encoding="utf-8")
    line = text[:start].count("\n") + 1
    result, seconds, peak = run("build", str(project), "-o", str(tmp_path / "out"), tmpdir=tmp_path)
    assert result.returncode == 1, result.stderr
    problems = result.stderr.splitlines()
    assert problems[1].strip() == (
        f"{festival}:{line}: screenings: expected at most {MAX_SCREENINGS} screenings "
        "(the catalogue's schedule of that many runs to about 110 pages), got 10000"
    ), problems[:3]
    per_film = f"expected at most {MAX_SCREENINGS_PER_FILM} screenings of one film, got 1429 of 'red-rooms'"
    assert any(p.endswith(f": screenings[700].film: {per_film}") for p in problems), problems
    assert seconds < 30 and peak < 600, (seconds, peak)
    assert not (tmp_path / "out").exists()


# --- temporary folders ---------------------------------------------------------------------------------


@pytest.mark.slow
def test_kits_leave_nothing_in_the_temporary_folder(tmp_path):
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    film = film_copy(tmp_path)
    for _ in range(2):
        result, seconds, _ = run("kit", str(film), "-o", str(tmp_path / "out"), tmpdir=tmpdir)
        assert result.returncode == 0, result.stderr
        assert left_in(tmpdir) == []  # no presskit-fontconfig-*, no weasyprint-*
    assert (tmp_path / "out" / "films" / "red-rooms" / "presskit-print.pdf").is_file()


def test_a_forked_child_leaves_the_fontconfig_folder_to_its_parent(tmp_path):
    code = textwrap.dedent("""
        import os, sys
        from pathlib import Path
        from presskit import pdf
        folder = Path(pdf._fontconfig_file()).parent
        pid = os.fork()
        if pid == 0:
            sys.exit(0)  # a normal exit of the child: its exit functions run
        os.waitpid(pid, 0)
        print(folder.is_dir())
    """)
    env = {**os.environ, "TMPDIR": str(tmp_path), "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "True"  # still there after the child's exit
    assert left_in(tmp_path) == []  # and removed at the parent's


@pytest.mark.slow
def test_a_catalogue_part_is_rendered_under_the_time_limit_too(tmp_path):
    """The catalogue's parts render in worker processes, each under the same limit: one that runs over it
    stops the build with an error naming the part, and no catalogue is written."""
    out = tmp_path / "out"
    result, seconds, _ = run(
        "catalogue", str(ROOT / "data"), "-o", str(out), tmpdir=tmp_path, env={ENVIRONMENT: "0.05"}
    )
    assert result.returncode == 1, result.stderr
    assert re.match(r"Error: rendering the catalogue part [\w+-]+ took more than 0\.05 s; ", errors(result)), (
        result.stderr
    )
    assert not (out / "catalogue.pdf").exists()
    assert seconds < 30
