"""What every product is: a name, its layout, its default editions, its output paths, the context its
templates receive, and how it is written. The orchestrator (build.py) finds the products (products/__init__)
and drives them all the same way.

A product works on a subject: a film (`scope = "film"`: press kit, one-sheet, programme page) or a
project's festival (`scope = "festival"`: the catalogue). Everything a build shares between its products
is its BuildState: the resolved settings, what is known of the input files, laurel artwork already checked.
"""

from __future__ import annotations

import base64
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from markupsafe import Markup

from .. import laurels as laurel_art
from ..artwork import official_svg
from ..context import svg_markup
from ..edition import Edition, palette_css, render_options
from ..fonts import project_faces
from ..images import PLACED_WIDTH_IN, ImagePreparer, rgb_to_cmyk
from ..load import FilmSource
from ..output import together, write_pdf
from ..pdf import RenderJob
from ..settings import Settings
from ..units import length_pt, pt_to_in

log = logging.getLogger("presskit")


@dataclass
class BuildState:
    """What the products of one build share."""

    settings: Settings
    memo: Any = None  # cache.Memo: what is known of the input files (the catalogue keeps one)
    artwork: dict[tuple, str] = field(default_factory=dict)  # (laurel file, print profile) -> placed SVG, base64
    cache: Any = None  # cache.State: what the build learns for the next one (saved by whoever opened it)
    laurels_warned: set[str] = field(default_factory=set)  # films whose laurel warnings were given

    def ink(self) -> dict | None:
        """The ink coverages the preflight remembers across builds (cache.State.ink), None without a state."""
        return self.cache.ink() if self.cache is not None else None


class Product:
    """One kind of document. Subclasses set the class attributes and implement outputs, context and write."""

    name: ClassVar[str]  # as the command line names it: "kit", "onesheet", "programme", "catalogue"
    layout: ClassVar[str]  # its folder in layouts/
    scope: ClassVar[str] = "film"  # "film" | "festival"
    default_editions: ClassVar[tuple[str, ...]] = ("print",)
    order: ClassVar[int] = 50  # its place in a whole build, lowest first
    needs_festival: ClassVar[bool] = False  # a film's product that needs its whole project's festival

    def __init__(self, state: BuildState):
        self.state = state
        self.settings = state.settings
        self.notes: list[str] = []  # what the build's summary line says of it (the catalogue's page count)
        self._manifests: dict[str, dict] = {}

    # --- the interface ---------------------------------------------------------------------------

    def wants(self, subject) -> bool:
        """Whether a whole build makes this product for `subject`."""
        return True

    def editions(self) -> list[Edition]:
        return self.settings.editions(self.default_editions)

    def outputs(self, subject, edition: Edition) -> list[Path]:
        """The files `write(subject, edition)` writes."""
        raise NotImplementedError

    def context(self, subject, edition: Edition) -> dict:
        """What the templates receive, ready to print."""
        raise NotImplementedError

    def write(self, subject, edition: Edition) -> list[Path]:
        """Render and write the product for `subject` in `edition`; the paths written."""
        raise NotImplementedError

    def build(self, subject) -> list[Path]:
        """The product in each edition asked for: every file installed together when all were written, none
        when one fails (the earlier ones stay as they were)."""
        with together():
            return [path for edition in self.editions() for path in self.write(subject, edition)]

    # --- what products share -----------------------------------------------------------------------

    def manifest(self, layout: str | None = None) -> dict:
        """The layout's manifest.yaml (default: this product's layout)."""
        layout = layout or self.layout
        if layout not in self._manifests:
            from ..layoutconfig import load_manifest  # (its models are built on import: only when needed)

            self._manifests[layout] = load_manifest(self.settings.search_path, layout)
        return self._manifests[layout]

    def base_context(self, edition: Edition, layout: str | None = None) -> tuple[dict, dict]:
        """(the layout's manifest, the context every document of it starts from)."""
        spec = self.manifest(layout)
        return spec, {
            "labels": self.settings.labels,
            "colors": palette_css(spec.get("palette", {}), edition.name),
            "page": page_geometry(self.settings, edition),
            "edition": edition.name,
            "assets_url": self.settings.assets.as_uri(),
            "project_fonts": project_faces(self.settings.project.fonts),
            "color_profile": edition.profile.as_uri() if edition.profile else None,
        }

    def images(
        self,
        edition: Edition,
        what: str,
        placed_in: dict[str, float] | None = None,
        frames: dict[str, float] | None = None,
    ) -> ImagePreparer:
        """The image resolver of one document: each image prepared for the edition (CMYK at print.ppi, or
        compact RGB), cached on disk. `placed_in`: widths (in) some uses are placed at in this document,
        besides a full-bleed key art's; `frames`: proportions of the frames some uses fill. Call its
        raise_errors() once the context is built: images too small to print fail the build."""
        settings = self.settings
        full_bleed = pt_to_in(length_pt(settings.paper.width)) + 2 * pt_to_in(edition.bleed_pt)
        placed = {"key_art": max(full_bleed, PLACED_WIDTH_IN["key_art"]), **(placed_in or {})}
        return ImagePreparer(
            edition,
            settings.image_cache,
            what,
            settings.root,
            placed_in=placed,
            frames=dict(frames or {}),
            memo=self.state.memo,
        )

    def render_job(self, html: str, what: str, edition: Edition, base_url: Path) -> RenderJob:
        """The WeasyPrint job for one document of this edition."""
        roots = [*self.settings.roots(), self.settings.image_cache]
        if edition.profile:
            roots.append(edition.profile.parent)  # the @color-profile file (e.g. Ghostscript's default)
        return RenderJob(
            html=html,
            base_url=base_url,
            roots=roots,
            what=what,
            pdf_variant=edition.pdf_variant,
            options=render_options(edition),
        )

    def write_pdf(self, data: bytes, target: Path, what: str, edition: Edition) -> Path:
        """Write rendered PDF bytes; in print, post-processed and preflighted first."""
        return write_pdf(data, target, what, edition, self.state.ink())


