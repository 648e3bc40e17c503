"""YAML -> model. Every problem is collected with file, line and key path, then raised at once."""
from __future__ import annotations

import difflib
import json
import re
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from .artwork import official_svg
from .errors import DataError, Problem

FILM_FILE = "film.yaml"
PROJECT_FILE = "presskit.yaml"


class _Loader(yaml.SafeLoader):
    """SafeLoader that refuses duplicate keys (a later key silently replacing an earlier one loses data)."""


def _construct_mapping(loader: _Loader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen: dict[Any, int] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key '{key}' (first at line {seen[key] + 1})", key_node.start_mark
            )
        seen[key] = key_node.start_mark.line
    return yaml.SafeLoader.construct_mapping(loader, node, deep=deep)


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)

# YAML 1.2-like scalars: `NO` (Norway) stays a string, `2023-13-01` reaches the date validator as text,
# `19:30` is not read as the base-60 number 1170. Only true/false are booleans; ints and floats are decimal.
_Loader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers
          if tag not in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp",
                         "tag:yaml.org,2002:int", "tag:yaml.org,2002:float")]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
                              list("tTfF"))
_Loader.add_implicit_resolver("tag:yaml.org,2002:int", re.compile(r"^[-+]?[0-9]+$"), list("-+0123456789"))
_Loader.add_implicit_resolver("tag:yaml.org,2002:float", re.compile(r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)$"),
                              list("-+0123456789."))


class _FastLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """_Loader's rules parsed by libyaml when it is there (about 5x faster: catalogues load hundreds of
    films). A file it rejects is read again with _Loader, whose error messages the user sees."""


_FastLoader.yaml_constructors = dict(_Loader.yaml_constructors)
_FastLoader.yaml_implicit_resolvers = {k: list(v) for k, v in _Loader.yaml_implicit_resolvers.items()}


def _parse(text: str, loader_class) -> tuple[Any, yaml.Node | None]:
    """One pass: the node tree (for line numbers) and the data constructed from it."""
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        return (loader.construct_document(node) if node is not None else None), node
    finally:
        loader.dispose()


def display_path(path: Path) -> str:
    """A path as the user will recognise it: relative to the working directory when possible."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _line_index(node: yaml.Node, prefix: tuple = (), index: dict | None = None) -> dict[tuple, int]:
    """Map each key path to the 1-based line where its value (or key) stands."""
    index = {} if index is None else index
    index.setdefault(prefix, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            path = prefix + (str(key_node.value),)
            index[path] = key_node.start_mark.line + 1
            _line_index(value_node, path, index)
            index[path] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _line_index(item, prefix + (i,), index)
    return index


def read_yaml(path: Path) -> tuple[Any, dict[tuple, int]]:
    """Read one YAML file; a syntax error becomes a DataError with its line."""
    shown = display_path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataError(f"{shown}: file not found") from None
    except UnicodeDecodeError as exc:
        raise DataError(f"{shown}: expected UTF-8 text, got undecodable bytes at offset {exc.start}") from None
    try:
        try:
            data, node = _parse(text, _FastLoader)
        except yaml.MarkedYAMLError:
            data, node = _parse(text, _Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        what = exc.problem or str(exc)
        raise DataError(
            "invalid YAML", [Problem(shown, line, "", f"YAML syntax: {what}")]
        ) from None
    return data, (_line_index(node) if node is not None else {})


def format_key(loc: tuple) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _allowed_keys(model: type[BaseModel], loc: tuple) -> list[str]:
    """The field names of the model reached by `loc`, for a did-you-mean hint."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        fields = getattr(current, "model_fields", None)
        if not fields or part not in fields:
            return []
        current = _inner_model(fields[part].annotation)
    return list(getattr(current, "model_fields", {}))


def _inner_model(annotation: Any) -> Any:
    import typing

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def _message(err: dict, model: type[BaseModel], loc: tuple) -> str:
    kind = err["type"]
    given = err.get("input")
    if kind == "expected":
        return f"{err['msg']}, got {_short(given)}"
    if kind == "missing":
        return "required key is missing"
    if kind == "extra_forbidden":
        key = loc[-1]
        allowed = _allowed_keys(model, loc[:-1])
        hint = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.6)
        suffix = f"; did you mean '{hint[0]}'?" if hint else (
            f"; expected one of: {', '.join(allowed)}" if allowed else ""
        )
        return f"unknown key{suffix}"
    if kind == "literal_error":
        options = err.get("ctx", {}).get("expected", "")
        hint = difflib.get_close_matches(str(given), [o.strip(" '") for o in options.replace(" or ", ", ").split(",")], n=1)
        suffix = f"; did you mean '{hint[0]}'?" if hint else ""
        return f"expected one of {options}, got {_short(given)}{suffix}"
    if kind in ("list_type", "tuple_type"):
        return f"expected a list, got {_short(given)}"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"expected a mapping of keys to values, got {_short(given)}"
    if kind in ("bool_type", "bool_parsing"):
        return f"expected true or false, got {_short(given)}"
    if kind == "too_short":
        return "expected at least one entry, got none"
    if kind in ("string_type",):
        return f"expected text, got {_short(given)}"
    return f"{err['msg'][0].lower()}{err['msg'][1:]}, got {_short(given)}"


