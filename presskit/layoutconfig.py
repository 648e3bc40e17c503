"""Layout configuration: each product's manifest.yaml and the printed labels, read and checked like the film data.

A project's `layouts/` folder may hold a partial manifest (`layouts/<product>/manifest.yaml`): it is merged
over the built-in one (mappings key by key, the project's values winning), then the result is validated.
The labels come from gettext catalogues (`layouts/locale/<lang>/LC_MESSAGES/presskit.po`, see messages.py;
a project's own catalogue over the built-in one, message by message), then a project's partial labels file
(`layouts/labels.yaml`) is merged over them the same way. Every problem names its file, line and key, what was expected
and what was found, and all of a file's problems are raised at once as a LayoutError.

    load_manifest(search_path, product) -> dict   the merged manifest, as plain YAML data
    load_labels(search_path, lang) -> dict        one language's labels, with a default `colon`

`search_path` is render.layout_path's: the project's layouts first, then the built-in ones.
"""

from __future__ import annotations

import copy
import difflib
import logging
import warnings
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, StrictStr, ValidationInfo, create_model

from .errors import DataError, LayoutError, Problem
from .laurels import COLOURS
from .messages import LOCALE_DIR, flatten, nest, po_files, po_path, read_catalogue
from .model import Cmyk, Count, Strict, _expected
from .yamlfile import _short, display_path, read_yaml, validate

MANIFEST_FILE = "manifest.yaml"
LABELS_FILE = "labels.yaml"
REFERENCE_LANGUAGE = "en"  # the built-in catalogue every language must match, key for key

log = logging.getLogger(__name__)
DEFAULT_COLON = ": "  # between a label and its value, for a labels file that predates `colon`


# --- value types -------------------------------------------------------------------------------


def _length(value: Any) -> str:
    from .units import length_pt

    if isinstance(value, str):
        try:
            length_pt(value)
            return value
        except DataError:
            pass
    raise _expected("a length such as '17mm' or '0.5in' (mm, cm, in, pt or px)")


Length = Annotated[str, BeforeValidator(_length)]


def _template(value: Any, info: ValidationInfo) -> str:
    """A template path relative to a layouts folder (as Jinja names it), found in one of them."""
    search_path = (info.context or {}).get("search_path", ())
    if (
        isinstance(value, str)
        and value.strip() == value
        and value
        and not value.startswith("/")
        and ".." not in value.split("/")
        and any((folder / value).is_file() for folder in search_path)
    ):
        return value
    known = sorted({p.relative_to(folder).as_posix() for folder in search_path for p in folder.glob("*/*.j2")})
    close = difflib.get_close_matches(str(value), known, n=1)
    raise _expected(f"a template file in the layouts, such as '{close[0] if close else 'presskit/kit.html.j2'}'")


Template = Annotated[str, BeforeValidator(_template)]

if TYPE_CHECKING:
    LaurelColour = str
else:
    LaurelColour = Literal[tuple(COLOURS)]  # what laurels.laurel_svg draws in


# --- manifests ---------------------------------------------------------------------------------


class Margins(Strict):
    top: Length
    bottom: Length
    inner: Length
    outer: Length


class _Palette(Strict):
    """CMYK percentages, by the name the templates use (`colors.accent`)."""

    ink: Cmyk
    muted: Cmyk
    rule: Cmyk
    accent: Cmyk
    paper: Cmyk


class _NightPalette(_Palette):
    night: Cmyk
    on_night: Cmyk
    on_night_muted: Cmyk


class PresskitPalette(_NightPalette):
    gold: Cmyk


class OnesheetPalette(_NightPalette):
    pass


class ProgrammePalette(_Palette):
    tint: Cmyk


class CataloguePalette(_NightPalette):
    tint: Cmyk


class PresskitLaurels(Strict):
    cover_colour: LaurelColour
    section_colour: LaurelColour


class OnesheetLaurels(Strict):
    colour: LaurelColour


class StillHeight(Strict):
    full: Length
    half: Length


class CatalogueTemplates(Strict):
    cover: Template
    front: Template
    toc: Template
    section: Template
    back: Template


class PresskitManifest(Strict):
    """layouts/presskit/manifest.yaml"""

    template: Template
    palette: PresskitPalette
    laurels: PresskitLaurels


class OnesheetManifest(Strict):
    """layouts/onesheet/manifest.yaml"""

    template: Template
    palette: OnesheetPalette
    laurels: OnesheetLaurels


