"""Plan, render and merge the festival catalogue. Page numbers are computed here, never by WeasyPrint
across parts (target-counter cannot see other documents):

1. The cover, the welcome/colophon pages and a sizing render of the contents (page numbers replaced by
   placeholders of the same width) go first: after them every film page's number is known, since each
   section intro and each film page is exactly one page (the fit check makes sure of it).
2. The back matter (indexes, schedule, sponsors: one part, its numbers from the plan), the section intros
   and the film pages (in runs of FILM_PAGES_PER_PART per part) are rendered in parallel, each part with
   its starting folio (`@page :first { counter-reset: page N }`), its side (left/right) and running head.
3. The contents are rendered with the real numbers, the back matter's from its anchors. If they run to a
   different page count than the sizing render, everything is planned once more (parts that did not
   change come from the cache).
4. The parts are merged (merge.py) with the outline, page labels, metadata and blank pages to a multiple
   of four, post-processed for the press once, preflighted, and catalogue.pdf is rewritten only when its
   bytes change.
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..build import Builder, load_labels, palette_css
from ..edition import Edition
from ..errors import RenderError
from ..festival import FestivalSource
from ..model import page_size_mm
from ..render import render_html
from . import book
from .merge import Bookmark, Metadata, PageLabel, merge_parts, same_bytes, write_if_changed
from .parts import IMAGE_URL, Part, PartCache, PendingImage, Rendered, Renderer, resolve, split_styles

log = logging.getLogger("presskit")

FILM_PAGES_PER_PART = 8  # film pages rendered together as one part
SIZING_START = 3  # the sizing render of the contents: its start page does not change its length


@dataclass
class FilmPage:
    """One page of film entries: a full-page entry, or up to two half-page entries."""

    section: book.SectionView
    slugs: list[str]
    variant: str  # "full" | "half"
    page: int = 0


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
            if (item.page == "half" and last is not None and last.section is section
                    and last.variant == "half" and len(last.slugs) == 1):
                last.slugs.append(item.film)
            else:
                pages.append(FilmPage(section, [item.film], item.page))
    return pages


def chunks(films: list[FilmPage], section: book.SectionView, size: int) -> list[list[FilmPage]]:
    """The section's film pages in runs of `size`: one part each (fewer, larger documents render faster;
    a changed film re-renders its run only)."""
    pages = [p for p in films if p.section is section]
    return [pages[i:i + size] for i in range(0, len(pages), size)]


def chunk_name(chunk: list[FilmPage]) -> str:
    return "films-" + "+".join(slug for page in chunk for slug in page.slugs)


def paginate(sections: list[book.SectionView], films: list[FilmPage], toc_start: int, toc_pages: int) -> Layout:
    layout = Layout(toc_start, toc_pages, 0)
    page = toc_start + toc_pages
    for section in sections:
        section.page = page
        page += 1
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

    def __init__(self, builder: Builder, edition: Edition):
        self.builder = builder
        self.chunk = FILM_PAGES_PER_PART
        self.edition = edition
        self.project = builder.project
        self.festival: FestivalSource = builder.project.festival
        f = self.festival.festival
        self.lang = builder.options.lang or f.language
        self.labels = builder.labels if self.lang == builder.lang else load_labels(builder.search_path, self.lang)
        self.spec, self.context = builder.base_context("catalogue", edition)
        width, height = page_size_mm(f.trim)
        m = self.spec["margins"]
        self.programme_base = builder.base_context("programme", edition)  # (its manifest, its base context)
        half_gap = self.programme_base[0].get("half_gap", "8mm")
        self.context.update(
            labels=self.labels,
            page={"width": f"{width:g}mm", "height": f"{height:g}mm", "margin_top": m["top"],
                  "margin_bottom": m["bottom"], "margin_inner": m["inner"], "margin_outer": m["outer"],
                  "bleed": edition.bleed, "half_gap": half_gap, "half_rule": _half(half_gap)},
        )
        # Only the first part (the cover) names the output profile: the merged file takes its OutputIntent
        # from there, and the other parts write plain DeviceCMYK instead of embedding the profile again.
        self.css_first = render_html(builder.search_path, self.spec["stylesheet"], self.context)
        self.css = render_html(builder.search_path, self.spec["stylesheet"], {**self.context, "color_profile": None})
        self.films_css = render_html(builder.search_path, self.spec["films_stylesheet"],
                                     {**self.context, "color_profile": None})
        job = builder.render_job("", "catalogue", edition, self.project.root)
        self.roots = job.roots
        # Parts are merged page by page, which a structure tree would not survive: parts are untagged.
        self.options_first = {"pdf_variant": job.pdf_variant,
                              **{k: v for k, v in job.options.items() if k != "pdf_tags"}}
        # The others are plain PDFs: the PDF/X identification (XMP, Info keys, version) comes from the
        # first part too, and writing it costs WeasyPrint a seventh of a part's time.
        self.options = {k: v for k, v in self.options_first.items() if k not in ("output_intent", "pdf_variant")}
        self.info = book.book_info(f, self.lang, self.labels)
        self.sections = book.sections(self.festival, self.project, self.lang)
        for section in self.sections:
            section.colour = palette_css({"c": section.cmyk}, edition.name)["c"]
        self.meta = {"title": f"{self.info['name']} {f.year} – {self.labels['catalogue']['product']}",
                     "author": f.colophon.publisher or self.info["name"], "description": self.info["dates"],
                     "keywords": ", ".join(s.title for s in self.sections), "date": f.dates.start.isoformat()}

    # --- parts ---------------------------------------------------------------------------------

    def part(self, name: str, template: str, start: int, pages: int | None = None, first: bool = False,
             **context) -> Part:
        html = render_html(self.builder.search_path, self.spec["templates"][template] if template in
                           self.spec["templates"] else template,
                           {**self.context, "book": self.info, "meta": self.meta, "part": {"start": start},
                            **context})
        html, styles = split_styles(html)
        return Part(name, html, (self.css_first if first else self.css, *styles), self.project.root, self.roots,
                    self.edition, self.options_first if first else self.options, pages)

    def cover(self) -> Part:
        return self.part("cover", "cover", 1, pages=1, first=True, sections=self.sections)

    def front(self, start: int) -> Part:
        return self.part("front", "front", start)

    def toc(self, start: int, layout: Layout | None, front: Rendered | None, back: Rendered | None) -> Part:
        """The contents; without a layout, a sizing render with placeholder numbers of the same width."""
        C = self.labels["catalogue"]
        if layout is None:
            digits = len(str(3 + 40 + 2 * len(self.sections) + len(self.festival.slugs())))
            number = lambda _: "8" * digits  # noqa: E731  (every digit is as wide in tabular figures)
        else:
            number = str
        front_lines = [(self.info["welcome"]["title"] if self.info["welcome"] else None, "welcome"),
                       (C["colophon"], "colophon")]
        toc = {
            "front": [{"label": label, "page": number(2 + front.anchors[anchor] if front else 0)}
                      for label, anchor in front_lines if label]
            + [{"label": C["contents"], "page": number(start)}],
            "sections": [{"label": s.title, "colour": s.colour, "page": number(s.page),
                          "films": [{"title": f.title, "note": f.note, "page": number(f.page)} for f in s.films]}
                         for s in self.sections],
            "back": [{"label": label, "page": number(back.anchors[anchor] + layout.back_start if back else 0)}
                     for label, anchor in self.back_lines()],
        }
        return self.part("toc" if layout else "toc-sizing", "toc", start, toc=toc)

    def back_lines(self) -> list[tuple[str, str]]:
        C = self.labels["catalogue"]
        lines = [(C["index_titles"], "index-titles"), (C["index_directors"], "index-directors"),
                 (C["index_countries"], "index-countries"), (C["schedule"], "schedule")]
        if self.festival.festival.sponsors:
            lines.append((C["sponsors"], "sponsors"))
        return lines

    def section_intro(self, section: book.SectionView) -> Part:
        return self.part(f"section-{section.id}", "section", section.page, pages=1, section=section,
                         list_max=self.spec.get("section_list_max", 44))

    def films_part(self, chunk: list[FilmPage]) -> Part:
        """A run of film pages of one section (full pages, or pairs of half pages) as one part."""
        from ..programme import ProgrammeContext, page_frame

        films = {f.slug: f for f in self.project.films}
        spec, context = self.programme_base
        section = chunk[0].section
        pages, pending, fit, css = [], [], [], []
        for film_page in chunk:
            frame = page_frame(self.festival.festival.trim, spec, film_page.variant)
            entries = []
            for slug in film_page.slugs:
                preparer = self.builder.image_resolver(self.edition, f"{slug} catalogue entry")
                preparer.placed_in["still"] = frame["still_width_in"]
                images = DeferredImages(preparer)
                entries.append(ProgrammeContext(films[slug], self.festival, films, self.lang, self.labels,
                                                images).entry(film_page.variant))
                preparer.raise_errors()
                pending += images.pending
            pages.append(entries)
            colours = {**context["colors"], "accent": section.colour}
            sheet = render_html(self.builder.search_path, "programme/entry.css.j2",
                                {**context, "labels": self.labels, "colors": colours, "entry": entries[0],
                                 "page": {**context["page"], **frame}})
            if sheet not in css:
                css.append(sheet)
            what = f"catalogue entry of {' and '.join(film_page.slugs)} ({film_page.variant} page)"
            fit.append((what, "shorten it or give the film a full page" if film_page.variant == "half"
                        else "shorten it"))
        part = self.part(chunk_name(chunk), "catalogue/films.html.j2", chunk[0].page, pages=len(chunk),
                         film_pages=pages, running_head=section.title)
        part.css = (self.films_css, *part.css[1:], *css)
        part.images = pending
        part.fit = fit
        return part

    def back(self, layout: Layout) -> Part:
        f = self.festival.festival
        films = book.index_films(self.festival, self.project, self.lang, layout.pages)
        return self.part("back", "back", layout.back_start, sections=self.sections,
                         indexes=book.indexes(films, self.labels),
                         schedule=book.schedule(self.festival, self.project, self.lang, self.labels, layout.pages,
                                                self.spec.get("schedule_venues_per_table", 4)),
                         venues=book.venues(f), sponsors=book.sponsors(f, self.lang))

    # --- the whole ---------------------------------------------------------------------------

    def render(self, renderer: Renderer) -> tuple[list[Rendered], Layout]:
        films = film_pages(self.festival, self.sections)
        cover = renderer.submit(self.cover())
        front = renderer.submit(self.front(2))
        sizing = renderer.submit(self.toc(SIZING_START, None, None, None))
        front = resolve(front)
        toc_start = 2 + front.pages
        toc_pages = resolve(sizing).pages
        for _ in range(2):
            layout = paginate(self.sections, films, toc_start, toc_pages)
            back = renderer.submit(self.back(layout))
            body = []
            for section in self.sections:
                body.append(renderer.submit(self.section_intro(section)))
                body += [renderer.submit(self.films_part(c)) for c in chunks(films, section, self.chunk)]
            back = resolve(back)
            toc = resolve(renderer.submit(self.toc(toc_start, layout, front, back)))
            body = [resolve(b) for b in body]
            if toc.pages == toc_pages:
                return [resolve(cover), front, toc, *body, back], layout
            log.info("the contents run to %d page(s), not %d: planning again", toc.pages, toc_pages)
            toc_pages = toc.pages
        raise RenderError(f"catalogue contents: the page count does not settle ({toc_pages} pages)")

    def finish_print(self, pdf) -> None:
        """The press fixes of postprocess.py, once on the merged document (not on every part)."""
        if not self.edition.is_print:
            return
        from ..postprocess import add_crop_marks, remove_transparency_groups, require_output_intent

        what = "catalogue"
        require_output_intent(pdf, what)
        remove_transparency_groups(pdf, self.edition, what)
        if self.edition.marks:
            add_crop_marks(pdf, self.edition.bleed_pt)

    def bookmarks(self, parts: list[Rendered], layout: Layout) -> list[Bookmark]:
        C = self.labels["catalogue"]
        by_name = {p.name: p for p in parts}
        front, back = by_name["front"], by_name["back"]
        marks = []
        if "welcome" in front.anchors:
            marks.append(Bookmark(self.info["welcome"]["title"], 1 + front.anchors["welcome"]))
        marks.append(Bookmark(C["colophon"], 1 + front.anchors.get("colophon", 0)))
        marks.append(Bookmark(C["contents"], layout.toc_start - 1))
        for section in self.sections:
            marks.append(Bookmark(section.title, section.page - 1,
                                  [Bookmark(f.title, f.page - 1) for f in section.films]))
        at = lambda anchor: layout.back_start - 1 + back.anchors[anchor]  # noqa: E731
        marks.append(Bookmark(C["indexes"], at("index-titles"), [
            Bookmark(label, at(anchor)) for label, anchor in self.back_lines()[:3]]))
        days = [a for a in back.anchors if a.startswith("schedule-")]
        marks.append(Bookmark(C["schedule"], at("schedule"), [
            Bookmark(book.date_label(_date(a), self.lang), at(a)) for a in sorted(days)]))
        if "sponsors" in back.anchors:
            marks.append(Bookmark(C["sponsors"], at("sponsors")))
        return marks


class DeferredImages:
    """An image resolver that names the prepared file (images.py's cache) without converting it: a
    missing one is left to the worker that renders the part (parts.PendingImage)."""

    def __init__(self, preparer):
        self.preparer = preparer
        self.pending: list[PendingImage] = []

    def __call__(self, path: Path, use: str) -> str:
        import io

        from PIL import Image

        from ..images import cache_key, oriented_size, target_width

        p = self.preparer
        data = Path(path).read_bytes()
        placed = p.placed_width(use)
        with Image.open(io.BytesIO(data)) as im:
            width, _ = oriented_size(im)
        if p.edition.is_print:
            p.check_resolution(Path(path), use, width, placed)
        target = (p.cache_dir / f"{cache_key(data, p.edition, placed)}.jpg").resolve()
        if not target.is_file():
            self.pending.append(PendingImage(Path(path), p.edition, target_width(width, placed, p.edition.ppi),
                                             target))
        return IMAGE_URL + target.name


def _date(anchor: str):
    import datetime as dt

    return dt.date.fromisoformat(anchor.removeprefix("schedule-"))


def _half(gap: str) -> str:
    from ..edition import length_pt

    return f"{length_pt(gap) * 25.4 / 72 / 2:g}mm"


@dataclass
class CatalogueResult:
    path: Path
    written: bool  # False when the file already held exactly these bytes
    pages: int
    padding: int  # blank pages added to reach a multiple of four
    rendered: list[str]  # names of the parts rendered (the others came from the cache)
    parts: int
    seconds: dict[str, float] = field(default_factory=dict)  # render time of each part rendered


def build_catalogue(builder: Builder, edition: Edition, target: Path, jobs: int | None = None,
                    on_render=None) -> CatalogueResult:
    """Render (or reuse), merge and write the catalogue of the builder's festival in one edition."""
    started = time.perf_counter()
    catalogue = Catalogue(builder, edition)
    cache = PartCache(builder.options.out_dir / ".cache" / "parts" / edition.name)
    with Renderer(cache, jobs, on_render, named_by_content=(builder.image_cache,),
                  aliases={"out": builder.options.out_dir, "project": builder.project.root},
                  image_dir=builder.image_cache) as renderer:
        parts, layout = catalogue.render(renderer)
    rendered = time.perf_counter()
    meta = Metadata(title=catalogue.meta["title"], author=catalogue.meta["author"],
                    subject=catalogue.meta["description"], keywords=catalogue.meta["keywords"],
                    lang=catalogue.lang, date=catalogue.meta["date"])
    labels = [PageLabel(0, prefix=catalogue.labels["catalogue"]["cover"]), PageLabel(1, start=2)]
    data, padding = merge_parts([p.path for p in parts], catalogue.bookmarks(parts, layout), labels, meta,
                                finish=catalogue.finish_print)
    total = sum(p.pages for p in parts) + padding
    if edition.is_print and not same_bytes(target, data):  # the file there passed when it was written
        from ..build import preflight_print

        preflight_print(data, target, edition, "catalogue")
    merged = time.perf_counter()
    written = write_if_changed(target, data)
    log.debug("catalogue timings: plan and render %.2f s (%.1f s in workers), merge and preflight %.2f s",
              rendered - started, sum(p.seconds for p in parts), merged - rendered)
    cache.prune(renderer.used)
    log.info("catalogue: %d pages, %d blank page(s) added to reach a multiple of 4", total, padding)
    submitted = len(renderer.used)  # every part, and the sizing render of the contents
    log.info("%s %s (%d part(s) rendered, %d from the cache)", "wrote" if written else "unchanged:", target,
             len(renderer.rendered), submitted - len(renderer.rendered))
    return CatalogueResult(target, written, total, padding, list(renderer.rendered), submitted,
                           {p.name: p.seconds for p in parts if not p.cached})