class FilmProduct(Product):
    """A product made for one film."""

    scope = "film"

    def out_dir(self, source: FilmSource) -> Path:
        return self.settings.film_out_dir(source.slug)

    def laurels(self, source: FilmSource, colour: str, limit: int | None, edition: Edition) -> list[Markup]:
        """The film's laurels, best first (at most `limit`), drawn in `colour`."""
        chosen = laurel_art.laurels_for(source.film, self.settings.labels, self.settings.lang)
        if limit is not None:
            chosen = chosen[:limit]
        return [self.laurel_markup(source, laurel, colour, edition) for laurel in chosen]

    def warn_laurels(self, source: FilmSource) -> None:
        """Say what the film's laurels fall back on (laurels.laurel_warnings), once in a build whichever of
        its products draws them first (the kit, the one-sheet)."""
        if source.slug in self.state.laurels_warned:
            return
        self.state.laurels_warned.add(source.slug)
        laurels = laurel_art.laurels_for(source.film, self.settings.labels, self.settings.lang)
        for message in laurel_art.laurel_warnings(source.slug, laurels):
            log.warning("%s", message)

    def laurel_markup(self, source: FilmSource, laurel, colour: str, edition: Edition) -> Markup:
        """A generated laurel (inline SVG), or the festival's own artwork, checked and in print converted to
        CMYK (artwork.py), placed as an image of its own: its ids, styles and gradients stay its own."""
        if not laurel.artwork:
            return svg_markup(laurel_art.laurel_svg(laurel, colour))
        profile = edition.profile if edition.is_print else None
        key = (source.dir / laurel.artwork, profile)
        artwork = self.state.artwork
        if key not in artwork:  # once per edition, not for the cover and the laurels page each
            what = f"{source.file}: festivals: {laurel.festival_id}: laurel_artwork {laurel.artwork}"
            to_cmyk = (lambda colours: rgb_to_cmyk(colours, profile)) if profile else None
            svg = official_svg(source.dir / laurel.artwork, what, to_cmyk)
            artwork[key] = base64.b64encode(svg.encode("utf-8")).decode("ascii")
        return Markup('<img class="official" src="data:image/svg+xml;base64,{}" alt="{}">').format(
            artwork[key], f"{laurel.festival} {laurel.year}"
        )


def page_geometry(settings: Settings, edition: Edition) -> dict:
    """The page of a document on the build's paper: size, margins and the edition's bleed."""
    paper = settings.paper
    return {
        "size": paper.size,
        "height": paper.height,
        "width": paper.width,
        "margin_top": "18mm",
        "margin_bottom": "22mm",
        "margin_inner": "20mm",
        "margin_outer": "20mm",
        "bleed": edition.bleed,
        # WeasyPrint's `marks: crop` are RGB and drawn inside the bleed: crop marks are drawn instead by
        # postprocess.add_crop_marks, outside the BleedBox (edition.marks).
        "marks": False,
    }
