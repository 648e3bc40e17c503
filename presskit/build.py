"""Orchestrates the build of one project: what to build, in which order, where to write."""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from . import laurels as laurel_art
from .context import ContextBuilder, screen_image_url, svg_markup
from .errors import DataError
from .load import FilmSource, ProjectSource, find_project_root, load_film, load_project
from .model import Project
from .pdf import RenderJob, render_pdf, write_atomic
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


@dataclass
class Edition:
    """How a document is produced: for reading on screen (RGB) or for a press (PDF/X, CMYK, bleed)."""

    name: str  # "screen" | "print"
    pdf_variant: str | None = None
    bleed: str | None = None
    marks: bool = False

    @property
    def suffix(self) -> str:
        return "-print" if self.name == "print" else ""


@dataclass
class BuildResult:
    written: list[Path] = field(default_factory=list)
    seconds: float = 0.0

    def summary(self) -> str:
        pdfs = sum(1 for p in self.written if p.suffix == ".pdf")
        svgs = sum(1 for p in self.written if p.suffix == ".svg")
        return f"built {pdfs} PDF(s) and {svgs} laurel SVG(s) in {self.seconds:.1f} s"


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
        "marks": edition.marks,
    }


def load_labels(search_path: tuple[Path, ...], lang: str) -> dict:
    for folder in search_path:
        path = folder / "labels.yaml"
        if path.is_file():
            labels = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            if lang in labels:
                return labels[lang]
            raise DataError(f"{path}: no labels for language '{lang}'; expected one of {', '.join(labels)}")
    raise DataError("no labels.yaml found in the layouts")


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
        self.assets = builtin_assets()

    def film_out_dir(self, source: FilmSource) -> Path:
        return self.options.out_dir / "films" / source.slug

    def roots(self) -> list[Path]:
        return [self.project.root, self.assets, *self.search_path]

    def edition(self, name: str) -> Edition:
        """The screen or print edition settings for this project."""
        if name == "screen":
            return Edition("screen")
        return Edition("print")

    def editions(self, default: tuple[str, ...]) -> list[Edition]:
        names = (self.options.edition,) if self.options.edition else default
        return [self.edition(n) for n in names]

    def image_resolver(self, edition: Edition):
        return screen_image_url

    def base_context(self, product: str, edition: Edition) -> tuple[dict, dict]:
        spec = manifest(self.search_path, product)
        return spec, {
            "labels": self.labels,
            "colors": palette_css(spec.get("palette", {}), edition.name),
            "page": page_geometry(self.paper, edition),
            "edition": edition.name,
            "assets_url": self.assets.as_uri(),
        }

    def write_pdf(self, html: str, target: Path, what: str, edition: Edition, base_url: Path) -> Path:
        """Render HTML to a PDF for this edition and write it atomically."""
        job = RenderJob(html=html, base_url=base_url, roots=self.roots(), what=what,
                        pdf_variant=edition.pdf_variant)
        write_atomic(target, render_pdf(job))
        log.info("wrote %s", target)
        return target

    def laurels(self, source: FilmSource, colour: str, limit: int | None):
        chosen = laurel_art.laurels_for(source.film)
        if limit is not None:
            chosen = chosen[:limit]
        return [svg_markup(self.laurel_svg(source, laurel, colour)) for laurel in chosen]

    def laurel_svg(self, source: FilmSource, laurel, colour: str) -> str:
        if laurel.artwork:
            return (source.dir / laurel.artwork).read_text(encoding="utf-8")
        return laurel_art.laurel_svg(laurel, colour)

    def kit(self, source: FilmSource) -> list[Path]:
        """The press kit, in each edition asked for (default: screen and print)."""
        written = [self.kit_edition(source, edition) for edition in self.editions(("screen", "print"))]
        written += laurel_art.write_laurels(source.film, self.film_out_dir(source) / "laurels", source.dir)
        return written

    def kit_edition(self, source: FilmSource, edition: Edition) -> Path:
        spec, context = self.base_context("presskit", edition)
        builder = ContextBuilder(source, self.lang, self.labels, self.image_resolver(edition))
        film = builder.film_context()
        laurel_colours = spec.get("laurels", {})
        context.update(
            film=film,
            laurels={
                "cover": self.laurels(source, laurel_colours.get("cover_colour", "white"), self.config.max_laurels),
                "section": self.laurels(source, laurel_colours.get("section_colour", "black"), None),
            },
            meta=document_meta(source, film, "Press kit"),
        )
        html = render_html(self.search_path, spec["template"], context)
        target = self.film_out_dir(source) / f"presskit{edition.suffix}.pdf"
        return self.write_pdf(html, target, f"{source.slug} press kit ({edition.name})", edition, source.dir)


def document_meta(source: FilmSource, film: dict, product: str) -> dict:
    model = source.film
    author = ", ".join(model.companies.production) or ", ".join(film["directors"])
    return {
        "title": f"{film['title']} – {product}",
        "author": author,
        "description": film["logline"] or "",
        "keywords": ", ".join(model.genres),
        "date": model.updated.isoformat() if model.updated else None,
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


def load_project_config_only(root: Path) -> ProjectSource:
    from .load import PROJECT_FILE, display_path, read_yaml, validate

    data, lines = read_yaml(root / PROJECT_FILE)
    config, problems = validate(Project, data, display_path(root / PROJECT_FILE), lines)
    if problems:
        raise DataError(f"{len(problems)} problem(s) in the project config", problems)
    return ProjectSource(config, root.resolve())


def build_kit(film_dir: Path, options: BuildOptions) -> BuildResult:
    start = time.perf_counter()
    project = open_film(film_dir)
    result = BuildResult(Builder(project, options).kit(project.films[0]))
    result.seconds = time.perf_counter() - start
    return result


def build_project(root: Path, options: BuildOptions) -> BuildResult:
    start = time.perf_counter()
    project = load_project(root)
    builder = Builder(project, options)
    result = BuildResult()
    for source in project.films:
        result.written += builder.kit(source)
    result.seconds = time.perf_counter() - start
    return result