def _clean_loc(loc: tuple) -> tuple:
    """Drop pydantic's union/validator branch names ('literal['world']', 'function-before[...]')."""
    return tuple(p for p in loc if isinstance(p, int) or ("[" not in p and "-" not in p or p.isidentifier()))


def problems_from(exc: ValidationError, model: type[BaseModel], file: str, lines: dict) -> list[Problem]:
    problems: dict[tuple, Problem] = {}
    for err in exc.errors(include_url=False):
        loc = _clean_loc(tuple(err["loc"]))
        line = None
        probe = loc
        while probe and line is None:
            line = lines.get(probe)
            probe = probe[:-1]
        if line is None:
            line = lines.get((), None)
        problem = Problem(file, line, format_key(loc), _message(err, model, loc))
        # A union reports one error per branch; keep the first message for each key.
        problems.setdefault(loc, problem)
    return sorted(problems.values(), key=lambda p: (p.line or 0, p.key))


def validate(model: type[BaseModel], data: Any, file: str, lines: dict, context: dict | None = None):
    """Validate data against a model, returning (instance, problems)."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return None, [Problem(file, 1, "", f"expected a mapping of keys to values, got {_short(data)}")]
    try:
        return model.model_validate(data, context=context), []
    except ValidationError as exc:
        return None, problems_from(exc, model, file, lines)


# --- films and projects ------------------------------------------------------------------------

from dataclasses import dataclass, field  # noqa: E402

from .model import Film, Image, Project  # noqa: E402

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

    def film(self, slug: str) -> FilmSource | None:
        return next((f for f in self.films if f.slug == slug), None)


def find_project_root(start: Path) -> Path | None:
    """The nearest folder at or above `start` holding presskit.yaml."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / PROJECT_FILE).is_file():
            return folder
    return None


def _image_uses(data: dict):
    """(key path, file, use) of every image reference in raw film data, valid or not."""
    def entry(value):
        return value.get("file") if isinstance(value, dict) and isinstance(value.get("file"), str) else None

    def items(value):
        return value if isinstance(value, list) else []

    images = data.get("images") if isinstance(data.get("images"), dict) else {}
    if entry(images.get("key_art")):
        yield ("images", "key_art"), entry(images["key_art"]), "key_art"
    for kind, use in (("stills", "stills"), ("logos", "logos")):
        for i, item in enumerate(items(images.get(kind))):
            if entry(item):
                yield ("images", kind, i), entry(item), use
    for i, director in enumerate(items(data.get("directors"))):
        if isinstance(director, dict) and entry(director.get("headshot")):
            yield ("directors", i, "headshot"), entry(director["headshot"]), "headshot"


def resolve_inside(base: Path, relative: str, root: Path) -> Path | None:
    """`base/relative` if it stays inside `root` (no ../ or absolute escapes), else None."""
    candidate = (base / relative).resolve()
    try:
        candidate.relative_to(_resolved(root))
    except ValueError:
        return None
    return candidate


_RESOLVED: dict[Path, Path] = {}  # a project root, resolved once (a catalogue checks thousands of paths in it)


def _resolved(root: Path) -> Path:
    if root not in _RESOLVED:
        if len(_RESOLVED) > 64:
            _RESOLVED.clear()
        _RESOLVED[root] = root.resolve()
    return _RESOLVED[root]


def check_image_file(path: Path, min_pixels: int) -> str | None:
    """Why the image cannot be used, or None when it decodes and is large enough."""
    from PIL import Image as PILImage

    if not path.is_file():
        return "expected an image file, got a path that does not exist"
    try:
        with PILImage.open(path) as im:
            fmt = im.format
            size = im.size
            im.verify()
    except PILImage.DecompressionBombError:
        return "expected an image of reasonable size, got one over Pillow's decompression-bomb limit"
    except PILImage.UnidentifiedImageError:
        return "expected a JPEG, PNG, TIFF or WebP image, got a file that is not a readable image"
    except (OSError, SyntaxError, ValueError) as exc:  # truncated or corrupt image data
        return f"expected an image that decodes, got a damaged file ({exc})"
    if fmt not in ("JPEG", "PNG", "TIFF", "WEBP"):
        return f"expected a JPEG, PNG, TIFF or WebP image, got {fmt}"
    if max(size) < min_pixels:
        return f"expected at least {min_pixels} pixels on the long side for this use, got {size[0]}x{size[1]}"
    return None


