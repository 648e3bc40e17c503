"""Orchestrates the build of one project: what to build, in which order, where to write."""
from __future__ import annotations

import base64
import logging
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup

from . import laurels as laurel_art
from . import layoutconfig
from .artwork import official_svg
from .context import PLACED_WIDTH_IN, ContextBuilder, document_date, svg_markup
from .edition import Edition, laurel_colour, length_pt, print_edition, render_options, screen_edition
from .errors import PreflightError
from .images import ImagePreparer, rgb_to_cmyk
from .load import FilmSource, ProjectSource, find_project_root, load_film, load_project, load_project_config_only
from .model import Project
from .pdf import RenderJob, install, render_pdf, temporary_beside, write_atomic
from .postprocess import finish_print
from .render import layout_path, manifest, render_html
from .resources import builtin_assets

log = logging.getLogger("presskit")

PAPER = {
    "a4": {"size": "A4", "width": "210mm", "height": "297mm", "bleed": "3mm"},
    "letter": {"size": "letter", "width": "8.5in", "height": "11in", "bleed": "0.125in"},
}


@dataclass
class BuildOptions:
    out_dir: Path = Path("out")
    lang: str | None = None
    paper: str | None = None
    edition: str | None = None  # "screen" or "print"; None = each product's default
    pdfx: str | None = None  # "x-4" or "x-1a": overrides print.standard
    max_laurels: int | None = None  # overrides the project's max_laurels on the one-sheet
    jobs: int | None = None  # catalogue worker processes; None = one per CPU


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


def palette_css(palette: dict, edition: str = "screen") -> dict[str, str]:
    """CMYK percentages from a manifest -> CSS colours: device-cmyk() in print, rgb() on screen."""
    out = {}
    for name, (c, m, y, k) in palette.items():
        if edition == "print":
            out[name] = f"device-cmyk({c / 100:g} {m / 100:g} {y / 100:g} {k / 100:g})"
        else:
            rgb = [round(255 * (1 - v / 100) * (1 - k / 100)) for v in (c, m, y)]
            out[name] = "rgb({}, {}, {})".format(*rgb)
    return out


def page_geometry(paper: str, edition: Edition) -> dict:
    spec = PAPER[paper]
    return {
        "size": spec["size"],
        "height": spec["height"],
        "width": spec["width"],
        "margin_top": "18mm",
        "margin_bottom": "22mm",
        "margin_inner": "20mm",
        "margin_outer": "20mm",
        "bleed": edition.bleed,
        # WeasyPrint's `marks: crop` are RGB and drawn inside the bleed: crop marks are drawn instead by
        # postprocess.add_crop_marks, outside the BleedBox (edition.marks).
        "marks": False,
    }


def load_labels(search_path: tuple[Path, ...], lang: str) -> dict:
    """One language's labels, a project's labels.yaml merged over the built-in one (layoutconfig)."""
    return layoutconfig.load_labels(search_path, lang)


