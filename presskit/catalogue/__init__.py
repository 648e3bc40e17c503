"""The festival catalogue: planned in Python, rendered as independent parts in worker processes (each part
cached on disk), merged with pikepdf.

    plan.py     what the catalogue holds, its page numbers, the parts and their order; the merge call
    book.py     festival data -> ready-to-print views (sections, contents, indexes, schedule, sponsors)
    indexes.py  index sort rules: leading articles per language, accents, surnames
    parts.py    rendering parts in a process pool, the part cache
    merge.py    pikepdf: concatenation, outline, page labels, padding to a multiple of 4, metadata
    stamp.py    the "nothing changed" check that skips a rebuild entirely
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from .plan import CatalogueResult, build_catalogue

DEFAULT_EDITIONS = ("print",)


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
    return (f"catalogue {what} {result.path}, {result.pages} pages ({pad}), "
            f"{len(result.rendered)} of {result.parts} part(s) rendered")


def _settings(builder_options, edition_name: str, target: Path) -> dict:
    o = builder_options
    return {"edition": edition_name, "lang": o.lang, "paper": o.paper, "pdfx": o.pdfx, "target": str(target)}


def _inputs(root: Path, options, edition_name: str, target: Path, layouts: Path | None) -> str:
    from ..edition import DEFAULT_CMYK_PROFILES
    from ..resources import builtin_assets, builtin_layouts
    from .stamp import fingerprint

    package = Path(__file__).resolve().parent.parent
    folders = [root, builtin_layouts(), builtin_assets(), package]
    if layouts is not None:
        folders.append(layouts)
    return fingerprint(folders, list(DEFAULT_CMYK_PROFILES), _settings(options, edition_name, target),
                       exclude=[options.out_dir])


def _stamp(out_dir: Path, edition_name: str) -> Path:
    return out_dir / ".cache" / f"catalogue-{edition_name}.json"


def write_catalogues(builder, jobs: int | None = None, on_render=None) -> list[CatalogueResult]:
    """The catalogue of the builder's festival in each edition asked for (default: print)."""
    from .stamp import record

    results = []
    for edition in builder.editions(DEFAULT_EDITIONS):
        target = catalogue_target(builder.options.out_dir, edition.name)
        inputs = _inputs(builder.project.root, builder.options, edition.name, target, _project_layouts(builder))
        result = build_catalogue(builder, edition, target, jobs, on_render)
        record(_stamp(builder.options.out_dir, edition.name), inputs, target,
               {"pages": result.pages, "padding": result.padding, "parts": result.parts})
        results.append(result)
    return results


def _project_layouts(builder) -> Path | None:
    return (builder.project.root / builder.config.layouts) if builder.config.layouts else None


def build_catalogue_project(root: Path, options, jobs: int | None = None, on_render=None) -> CatalogueRun:
    """`presskit catalogue`: the catalogue of the project's festival. When no input changed since the last
    build (and its PDF is still the one it wrote), nothing is loaded or rendered."""
    from ..build import Builder
    from ..load import load_project_config_only
    from ..errors import DataError
    from ..load import PROJECT_FILE, load_project
    from .stamp import unchanged

    start = time.perf_counter()
    root = Path(root)
    config = load_project_config_only(root).config if (root / PROJECT_FILE).is_file() else None
    if config is None or not config.festival:
        raise DataError(f"{root}: a catalogue needs a festival: set `festival: festival.yaml` in {PROJECT_FILE}")
    run = CatalogueRun()
    names = (options.edition,) if options.edition else DEFAULT_EDITIONS
    layouts = (root / config.layouts) if config.layouts else None
    for name in names:
        target = catalogue_target(options.out_dir, name)
        last = unchanged(_stamp(options.out_dir, name), _inputs(root.resolve(), options, name, target, layouts),
                         target)
        if last is None:
            break
        run.results.append(CatalogueResult(target, False, last["pages"], last["padding"], [], last["parts"]))
    else:
        import logging

        logging.getLogger("presskit").info("catalogue: no input changed since the last build")
        run.seconds = time.perf_counter() - start
        return run
    from .. import images, load
    from ..memo import StatMemo, code_tag
    from .parts import early_pool, start_workers, stop_workers

    start_workers(jobs)  # they get ready while the project loads
    # What is known of the input files (parsed film.yaml, checked images, image digests) from the last
    # build: a rebuild after a small change reads and parses only what changed.
    memo = StatMemo(options.out_dir / ".cache" / "sources.json", code_tag(load, images))
    try:
        builder = Builder(load_project(root, memo=memo, pool=early_pool(jobs)), options)
        builder.memo = memo
        run.results = write_catalogues(builder, jobs, on_render)
    finally:
        memo.save()
        stop_workers()
    run.seconds = time.perf_counter() - start
    return run


__all__ = ["CatalogueResult", "CatalogueRun", "build_catalogue", "build_catalogue_project", "catalogue_target",
           "write_catalogues"]
