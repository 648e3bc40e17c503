"""Orchestrates a build: which products to make of which film or festival, in which order, in how many
processes. Every product goes through the same interface (products/base.py); nothing imports this module
but the command line."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import progress
from .cache import State
from .load import FilmSource, load_project, open_film
from .pool import fork_map
from .products import BuildState, all_products, product
from .products.catalogue import CatalogueRun, build_catalogue_project
from .settings import BuildOptions, Settings, languages

log = logging.getLogger(__name__)

__all__ = [
    "BuildOptions",
    "BuildResult",
    "build_catalogue",
    "build_film_product",
    "build_kit",
    "build_onesheet",
    "build_programme",
    "build_project",
]


@dataclass
class BuildResult:
    written: list[Path] = field(default_factory=list)
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)  # e.g. the catalogue's page count and padding

    def summary(self) -> str:
        pdfs = sum(1 for p in self.written if p.suffix == ".pdf")
        svgs = sum(1 for p in self.written if p.suffix == ".svg")
        notes = "".join(f"; {n}" for n in self.notes)
        return f"built {pdfs} PDF(s) and {svgs} laurel SVG(s) in {self.seconds:.1f} s{notes}"


def build_film_product(name: str, film_dir: Path, options: BuildOptions, **product_options) -> BuildResult:
    """One product of one film folder (`name`: kit, onesheet, programme), in each edition asked for."""
    start = time.perf_counter()
    cls = product(name)
    project, source = open_film(film_dir, whole_project=cls.needs_festival)
    settings = Settings.resolve(project, options)
    if not cls.needs_festival:
        _one_language(options, settings.lang)
    state = State(settings.cache_dir)
    try:
        written = cls(BuildState(settings, cache=state), **product_options).build(source)
    finally:
        state.save()
    return BuildResult(written, time.perf_counter() - start)


def build_kit(film_dir: Path, options: BuildOptions) -> BuildResult:
    return build_film_product("kit", film_dir, options)


def build_onesheet(film_dir: Path, options: BuildOptions) -> BuildResult:
    return build_film_product("onesheet", film_dir, options)


def build_programme(film_dir: Path, options: BuildOptions, variants: tuple[str, ...] = ("full",)) -> BuildResult:
    return build_film_product("programme", film_dir, options, variants=variants)


def build_catalogue(root: Path, options: BuildOptions, on_render=None) -> CatalogueRun:
    """The festival catalogue alone; nothing is loaded or rendered when no input changed since the last build."""
    return build_catalogue_project(root, options, on_render)


# The shares of the progress bar (progress.py): about how long each step takes, in seconds on two cores.
# Only proportions: the bar's estimate of the time left comes from the pace measured as it runs.
LOAD_SHARE = 0.05  # loading the project, of the whole
FILM_WEIGHT = 5.0  # one film's products (the kit in two editions, the one-sheet, the programme page)


def catalogue_weights(films: int) -> dict[str, float]:
    """The catalogue's steps: rendering its parts (progress "catalogue"), then merging and checking it."""
    return {"catalogue": 3 + 0.1 * films, "merge": 0.3 + 0.006 * films}


def build_project(root: Path, options: BuildOptions) -> BuildResult:
    """Every product of a project: each film's products (the films in parallel), then the festival's."""
    start = time.perf_counter()
    with progress.run("building", {"load": LOAD_SHARE, "work": 1 - LOAD_SHARE}) as bar:
        bar.step("load", "loading the project").begin()
        project = load_project(root)
        settings = Settings.resolve(project, options)
        _one_language(options, settings.lang)
        state = State(settings.cache_dir)  # what the workers learn comes back into it (fork_map)
        shared = BuildState(settings, cache=state)
        products = [cls(shared) for cls in all_products().values()]
        film_products = [p for p in products if p.scope == "film"]
        festival_products = [p for p in products if p.scope == "festival" and p.wants(project)]
        festival_films = len(project.festival.slugs()) if project.festival else 0
        bar.split(
            "work",
            {
                "films": FILM_WEIGHT * len(project.films),
                **(catalogue_weights(festival_films) if festival_products else {}),
            },
        )
        for film_product in film_products:
            film_product.editions()  # (resolved once here: the build names its output condition once, not each worker)
        films = bar.step("films", "films")
        films.add(len(project.films))
        slugs = [f.slug for f in project.films]
        try:
            written = [
                path
                for paths in fork_map(_film_products, film_products, slugs, options.jobs, films, state)
                for path in paths
            ]
            for festival_product in festival_products:
                written += festival_product.build(project)
        finally:
            state.save()
    return BuildResult(written, time.perf_counter() - start, [note for p in products for note in p.notes])


def _one_language(options: BuildOptions, lang: str) -> None:
    """Two languages (--lang fr,en) are for a festival's products: a film's press kit and one-sheet print
    the first, and the build says so."""
    if options.lang and len(languages(options.lang)) > 1:
        log.warning(
            "warning: --lang %s: press kits and one-sheets print one language, '%s' (programme pages and the "
            "catalogue print both)",
            options.lang,
            lang,
        )


def _film_products(products: list, slug: str) -> list[Path]:
    """Every product `build` makes of one film (in a worker process)."""
    source: FilmSource = products[0].settings.project.film(slug)
    return [path for p in products if p.wants(source) for path in p.build(source)]
