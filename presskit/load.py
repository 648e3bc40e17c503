"""YAML -> model. Every problem is collected with file, line and key path, then raised at once."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from . import cache, glyphs
from .artwork import MAX_BYTES as SVG_MAX_BYTES
from .artwork import official_svg
from .cache import file_stat
from .errors import DataError, Problem
from .fonts import project_fonts
from .model import Film, Image, Project
from .yamlfile import (
    display_path,
    format_key,
    read_yaml,
    read_yaml_remembered,
    rebuildable,
    rebuilt,
    remembered_form,
    resolve_inside,
    validate,
)

FILM_FILE = "film.yaml"
PROJECT_FILE = "presskit.yaml"

log = logging.getLogger("presskit")


# --- films and projects ------------------------------------------------------------------------

# Minimum pixels on the long side for each use of an image (enough for print at its usual size).
MIN_PIXELS = {"key_art": 1800, "stills": 1200, "logos": 300, "headshot": 600}


@dataclass
class FilmSource:
    """A validated film with where it came from."""

    film: Film
    dir: Path
    file: Path
    slug: str

    def image_path(self, image: Image) -> Path:
        return (self.dir / image.file).resolve()


@dataclass
class ProjectSource:
    """A validated project: its config, its root folder and its films in folder order."""

    config: Project
    root: Path
    films: list[FilmSource] = field(default_factory=list)
    festival: Any = None  # festival.FestivalSource when presskit.yaml names a festival file
    fonts: tuple[Path, ...] = ()  # the project's own font files (fonts.project_fonts)

    def film(self, slug: str) -> FilmSource | None:
        return next((f for f in self.films if f.slug == slug), None)


def find_project_root(start: Path) -> Path | None:
    """The nearest folder at or above `start` holding presskit.yaml. The folders above are those of the path
    as given (a film folder that is a symbolic link to a folder elsewhere is still in its project, whose
    files it may not leave)."""
    start = Path(os.path.abspath(start))
    for folder in (start, *start.parents):
        if (folder / PROJECT_FILE).is_file():
            return folder
    return None


def _present(path: Path) -> bool:
    """Whether there is anything at `path`: a file, a folder, or a symbolic link (even a broken one)."""
    return os.path.lexists(path)


# `presskit validate` decodes every image whole (see decoding_images); a build only reads their headers,
# as it decodes them when it prepares them.
_DECODE_IMAGES: ContextVar[bool] = ContextVar("presskit_decode_images", default=False)


# The folders resolved while load_project reads the films (resolve_inside): the films folder, say, once.
_FOLDERS: ContextVar[dict[str, str] | None] = ContextVar("presskit_resolved_folders", default=None)


@contextmanager
def decoding_images() -> Iterator[None]:
    """Films loaded while the block runs (in this process) have every image decoded whole: a file cut short
    or damaged after its header is reported with the film's other problems, before anything is rendered."""
    token = _DECODE_IMAGES.set(True)
    try:
        yield
    finally:
        _DECODE_IMAGES.reset(token)


def _image_uses(data: dict):
    """(key path, file, use) of every image reference in raw film data, valid or not."""

    def entry(value):
        return value.get("file") if isinstance(value, dict) and isinstance(value.get("file"), str) else None

    def items(value):
        return value if isinstance(value, list) else []

    images: dict[str, Any] = data["images"] if isinstance(data.get("images"), dict) else {}
    if entry(images.get("key_art")):
        yield ("images", "key_art"), entry(images["key_art"]), "key_art"
    for kind, use in (("stills", "stills"), ("logos", "logos")):
        for i, item in enumerate(items(images.get(kind))):
            if entry(item):
                yield ("images", kind, i), entry(item), use
    for i, director in enumerate(items(data.get("directors"))):
        if isinstance(director, dict) and entry(director.get("headshot")):
            yield ("directors", i, "headshot"), entry(director["headshot"]), "headshot"


def _not_a_file(path: Path) -> str | None:
    """Why `path` is not a regular file (nothing else is opened: a pipe would never end), or None."""
    if path.is_file():
        return None
    if path.is_dir():
        return "expected an image file, got a folder"
    if path.exists():
        return "expected an image file, got a special file (a pipe, a socket or a device)"
    return "expected an image file, got a path that does not exist"


