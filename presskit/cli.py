"""The command line: parse options, call the library, map the result to an exit code.

Heavy imports (WeasyPrint, Pillow) happen inside the commands so that `presskit --help` is instant.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from pathlib import Path
from typing import NoReturn

import click

from . import __version__
from .paper import PAPERS

log = logging.getLogger("presskit")


def _setup_logging(verbose: int, quiet: bool) -> None:
    level = logging.WARNING if quiet else (logging.DEBUG if verbose else logging.INFO)
    handler = logging.StreamHandler(sys.stderr)
    colour = sys.stderr.isatty() and not os.environ.get("NO_COLOR")
    fmt = "\x1b[2m%(message)s\x1b[0m" if colour else "%(message)s"
    handler.setFormatter(logging.Formatter(fmt))
    log.handlers[:] = [handler]
    log.setLevel(level)
    log.propagate = False


def out_option(f):
    return click.option(
        "-o",
        "--out",
        "out_dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=Path("out"),
        show_default=True,
        help="Output folder.",
    )(f)


def render_options(f):
    f = click.option("--lang", help="Language of the printed text (default: the project's).")(f)
    f = click.option("--paper", type=click.Choice(list(PAPERS)), help="Paper size (default: the project's).")(f)
    return out_option(f)


def edition_options(f):
    f = click.option(
        "--pdfx",
        type=click.Choice(["x-4", "x-1a"]),
        help="PDF/X standard of the print edition (default: print.standard, else x-4).",
    )(f)
    return click.option(
        "--edition",
        type=click.Choice(["screen", "print"]),
        help="Build only this edition (default: each product's own; the kit: both).",
    )(f)


def _edition_choice(edition: str | None, pdfx: str | None) -> None:
    if pdfx and edition == "screen":
        raise click.UsageError("--pdfx applies to the print edition; it cannot be used with --edition screen")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="presskit")
@click.option("-v", "--verbose", count=True, help="More detail on stderr.")
@click.option("-q", "--quiet", is_flag=True, help="Only errors and the summary line.")
def cli(verbose: int, quiet: bool) -> None:
    """Press kits, one-sheets, programme pages and festival catalogues from film data."""
    _setup_logging(verbose, quiet)


@cli.command()
@click.argument("path", type=click.Path(path_type=Path), default=Path("data"))
def validate(path: Path) -> None:
    """Check a project or one film folder; list every problem (exit 1 when there are any). Makes every check
    that can be made before rendering: every image is decoded whole."""
    from .load import FILM_FILE, decoding_images, load_film, load_project

    with decoding_images():
        if os.path.lexists(path / FILM_FILE):  # a film.yaml that is a folder or a link is reported as such
            source = load_film(path)
            click.echo(f"{source.slug}: ok")
        else:
            project = load_project(path)
            click.echo(f"{len(project.films)} film(s) ok: {', '.join(f.slug for f in project.films)}")


@cli.command()
@click.option("--project", "which", flag_value="project", help="The schema of presskit.yaml.")
@click.option("--festival", "which", flag_value="festival", help="The schema of the festival edition file.")
def schema(which: str | None) -> None:
    """Print the JSON Schema of the film format (film.yaml), for editors."""
    from pydantic import BaseModel

    from .model import Festival, Film, Project

    which = which or "film"
    models: dict[str, type[BaseModel]] = {"film": Film, "project": Project, "festival": Festival}
    document = models[which].model_json_schema()
    document["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    document["title"] = f"presskit {which}"
    click.echo(json.dumps(document, indent=2, ensure_ascii=False))


@cli.command()
@click.argument("film_dir", type=click.Path(path_type=Path))
@render_options
@edition_options
def kit(
    film_dir: Path, out_dir: Path, lang: str | None, paper: str | None, edition: str | None, pdfx: str | None
) -> None:
    """Write out/films/<slug>/presskit.pdf (screen), presskit-print.pdf (print) and the film's laurels."""
    from .build import BuildOptions, build_kit

    _edition_choice(edition, pdfx)
    result = build_kit(film_dir, BuildOptions(out_dir=out_dir, lang=lang, paper=paper, edition=edition, pdfx=pdfx))
    click.echo(result.summary(), err=True)