class ProgrammeManifest(Strict):
    """layouts/programme/manifest.yaml"""

    template: Template
    margins: Margins
    half_gap: Length
    side_width: Length
    column_gap: Length
    still_height: StillHeight
    palette: ProgrammePalette
    bilingual: Literal["stacked", "columns"] = (
        "stacked"  # a bilingual festival's two texts: one after the other or side by side
    )


class CatalogueManifest(Strict):
    """layouts/catalogue/manifest.yaml"""

    stylesheet: Template
    films_stylesheet: Template
    # the parts the merge places (the back matter): right-hand pages, no drawn head, folio or page numbers
    placed_stylesheet: Template = "catalogue/placed.css.j2"
    templates: CatalogueTemplates
    margins: Margins
    schedule_venues_per_table: Count
    schedule_day_page_from: Count = 12  # screenings: a day with this many starts a page of its own
    palette: CataloguePalette


MANIFESTS: dict[str, type[BaseModel]] = {
    "presskit": PresskitManifest,
    "onesheet": OnesheetManifest,
    "programme": ProgrammeManifest,
    "catalogue": CatalogueManifest,
}


# --- reading and merging -----------------------------------------------------------------------


def merge(base: Any, over: Any) -> Any:
    """`over` merged over `base`: mappings key by key (base's order, then over's new keys); any other value
    of `over` replaces base's."""
    if not (isinstance(base, dict) and isinstance(over, dict)):
        return over
    merged = dict(base)
    for key, value in over.items():
        merged[key] = merge(base[key], value) if key in base else value
    return merged


def _read(path: Path) -> tuple[Any, dict[tuple, int]]:
    """read_yaml, its syntax errors raised as a LayoutError."""
    try:
        return read_yaml(path)
    except DataError as exc:
        raise (LayoutError("invalid YAML", exc.problems) if exc.problems else LayoutError(exc.message)) from None


def _raise(problems: list[Problem]) -> None:
    if problems:
        raise LayoutError(f"{len(problems)} problem(s) in the layout configuration", problems)


def _stamp(paths: list[Path]) -> tuple:
    """What the files are now (None: absent), for the caches to notice a file changed between builds."""
    stamps: list[tuple[int, int, int] | None] = []
    for path in paths:
        try:
            st = path.stat()
            stamps.append((st.st_mtime_ns, st.st_size, st.st_ino))
        except OSError:
            stamps.append(None)
    return tuple(stamps)


def _not_a_mapping(data: Any, file: str, what: str) -> list[Problem]:
    if data is None or isinstance(data, dict):
        return []
    return [Problem(file, 1, "", f"expected a mapping of {what}, got {_short(data)}")]


# load.problems_from drops the parts of an error's key path that hold a hyphen (pydantic's branch names,
# such as 'function-before[...]'), which would also drop label keys such as `black-and-white`: the keys
# are validated with a look-alike character in their hyphens' place, given back in the problems.
_HYPHEN = "\u2010"


def _disguise(data: Any) -> Any:
    if isinstance(data, dict):
        return {k.replace("-", _HYPHEN) if isinstance(k, str) else k: _disguise(v) for k, v in data.items()}
    return data


def _checked(model: type[BaseModel], data: dict, file: str, lines: dict, context: dict | None = None) -> list[Problem]:
    """load.validate's problems with `data` against `model` (built from disguised keys, see _disguise)."""
    lines = {tuple(p.replace("-", _HYPHEN) if isinstance(p, str) else p for p in k): v for k, v in lines.items()}
    problems = validate(model, _disguise(data), file, lines, context)[1]
    return [Problem(p.file, p.line, p.key.replace(_HYPHEN, "-"), p.message.replace(_HYPHEN, "-")) for p in problems]


# --- manifests ---------------------------------------------------------------------------------


def load_manifest(search_path: tuple[Path, ...], product: str) -> dict:
    """The product's manifest: the built-in one (the last on the search path) with the project's merged
    over it, validated; LayoutError listing every problem of the file that has them."""
    if product not in MANIFESTS:
        raise ValueError(f"no manifest model for layout {product!r}")
    paths = [folder / product / MANIFEST_FILE for folder in search_path]
    return copy.deepcopy(_manifest(tuple(search_path), product, _stamp(paths)))