def _check_images(data: dict, film_dir: Path, root: Path, file: str, lines: dict, memo=None) -> list[Problem]:
    """Every image must lie inside the project, decode, and have enough pixels for its use. `memo`
    (memo.StatMemo) remembers the images that passed, by size and modification time."""
    problems = []
    for loc, relative, use in _image_uses(data):
        key = format_key(loc + ("file",))
        line = lines.get(loc + ("file",)) or lines.get(loc)
        path = resolve_inside(film_dir, relative, root)
        if path is None:
            problems.append(Problem(file, line, key, f"expected a path inside the project, got {relative!r}"))
            continue
        kind = f"image-check {MIN_PIXELS[use]}"
        if memo is not None and memo.get(path, kind) == "ok":
            continue
        before = memo.stat(path) if memo is not None else None
        why = check_image_file(path, MIN_PIXELS[use])
        if memo is not None and not why:
            memo.put(path, kind, "ok", before)
        if why:
            problems.append(Problem(file, line, key, f"{why} ({relative})"))
    festivals = data.get("festivals") if isinstance(data.get("festivals"), list) else []
    for i, entry in enumerate(festivals):
        artwork = entry.get("laurel_artwork") if isinstance(entry, dict) else None
        if isinstance(artwork, str):
            loc = ("festivals", i, "laurel_artwork")
            path = resolve_inside(film_dir, artwork, root)
            if path is None or not path.is_file() or path.suffix.lower() != ".svg":
                problems.append(Problem(file, lines.get(loc), format_key(loc),
                                        f"expected an SVG file inside the project, got {artwork!r}"))
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


def read_yaml_remembered(path: Path, memo) -> tuple[Any, dict[tuple, int] | None]:
    """read_yaml, or the data it gave for the file as it stands (memo.StatMemo, by size and modification
    time): YAML parsing is most of the time of loading hundreds of films. Only data that JSON keeps as it
    is (string keys, no NaN) is remembered, without its line numbers (None: read the file again for them,
    which only a problem to report needs)."""
    if memo is None:
        return read_yaml(path)
    path = path.resolve()
    known = memo.get(path, "yaml")
    if known is not None:
        return known, None
    before = memo.stat(path)
    data, lines = read_yaml(path)
    try:
        if json.loads(json.dumps(data)) == data:
            memo.put(path, "yaml", data, before)
    except (TypeError, ValueError):
        pass
    return data, lines


def _read_film(film_dir: Path, root: Path, memo=None) -> tuple[FilmSource | None, list[Problem]]:
    path = film_dir / FILM_FILE
    shown = display_path(path)
    try:
        data, lines = read_yaml_remembered(path, memo)
    except DataError as exc:
        return None, exc.problems or [Problem(shown, None, "", str(exc.message).split(": ", 1)[-1])]
    film, problems = validate(Film, data, shown, lines or {})
    if isinstance(data, dict):
        problems = sorted(problems + _check_images(data, film_dir, root, shown, lines or {}, memo),
                          key=lambda p: (p.line or 0, p.key))
    if problems and lines is None:  # remembered data: read the file for the line numbers of the problems
        return _read_film(film_dir, root, None)
    if film is None:
        return None, problems
    slug = film.slug or film_dir.name
    return FilmSource(film, film_dir.resolve(), path.resolve(), slug), problems


class _LearningMemo:
    """The memo of a worker process that reads films for load_project: it knows nothing and keeps what it
    learns, for the parent to add to the real memo (memo.StatMemo's get/stat/put)."""

    def __init__(self):
        self.learnt: list[tuple[str, str, Any, list[int] | None]] = []

    @staticmethod
    def stat(path: Path) -> list[int] | None:
        from .memo import StatMemo

        return StatMemo.stat(path)

    def get(self, path: Path, kind: str):
        return None

    def put(self, path: Path, kind: str, value, stat: list[int] | None = None) -> None:
        self.learnt.append((str(path), kind, value, stat))


def _read_films(job: tuple[list[Path], Path, bool]) -> list[tuple[FilmSource | None, list[Problem], list]]:
    """_read_film for several film folders, in a worker process: (source, problems, what the memo learnt)."""
    film_dirs, root, remember = job
    results = []
    for film_dir in film_dirs:
        memo = _LearningMemo() if remember else None
        source, problems = _read_film(film_dir, root, memo)
        results.append((source, problems, memo.learnt if memo else []))
    return results