class Builder:
    """Builds the products of one project (or of a lone film folder)."""

    def __init__(self, project: ProjectSource, options: BuildOptions):
        self.project = project
        self.config: Project = project.config
        self.options = options
        layouts = (project.root / self.config.layouts) if self.config.layouts else project.root / "layouts"
        self.search_path = tuple(layout_path(layouts))
        self.lang = options.lang or self.config.language
        self.paper = options.paper or self.config.paper
        self.labels = load_labels(self.search_path, self.lang)
        self._artwork: dict[tuple, str] = {}  # (official laurel file, print profile or None) -> placed SVG, base64
        self.assets = builtin_assets()
        self.memo = None  # memo.StatMemo: what is known of the input files (the catalogue keeps one)

    def film_out_dir(self, source: FilmSource) -> Path:
        return self.options.out_dir / "films" / source.slug

    def roots(self) -> list[Path]:
        return [self.project.root, self.assets, *self.search_path]

    def edition(self, name: str) -> Edition:
        """The screen or print edition settings for this project (print: presskit.yaml `print:`)."""
        if name == "screen":
            return screen_edition()
        return print_edition(self.config.print, PAPER[self.paper]["bleed"], self.project.root, self.options.pdfx)

    def editions(self, default: tuple[str, ...]) -> list[Edition]:
        names = (self.options.edition,) if self.options.edition else default
        return [self.edition(n) for n in names]

    @property
    def image_cache(self) -> Path:
        return self.options.out_dir / ".cache" / "images"

    def image_resolver(self, edition: Edition, what: str = "document") -> ImagePreparer:
        """Prepares each image for the edition (CMYK at print.ppi, or compact RGB), cached on disk.
        Call its raise_errors() once the context is built: images too small to print fail the build."""
        bleed_in = edition.bleed_pt / 72
        full_bleed = length_pt(PAPER[self.paper]["width"]) / 72 + 2 * bleed_in
        return ImagePreparer(edition, self.image_cache, what, self.project.root,
                             placed_in={"key_art": max(full_bleed, PLACED_WIDTH_IN["key_art"])}, memo=self.memo)

    def base_context(self, product: str, edition: Edition) -> tuple[dict, dict]:
        spec = manifest(self.search_path, product)
        return spec, {
            "labels": self.labels,
            "colors": palette_css(spec.get("palette", {}), edition.name),
            "page": page_geometry(self.paper, edition),
            "edition": edition.name,
            "assets_url": self.assets.as_uri(),
            "color_profile": edition.profile.as_uri() if edition.profile else None,
        }

    def write_pdf(self, html: str, target: Path, what: str, edition: Edition, base_url: Path) -> Path:
        """Render HTML to a PDF for this edition and write it atomically. A print PDF is post-processed
        (postprocess.finish_print) and must pass the preflight before it replaces `target`."""
        return self.write_data(render_pdf(self.render_job(html, what, edition, base_url)), target, what, edition)

    def render_job(self, html: str, what: str, edition: Edition, base_url: Path) -> RenderJob:
        """The WeasyPrint job for one document of this edition (also used by the one-sheet's fitting)."""
        roots = [*self.roots(), self.image_cache]
        if edition.profile:
            roots.append(edition.profile.parent)  # the @color-profile file (e.g. Ghostscript's default)
        return RenderJob(html=html, base_url=base_url, roots=roots, what=what,
                         pdf_variant=edition.pdf_variant, options=render_options(edition))

    def write_data(self, data: bytes, target: Path, what: str, edition: Edition) -> Path:
        """Write rendered PDF bytes; in print, post-processed and preflighted first."""
        if edition.is_print:
            data = finish_print(data, edition, what)
            preflight_print(data, target, edition, what, self.options.out_dir / ".cache")
        else:
            write_atomic(target, data)
        log.info("wrote %s", target)
        return target

    def laurels(self, source: FilmSource, colour: str, limit: int | None, edition: Edition):
        chosen = laurel_art.laurels_for(source.film, self.labels)
        if limit is not None:
            chosen = chosen[:limit]
        return [self.laurel_markup(source, laurel, colour, edition) for laurel in chosen]

    def laurel_markup(self, source: FilmSource, laurel, colour: str, edition: Edition) -> Markup:
        """A generated laurel (inline SVG), or the festival's own artwork, checked and in print converted to
        CMYK (artwork.py), placed as an image of its own: its ids, styles and gradients stay its own."""
        if not laurel.artwork:
            return svg_markup(laurel_art.laurel_svg(laurel, colour))
        profile = edition.profile if edition.is_print else None
        key = (source.dir / laurel.artwork, profile)
        if key not in self._artwork:  # once per edition, not for the cover and the laurels page each
            what = f"{source.file}: festivals: {laurel.festival_id}: laurel_artwork {laurel.artwork}"
            to_cmyk = (lambda colours: rgb_to_cmyk(colours, profile)) if profile else None
            svg = official_svg(source.dir / laurel.artwork, what, to_cmyk)
            self._artwork[key] = base64.b64encode(svg.encode("utf-8")).decode("ascii")
        return Markup('<img class="official" src="data:image/svg+xml;base64,{}" alt="{}">').format(
            self._artwork[key], f"{laurel.festival} {laurel.year}")

    def kit(self, source: FilmSource) -> list[Path]:
        """The press kit, in each edition asked for (default: screen and print, rendered in parallel)."""
        names = [edition.name for edition in self.editions(("screen", "print"))]
        written = fork_map(self, _kit_edition_by_name, [(source.slug, n) for n in names], self.options.jobs)
        written += laurel_art.write_laurels(source.film, self.film_out_dir(source) / "laurels", source.dir,
                                            self.labels)
        return written

    def onesheet(self, source: FilmSource) -> list[Path]:
        """The one-sheet (sell sheet), fitted to one page, in each edition asked for (default: print)."""
        from .onesheet import write_onesheet

        return [write_onesheet(self, source, edition) for edition in self.editions(("print",))]

    def kit_edition(self, source: FilmSource, edition: Edition) -> Path:
        spec, context = self.base_context("presskit", edition)
        images = self.image_resolver(edition, f"{source.slug} press kit")
        film = ContextBuilder(source, self.lang, self.labels, images).film_context()
        images.raise_errors()
        laurel_colours = spec.get("laurels", {})
        cover_colour = laurel_colour(laurel_colours.get("cover_colour", "white"), edition)
        section_colour = laurel_colour(laurel_colours.get("section_colour", "black"), edition)
        context.update(
            film=film,
            laurels={
                "cover": self.laurels(source, cover_colour, self.config.max_laurels, edition),
                "section": self.laurels(source, section_colour, None, edition),
            },
            meta=document_meta(source, film, "Press kit"),
        )
        html = render_html(self.search_path, spec["template"], context)
        target = self.film_out_dir(source) / f"presskit{edition.suffix}.pdf"
        return self.write_pdf(html, target, f"{source.slug} press kit ({edition.name})", edition, source.dir)