@lru_cache(maxsize=32)
def _manifest(search_path: tuple[Path, ...], product: str, stamp: tuple) -> dict:
    files = [folder / product / MANIFEST_FILE for folder, present in zip(search_path, stamp) if present]
    if not files:
        raise LayoutError(f"layout '{product}' has no {MANIFEST_FILE} in {', '.join(map(str, search_path))}")
    model = MANIFESTS[product]
    context = {"search_path": search_path}
    merged: dict = {}
    # From the built-in manifest up: each file is merged over the ones below it, already valid, so that
    # the problems of a merged manifest are those of the file just merged (its name and lines).
    for path in reversed(files):
        data, lines = _read(path)
        shown = display_path(path)
        _raise(_not_a_mapping(data, shown, "manifest keys to values"))
        merged = merge(merged, data or {})
        _raise(_checked(model, merged, shown, lines, context))
    return merged


# --- labels ------------------------------------------------------------------------------------


def _billing_label(value: Any) -> Any:
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and set(value) == {"one", "many"} and all(isinstance(v, str) for v in value.values()):
        return value
    raise _expected("text, or {one: ..., many: ...} (singular and plural)")


BillingLabel = Annotated[Any, BeforeValidator(_billing_label)]

_CONFIG = ConfigDict(extra="forbid", protected_namespaces=())


def _catalogue_model(name: str, reference: dict, path: tuple = ()) -> type[BaseModel]:
    """A model of the label catalogue `reference` (the built-in English one): the same keys, nested the same
    way, text where it has text. A `billing` label may be text or {one, many} in any language; `colon` may
    be left out (it defaults to ': ')."""
    fields: dict[str, Any] = {}
    for key, value in reference.items():
        key = str(key)
        if path == ("billing",):
            fields[key] = (BillingLabel, ...)
        elif isinstance(value, dict):
            fields[key] = (_catalogue_model(f"{name}_{key}", value, path + (key,)), ...)
        elif isinstance(value, str):
            fields[key] = (StrictStr, DEFAULT_COLON if path + (key,) == ("colon",) else ...)
        else:
            fields[key] = (Any, ...)
    with warnings.catch_warnings():  # a label named like a BaseModel attribute is still a field
        warnings.simplefilter("ignore")
        return create_model(name, __config__=_CONFIG, **fields)


def _labels_file_model(catalogue: type[BaseModel], languages: list[str]) -> type[BaseModel]:
    """A labels file: each of `languages` a whole catalogue."""
    fields = {lang.replace("-", _HYPHEN): (catalogue, ...) for lang in languages}
    return create_model("LabelsFile", __config__=_CONFIG, **fields)  # type: ignore[call-overload]


def load_labels(search_path: tuple[Path, ...], lang: str) -> dict:
    """The labels of `lang`: the gettext catalogues of the layouts (`locale/<lang>/LC_MESSAGES/presskit.po`,
    a project's over the built-in ones, message by message), a label a language's catalogue lacks taken
    from the English one (with one warning listing them), then a project's labels.yaml merged over them (or
    the project's alone for a language no catalogue has: then complete, every key of the English catalogue
    present); `colon` defaults to ': '. LayoutError listing a file's problems; DataError for a language
    there are no labels for."""
    paths = _label_paths(search_path)
    languages, missing, shown, available = _labels(tuple(search_path), tuple(paths), _stamp(paths), lang)
    if lang not in languages and (base := lang.split("-")[0]) != lang:  # en-GB, fr-CA, pt-BR: en, fr, pt's labels
        languages, missing, _, _ = _labels(tuple(search_path), tuple(paths), _stamp(paths), base)
        if base in languages:
            lang = base
    if lang not in languages:
        raise DataError(f"{shown}: no labels for language '{lang}'; expected one of {', '.join(available)}")
    if missing.get(lang):
        _warn_missing(lang, missing[lang])
    return {"colon": DEFAULT_COLON, **copy.deepcopy(languages[lang])}


def _label_paths(search_path: tuple[Path, ...]) -> list[Path]:
    """Every file the labels come from: each folder's labels.yaml and catalogues (for the caches' stamps)."""
    paths = []
    for folder in search_path:
        paths.append(folder / LABELS_FILE)
        paths.extend(po_files(folder).values())
    return paths


_warned: set[tuple[str, tuple[str, ...]]] = set()


def _warn_missing(lang: str, missing: tuple[tuple[str, str], ...]) -> None:
    """One warning per language and build process: the labels printed in English, by catalogue."""
    if (lang, tuple(k for k, _ in missing)) in _warned:
        return
    _warned.add((lang, tuple(k for k, _ in missing)))
    keys = ", ".join(k for k, _ in missing)
    log.warning(
        "warning: %s: %d label(s) not translated into '%s', printed in English: %s",
        missing[0][1],
        len(missing),
        lang,
        keys,
    )