PARALLEL_LOAD_MIN = 24  # films to read before worker processes help (each batch costs a round trip)
PARALLEL_LOAD_BATCH = 8  # films a worker (or this process) reads per batch


def _read_all_films(film_dirs: list[Path], root: Path, memo, pool) -> list[tuple[FilmSource | None, list[Problem]]]:
    """_read_film for each folder, in order. With `pool` (a process pool executor), the films the memo does
    not know yet are read in batches shared between its workers and this process when there are many:
    parsing hundreds of film.yaml files and checking their images is most of the time of loading a
    festival the first time. This process takes the batches from the end, those no worker has started
    (the workers may still be starting up), so the load never waits for them."""
    unknown = [d for d in film_dirs if memo is None or memo.get((d / FILM_FILE).resolve(), "yaml") is None]
    read: dict[Path, tuple[FilmSource | None, list[Problem]]] = {}
    if pool is not None and len(unknown) >= PARALLEL_LOAD_MIN:
        size = PARALLEL_LOAD_BATCH
        batches = [unknown[i:i + size] for i in range(0, len(unknown), size)]
        futures = [pool.submit(_read_films, (batch, root, memo is not None)) for batch in batches]
        results: list = [None] * len(batches)
        for i in reversed(range(len(batches))):
            if futures[i].cancel():
                results[i] = _read_films((batches[i], root, memo is not None))
        for i, batch in enumerate(batches):
            for film_dir, (source, problems, learnt) in zip(batch, results[i] or futures[i].result()):
                read[film_dir] = (source, problems)
                for path, kind, value, stat in learnt:
                    memo.put(Path(path), kind, value, stat)
    return [read[d] if d in read else _read_film(d, root, memo) for d in film_dirs]


def load_film(film_dir: Path) -> FilmSource:
    """Load and validate one film folder; raise DataError listing every problem."""
    film_dir = Path(film_dir)
    if not (film_dir / FILM_FILE).is_file():
        raise DataError(f"{display_path(film_dir)}: expected a film folder holding {FILM_FILE}")
    root = find_project_root(film_dir) or film_dir.resolve()
    source, problems = _read_film(film_dir, root)
    if problems:
        raise DataError(f"{len(problems)} problem(s) in the film data", problems)
    return source


def load_project(root: Path, only: list[str] | None = None, memo=None, pool=None) -> ProjectSource:
    """Load presskit.yaml and every film under its films folder; raise DataError listing every problem.
    `memo` (memo.StatMemo) remembers parsed film files and checked images across builds; `pool` (a
    process pool executor) reads many films in parallel (see _read_all_films)."""
    root = Path(root)
    config_path = root / PROJECT_FILE
    problems: list[Problem] = []
    config = Project()
    if config_path.is_file():
        data, lines = read_yaml(config_path)
        loaded, problems = validate(Project, data, display_path(config_path), lines)
        config = loaded or config
    elif not root.is_dir():
        raise DataError(f"{display_path(root)}: expected a project folder, got a path that does not exist")
    project = ProjectSource(config, root.resolve())
    known_films: dict[str, Film | None] = {}  # every film of the project (None: invalid), for the festival
    films_dir = resolve_inside(root, config.films, root) or root / config.films
    if not films_dir.is_dir():
        problems.append(Problem(display_path(config_path), None, "films",
                                f"expected a folder of films, got {config.films!r}, which does not exist"))
    else:
        slugs: dict[str, Path] = {}
        film_dirs = sorted(p for p in films_dir.iterdir() if (p / FILM_FILE).is_file())
        for film_dir, (source, film_problems) in zip(film_dirs, _read_all_films(film_dirs, project.root, memo, pool)):
            problems += film_problems
            if source is None:
                known_films.setdefault(film_dir.name, None)
                continue
            known_films[source.slug] = source.film
            if source.slug in slugs:
                problems.append(Problem(display_path(source.file), None, "slug",
                                        f"expected a unique slug, got {source.slug!r} also used by {slugs[source.slug]}"))
            slugs[source.slug] = film_dir
            if only is None or source.slug in only:
                project.films.append(source)
    if config.festival:
        from .festival import read_festival

        project.festival, festival_problems = read_festival(
            project.root, config.festival, known_films, display_path(config_path), memo)
        problems += festival_problems
    if problems:
        raise DataError(f"{len(problems)} problem(s) in the project data", problems)
    return project


def load_project_config_only(root: Path) -> ProjectSource:
    """Only presskit.yaml, for a lone film folder inside a project (its config and layouts)."""
    data, lines = read_yaml(root / PROJECT_FILE)
    config, problems = validate(Project, data, display_path(root / PROJECT_FILE), lines)
    if problems:
        raise DataError(f"{len(problems)} problem(s) in the project config", problems)
    return ProjectSource(config, root.resolve())
