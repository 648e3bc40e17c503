"""Plan, render and merge the festival catalogue. Page numbers are computed here, never by WeasyPrint
across parts (target-counter cannot see other documents):

1. The cover, the welcome/colophon pages and sizing renders of the contents and of each section intro
   go first: after them every film page's number is known, since each film page is exactly one page (the
   fit check makes sure of it) and each section intro runs to as many pages as its sizing render (its
   list of films may take several). In print a listing holds no page number (see 2), so its sizing render
   is the listing itself; on screen the numbers are links, and the sizing render has placeholders of the
   same width. A rebuild does not wait for the sizing renders it has to make: it plans from the page
   counts the last build's found, and plans again from the new ones (as a cold build does) only if they
   differ.
2. Every part but the cover and the welcome/colophon pages is rendered once at a neutral position and
   placed by the merge (stamps.py): every page laid out as a right-hand one, without folio or drawn
   running head, so that it is the same part wherever it lands. The merge shifts a left-hand page by the
   difference of the outer and inner margins and lays over each placed page its head and folio: the head
   as the folio part draws it (one small render: a left-hand and a right-hand page for each head), the
   folio's figures written where that part lays one out, as the listings' page numbers are. The film
   pages come in runs of about FILM_PAGES_PER_PART per part (cut by their films: chunks); the contents,
   each section intro and each part of the back matter (an index, a schedule day or run of days, the
   sponsors) are parts of their own. In print the page numbers they list are taken out of their HTML and
   written in by the merge with the figures of one small render (stamps.overlay): a film withdrawn, added
   or moved renders again its own run of film pages and the listings whose text changes (the contents,
   its section's intro, the indexes it is in, the schedule days it screens on); nothing else.
   All of these render in parallel.
3. The contents' page count is checked against the plan's: if it or a section intro's differs, everything
   is planned once more (parts that did not change come from the cache).
4. The parts are merged (merge.py), the pages placed, their folios laid over them and their numbers
   written in, with the outline, page labels, metadata and blank pages to a multiple of four,
   post-processed for the press once, preflighted, and catalogue.pdf is rewritten only when its bytes
   change.
"""

from __future__ import annotations

import hashlib
import logging
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

from ...cache import folder as cache_folder
from ...cache import key as cache_key
from ...edition import Edition, palette_css
from ...errors import RenderError
from ...festival import FestivalSource
from ...meta import catalogue as catalogue_meta
from ...model import page_size_mm
from ...output import preflight_print, temporary_beside
from ...pdf import release_free_memory
from ...progress import step as progress_step
from ...render import render_html
from ...units import length_mm
from ..programme import ProgrammeContext, bilingual_entry, page_frame, template_labels
from . import book, stamps
from .merge import Bookmark, Metadata, PageLabel, Placement, install_if_changed, merge_parts, same_files
from .parts import IMAGE_URL, HtmlMemo, Part, PartCache, Rendered, Renderer, resolve, split_styles, templates_tag

log = logging.getLogger("presskit")

# Film pages rendered together as one part. Each part costs work beyond its pages (its fonts subset and
# embedded anew, its document set up), and a changed film re-renders its whole run: longer runs make a
# cold build cheaper and a late change dearer. 12 keeps the one-synopsis rebuild within its target
# (the measurements: benchmarks/README.md, "presskit/products/catalogue/plan.py").
FILM_PAGES_PER_PART = 12
# Film parts are rendered at one neutral position, as if they started on this (right-hand) page.
NEUTRAL_START = 1
# The folio part (folios): a left-hand, then a right-hand page for each running head, from this page on.
FOLIO_START = 2
SIZING_START = 3  # the sizing render of the contents: its start page does not change its length


@dataclass
class FilmPage:
    """One page of film entries: a full-page entry, or up to two half-page entries."""

    section: book.SectionView
    slugs: list[str]
    variant: str  # "full" | "half"
    page: int = 0


@dataclass
class BackMatter:
    """The rendered back-matter parts, in order, with the folio each one starts at."""

    parts: list[Rendered]
    starts: list[int]
    planned: list[Part] = field(default_factory=list)  # the parts as submitted (the numbers taken out of them)

    @property
    def anchors(self) -> dict[str, int]:
        """Element id -> page index from the start of the back matter (as one part would give it)."""
        first = self.starts[0] if self.starts else 0
        found: dict[str, int] = {}
        for part, start in zip(self.parts, self.starts):
            for anchor, index in part.anchors.items():
                found.setdefault(anchor, start - first + index)
        return found