def _catalogues(
    search_path: tuple[Path, ...], needed: set[str]
) -> tuple[dict[str, dict], dict[str, dict], dict[str, list], str, list[str]]:
    """The gettext catalogues of the layouts, of the `needed` languages only: (each one's labels by dotted
    key, the English reference filled in; the reference nested; what each lacks as (key, file); the folder an
    unknown language is reported against; every language a catalogue is there for)."""
    builtin = search_path[-1]
    reference_path = po_path(builtin, REFERENCE_LANGUAGE)
    shown_dir = display_path(builtin / LOCALE_DIR)
    if not reference_path.is_file():
        raise LayoutError(
            f"{shown_dir}: expected the English label catalogue {REFERENCE_LANGUAGE}/LC_MESSAGES/presskit.po"
        )
    reference = read_catalogue(reference_path, display_path(reference_path), None)
    _raise(reference.problems)
    keys = set(reference.labels)
    flat: dict[str, dict[str, str]] = {}
    last_file: dict[str, str] = {}
    problems: list[Problem] = []
    available: set[str] = set()
    for folder in reversed(search_path):  # the built-in catalogues first, each project's message over them
        for lang, path in po_files(folder).items():
            available.add(lang)
            if lang not in needed:
                continue
            shown = display_path(path)
            catalogue = read_catalogue(path, shown, keys)
            problems += catalogue.problems
            flat[lang] = {**flat.get(lang, {}), **catalogue.labels}
            last_file[lang] = shown
    _raise(problems)
    ref_flat = {**reference.labels, **flat.get(REFERENCE_LANGUAGE, {})}
    missing = {}
    for lang, labels in flat.items():
        if lang != REFERENCE_LANGUAGE:
            missing[lang] = [(key, last_file[lang]) for key in reference.labels if key not in labels]
        flat[lang] = {key: labels.get(key, ref_flat[key]) for key in reference.labels}
    return flat, nest(reference.labels), missing, shown_dir, sorted(available)


@lru_cache(maxsize=32)
def _labels(
    search_path: tuple[Path, ...], paths: tuple[Path, ...], stamp: tuple, lang: str
) -> tuple[dict[str, dict], dict[str, tuple[tuple[str, str], ...]], str, tuple[str, ...]]:
    """(the merged labels of `lang` and of the languages a labels.yaml gives, the labels each prints in
    English as (key, file), the folder an unknown language is reported against, every language there are
    labels for). Only the catalogues of those languages are read (and the English one)."""
    files = [folder / LABELS_FILE for folder in search_path if (folder / LABELS_FILE).is_file()]
    read = [(path, *_read(path)) for path in reversed(files)]
    needed = {REFERENCE_LANGUAGE, lang} | {str(k) for _, data, _ in read if isinstance(data, dict) for k in data}
    flat, reference, missing, shown_dir, available = _catalogues(search_path, needed)
    merged: dict[str, dict] = {lang: nest(labels) for lang, labels in flat.items()}
    catalogue = _catalogue_model("Labels", _disguise(reference))
    for path, data, lines in read:  # a project's labels.yaml over the catalogues
        shown = display_path(path)
        _raise(_not_a_mapping(data, shown, "language codes to labels"))
        data = {str(lang): labels for lang, labels in (data or {}).items()}
        problems = [
            Problem(shown, lines.get((lang,)), lang, f"expected a mapping of label keys to text, got {_short(labels)}")
            for lang, labels in data.items()
            if not isinstance(labels, dict)
        ]
        given = {lang: labels for lang, labels in data.items() if isinstance(labels, dict)}
        data = {lang: merge(merged.get(lang, {}), labels) for lang, labels in given.items()}
        problems += _checked(_labels_file_model(catalogue, list(data)), data, shown, lines)
        _raise(sorted(problems, key=lambda p: (p.line or 0, p.key)))
        merged.update(data)
        for lang, labels in given.items():
            overridden = {key for key, _ in flatten(labels)} | set(_parents(labels))
            missing[lang] = [(k, f) for k, f in missing.get(lang, []) if not _covered(k, overridden)]
    languages = tuple(sorted(set(available) | set(merged)))
    return merged, {lang: tuple(m) for lang, m in missing.items() if m}, shown_dir, languages


def _parents(labels: dict, prefix: str = "") -> Iterator[str]:
    for key, value in labels.items():
        if isinstance(value, dict):
            yield f"{prefix}{key}"
            yield from _parents(value, f"{prefix}{key}.")


def _covered(key: str, given: set[str]) -> bool:
    """Whether a labels.yaml gave `key` (a {one, many} pair given as plain text covers both)."""
    return key in given or key.rsplit(".", 1)[0] in given