def preflight_print(data: bytes | Path, target: Path, edition: Edition, what: str, cache_dir: Path | None = None,
                    known_ink: dict | None = None, processes: int = 1) -> None:
    """Preflight a print PDF (presskit.preflight) and install it as `target` when it passes; on errors
    PreflightError, and `target` is left as it was. `data` is the PDF's bytes (written to a temporary
    file beside `target` for the check), or such a temporary file already written, which is consumed
    (installed or removed). Either way the checked file is the one installed: the bytes are written once.
    With `cache_dir` (out/.cache), the ink coverage of each JPEG is remembered there (ink.json) across
    builds, so that a rebuild decodes only the images it has not measured yet; `known_ink` adds coverages
    measured while the images were prepared (preflight.jpeg_ink). `processes`: how many processes may
    check a long document's pages (preflight.preflight)."""
    from .preflight import preflight

    target.parent.mkdir(parents=True, exist_ok=True)
    ink = InkCache(cache_dir / "ink.json") if cache_dir is not None else None
    if ink is not None and known_ink:
        ink.values.update(known_ink)
    tmp = data if isinstance(data, Path) else temporary_beside(target, ".preflight.pdf", data)
    try:
        report = preflight(tmp, edition.preflight_profile, ink_cache=ink.values if ink else None,
                           processes=processes)
        if report.ok:
            install(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    if ink is not None:
        ink.save()
    for finding in report.warnings:
        if finding.check != "image-ppi":  # already reported by images.py, with the file's name
            log.warning("warning: %s, page %s: %s: %s", what, finding.page, finding.check, finding.message)
    if not report.ok:
        raise PreflightError(f"the {what} fails the {edition.preflight_profile} preflight; not written\n"
                             + report.format_text().replace(str(tmp), str(target)))


class InkCache:
    """The preflight's ink coverage of JPEG images, by the sha256 of their data (preflight.ink_cache_key),
    kept in one JSON file; dropped whole when what the values depend on changes (preflight.ink_cache_tag).
    Only a cache: a lost or unreadable file costs a measure, never a wrong result."""

    LIMIT = 20000  # entries kept (the least recently added are dropped first)

    def __init__(self, path: Path):
        from .preflight import ink_cache_tag

        self.path, self.tag = path, ink_cache_tag()
        try:
            stored = json_load(path)
            self.values: dict = dict(stored["values"]) if stored.get("tag") == self.tag else {}
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            self.values = {}
        self._known = dict(self.values)

    def save(self) -> None:
        if self.values == self._known:
            return
        import json

        values = dict(list(self.values.items())[-self.LIMIT:])
        try:
            write_atomic(self.path, json.dumps({"tag": self.tag, "values": values}).encode("utf-8"))
        except OSError as exc:  # a cache: the build goes on
            log.debug("could not save %s: %s", self.path, exc)


def json_load(path: Path):
    import json

    return json.loads(path.read_text(encoding="utf-8"))


def document_meta(source: FilmSource, film: dict, product: str) -> dict:
    model = source.film
    author = ", ".join(model.companies.production) or ", ".join(film["directors"])
    return {
        "title": f"{film['title']} – {product}",
        "author": author,
        "description": film["logline"] or "",
        "keywords": ", ".join(model.genres),
        "date": document_date(model),
    }



def open_film(film_dir: Path) -> ProjectSource:
    """A lone film folder, inside its project when it has one (for the project's config and layouts)."""
    source = load_film(film_dir)
    root = find_project_root(Path(film_dir))
    if root is None:
        return ProjectSource(Project(), source.dir, [source])
    project = load_project_config_only(root)
    project.films = [source]
    return project


def timed(build) -> BuildResult:
    """Run `build()` (which returns the paths it wrote) and time it."""
    start = time.perf_counter()
    result = BuildResult(build())
    result.seconds = time.perf_counter() - start
    return result


def build_kit(film_dir: Path, options: BuildOptions) -> BuildResult:
    def build():
        project = open_film(film_dir)
        return Builder(project, options).kit(project.films[0])

    return timed(build)


def build_onesheet(film_dir: Path, options: BuildOptions) -> BuildResult:
    def build():
        project = open_film(film_dir)
        return Builder(project, options).onesheet(project.films[0])

    return timed(build)


def build_programme(film_dir: Path, options: BuildOptions, variants: tuple[str, ...] = ("full",)) -> BuildResult:
    from .programme import open_for_programme, programme_pages

    def build():
        project, source = open_for_programme(film_dir)
        return programme_pages(Builder(project, options), source, variants)

    return timed(build)


def film_products(builder: Builder, source: FilmSource) -> list[Path]:
    """Everything `build` writes for one film: press kit, one-sheet, programme pages and laurels."""
    from .programme import build_variants, programme_pages

    written = builder.kit(source) + builder.onesheet(source)
    variants = build_variants(builder, source.slug)
    return written + (programme_pages(builder, source, variants) if variants else [])


_POOL_BUILDER: Builder | None = None  # handed to forked workers by fork_map


def _call_in_worker(call):
    fn, item = call
    return fn(_POOL_BUILDER, item)


def fork_map(builder: Builder, fn, items: list, jobs: int | None, progress=None) -> list:
    """[fn(builder, item) for item in items], in forked worker processes when more than one core helps.

    Documents are independent, so they render in parallel; results come back in order. Workers are
    forked with the loaded project, so nothing is read or validated twice. `fn` is a module-level function.
    """
    global _POOL_BUILDER
    import multiprocessing
    import os
    from concurrent.futures import ProcessPoolExecutor

    jobs = min(jobs or os.cpu_count() or 1, len(items))
    if jobs <= 1 or _POOL_BUILDER is not None or "fork" not in multiprocessing.get_all_start_methods():
        results = (fn(builder, item) for item in items)  # one core, one item, or already inside a worker
        return _advancing(results, progress)
    _POOL_BUILDER = builder
    try:
        with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork")) as pool:
            return _advancing(pool.map(_call_in_worker, [(fn, item) for item in items]), progress)
    finally:
        _POOL_BUILDER = None


def _advancing(results, progress) -> list:
    out = []
    for result in results:
        out.append(result)
        if progress is not None:
            progress.advance()
    if progress is not None:
        progress.close()
    return out


def _film_products_by_slug(builder: Builder, slug: str) -> list[Path]:
    return film_products(builder, builder.project.film(slug))


def _kit_edition_by_name(builder: Builder, job: tuple[str, str]) -> Path:
    slug, edition = job
    return builder.kit_edition(builder.project.film(slug), builder.edition(edition))


def build_films(builder: Builder, jobs: int | None) -> list[Path]:
    """Each film's documents, the films rendered in parallel."""
    from .progress import Progress

    slugs = [f.slug for f in builder.project.films]
    progress = Progress("building films", total=len(slugs))
    return [path for paths in fork_map(builder, _film_products_by_slug, slugs, jobs, progress) for path in paths]


def build_project(root: Path, options: BuildOptions) -> BuildResult:
    """Every product of a project: each film's documents, then the festival catalogue."""
    notes: list[str] = []

    def build():
        project = load_project(root)
        builder = Builder(project, options)
        written = build_films(builder, options.jobs)
        if project.festival is not None:
            from .catalogue import describe, write_catalogues

            for catalogue in write_catalogues(builder, options.jobs):
                written += [catalogue.path] if catalogue.written else []
                notes.append(describe(catalogue))
        return written

    result = timed(build)
    result.notes = notes
    return result