def _decode_whole(im) -> None:
    """Every pixel of the image decoded, data cut short refused (a JPEG at an eighth of its size: libjpeg
    still reads all its data). Pillow's pixel limit, checked when the file was opened, bounds the memory."""
    from .images import strict_decoding

    if im.format == "JPEG":
        im.draft(im.mode, (max(1, im.size[0] // 8), max(1, im.size[1] // 8)))
    with strict_decoding():
        im.load()


def check_image_file(path: Path, min_pixels: int, decode: bool = False) -> str | None:
    """Why the image cannot be used, or None when it reads and is large enough. `decode`: every pixel is
    decoded (`presskit validate`), else the header is read and checked."""
    from PIL import Image as PILImage

    if why := _not_a_file(path):
        return why
    try:
        with PILImage.open(path) as im:
            fmt = im.format
            size = im.size
            if decode:
                _decode_whole(im)
            else:
                im.verify()
    except PILImage.DecompressionBombError:
        return "expected an image of reasonable size, got one over Pillow's decompression-bomb limit"
    except PILImage.UnidentifiedImageError:
        return "expected a JPEG, PNG, TIFF or WebP image, got a file that is not a readable image"
    except (OSError, SyntaxError, ValueError, EOFError) as exc:  # truncated or corrupt image data
        return f"expected an image that decodes, got a damaged file ({exc})"
    if fmt not in ("JPEG", "PNG", "TIFF", "WEBP"):
        return f"expected a JPEG, PNG, TIFF or WebP image, got {fmt}"
    if max(size) < min_pixels:
        return f"expected at least {min_pixels} pixels on the long side for this use, got {size[0]}x{size[1]}"
    return None


def _check_images(data: dict, film_dir: Path, root: Path, file: str, lines: dict, memo=None) -> list[Problem]:
    """Every image must lie inside the project, decode, and have enough pixels for its use. `memo`
    (cache.Memo) remembers the images that passed, by size and modification time."""
    problems = []
    decode = _DECODE_IMAGES.get()
    folders = _FOLDERS.get()
    if folders is None:
        folders = {}  # (resolved once for the film's images)
    for loc, relative, use in _image_uses(data):
        key = format_key(loc + ("file",))
        line = lines.get(loc + ("file",)) or lines.get(loc)
        path = resolve_inside(film_dir, relative, root, folders)
        if path is None:
            problems.append(Problem(file, line, key, f"expected a path inside the project, got {relative!r}"))
            continue
        kind = f"image-{'decode' if decode else 'check'} {MIN_PIXELS[use]}"
        if memo is not None and memo.get(path, kind) == "ok":
            continue
        before = memo.stat(path) if memo is not None else None
        why = check_image_file(path, MIN_PIXELS[use], decode)
        if memo is not None and not why:
            memo.put(path, kind, "ok", before)
        if why:
            problems.append(Problem(file, line, key, f"{why} ({relative})"))
    festivals: list[Any] = data["festivals"] if isinstance(data.get("festivals"), list) else []
    for i, entry in enumerate(festivals):
        artwork = entry.get("laurel_artwork") if isinstance(entry, dict) else None
        if isinstance(artwork, str):
            loc = ("festivals", i, "laurel_artwork")
            path = resolve_inside(film_dir, artwork, root, folders)
            if path is None or not path.is_file() or path.suffix.lower() != ".svg":
                problems.append(
                    Problem(
                        file,
                        lines.get(loc),
                        format_key(loc),
                        f"expected an SVG file inside the project, got {artwork!r}",
                    )
                )
            elif (size := path.stat().st_size) > SVG_MAX_BYTES:  # not read whole to be refused
                problems.append(
                    Problem(
                        file,
                        lines.get(loc),
                        format_key(loc),
                        f"expected an SVG of at most {SVG_MAX_BYTES // 1_000_000} MB, got "
                        f"{size / 1e6:.1f} MB ({artwork})",
                    )
                )
            elif memo is None or memo.get(path, "svg-check") != "ok":
                before = memo.stat(path) if memo is not None else None
                try:
                    official_svg(path, artwork, check_only=True)  # refused when it holds what is never run
                except DataError as exc:
                    problems.append(Problem(file, lines.get(loc), format_key(loc), str(exc)))
                else:
                    if memo is not None:
                        memo.put(path, "svg-check", "ok", before)
    return problems


def _read_film(
    film_dir: Path, root: Path, memo=None, fonts: tuple[Path, ...] = ()
) -> tuple[FilmSource | None, list[Problem]]:
    path = film_dir / FILM_FILE
    if (known := _remembered_film(path, root, memo, fonts)) is not None:
        film, data, said, resolved = known
        _log_warnings(said)
        if not _check_images(data, film_dir, root, str(path), {}, memo):
            return FilmSource(film, film_dir.resolve(), resolved, film.slug or film_dir.name), []
        return _read_film(film_dir, root, None, fonts)  # an image's problem: read for the line numbers
    shown = display_path(path)
    before = memo.stat(path.resolve()) if memo is not None else None
    try:
        data, lines = read_yaml_remembered(path, memo, root=root)  # a film.yaml leading outside it: refused
    except DataError as exc:
        return None, exc.problems or [Problem(shown, None, "", str(exc.message).split(": ", 1)[-1])]
    warnings: list[str] = []
    film, problems = validate(Film, data, shown, lines or {}, printable=glyphs.checker(fonts), warnings=warnings)
    _log_warnings(warnings)
    if isinstance(data, dict):
        problems = sorted(
            problems + _check_images(data, film_dir, root, shown, lines or {}, memo),
            key=lambda p: (p.line or 0, p.key),
        )
    if problems and lines is None:  # remembered data: read the file for the line numbers of the problems
        return _read_film(film_dir, root, None, fonts)
    if film is None:
        return None, problems
    if memo is not None and not problems:
        _remember_film(path.resolve(), memo, film, warnings, fonts, before)
    slug = film.slug or film_dir.name
    return FilmSource(film, film_dir.resolve(), path.resolve(), slug), problems


# A film.yaml that validated without a problem is remembered (cache.Memo, "film": by its content) as its
# validated model with the warnings its validation logged, under a tag of the code and the fonts that
# validation depends on: an unchanged film is neither validated nor glyph-checked again, its warnings
# logged as they were. Its parsed YAML ("yaml") is then no longer needed: dropped.


def _film_tag(fonts: tuple[Path, ...]) -> str:
    """The code that validates a film and the font files whose glyphs it checks, as they stand."""
    return _film_tag_of(glyphs.coverage_files(fonts))


@lru_cache(maxsize=8)
def _film_tag_of(files: tuple) -> str:
    from . import fonts, model, units, yamlfile

    here = sys.modules[__name__]  # (this module reads and checks the film too)
    return cache.key(cache.code_tag(model, units, yamlfile, glyphs, fonts, here), repr(files))[:16]


def _remembered_film(
    path: Path, root: Path, memo, fonts: tuple[Path, ...]
) -> tuple[Film, dict, list[str], Path] | None:
    """(the film, its data as remembered, its warnings, the file's resolved path) when the memo knows the
    film file as it stands."""
    if memo is None or (resolved := resolve_inside(path.parent, path.name, root, _FOLDERS.get())) is None:
        return None
    known = memo.get(resolved, "film")
    if not isinstance(known, dict) or known.get("tag") != _film_tag(fonts):
        return None
    data, warnings = known.get("model"), known.get("warnings")
    if not isinstance(data, dict) or not isinstance(warnings, list):
        return None
    try:
        film = rebuilt(Film, data)
    except (TypeError, ValueError, AttributeError) as exc:  # (a memo of another shape)
        log.debug("validating %s again: %s", path, exc)
        return None
    return film, data, [str(w) for w in warnings], resolved


def _remember_film(path: Path, memo, film: Film, warnings: list[str], fonts: tuple[Path, ...], before) -> None:
    if not rebuildable(Film):
        return
    value = {"tag": _film_tag(fonts), "model": remembered_form(film), "warnings": warnings}
    memo.put(path, "film", value, before)
    memo.put(path, "yaml", None, before)  # (None: nothing remembered)


def _log_warnings(warnings: list[str]) -> None:
    for warning in warnings:
        log.warning(warning)


class _LearningMemo:
    """The memo of a worker process that reads films for load_project: it knows nothing and keeps what it
    learns, for the parent to add to the real memo (cache.Memo's get/stat/put)."""

    stat = staticmethod(file_stat)

    def __init__(self):
        self.learnt: list[tuple[str, str, Any, list[int] | None]] = []

    def get(self, path: Path, kind: str):
        return None

    def put(self, path: Path, kind: str, value, stat: list[int] | None = None) -> None:
        self.learnt.append((str(path), kind, value, stat))


def _read_films(
    job: tuple[list[Path], Path, bool, tuple[Path, ...]],
) -> list[tuple[FilmSource | None, list[Problem], list]]:
    """_read_film for several film folders, in a worker process: (source, problems, what the memo learnt)."""
    film_dirs, root, remember, fonts = job
    results = []
    for film_dir in film_dirs:
        memo = _LearningMemo() if remember else None
        source, problems = _read_film(film_dir, root, memo, fonts)
        results.append((source, problems, memo.learnt if memo else []))
    return results


PARALLEL_LOAD_MIN = 24  # films to read before worker processes help (each batch costs a round trip)
PARALLEL_LOAD_BATCH = 8  # films a worker (or this process) reads per batch


def _read_all_films(
    film_dirs: list[Path], root: Path, memo, workers, fonts: tuple[Path, ...] = ()
) -> list[tuple[FilmSource | None, list[Problem]]]:
    """_read_film for each folder, in order. With `workers` (worker processes: pool.start_early), the films
    the memo does not know yet are read in batches shared between the workers and this process when
    there are many: parsing hundreds of film.yaml files and checking their images is most of the time of
    loading a festival the first time. This process takes the batches from the end, those no worker has
    started (the workers may still be starting up), so the load never waits for them."""
    unknown = [d for d in film_dirs if memo is None or not _known(memo, (d / FILM_FILE).resolve())]
    read: dict[Path, tuple[FilmSource | None, list[Problem]]] = {}
    if workers is not None and len(unknown) >= PARALLEL_LOAD_MIN:
        size = PARALLEL_LOAD_BATCH
        batches = [unknown[i : i + size] for i in range(0, len(unknown), size)]
        futures = [workers.submit(_read_films, (batch, root, memo is not None, fonts)) for batch in batches]
        results: list = [None] * len(batches)
        for i in reversed(range(len(batches))):
            if futures[i].cancel():
                results[i] = _read_films((batches[i], root, memo is not None, fonts))
        for i, batch in enumerate(batches):
            for film_dir, (source, problems, learnt) in zip(batch, results[i] or futures[i].result()):
                read[film_dir] = (source, problems)
                for path, kind, value, stat in learnt:
                    memo.put(Path(path), kind, value, stat)
    return [read[d] if d in read else _read_film(d, root, memo, fonts) for d in film_dirs]


def _known(memo, path: Path) -> bool:
    return memo.get(path, "film") is not None or memo.get(path, "yaml") is not None


def load_film(film_dir: Path) -> FilmSource:
    """Load and validate one film folder; raise DataError listing every problem."""
    film_dir = Path(film_dir)
    if not _present(film_dir / FILM_FILE):  # a folder or a link of that name is reported by _read_film
        raise DataError(f"{display_path(film_dir)}: expected a film folder holding {FILM_FILE}")
    found = find_project_root(film_dir)
    root = found or film_dir.resolve()
    fonts = load_project_config_only(found).fonts if found is not None else ()
    source, problems = _read_film(film_dir, root, fonts=fonts)
    if problems or source is None:
        raise DataError(f"{len(problems)} problem(s) in the film data", problems)
    return source


def load_project(root: Path, only: list[str] | None = None, memo=None, workers=None) -> ProjectSource:
    """Load presskit.yaml and every film under its films folder; raise DataError listing every problem.
    `memo` (cache.Memo) remembers parsed film files and checked images across builds; `workers` (an
    executor of worker processes, pool.start_early) read many films in parallel (see _read_all_films)."""
    root = Path(root)
    config_path = root / PROJECT_FILE
    problems: list[Problem] = []
    config = Project()
    if _present(config_path):
        data, lines = read_yaml(config_path, root=root)
        loaded, problems = validate(Project, data, display_path(config_path), lines)
        config = loaded or config
    elif not root.is_dir():
        found = "a file" if root.exists() else "a path that does not exist"
        raise DataError(f"{display_path(root)}: expected a project folder, got {found}")
    project = ProjectSource(config, root.resolve())
    project.fonts, font_problems = project_fonts(root, config.fonts, display_path(config_path))
    problems += font_problems
    fonts = glyphs.coverage_files(project.fonts) if memo is not None else ()
    if memo is not None:
        glyphs.recall_ranges(fonts, memo, cache.code_tag(glyphs))
    known_films: dict[str, Film | None] = {}  # every film of the project (None: invalid), for the festival
    films_dir = resolve_inside(root, config.films, root)
    if films_dir is None:
        problems.append(
            Problem(
                display_path(config_path),
                None,
                "films",
                f"expected a folder of films inside the project, got {config.films!r}, which leads outside it",
            )
        )
    elif not films_dir.is_dir():
        problems.append(
            Problem(
                display_path(config_path),
                None,
                "films",
                f"expected a folder of films, got {config.films!r}, which does not exist",
            )
        )
    else:
        slugs: dict[str, Path] = {}
        film_dirs = _film_folders(films_dir)
        token = _FOLDERS.set({})
        try:
            read = _read_all_films(film_dirs, project.root, memo, workers, project.fonts)
        finally:
            _FOLDERS.reset(token)
        for film_dir, (source, film_problems) in zip(film_dirs, read):
            problems += film_problems
            if source is None:
                known_films.setdefault(film_dir.name, None)
                continue
            known_films[source.slug] = source.film
            if source.slug in slugs:
                problems.append(
                    Problem(
                        display_path(source.file),
                        None,
                        "slug",
                        f"expected a unique slug, got {source.slug!r} also used by {slugs[source.slug]}",
                    )
                )
            slugs[source.slug] = film_dir
            if only is None or source.slug in only:
                project.films.append(source)
    if config.festival:
        from .festival import read_festival

        project.festival, festival_problems = read_festival(
            project.root, config.festival, known_films, display_path(config_path), memo, project.fonts
        )
        problems += festival_problems
    if memo is not None:
        glyphs.keep_ranges(fonts, memo, cache.code_tag(glyphs))
    if problems:
        raise DataError(f"{len(problems)} problem(s) in the project data", problems)
    return project


def _film_folders(films_dir: Path) -> list[Path]:
    """The folders of `films_dir` holding a film.yaml, in name order. A film.yaml that is a folder or a
    link (even one leading outside the project) counts, for _read_film to report it rather than the film
    being left out without a word."""
    return sorted(p for p in films_dir.iterdir() if _present(p / FILM_FILE))


def load_project_config_only(root: Path) -> ProjectSource:
    """Only presskit.yaml, for a lone film folder inside a project (its config and layouts)."""
    data, lines = read_yaml(root / PROJECT_FILE, root=root)
    config, problems = validate(Project, data, display_path(root / PROJECT_FILE), lines)
    fonts: tuple[Path, ...] = ()
    if config is not None:
        fonts, font_problems = project_fonts(root, config.fonts, display_path(root / PROJECT_FILE))
        problems += font_problems
    if problems or config is None:
        raise DataError(f"{len(problems)} problem(s) in the project config", problems)
    return ProjectSource(config, root.resolve(), fonts=fonts)


def open_film(film_dir: Path, whole_project: bool = False) -> tuple[ProjectSource, FilmSource]:
    """(project, film) for one film folder: the film inside its project when it has one (for the project's
    config and layouts), else a project of its own. With `whole_project`, when the project names a festival
    the whole project is loaded (a programme page needs the festival and the other films)."""
    source = load_film(film_dir)
    root = find_project_root(Path(film_dir))
    if root is None:
        return ProjectSource(Project(), source.dir, [source]), source
    project = load_project_config_only(root)
    if whole_project and project.config.festival:
        project = load_project(project.root)
        whole = project.film(source.slug)
        if whole is None:  # (its own slug: the project holds every film of its films folder)
            raise DataError(f"{display_path(source.file)}: expected a film of the project's films folder")
        return project, whole
    project.films = [source]
    return project, source