@dataclass
class Layout:
    """Every page number of one plan."""

    toc_start: int
    toc_pages: int
    back_start: int
    pages: dict[str, int] = field(default_factory=dict)  # film slug -> page


def film_pages(festival: FestivalSource, sections: list[book.SectionView]) -> list[FilmPage]:
    """Section by section, a page per full entry; consecutive half entries share a page in pairs."""
    pages: list[FilmPage] = []
    for section, data in zip(sections, festival.festival.sections):
        for item in data.films:
            last = pages[-1] if pages else None
            if (
                item.page == "half"
                and last is not None
                and last.section is section
                and last.variant == "half"
                and len(last.slugs) == 1
            ):
                last.slugs.append(item.film)
            else:
                pages.append(FilmPage(section, [item.film], item.page))
    return pages


def chunks(films: list[FilmPage], section: book.SectionView, size: int) -> list[list[FilmPage]]:
    """The section's film pages in runs of about `size`: one part each. A run ends after a page chosen by
    its first film's slug (cut_after), at least size // 2 pages and at most 3 * size // 2 into the run, not
    at a count: a film withdrawn, added or moved changes its own run (and, at most, the one after it),
    never the runs after it, as fixed-length runs would."""
    pages = [p for p in films if p.section is section]
    runs: list[list[FilmPage]] = []
    run: list[FilmPage] = []
    least, most = max(1, size // 2), max(1, size * 3 // 2)
    for page in pages:
        run.append(page)
        if len(run) >= most or (len(run) >= least and cut_after(page, size - least)):
            runs.append(run)
            run = []
    if run:
        runs.append(run)
    return runs


def cut_after(page: FilmPage, odds: int) -> bool:
    """Whether a run of film pages may end after this page: true for one page in `odds`, by its slug."""
    digest = hashlib.sha256(page.slugs[0].encode("utf-8")).digest()
    return int.from_bytes(digest[:4], "big") % max(1, odds) == 0


def chunk_name(chunk: list[FilmPage]) -> str:
    """'films+<slug>+<slug>...': split on '+', the name gives the films of the part."""
    return "+".join(["films", *(slug for page in chunk for slug in page.slugs)])


def paginate(
    sections: list[book.SectionView],
    films: list[FilmPage],
    toc_start: int,
    toc_pages: int,
    intro_pages: dict[str, int] | None = None,
) -> Layout:
    """`intro_pages`: section id -> pages its intro runs to (measured, see Catalogue.render); 1 if not given."""
    layout = Layout(toc_start, toc_pages, 0)
    page = toc_start + toc_pages
    for section in sections:
        section.page = page
        page += (intro_pages or {}).get(section.id, 1)
        for film_page in films:
            if film_page.section is section:
                film_page.page = page
                for slug in film_page.slugs:
                    layout.pages[slug] = page
                page += 1
        for line in section.films:
            line.page = layout.pages[line.slug]
    layout.back_start = page
    return layout


class Catalogue:
    """The catalogue of one project's festival, in one edition."""

    def __init__(self, product, edition: Edition):
        self.product = product
        settings = product.settings
        self.search_path = settings.search_path
        self.chunk = FILM_PAGES_PER_PART
        self.edition = edition
        self.project = settings.project
        self.films = {f.slug: f for f in self.project.films}  # one mapping: FestivalSource indexes by it
        self.festival: FestivalSource = self.project.festival
        f = self.festival.festival
        self.lang = settings.festival_lang
        self.labels = settings.labels_for(self.lang)
        self.spec, self.context = product.base_context(edition)
        width, height = page_size_mm(f.trim)
        m = self.spec["margins"]
        self.programme_base = product.base_context(edition, "programme")  # (its manifest, its base context)
        half_gap = self.programme_base[0].get("half_gap", "8mm")
        self.langs = settings.festival_langs
        self.labels_for = settings.labels_for
        self.template_labels = template_labels(self.langs, settings.labels_for)
        self.context.update(
            labels=self.template_labels,
            page={
                "width": f"{width:g}mm",
                "height": f"{height:g}mm",
                "margin_top": m["top"],
                "margin_bottom": m["bottom"],
                "margin_inner": m["inner"],
                "margin_outer": m["outer"],
                "bleed": edition.bleed,
                "half_gap": half_gap,
                "half_rule": _half(half_gap),
                # how far a placed page's content moves across on a left-hand page (either way)
                "shift": f"{abs(length_mm(m['outer']) - length_mm(m['inner'])):g}mm",
            },
        )
        # Only the first part (the cover) names the output profile: the merged file takes its OutputIntent
        # from there, and the other parts write plain DeviceCMYK instead of embedding the profile again.
        self.css_first = render_html(self.search_path, self.spec["stylesheet"], self.context)
        self.css = render_html(self.search_path, self.spec["stylesheet"], {**self.context, "color_profile": None})
        self.films_css = render_html(
            self.search_path, self.spec["films_stylesheet"], {**self.context, "color_profile": None}
        )
        self.placed_css = render_html(
            self.search_path, self.spec["placed_stylesheet"], {**self.context, "color_profile": None}
        )
        job = product.render_job("", "catalogue", edition, self.project.root)
        self.roots = job.roots
        # Parts are merged page by page, which a structure tree would not survive: parts are untagged.
        self.options_first = {
            "pdf_variant": job.pdf_variant,
            **{k: v for k, v in job.options.items() if k != "pdf_tags"},
        }
        # The others are plain PDFs: the PDF/X identification (XMP, Info keys, version) comes from the
        # first part too, and writing it into every part would cost WeasyPrint time for nothing.
        self.options = {k: v for k, v in self.options_first.items() if k not in ("output_intent", "pdf_variant")}
        second = self.langs[1] if len(self.langs) > 1 else None
        self.info = book.book_info(f, self.lang, self.labels, second)
        self.sections = book.sections(self.festival, self.project, self.lang, second)
        for section in self.sections:
            section.colour = palette_css({"c": section.cmyk}, edition.name)["c"]
            if not section.films:  # (a programme emptied late: the page is printed, but it should be a choice)
                log.warning(
                    "warning: catalogue: section %r (%s) has no films: its intro page is printed with none listed",
                    section.id,
                    section.title,
                )
        self.back_anchors: dict[str, int] = {}  # the back matter's anchors, once rendered (see render)
        self.folio_part: Rendered | None = None  # the heads and folios (folios)
        self.folio_pages: dict[int, int] = {}  # each placed page: its head's left-hand page in folio_part
        self.film_pages: list[FilmPage] = []  # as the render placed them
        self.meta = catalogue_meta(
            self.info["name"],
            f.year,
            self.labels["catalogue"]["product"],
            f.colophon.publisher,
            self.info["dates"],
            [s.title for s in self.sections],
            f.dates.start.isoformat(),
        )
        self.html_memo = HtmlMemo(settings.cache_dir / "html" / edition.name, settings.cache_dir)
        self._films_common: str | None = None  # (films_common)

    # --- parts ---------------------------------------------------------------------------------

    def part(
        self, name: str, template: str, start: int, pages: int | None = None, first: bool = False, **context
    ) -> Part:
        html = render_html(
            self.search_path,
            self.spec["templates"].get(template, template),
            {
                **self.context,
                "book": self.info,
                "meta": self.meta,
                "part": {"start": start, "first": first},
                "page_links": not self.edition.is_print,
                **context,
            },
        )
        html, styles = split_styles(html)
        return Part(
            name,
            html,
            (self.css_first if first else self.css, *styles),
            self.project.root,
            self.roots,
            self.edition,
            self.options_first if first else self.options,
            pages,
        )

    def cover(self) -> Part:
        return self.part("cover", "cover", 1, pages=1, first=True, sections=self.sections)

    def front(self, start: int) -> Part:
        return self.part("front", "front", start)

    def toc(self, start: int, layout: Layout | None, front: Rendered | None, back: BackMatter | None) -> Part:
        """The contents; without a layout, a sizing render with placeholder numbers of the same width."""
        C = self.labels["catalogue"]
        if layout is None:
            number = lambda _: self.placeholder()
        else:
            number = str
        anchors = back.anchors if back else {}
        front_lines = [
            (self.info["welcome"]["title"] if self.info["welcome"] else None, "welcome"),
            (C["colophon"], "colophon"),
        ]
        toc = {
            "front": [
                {"label": label, "page": number(2 + front.anchors[anchor] if front else 0)}
                for label, anchor in front_lines
                if label
            ]
            + [{"label": C["contents"], "page": number(start)}],
            "sections": [
                {
                    "label": s.title,
                    "colour": s.colour,
                    "page": number(s.page),
                    "films": [{"title": f.title, "note": f.note, "page": number(f.page)} for f in s.films],
                }
                for s in self.sections
            ],
            "back": [
                {"label": label, "page": number(anchors[anchor] + layout.back_start if back and layout else 0)}
                for label, anchor in self.back_lines()
            ],
        }
        # Placed (see placed): in print the sizing render is the contents themselves (no number in the part).
        name = "toc" if layout or self.edition.is_print else "toc-sizing"
        return self.placed(self.part(name, "toc", NEUTRAL_START, toc=toc))

    def back_lines(self) -> list[tuple[str, str]]:
        C = self.labels["catalogue"]
        lines = [
            (C["index_titles"], "index-titles"),
            (C["index_directors"], "index-directors"),
            (C["index_countries"], "index-countries"),
            (C["schedule"], "schedule"),
        ]
        if self.festival.festival.sponsors:
            lines.append((C["sponsors"], "sponsors"))
        return lines

    def placeholder(self) -> str:
        """A page number for sizing renders, at least as wide as any real one (every digit is as wide in
        tabular figures; the book has fewer pages than the films, twice the sections and 43 more)."""
        return "8" * len(str(3 + 40 + 2 * len(self.sections) + len(self.festival.slugs())))

    def section_intro(self, section: book.SectionView, sizing: bool = False) -> Part:
        """A section's intro page(s): every film of the section is listed, on as many pages as it takes.
        Placed by the merge (see placed). With `sizing`, before the film pages are numbered: the render
        tells how many pages the intro runs to (where it starts does not change that). In print it is the
        intro itself (its page numbers are not in the part); on screen, with placeholder numbers."""
        if sizing and not self.edition.is_print:
            section = replace(section, films=[replace(f, page=self.placeholder()) for f in section.films])
            return self.placed(self.part(f"section-{section.id}-sizing", "section", NEUTRAL_START, section=section))
        return self.placed(self.part(f"section-{section.id}", "section", NEUTRAL_START, section=section))

    def placed(self, part: Part) -> Part:
        """`part` (the contents, a section intro, a part of the back matter) as the merge places it, as the
        film pages: rendered at a neutral position, without folio or drawn running head (placed.css.j2),
        so that it is the same part wherever it lands. In print its page numbers are taken out
        (stamps.split_numbers) and written in by the merge: it renders again only when what it lists
        changes."""
        part.css = (*part.css, self.placed_css)
        if self.edition.is_print:
            part.html, part.numbers = stamps.split_numbers(part.html)
        return part

    def films_part(self, chunk: list[FilmPage]) -> Part:
        """A run of film pages of one section (full pages, or pairs of half pages) as one part. Its HTML is
        remembered by the digest of its context (parts.HtmlMemo): an unchanged run is not templated again."""
        films = self.films
        spec, context = self.programme_base
        section = chunk[0].section
        pages, frames, pending, fit, missing = [], [], [], [], 0
        for film_page in chunk:
            frame = page_frame(self.festival.festival.trim, spec, film_page.variant)
            entries = []
            for slug in film_page.slugs:
                preparer = self.product.images(
                    self.edition,
                    f"{slug} catalogue entry",
                    {"still": frame["still_width_in"]},
                    {"still": frame["still_aspect"]},
                )
                images = DeferredImages(preparer)
                maker = ProgrammeContext(
                    films[slug], self.festival, films, self.lang, self.labels, images, name_section=False
                )
                entries.append(
                    bilingual_entry(maker, film_page.variant, self.langs, self.labels_for, self.programme_base[0])
                )
                preparer.raise_errors()
                if entries[-1].left_out:
                    log.warning(
                        "warning: catalogue entry of %s (half page) leaves out %s (the full page prints them)",
                        slug,
                        ", ".join(entries[-1].left_out).lower(),
                    )
                pending += images.pending
                missing += images.missing
            pages.append(entries)
            frames.append(frame)
            what = f"catalogue entry of {' and '.join(film_page.slugs)} ({film_page.variant} page)"
            fit.append(
                (what, "shorten it or give the film a full page" if film_page.variant == "half" else "shorten it")
            )
        name = chunk_name(chunk)
        colours = {**context["colors"], "accent": section.colour}
        digest = cache_key(self.films_common(), name, repr(pages), repr(frames), repr(colours))
        known = self.html_memo.get(digest)
        if known is None:
            css: list[str] = []
            for entries, frame in zip(pages, frames):
                sheet = render_html(
                    self.search_path,
                    "programme/entry.css.j2",
                    {
                        **context,
                        "labels": self.template_labels,
                        "colors": colours,
                        "entry": entries[0],
                        "page": {**context["page"], **frame},
                    },
                )
                if sheet not in css:
                    css.append(sheet)
            part = self.part(name, "catalogue/films.html.j2", NEUTRAL_START, pages=len(chunk), film_pages=pages)
            known = (part.html, part.css[1:], tuple(css))
            self.html_memo.put(digest, *known)
        html, styles, sheets = known
        part = Part(
            name,
            html,
            (self.films_css, *styles, *sheets),
            self.project.root,
            self.roots,
            self.edition,
            self.options,
            len(chunk),
        )
        part.images = pending
        part.new_images = missing
        part.fit = fit
        return part

    def films_common(self) -> str:
        """The key of what every film part's HTML is made from besides its own pages (films_part)."""
        if self._films_common is None:
            self._films_common = cache_key(
                templates_tag(tuple(self.search_path)),
                repr(self.edition),
                repr(self.context),
                repr(self.info),
                repr(self.meta),
                repr(self.template_labels),
                repr(self.programme_base),
            )
        return self._films_common

    def listings(self, back: BackMatter, intros: dict, planned: dict[str, Part]) -> list[tuple[int, Rendered, Part]]:
        """The section intros and the back matter's parts (placed parts that list page numbers), each as
        (its first page, its render, the part as planned: the numbers it lists)."""
        found = [(s.page, resolve(intros[s.id]), planned[s.id]) for s in self.sections]
        return found + list(zip(back.starts, back.parts, back.planned))

    def folios(self, films: list[FilmPage], listings: list) -> tuple[Part | None, dict[int, int]]:
        """The folio part (folios.html.j2: a left-hand and a right-hand page for each running head the placed
        pages carry, in order, from FOLIO_START), None without placed pages; and for each placed page (the
        film pages, the section intros and the back matter's: their parts draw no head), the index of its
        head's left-hand page in that part."""
        pages: dict[int, str] = {page.page: page.section.title for page in films}
        for start, rendered, _ in listings:
            for index in range(rendered.pages):
                pages[start + index] = rendered.heads[index] if index < len(rendered.heads) else ""
        if not pages:
            return None, {}
        heads = sorted(set(pages.values()))
        part = self.part(
            "folios",
            "catalogue/folios.html.j2",
            FOLIO_START,
            pages=2 * len(heads),
            folio_heads=[head for head in heads for _ in ("left", "right")],
        )
        left = {head: 2 * n for n, head in enumerate(heads)}
        return part, {page: left[head] for page, head in pages.items()}

    def placements(self, films: list[FilmPage]) -> list[Placement]:
        """Where each placed page goes (merge.Placement: the film pages, the section intros and the back
        matter's): a left-hand (even) page shifted by the difference of the outer and inner margins, each
        overlaid with its head's page of the folio part, its folio and the page numbers it lists written in
        (stamps.overlay)."""
        shift = (length_mm(self.spec["margins"]["outer"]) - length_mm(self.spec["margins"]["inner"])) * 72 / 25.4
        folio = self.folio_part
        if folio is None:
            return []
        atlas, styles = self.number_atlas
        runs = stamps.read_atlas(atlas.path, atlas.slots[0]) if atlas is not None else []
        fonts = tuple((f"/PnF{n}", atlas.path, run.font) for n, run in enumerate(runs)) if atlas else ()
        dx = lambda n: 0.0 if n % 2 else shift

        def placement(n: int, numbers: bytes = b"") -> Placement:
            # the page's head on its side's page of the folio part, its folio written where that page has one
            index = self.folio_pages[n] + n % 2
            slots = folio.slots[index] if index < len(folio.slots) else []
            figures = stamps.overlay(slots, [str(n)], runs, styles, 0.0) if runs else b""
            return Placement(n - 1, dx(n), folio.path, index, numbers, fonts, figures)

        placed = [placement(p.page) for p in films]
        for start, part, planned in self.listing_pages:
            for index in range(part.pages):
                n = start + index
                slots = part.slots[index] if index < len(part.slots) else []
                numbers = stamps.overlay(slots, planned.numbers, runs, styles, dx(n)) if runs else b""
                placed.append(placement(n, numbers))
        return placed

    def atlas(self, styles: list[str]) -> Part:
        """The figures of the listings' page numbers in each style they print in (stamps.py: the atlas)."""
        return self.part(
            "numbers",
            "catalogue/numbers.html.j2",
            NEUTRAL_START,
            pages=1,
            number_styles=stamps.atlas_sheet(styles),
            atlas_lines=list(range(len(styles))),
            figures=stamps.FIGURES,
        )

    def back_names(self, data: dict) -> list[str]:
        """The back matter's parts, in order: one per index, the schedule's (book.schedule_parts: a big
        festival's day starts a page and a part, so that a late change renders again only the days it
        touches, and the days render in parallel), the sponsors."""
        names = []
        for _, anchor in self.back_lines():
            if anchor == "schedule":
                names += [name for name, _ in book.schedule_parts(data["schedule"])]
            else:
                names.append(anchor)
        return names

    def back_data(self, layout: Layout) -> dict:
        f = self.festival.festival
        films = book.index_films(self.festival, self.project, self.lang, layout.pages)
        return dict(
            sections=self.sections,
            indexes=book.indexes(films, self.template_labels, self.lang),
            schedule=book.schedule(
                self.festival,
                self.project,
                self.lang,
                self.labels,
                layout.pages,
                self.spec.get("schedule_venues_per_table", 4),
                self.spec.get("schedule_day_page_from", 12),
            ),
            venues=book.venues(f),
            sponsors=book.sponsors(f, self.lang),
            page_digits=len(self.placeholder()),  # the figures a page number can have (the schedule's "p. N")
        )

    def back(self, name: str, data: dict) -> Part:
        """One part of the back matter (`name`: index-titles, index-directors, index-countries, schedule or
        sponsors), placed by the merge (see placed)."""
        if name.startswith("schedule"):
            parts = book.schedule_parts(data["schedule"])
            [days] = [days for part_name, days in parts if part_name == name]
            part = self.part(
                f"back-{name}",
                "back",
                NEUTRAL_START,
                back_part="schedule",
                **{**data, "schedule": days},
                schedule_first=name == parts[0][0],
                schedule_last=name == parts[-1][0],
            )
        else:
            part = self.part(f"back-{name}", "back", NEUTRAL_START, back_part=name, **data)
        part.urgent = True  # the plan waits for the back matter (its pages' count and heads)
        return self.placed(part)

    def wait_back(self, layout: Layout, planned: list[Part], futures: list) -> BackMatter:
        """The back-matter parts (`planned`: self.back, submitted all at once, as none depends on where
        another ends), waited for; each starts where the one before it ends."""
        parts = [resolve(future) for future in futures]
        starts = [layout.back_start]
        for part in parts[:-1]:
            starts.append(starts[-1] + part.pages)
        return BackMatter(parts, starts[: len(parts)], planned)

    # --- the whole ---------------------------------------------------------------------------

    def render(self, renderer: Renderer) -> tuple[list[Rendered], Layout]:
        films = film_pages(self.festival, self.sections)
        front_part, sizing_part = self.front(2), self.toc(SIZING_START, None, None, None)
        intro_parts = [self.section_intro(s, sizing=True) for s in self.sections]
        # The sizing renders' page counts as the last build found them: the plan starts from these at once
        # (the sizing renders then wait their turn, not urgent) and checks them once the renders are in.
        last = renderer.cache.page_counts("toc") | renderer.cache.page_counts("section-")
        guessed = all(p.name in last for p in (sizing_part, *intro_parts))
        front_part.urgent = True
        for part in (sizing_part, *intro_parts):
            part.urgent = not guessed  # the plan waits for them
        cover = renderer.submit(self.cover())
        front = renderer.submit(front_part)
        sizing = renderer.submit(sizing_part)
        intro_sizing = [renderer.submit(part) for part in intro_parts]

        # The film pages do not depend on where they land, and serve every round of planning. A first
        # build submits them at once: they keep a worker busy while the plan waits for the sizing renders.
        # A rebuild plans at once: it submits them after the back matter, which it waits for (most of the
        # runs come from the cache, but making their HTML takes the plan time). The few runs it renders are
        # then as urgent as the back matter, and being longer go first: a run left for last keeps one
        # worker busy at the end while the other waits.
        def run_part(chunk) -> Part:
            part = self.films_part(chunk)
            part.urgent = guessed
            return part

        submit_runs = lambda: {
            section.id: [renderer.submit(run_part(c)) for c in chunks(films, section, self.chunk)]
            for section in self.sections
        }
        runs = None if guessed else submit_runs()
        front = resolve(front)
        toc_start = 2 + front.pages
        if guessed:
            toc_pages = last[sizing_part.name]
            intro_pages = {s.id: last[p.name] for s, p in zip(self.sections, intro_parts)}
        else:
            toc_pages, intro_pages = self.sized(sizing, intro_sizing)
        unchecked = guessed
        attempt = 0
        while attempt < 3:
            attempt += 1
            layout = paginate(self.sections, films, toc_start, toc_pages, intro_pages)
            data = self.back_data(layout)
            planned_back = [self.back(name, data) for name in self.back_names(data)]
            back_futures = [renderer.submit(part) for part in planned_back]
            runs = runs or submit_runs()
            body, intros = [], {}
            planned_intros = {s.id: self.section_intro(s) for s in self.sections}  # (their numbers now known)
            for section in self.sections:
                intros[section.id] = renderer.submit(planned_intros[section.id])  # (in print: the sizing render)
                body.append(intros[section.id])
                body += runs[section.id]
            # every part is known now but the folios and the figures of the page numbers (small, after these)
            renderer.progress.settle()
            back = self.wait_back(layout, planned_back, back_futures)
            contents = self.toc(toc_start, layout, front, back)
            contents.urgent = True
            toc = resolve(renderer.submit(contents))  # (in print: its sizing render)
            listings = [(toc_start, toc, contents), *self.listings(back, intros, planned_intros)]
            folio_part, folio_pages = self.folios(films, listings)
            folio = resolve(renderer.submit(folio_part)) if folio_part is not None else None
            listed = [slots for _, part, _ in listings for slots in part.slots]
            styles = stamps.number_styles([*listed, *(folio.slots if folio is not None else [])])
            atlas = renderer.submit(self.atlas(styles)) if styles else None
            rendered = [resolve(b) for b in body]
            measured = {sid: resolve(intro).pages for sid, intro in intros.items()}
            if unchecked:  # the last build's counts, taken for the sizing renders': do they hold?
                unchecked = False
                sized = self.sized(sizing, intro_sizing)
                if sized != (toc_pages, intro_pages):
                    log.info("the sizing renders differ from the last build's: planning from them")
                    (toc_pages, intro_pages), attempt = sized, 0  # (from here on, as a cold build plans)
                    continue
            if toc.pages == toc_pages and measured == intro_pages:
                self.back_anchors = back.anchors
                self.listing_pages = listings
                self.number_atlas = (resolve(atlas) if atlas is not None else None, styles)
                self.folio_part, self.folio_pages = folio, folio_pages
                self.film_pages = films
                return [resolve(cover), front, toc, *rendered, *back.parts], layout
            if toc.pages != toc_pages:
                log.info("the contents run to %d page(s), not %d: planning again", toc.pages, toc_pages)
            for sid in measured:  # (the sizing render should have told: a safeguard, not a path taken)
                if measured[sid] != intro_pages[sid]:
                    log.info(
                        "the intro of section %s runs to %d page(s), not %d: planning again",
                        sid,
                        measured[sid],
                        intro_pages[sid],
                    )
            toc_pages, intro_pages = toc.pages, measured
        raise RenderError(
            f"catalogue contents: the page count does not settle ({toc_pages} pages, section intros {intro_pages})"
        )

    def sized(self, sizing, intro_sizing: list) -> tuple[int, dict[str, int]]:
        """The page counts of the sizing renders (waited for): the contents', and each section intro's."""
        return resolve(sizing).pages, {s.id: resolve(p).pages for s, p in zip(self.sections, intro_sizing)}

    def finish_print(self, pdf) -> None:
        """The press fixes of postprocess.py, once on the merged document (not on every part)."""
        if not self.edition.is_print:
            return
        from ...postprocess import press_fixes

        press_fixes(pdf, self.edition, "catalogue")

    def save_options(self) -> dict:
        """How the merged file is saved: as its standard asks (PDF 1.4 without object streams for X-1a)."""
        from ...postprocess import save_options

        return save_options(self.edition) if self.edition.is_print else {}

    def bookmarks(self, parts: list[Rendered], layout: Layout) -> list[Bookmark]:
        C = self.labels["catalogue"]
        by_name = {p.name: p for p in parts}
        front, back_anchors = by_name["front"], self.back_anchors
        marks = []
        if "welcome" in front.anchors:
            marks.append(Bookmark(self.info["welcome"]["title"], 1 + front.anchors["welcome"]))
        marks.append(Bookmark(C["colophon"], 1 + front.anchors.get("colophon", 0)))
        marks.append(Bookmark(C["contents"], layout.toc_start - 1))
        for section in self.sections:
            marks.append(
                Bookmark(section.title, section.page - 1, [Bookmark(f.title, int(f.page) - 1) for f in section.films])
            )
        at = lambda anchor: layout.back_start - 1 + back_anchors[anchor]
        marks.append(
            Bookmark(
                C["indexes"],
                at("index-titles"),
                [Bookmark(label, at(anchor)) for label, anchor in self.back_lines()[:3]],
            )
        )
        days = [a for a in back_anchors if a.startswith("schedule-")]
        marks.append(
            Bookmark(
                C["schedule"],
                at("schedule"),
                [Bookmark(book.date_label(_date(a), self.lang), at(a)) for a in sorted(days)],
            )
        )
        if "sponsors" in back_anchors:
            marks.append(Bookmark(C["sponsors"], at("sponsors")))
        return marks


class DeferredImages:
    """An image resolver that names the prepared file (images.py's cache) without converting or reading
    it: the worker that renders the part checks each (images.usable) and converts those the cache lacks or
    holds damaged (Part.images); a part that comes from the cache reads none."""

    def __init__(self, preparer):
        self.preparer = preparer
        self.pending: list = []  # images.Conversion, one per image shown
        self.missing = 0  # how many of them the cache lacks

    def __call__(self, path: Path, use: str) -> str:
        job = self.preparer.plan(Path(path), use)
        job.target = job.target.resolve()
        self.pending.append(job)
        self.missing += not job.target.exists()
        return IMAGE_URL + job.target.name


def _date(anchor: str):
    import datetime as dt

    return dt.date.fromisoformat(anchor.removeprefix("schedule-"))


def _half(gap: str) -> str:
    return f"{length_mm(gap) / 2:g}mm"


@dataclass
class CatalogueResult:
    path: Path
    written: bool  # False when the file already held exactly these bytes
    pages: int
    padding: int  # blank pages added to reach a multiple of four
    rendered: list[str]  # names of the parts rendered (the others came from the cache)
    parts: int
    seconds: dict[str, float] = field(default_factory=dict)  # render time of each part rendered


def build_catalogue(
    product, edition: Edition, target: Path, jobs: int | None = None, on_render=None
) -> CatalogueResult:
    """Render (or reuse), merge and write the catalogue of the project's festival in one edition."""
    started = time.perf_counter()
    settings = product.settings
    catalogue = Catalogue(product, edition)
    for folder in (settings.cache_dir / "parts" / edition.name, settings.image_cache):
        cache_folder(folder, settings.cache_dir)  # (a file in the place of one of the cache's folders: removed)
    cache = PartCache(settings.cache_dir / "parts" / edition.name)
    with Renderer(
        cache,
        jobs,
        on_render,
        aliases={"out": settings.out_dir, "project": settings.root},
        image_dir=settings.image_cache,
        memo=product.state.memo,
    ) as renderer:
        parts, layout = catalogue.render(renderer)
    # The worker processes have stopped: merging holds every part in memory (about twice the
    # catalogue's size), and the preflight forks its own processes once that memory is freed.
    rendered = time.perf_counter()
    merging = progress_step("merge", "merging the catalogue").begin()
    merging.add(2)
    meta = Metadata(
        title=catalogue.meta["title"],
        author=catalogue.meta["author"],
        subject=catalogue.meta["description"],
        keywords=catalogue.meta["keywords"],
        lang=catalogue.lang,
        date=catalogue.meta["date"],
    )
    labels = [PageLabel(0, prefix=catalogue.labels["catalogue"]["cover"]), PageLabel(1, start=2)]
    merged_file = temporary_beside(target, ".merged.pdf")
    try:
        padding = merge_parts(
            [p.path for p in parts],
            catalogue.bookmarks(parts, layout),
            labels,
            meta,
            merged_file,
            finish=catalogue.finish_print,
            save_options=catalogue.save_options(),
            blank_label=catalogue.labels["catalogue"]["blank"],
            placements=catalogue.placements(catalogue.film_pages),
        )
        release_free_memory()
        merging.advance()
        if edition.is_print and not same_files(merged_file, target):  # the file there passed when written
            # The checked file is the one installed: the catalogue's bytes are written once.
            state = product.state.cache  # (the page checks made: remembered for the next build)
            pages = state.pages() if state is not None else None
            preflight_print(
                merged_file, target, edition, "catalogue", product.state.ink(), renderer.ink, renderer.jobs, pages
            )
            written = True
        else:
            written = install_if_changed(merged_file, target)
    finally:
        merged_file.unlink(missing_ok=True)
    merging.close()
    total = sum(p.pages for p in parts) + padding
    merged = time.perf_counter()
    every = [*parts, *([catalogue.folio_part] if catalogue.folio_part is not None else [])]
    log.debug(
        "catalogue timings: plan and render %.2f s (%.1f s in workers), merge and preflight %.2f s",
        rendered - started,
        sum(p.seconds for p in every),
        merged - rendered,
    )
    cache.prune(renderer.used)
    log.info("catalogue: %d pages, %d blank page(s) added to reach a multiple of 4", total, padding)
    submitted = len(renderer.used)  # every part, and the sizing render of the contents
    log.info(
        "%s %s (%d part(s) rendered, %d from the cache)",
        "wrote" if written else "unchanged:",
        target,
        len(renderer.rendered),
        submitted - len(renderer.rendered),
    )
    return CatalogueResult(
        target,
        written,
        total,
        padding,
        list(renderer.rendered),
        submitted,
        {p.name: p.seconds for p in every if not p.cached},
    )
