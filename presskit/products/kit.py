"""The press kit: cover, synopses, director's statement, bio and filmography, credits, technical
specifications, laurels, press quotes, stills and contacts (layouts/presskit/), and the film's laurel files.
"""

from __future__ import annotations

import math
from pathlib import Path

from .. import laurels as laurel_art
from ..context import ContextBuilder
from ..edition import Edition, laurel_colour
from ..errors import PresskitError
from ..load import FilmSource
from ..meta import film_document
from ..output import Staged, held, stage, together
from ..pdf import render_pdf
from ..pool import fork_map
from ..render import render_html
from .base import FilmProduct

# A section shorter than about a third of a page (in characters of body text; an A4 page holds about
# 5000) follows the one before it on the same page instead of starting a page of its own.
SHORT_SECTION = 1700
# The rough room a line of the credits, a festival, a row of laurels or a row of stills takes, in characters.
CAST_ROW, CREW_ROW, FESTIVAL_ROW, LAUREL_ROW, STILL_ROW, HEADSHOT = 125, 180, 240, 800, 1200, 1500


def section_flows(film: dict) -> set[str]:
    """The ids of the kit's sections short enough to follow the previous section on its page (the synopsis
    always starts the page after the cover; the technical specifications, quotes and contacts always flow)."""

    def chars(paragraphs) -> int:
        return sum(len(p) for p in paragraphs)

    sizes = {
        "statement": chars(film["directors_statement"]),
        "production-notes": chars(film["production_notes"]),
        "cast-bios": sum(chars(bio) + 100 for _, bio in film["cast_bios"]),
        "credits": max(CAST_ROW * len(film["cast"]), CREW_ROW * len(film["crew"])),
        "festivals": FESTIVAL_ROW * len(film["festivals"]) + LAUREL_ROW * math.ceil(len(film["festivals"]) / 4),
        "stills": STILL_ROW * math.ceil(len(film["stills"]) / 2),
    }
    for n, d in enumerate(film["director_blocks"], start=1):
        sizes[f"director-{n}"] = chars(d.bio) + 100 * len(d.filmography) + (HEADSHOT if d.headshot else 0)
    return {section for section, size in sizes.items() if size < SHORT_SECTION}


class Kit(FilmProduct):
    name = "kit"
    layout = "presskit"
    default_editions = ("screen", "print")
    order = 10

    def outputs(self, source: FilmSource, edition: Edition) -> list[Path]:
        return [self.out_dir(source) / f"presskit{edition.suffix}.pdf"]

    def context(self, source: FilmSource, edition: Edition) -> dict:
        spec, context = self.base_context(edition)
        images = self.images(edition, f"{source.slug} press kit")
        film = ContextBuilder(source, self.settings.lang, self.settings.labels, images).film_context()
        images.raise_errors()
        colours = spec.get("laurels", {})
        cover_colour = laurel_colour(colours.get("cover_colour", "white"), edition)
        section_colour = laurel_colour(colours.get("section_colour", "black"), edition)
        context.update(
            film=film,
            laurels={
                "cover": self.laurels(source, cover_colour, self.settings.config.max_laurels, edition),
                "section": self.laurels(source, section_colour, None, edition),
            },
            meta=film_document(source, film, "Press kit"),
            flows=section_flows(film),
        )
        return context

    def write(self, source: FilmSource, edition: Edition) -> list[Path]:
        html = render_html(self.settings.search_path, self.manifest()["template"], self.context(source, edition))
        [target] = self.outputs(source, edition)
        what = f"{source.slug} press kit ({edition.name})"
        data = render_pdf(self.render_job(html, what, edition, source.dir))
        return [self.write_pdf(data, target, what, edition)]

    def build(self, source: FilmSource) -> list[Path]:
        """Each edition asked for (default: screen and print, rendered in parallel), and the laurel files."""
        names = [edition.name for edition in self.editions()]
        with together():
            results = fork_map(
                _write_edition,
                self,
                [(source.slug, name) for name in names],
                self.settings.options.jobs,
                state=self.state.cache,
            )
            for _, staged, _ in results:
                stage(staged)  # (each edition's files, staged by the process that wrote them)
            failed = next((error for _, _, error in results if error is not None), None)
            if failed is not None:
                raise failed
        laurels_dir = self.out_dir(source) / "laurels"
        self.warn_laurels(source)
        return [
            *(p for paths, _, _ in results for p in paths),
            *laurel_art.write_laurels(
                source.film,
                laurels_dir,
                source.dir,
                self.settings.labels,
                self.settings.cache_dir / "laurels" / f"{source.slug}.json",
                self.settings.lang,
                warn=False,
            ),
        ]


def _write_edition(kit: Kit, job: tuple[str, str]) -> tuple[list[Path], Staged, PresskitError | None]:
    """One edition, its files staged, not installed: (paths, staged files, the user error that stopped it)."""
    slug, edition = job
    source = kit.settings.project.film(slug)
    if source is None:
        raise KeyError(f"no film {slug!r} in the project")
    try:
        with held() as staged:
            return kit.write(source, kit.settings.edition(edition)), list(staged), None
    except PresskitError as error:  # (the other edition's files are discarded with it by build)
        return [], [], error