@cli.command()
@click.argument("film_dir", type=click.Path(path_type=Path))
@render_options
@edition_options
@click.option(
    "--max-laurels",
    type=click.IntRange(0, 12),
    help="Laurels to show, best first (default: the project's max_laurels).",
)
def onesheet(
    film_dir: Path,
    out_dir: Path,
    lang: str | None,
    paper: str | None,
    edition: str | None,
    pdfx: str | None,
    max_laurels: int | None,
) -> None:
    """Write out/films/<slug>/onesheet.pdf: the one-page sell sheet (print edition unless --edition screen,
    which writes onesheet-screen.pdf). Exit 1 when the film's texts cannot be fitted on one page."""
    from .build import BuildOptions, build_onesheet

    _edition_choice(edition, pdfx)
    result = build_onesheet(
        film_dir,
        BuildOptions(out_dir=out_dir, lang=lang, paper=paper, edition=edition, pdfx=pdfx, max_laurels=max_laurels),
    )
    click.echo(result.summary(), err=True)


@cli.command()
@click.argument("film_dir", type=click.Path(path_type=Path))
@render_options
@edition_options
@click.option(
    "--variant",
    type=click.Choice(["full", "half"]),
    default="full",
    show_default=True,
    help="A full-page or a half-page catalogue entry.",
)
def programme(
    film_dir: Path,
    out_dir: Path,
    lang: str | None,
    paper: str | None,
    edition: str | None,
    pdfx: str | None,
    variant: str,
) -> None:
    """Write out/films/<slug>/programme.pdf (or programme-half.pdf): the film's entry in the festival
    catalogue, on the festival's trim size (--paper prints it on A4 or letter instead). Print edition
    unless --edition screen (programme-screen.pdf). Exit 1 when a text does not fit its box."""
    from .build import BuildOptions, build_programme

    _edition_choice(edition, pdfx)
    result = build_programme(
        film_dir, BuildOptions(out_dir=out_dir, lang=lang, paper=paper, edition=edition, pdfx=pdfx), (variant,)
    )
    click.echo(result.summary(), err=True)


def jobs_option(f):
    return click.option(
        "-j",
        "--jobs",
        type=click.IntRange(1, 64),
        help="Worker processes rendering the catalogue's parts (default: one per CPU).",
    )(f)


def changes_options(f):
    f = click.option(
        "--json",
        "as_json",
        is_flag=True,
        help="With --changed-since: the report as JSON on stdout.",
    )(f)
    return click.option(
        "--changed-since",
        type=click.Path(path_type=Path),
        metavar="OLD.pdf",
        help="After the build, list the catalogue's pages that print differently from OLD.pdf (the plates "
        "to replace) and write their contact sheet, old beside new, to out/catalogue-changed-pages.pdf.",
    )(f)


def _earlier(changed_since: Path | None, as_json: bool) -> bytes | None:
    """The earlier PDF of --changed-since, read and checked before the build (which may replace it)."""
    if as_json and changed_since is None:
        raise click.UsageError("--json needs --changed-since OLD.pdf")
    if changed_since is None:
        return None
    from .changes import read_earlier

    return read_earlier(changed_since)


def _report_changes(changed_since: Path, earlier: bytes, catalogue: Path, as_json: bool, jobs: int | None) -> None:
    from .changes import changes_since

    report = changes_since(changed_since, earlier, catalogue, jobs)
    click.echo(json.dumps(report.to_dict(), indent=2) if as_json else report.format_text())


@cli.command()
@click.argument("project_dir", type=click.Path(path_type=Path), default=Path("data"))
@render_options
@edition_options
@jobs_option
def build(
    project_dir: Path,
    out_dir: Path,
    lang: str | None,
    paper: str | None,
    edition: str | None,
    pdfx: str | None,
    jobs: int | None,
) -> None:
    """Build every product of a project (default: the bundled demo in data/) into out/, and the festival
    catalogue when the project has a festival."""
    from .build import BuildOptions, build_project

    _edition_choice(edition, pdfx)
    result = build_project(
        project_dir, BuildOptions(out_dir=out_dir, lang=lang, paper=paper, edition=edition, pdfx=pdfx, jobs=jobs)
    )
    click.echo(result.summary(), err=True)


