"""The festival catalogue: planned in Python, rendered as independent parts in worker processes (each part
cached on disk), merged with pikepdf.

    plan.py     what the catalogue holds, its page numbers, the parts and their order; the merge call
    book.py     festival data -> ready-to-print views (sections, contents, indexes, schedule, sponsors)
    indexes.py  index sort rules: leading articles per language, accents, surnames
    parts.py    rendering parts in a process pool, the part cache
    continued.py  a schedule day run over a page break: "<day> (continued)" at the next page's top
    merge.py    pikepdf: concatenation, film pages placed (a left-hand page shifted, its folio and running
                head laid over it), outline, page labels, padding to a multiple of 4, metadata

A rebuild whose inputs (project files, layouts, assets, the output profile, presskit's own code and the
build settings) all stand as they did, and whose catalogue.pdf is the one the last build wrote, does
nothing at all: no data is loaded, no part is looked up (the stamps of cache.State). Like make, it trusts
modification times; any doubt (a missing stamp, a touched file) falls back to the full build, which is
itself cached.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from pathlib import Path

from ... import cache, pool, progress
from ...edition import Edition
from ...errors import DataError
from ...load import PROJECT_FILE, ProjectSource, load_project, load_project_config_only
from ...resources import builtin_assets, builtin_layouts
from ...settings import BuildOptions, Settings, project_layouts
from ..base import BuildState, Product
from .plan import Catalogue, CatalogueResult, build_catalogue

log = logging.getLogger("presskit")

# The shares of `presskit catalogue`'s progress bar (progress.py): loading the project, rendering the parts
# (parts.py), merging and checking the whole (plan.py); proportions of a cold build (benchmarks/README.md)
PROGRESS_STEPS = {"load": 2.0, "catalogue": 16.0, "merge": 1.0}


class CatalogueProduct(Product):
    """The festival catalogue of a project (its subject: the loaded project, with its festival)."""

    name = "catalogue"
    layout = "catalogue"
    scope = "festival"
    default_editions = ("print",)
    order = 100

    def __init__(self, state: BuildState, on_render=None, fingerprints: dict[str, str] | None = None):
        super().__init__(state)
        self.on_render = on_render  # called with the name of each part rendered (tests count them)
        self.fingerprints = fingerprints or {}  # the inputs' fingerprint of an edition, taken already

    def wants(self, project: ProjectSource) -> bool:
        return project.festival is not None

    def editions(self) -> list[Edition]:
        """As every product's, the output condition chosen by the festival's trim (170mm 240mm: FOGRA39)."""
        festival = self.settings.project.festival
        return self.settings.editions(self.default_editions, festival.festival.trim if festival else None)

    def outputs(self, project: ProjectSource, edition: Edition) -> list[Path]:
        return [catalogue_target(self.settings.out_dir, edition.name)]

    def context(self, project: ProjectSource, edition: Edition) -> dict:
        """The context every part of the catalogue starts from (each part adds its own: see plan.py)."""
        return Catalogue(self, edition).context

    def write(self, project: ProjectSource, edition: Edition) -> list[Path]:
        result = self.write_edition(edition)
        self.notes.append(describe(result))
        return [result.path] if result.written else []

    def write_edition(self, edition: Edition) -> CatalogueResult:
        """Render (or reuse), merge and write one edition, and stamp its inputs for "nothing changed" (in
        the build's cache.State, when it has one)."""
        settings = self.settings
        [target] = self.outputs(settings.project, edition)
        inputs = self.fingerprints.get(edition.name) or _inputs(
            settings.root, settings.options, edition.name, target, project_layouts(settings.root, settings.config)
        )
        result = build_catalogue(self, edition, target, settings.options.jobs, self.on_render)
        if self.state.cache is not None:
            self.state.cache.record(
                _stamp(edition.name),
                inputs,
                target,
                {"pages": result.pages, "padding": result.padding, "parts": result.parts},
            )
        return result


def catalogue_target(out_dir: Path, edition_name: str) -> Path:
    """out/catalogue.pdf for print (the catalogue's default), out/catalogue-<edition>.pdf otherwise."""
    return out_dir / ("catalogue.pdf" if edition_name == "print" else f"catalogue-{edition_name}.pdf")


@dataclass
class CatalogueRun:
    results: list[CatalogueResult] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def written(self) -> list[Path]:
        return [r.path for r in self.results if r.written]

    def summary(self) -> str:
        return "; ".join(describe(r) for r in self.results) + f" in {self.seconds:.1f} s"


def describe(result: CatalogueResult) -> str:
    what = "wrote" if result.written else "unchanged:"
    pad = f"{result.padding} blank page(s) added to reach a multiple of 4"
    return (
        f"catalogue {what} {result.path}, {result.pages} pages ({pad}), "
        f"{len(result.rendered)} of {result.parts} part(s) rendered"
    )


def _settings(options: BuildOptions, edition_name: str, target: Path) -> dict:
    o = options
    return {"edition": edition_name, "lang": o.lang, "paper": o.paper, "pdfx": o.pdfx, "target": str(target)}


def _inputs(root: Path, options: BuildOptions, edition_name: str, target: Path, layouts: Path | None) -> str:
    package = Path(__file__).resolve().parent.parent.parent
    folders = [root, builtin_layouts(), builtin_assets(), package]
    if layouts is not None:
        folders.append(layouts)
    return cache.fingerprint(folders, [], _settings(options, edition_name, target), exclude=[options.out_dir])


def _stamp(edition_name: str) -> str:
    return f"catalogue-{edition_name}"


def build_catalogue_project(root: Path, options: BuildOptions, on_render=None) -> CatalogueRun:
    """`presskit catalogue`: the catalogue of the project's festival. When no input changed since the last
    build (and its PDF is still the one it wrote), nothing is loaded or rendered."""
    start = time.perf_counter()
    root = Path(root)
    config = load_project_config_only(root).config if (root / PROJECT_FILE).is_file() else None
    if config is None or not config.festival:
        raise DataError(f"{root}: a catalogue needs a festival: set `festival: festival.yaml` in {PROJECT_FILE}")
    state = cache.State(options.out_dir / ".cache")
    fingerprints: dict[str, str] = {}
    run = CatalogueRun(_unchanged(state, root, options, project_layouts(root, config), fingerprints) or [])
    if run.results:
        log.info("catalogue: no input changed since the last build")
    else:
        run.results = _build(root, options, state, on_render, fingerprints)
    run.seconds = time.perf_counter() - start
    return run


def _unchanged(
    state: cache.State, root: Path, options: BuildOptions, layouts: Path | None, fingerprints: dict[str, str]
) -> list | None:
    """What the last build wrote of each edition asked for, when not one input changed since; else None.
    The inputs' fingerprint of each edition looked at is added to `fingerprints` (for the build to stamp)."""
    results = []
    for name in (options.edition,) if options.edition else CatalogueProduct.default_editions:
        target = catalogue_target(options.out_dir, name)
        inputs = fingerprints[name] = _inputs(root.resolve(), options, name, target, layouts)
        last = state.unchanged(_stamp(name), inputs, target)
        if last is None:
            return None
        results.append(CatalogueResult(target, False, last["pages"], last["padding"], [], last["parts"]))
    return results


def _build(
    root: Path, options: BuildOptions, state: cache.State, on_render, fingerprints: dict[str, str]
) -> list[CatalogueResult]:
    """Load the project and build each edition, the worker processes started first: they get ready while
    the project loads, and help load it. What is known of the input files (parsed film.yaml, checked
    images, image digests) from the last build is in the state's memo: a rebuild after a small change
    reads and parses only what changed."""
    from ... import images, load, yamlfile
    from .parts import start_worker

    workers = pool.start_early(options.jobs, start_worker)
    try:
        with progress.run("catalogue", PROGRESS_STEPS) as bar:
            bar.step("load", "loading the project").begin()
            memo = state.memo(cache.code_tag(load, images, yamlfile))  # (parsed once the workers are forked)
            project = load_project(root, memo=memo, workers=workers)
            settings = Settings.resolve(project, options)
            product = CatalogueProduct(BuildState(settings, memo, cache=state), on_render, fingerprints)
            return [product.write_edition(edition) for edition in product.editions()]
    finally:
        state.save()
        pool.stop_early()


__all__ = [
    "CatalogueProduct",
    "CatalogueResult",
    "CatalogueRun",
    "build_catalogue",
    "build_catalogue_project",
    "catalogue_target",
]