@cli.command()
@click.argument("project_dir", type=click.Path(path_type=Path), default=Path("data"))
@out_option
@click.option("--lang", help="Language of the printed text (default: the festival's).")
@edition_options
@jobs_option
@changes_options
def catalogue(
    project_dir: Path,
    out_dir: Path,
    lang: str | None,
    edition: str | None,
    pdfx: str | None,
    jobs: int | None,
    changed_since: Path | None,
    as_json: bool,
) -> None:
    """Write out/catalogue.pdf: the festival catalogue (print edition unless --edition screen, which writes
    catalogue-screen.pdf), on the festival's trim size. Parts are rendered in parallel and cached in
    out/.cache/parts/; a rebuild renders only what changed, and rewrites the PDF only when it changes.
    With --changed-since OLD.pdf, then lists the pages that print differently from OLD.pdf."""
    from .build import BuildOptions, build_catalogue

    _edition_choice(edition, pdfx)
    earlier = _earlier(changed_since, as_json)
    run = build_catalogue(project_dir, BuildOptions(out_dir=out_dir, lang=lang, edition=edition, pdfx=pdfx, jobs=jobs))
    click.echo(run.summary(), err=True)
    if changed_since is not None and earlier is not None:
        _report_changes(changed_since, earlier, run.results[0].path, as_json, jobs)


@cli.command()
@click.argument("pdfs", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--profile",
    type=click.Choice(["x-4", "x-1a", "catalogue"]),
    default="x-4",
    show_default=True,
    help="Print profile to check against.",
)
@click.option(
    "--standard",
    type=click.Choice(["x-4", "x-1a"]),
    help="PDF/X standard of --profile catalogue (default: the one the file is labelled with).",
)
@click.option("--ink-limit", type=float, default=300, show_default=True, help="Maximum total ink, in %.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable report on stdout (errors included).")
def preflight(pdfs: tuple[Path, ...], profile: str, standard: str | None, ink_limit: float, as_json: bool) -> None:
    """Check PDFs the way a printer's preflight would (exit 1 when any check fails or a file cannot be read)."""
    from .errors import PreflightError
    from .preflight import preflight as run_preflight

    results: list[dict] = []
    failed = False
    for path in pdfs:
        try:
            report = run_preflight(path, profile, ink_limit=ink_limit, standard=standard)
        except PreflightError as exc:  # a missing, encrypted, damaged or non-PDF file: reported, the rest go on
            failed = True
            results.append({"path": str(path), "profile": profile, "ok": False, "error": exc.message})
            if not as_json:
                click.echo(f"Error: {exc.message}", err=True)
            continue
        failed = failed or not report.ok
        results.append(report.to_dict())
        if not as_json:
            click.echo(report.format_text())
    if as_json:
        click.echo(json.dumps(results, indent=2))
    if failed:
        sys.exit(1)


def main(fast_exit: bool = True) -> None:
    """The `presskit` command: run it and end the process. With `fast_exit` (as the command runs it), the
    process ends at once once it is done (_end_process), not after freeing what a big build holds object
    by object; tests that call it in their own process pass False (SystemExit is raised, as click does)."""
    from concurrent.futures import BrokenExecutor

    from .errors import environment_error
    from .pdf import tune_gc

    tune_gc()
    try:
        try:
            cli(prog_name="presskit")
        except OSError as exc:  # a full disk, a folder that cannot be written: one line, no traceback
            error = environment_error(exc)
            if error is None:
                raise
            click.echo(f"Error: {error.message}", err=True)
            sys.exit(1)
        except BrokenExecutor:
            # a worker process died (killed, out of memory, a crash in a native library): nothing was written,
            # as every output is written whole or not at all
            click.echo(
                "Error: a worker process stopped unexpectedly (killed, or out of memory?); nothing was "
                "written. Run again, or with --jobs 1 to render in one process.",
                err=True,
            )
            sys.exit(1)
    except SystemExit as done:
        if not fast_exit:
            raise
        _end_process(done.code)
    if fast_exit:
        _end_process(0)


def _end_process(code) -> NoReturn:
    """End the process with `code` (as sys.exit takes it) without tearing the interpreter down: the exit
    functions run (atexit: logging's flush, multiprocessing's finalizers, the font folders' removal), the
    output is flushed, then os._exit. Freeing the heap of a catalogue build (the project, the memo, the
    parts' records) object by object at interpreter exit takes a few tenths of a second, for nothing."""
    import atexit
    import contextlib

    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:  # (a message, as sys.exit prints it)
        print(code, file=sys.stderr)
        status = 1
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # (a closed pipe: nothing more can be said)
            stream.flush()
    os._exit(status)
