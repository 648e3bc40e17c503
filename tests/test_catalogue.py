"""The festival catalogue, read back from real PDFs: page numbers of the contents and indexes against the
pages where the films really are, the schedule, padding, bookmarks, labels, and the part cache.

One synthetic festival (tools/make_festival.py) is built once per module; each slow test reads it.
"""

from __future__ import annotations

import importlib.util
import json
import logging
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from presskit.build import BuildOptions, build_catalogue
from presskit.load import load_project
from presskit.products import make
from presskit.products.catalogue import CatalogueProduct
from presskit.products.catalogue.merge import padding_needed
from presskit.products.catalogue.plan import FilmPage, chunks, film_pages, paginate

ROOT = Path(__file__).resolve().parent.parent
FILMS = 16


def catalogue_product(project, options: BuildOptions, on_render=None) -> CatalogueProduct:
    return make("catalogue", project, options, on_render=on_render)


def write_catalogues(product: CatalogueProduct) -> list:
    """Every edition of the catalogue, without the "nothing changed" check of `presskit catalogue`."""
    return [product.write_edition(edition) for edition in product.editions()]


def _factory():
    spec = importlib.util.spec_from_file_location("make_festival", ROOT / "tools" / "make_festival.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --- plain functions ---------------------------------------------------------------------------


def test_padding_to_a_multiple_of_four():
    assert [padding_needed(n) for n in (1, 2, 3, 4, 5, 8, 30)] == [3, 2, 1, 0, 3, 0, 2]


def test_half_pages_pair_up_and_pages_are_numbered_in_order(tmp_path):
    root = _factory().write_project(tmp_path / "fest", films=8, sections=2, venues=2, days=2)
    project = load_project(root)
    from presskit.products.catalogue import book

    sections = book.sections(project.festival, project, "en")
    pages = film_pages(project.festival, sections)
    # films 1 and 2 are half pages: they share a page; film 5 (half) is alone at the end of its section
    assert [p.slugs for p in pages] == [
        ["film-000"],
        ["film-001", "film-002"],
        ["film-003"],
        ["film-004"],
        ["film-005"],
        ["film-006"],
        [
            "film-007",
        ],
    ]
    layout = paginate(sections, pages, toc_start=4, toc_pages=2)
    assert [s.page for s in sections] == [6, 10]  # contents 4-5, section A's intro, 3 film pages, section B
    assert layout.pages["film-001"] == layout.pages["film-002"] == 8
    assert layout.back_start == 15
    assert [p for c in chunks(pages, sections[1], 2) for p in c] == pages[3:]  # every page, once, in order
    # an intro measured at 3 pages moves everything after it on by 2
    layout = paginate(sections, pages, toc_start=4, toc_pages=2, intro_pages={sections[0].id: 3})
    assert [s.page for s in sections] == [6, 12] and layout.pages["film-000"] == 9 and layout.back_start == 17


def test_runs_of_film_pages_are_cut_by_their_films_not_their_count():
    """Withdrawing or adding a film changes its own run and at most the one after it: the runs after it
    are the same (their parts come from the cache), where fixed-length runs would all shift."""
    from presskit.products.catalogue import book

    section = book.SectionView("s", 1, "S", [], None, (0, 0, 0, 0))
    pages = [FilmPage(section, [f"film-{i:03d}"], "full") for i in range(120)]
    runs = chunks(pages, section, 12)
    assert [p for run in runs for p in run] == pages
    assert all(6 <= len(run) <= 18 for run in runs[:-1]) and 8 <= len(runs) <= 15, [len(r) for r in runs]
    names = lambda runs: [tuple(s for p in run for s in p.slugs) for run in runs]
    before = names(runs)
    for gone in (0, 30, 61, 119):
        after = names(chunks(pages[:gone] + pages[gone + 1 :], section, 12))
        assert len(set(after) - set(before)) <= 2, (gone, after)
    added = names(chunks(pages[:50] + [FilmPage(section, ["new"], "full")] + pages[50:], section, 12))
    assert len(set(added) - set(before)) <= 2


def test_the_html_memo_gives_back_what_it_was_given_and_nothing_that_was_changed(tmp_path):
    from presskit.products.catalogue.parts import HtmlMemo

    memo = HtmlMemo(tmp_path / "html" / "print", tmp_path)
    assert memo.get("a" * 64) is None
    memo.put("a" * 64, "<p>run</p>", ("p{}",), ("body{}", "h1{}"))
    assert memo.get("a" * 64) == ("<p>run</p>", ("p{}",), ("body{}", "h1{}"))
    record = tmp_path / "html" / "print" / f"{'a' * 64}.json"
    record.write_text(record.read_text().replace("run", "edited"))  # its seal no longer holds
    assert memo.get("a" * 64) is None
    record.unlink()
    record.mkdir()  # a folder in its place: removed, and made again
    assert memo.get("a" * 64) is None and not record.exists()
    memo.put("a" * 64, "<p>run</p>", (), ())
    assert memo.get("a" * 64) == ("<p>run</p>", (), ())


def test_the_html_memo_keeps_the_most_recently_used_records(tmp_path, monkeypatch):
    import os

    from presskit.products.catalogue.parts import HtmlMemo

    monkeypatch.setattr(HtmlMemo, "LIMIT", 3)
    memo = HtmlMemo(tmp_path / "html", tmp_path)
    for i, digest in enumerate("abcd"):
        memo.put(digest, digest, (), ())
        os.utime(tmp_path / "html" / f"{digest}.json", ns=(i * 10**9, i * 10**9))
    memo.get("b")  # used: kept
    memo.put("e", "e", (), ())
    assert sorted(p.stem for p in (tmp_path / "html").iterdir()) == ["b", "d", "e"]


def test_a_run_of_film_pages_is_templated_once_for_the_same_context(tmp_path, monkeypatch):
    """films_part remembers each run's HTML by its context: the same run gives the same part without the
    templates; a changed film templates its run again, and no other."""
    from presskit.products.catalogue import plan

    root = _factory().write_project(tmp_path / "fest", films=6, sections=2, venues=2, days=2)
    options = BuildOptions(out_dir=tmp_path / "out")
    templated: list[str] = []
    real = plan.render_html
    monkeypatch.setattr(
        plan, "render_html", lambda path, name, context: templated.append(name) or real(path, name, context)
    )

    def runs():
        product = catalogue_product(load_project(root), options)
        catalogue = plan.Catalogue(product, product.editions()[0])
        pages = film_pages(catalogue.festival, catalogue.sections)
        return [catalogue.films_part(c) for s in catalogue.sections for c in chunks(pages, s, catalogue.chunk)]

    templated.clear()
    first = runs()
    assert templated.count("catalogue/films.html.j2") == len(first)
    templated.clear()
    again = runs()
    assert "catalogue/films.html.j2" not in templated and "programme/entry.css.j2" not in templated
    assert [(p.name, p.html, p.css, p.fit, p.pages) for p in again] == [
        (p.name, p.html, p.css, p.fit, p.pages) for p in first
    ]
    film = root / "films" / "film-000" / "film.yaml"
    film.write_text(
        film.read_text(encoding="utf-8").replace('title: {en: "', 'title: {en: "Changed ', 1), encoding="utf-8"
    )
    templated.clear()
    changed = runs()
    assert templated.count("catalogue/films.html.j2") == 1
    assert [p.html == q.html for p, q in zip(changed, first)].count(False) == 1


# --- one real build ----------------------------------------------------------------------------


@dataclass
class Built:
    root: Path
    out: Path
    pdf: Path
    result: object
    renders: list[str]
    log: str
    texts: list[str]


def page_texts(path: Path) -> list[str]:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        return [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]
    finally:
        pdf.close()


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Built:
    base = tmp_path_factory.mktemp("catalogue")
    root = _factory().write_project(base / "fest", films=FILMS, sections=3, venues=3, days=3)
    out = base / "out"
    renders: list[str] = []
    records: list[str] = []
    handler = logging.Handler()
    handler.emit = lambda record: records.append(record.getMessage())
    logger = logging.getLogger("presskit")
    logger.addHandler(handler)
    old_level = logger.level
    logger.setLevel(logging.INFO)
    try:
        run = build_catalogue(root, BuildOptions(out_dir=out, jobs=2), on_render=renders.append)
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old_level)
    [result] = run.results
    return Built(root, out, result.path, result, renders, "\n".join(records), page_texts(result.path))


def entry_pages(texts: list[str], title: str) -> list[int]:
    """Folios of the pages where the film's own entry stands: its title, then (after an original title)
    'Directed by'."""
    pattern = re.compile(re.escape(title) + r"\s*\r?\n(?:[^\n]*\r?\n)?Directed by")
    return [i + 1 for i, text in enumerate(texts) if pattern.search(text)]


def numbers_beside(
    path: Path, folio: int, label: str, width_pt: float = 186, at: tuple[float, float] | None = None
) -> list[int]:
    """The page numbers printed on the same line as `label` (each occurrence) on one page: the characters
    drawn within `width_pt` of the label's start on its line, read left to right whatever their order in
    the content stream (a label that wraps is drawn before the number beside its first line). Loose boxes
    (the font's ascent to descent, the glyph's advance): the letters of a word touch. With `at`, only the
    occurrence whose first character's box starts there."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        page = pdf[folio - 1].get_textpage()
        chars = [(page.get_text_range(i, 1), page.get_charbox(i, loose=True)) for i in range(page.count_chars())]
        found = []
        searcher = page.search(label, match_case=True)
        while (hit := searcher.get_next()) is not None:
            start, length = hit
            left, bottom, right, top = page.get_charbox(start, loose=True)
            if at is not None and (abs(left - at[0]) > 0.01 or abs(bottom - at[1]) > 0.01):
                continue  # (only the occurrence that starts at `at`)
            line = sorted(
                (box[0], box[2], ch)
                for i, (ch, box) in enumerate(chars)
                if not start <= i < start + length
                and ch.strip()
                and abs(box[1] - bottom) < 1.5
                and left - 1 <= box[0] <= left + width_pt
            )
            text, last = "", None
            for x0, x1, ch in line:
                text += (" " if last is not None and x0 - last > 0.5 else "") + ch
                last = x1
            found += [int(n) for n in re.findall(r"(?<![\w-])(\d+)(?![\w-])", text)]
        return found
    finally:
        pdf.close()


def pages_titled(texts: list[str], heading: str) -> list[int]:
    return [
        i + 1
        for i, text in enumerate(texts)
        if text.lstrip().startswith(heading) or f"\n{heading}\r\n" in text or f"\n{heading}\n" in text
    ]


def festival_titles(root: Path) -> dict[str, str]:
    import yaml

    titles = {}
    for film in sorted((root / "films").iterdir()):
        data = yaml.safe_load((film / "film.yaml").read_text(encoding="utf-8"))
        titles[film.name] = data["title"]["en"]
    return titles


@pytest.mark.slow
def test_every_film_has_one_entry_page_with_its_folio(built):
    for slug, title in festival_titles(built.root).items():
        [folio] = entry_pages(built.texts, title)
        assert re.search(rf"(^|\n){folio}\s*$", built.texts[folio - 1].strip()) or built.texts[
            folio - 1
        ].strip().endswith(str(folio)), f"{slug}: folio {folio} not printed"


@pytest.mark.slow
def test_contents_page_numbers_match_the_entries(built):
    toc = [i + 1 for i, t in enumerate(built.texts) if "Contents" in t[:200] and "Index of titles".upper() in t]
    assert toc, "no contents page"
    for title in festival_titles(built.root).values():
        [entry] = entry_pages(built.texts, title)
        printed = [n for folio in toc for n in numbers_beside(built.pdf, folio, title, 186)]
        assert printed == [entry], f"contents: {title!r} printed {printed}, entry on page {entry}"


@pytest.mark.slow
def test_contents_numbers_of_sections_indexes_and_schedule(built):
    toc = next(i + 1 for i, t in enumerate(built.texts) if "INDEX OF TITLES" in t)
    for heading in ("Index of titles", "Index of directors", "Index of countries", "Screening schedule"):
        [printed] = numbers_beside(built.pdf, toc, heading.upper(), 395)
        first = next(i + 1 for i, t in enumerate(built.texts) if re.search(rf"(^|\n){heading}\r?\n", t))
        assert printed == first, heading


@pytest.mark.slow
def test_index_page_numbers_match_the_entries(built):
    import yaml

    titles = festival_titles(built.root)
    index_pages = {
        name: [i + 1 for i, t in enumerate(built.texts) if re.search(rf"(^|\n){name}\r?\n", t)]
        for name in ("Index of titles", "Index of directors", "Index of countries")
    }
    assert all(index_pages.values()), index_pages
    originals = {}
    for slug in titles:
        data = yaml.safe_load((built.root / "films" / slug / "film.yaml").read_text(encoding="utf-8"))
        if data.get("original_title"):
            originals[slug] = data["original_title"]
    checked = 0
    for slug, title in titles.items():
        [entry] = entry_pages(built.texts, title)
        for name, pages in index_pages.items():
            printed = [n for folio in pages for n in numbers_beside(built.pdf, folio, title)]
            assert printed and set(printed) == {entry}, f"{name}: {title!r} printed {printed}, entry on {entry}"
            checked += 1
        if slug in originals:  # the original title is an entry of its own, with the same page
            label = originals[slug][:14]
            printed = [n for folio in index_pages["Index of titles"] for n in numbers_beside(built.pdf, folio, label)]
            assert entry in printed, f"original title {originals[slug]!r}: {printed} (entry on {entry})"
    assert originals and checked == 3 * len(titles)


@pytest.mark.slow
def test_index_lines_read_label_then_page(built):
    """The index of directors reads, in the order its text is drawn, letter, name and titles, line after
    line; each title has its film's page beside it. In print the page numbers are written into the page
    by the merge (stamps.py), after the page's own text: they are read by position here."""
    pages = [i for i, t in enumerate(built.texts) if re.search(r"(^|\n)Index of directors\r?\n", t)]
    text = built.texts[pages[0]]
    # (the page's title, and its running head as the part lays it out, hidden: the merge draws the head)
    lines = [line.strip() for line in text.splitlines() if line.strip() and line.strip() != "Index of directors"]
    numbers = [line for line in lines if re.fullmatch(r"\d+", line)]
    labels = [line for line in lines if not re.fullmatch(r"\d+", line)]
    titles = set(festival_titles(built.root).values())
    kinds = "".join("L" if re.fullmatch(r"[A-ZÀ-Ý]", line) else "T" if line in titles else "N" for line in labels)
    # a letter, then its directors' names, each followed by the films that name (then the running head,
    # which the merge lays over the page)
    assert re.fullmatch(r"(L(NT+)+)+N", kinds), kinds
    assert len(numbers) >= kinds.count("T"), (numbers, kinds)  # (and the folio)
    read = 0
    for title in festival_titles(built.root).values():
        [entry] = entry_pages(built.texts, title)
        found = numbers_beside(built.pdf, pages[0] + 1, title) if title in text else []
        if found:
            assert found == [entry] * len(found), title
            read += 1
    assert read >= 10


@pytest.mark.slow
def test_schedule_lists_every_screening_exactly_once(built):
    import yaml

    festival = yaml.safe_load((built.root / "festival.yaml").read_text(encoding="utf-8"))
    codes = [s["code"] for s in festival["screenings"]]
    start = next(i for i, t in enumerate(built.texts) if re.search(r"(^|\n)Screening schedule\r?\n", t))
    end = next(
        (i for i, t in enumerate(built.texts) if re.search(r"(^|\n)Sponsors and partners\r?\n", t)), len(built.texts)
    )
    schedule = "\n".join(built.texts[start:end])
    assert codes and len(set(codes)) == len(codes)
    for code in codes:
        assert len(re.findall(rf"\b{code}\b", schedule)) == 1, code


@pytest.mark.slow
def test_each_screening_names_its_film_s_page(built):
    """Every screening of the schedule ends "p. N", N its film's entry page: in print the merge writes N in
    (stamps.py), in the room the layout left after "p." (read by position: the figures drawn right after
    each "p.")."""
    import yaml

    festival = yaml.safe_load((built.root / "festival.yaml").read_text(encoding="utf-8"))
    titles = festival_titles(built.root)
    entry = {slug: entry_pages(built.texts, title)[0] for slug, title in titles.items()}
    expected = sorted(entry[s["film"]] for s in festival["screenings"])
    start = next(i for i, t in enumerate(built.texts) if re.search(r"(^|\n)Screening schedule\r?\n", t))
    end = next(
        (i for i, t in enumerate(built.texts) if re.search(r"(^|\n)Sponsors and partners\r?\n", t)), len(built.texts)
    )
    printed = sorted(n for folio in range(start + 1, end + 1) for n in numbers_beside(built.pdf, folio, "p.", 16))
    assert printed == expected and len(expected) > 10
    # and each beside its own screening: the first "p." below the screening's code, in its column
    import pypdfium2 as pdfium

    film_of = {s["code"]: s["film"] for s in festival["screenings"]}
    pdf = pdfium.PdfDocument(str(built.pdf))
    checked = 0
    try:
        for index in range(start, end):
            page = pdf[index].get_textpage()
            text = page.get_text_range()
            marks = []
            searcher = page.search("p.", match_case=True)
            while (hit := searcher.get_next()) is not None:
                left, bottom, _, _ = page.get_charbox(hit[0], loose=True)
                marks.append((left, bottom))
            for code in (c for c in film_of if re.search(rf"\b{c}\b", text)):
                hit = page.search(code, match_case=True).get_next()
                left, bottom, _, _ = page.get_charbox(hit[0], loose=True)
                below = [m for m in marks if -40 <= m[0] - left <= 60 and m[1] < bottom - 1]
                mark = max(below, key=lambda m: m[1])  # the nearest below
                [number] = numbers_beside(built.pdf, index + 1, "p.", 16, at=mark)
                assert number == entry[film_of[code]], code
                checked += 1
    finally:
        pdf.close()
    assert checked == len(film_of)


@pytest.mark.slow
def test_page_count_is_padded_to_a_multiple_of_four_and_reported(built):
    import pikepdf

    with pikepdf.open(built.pdf) as pdf:
        pages = len(pdf.pages)
        assert pages % 4 == 0 and pages == built.result.pages
        blanks = [i for i in range(pages - built.result.padding, pages)]
        assert all(not built.texts[i].strip() for i in blanks)
    assert f"{built.result.padding} blank page(s) added to reach a multiple of 4" in built.log


@pytest.mark.slow
def test_bookmarks_labels_metadata_and_output_intent(built):
    import pikepdf

    titles = festival_titles(built.root)
    with pikepdf.open(built.pdf) as pdf:
        pages = {p.objgen: i + 1 for i, p in enumerate(pdf.pages)}
        with pdf.open_outline() as outline:
            top = [item.title for item in outline.root]
            assert top[:3] == ["Welcome", "Colophon", "Contents"]
            assert {"Section A", "Section B", "Section C", "Indexes", "Screening schedule"} <= set(top)
            sections = [item for item in outline.root if item.title.startswith("Section ")]
            films = {child.title: pages[child.destination[0].objgen] for s in sections for child in s.children}
        assert set(films) == set(titles.values())
        for title, folio in films.items():
            assert entry_pages(built.texts, title) == [folio]
        assert "/PageLabels" in pdf.Root
        nums = list(pdf.Root.PageLabels.Nums)
        assert nums[0] == 0 and str(nums[1].P) == "Cover" and nums[2] == 1 and nums[3].St == 2
        assert str(pdf.docinfo.Title) == "Synthetic Film Festival 2024 – Catalogue"
        assert str(pdf.Root.Lang) == "en"
        assert str(pdf.docinfo.CreationDate).startswith("D:20240905")
        assert len(pdf.Root.OutputIntents) == 1
        xmp = pdf.open_metadata()
        assert xmp.get("{http://www.npes.org/pdfx/ns/id/}GTS_PDFXVersion") == "PDF/X-4"
        assert xmp.get("{http://ns.adobe.com/pdf/1.3/}Producer") == str(pdf.docinfo.Producer)
        assert pdf.pdf_version == "1.6"


@pytest.mark.slow
def test_a_rebuild_renders_nothing_and_leaves_the_pdf_alone(built):
    before = built.pdf.stat().st_mtime_ns
    renders: list[str] = []
    # the full path (no stamp shortcut): every part comes from the cache, the bytes are equal
    product = catalogue_product(load_project(built.root), BuildOptions(out_dir=built.out, jobs=2), renders.append)
    [result] = write_catalogues(product)
    assert renders == [] and result.written is False
    # the stamp shortcut: nothing is even loaded
    run = build_catalogue(built.root, BuildOptions(out_dir=built.out, jobs=2), on_render=renders.append)
    assert renders == [] and run.results[0].written is False
    assert built.pdf.stat().st_mtime_ns == before
    assert [p.name for p in built.out.rglob(".*.pdf")] == []  # no merged or checked temporary file left


@pytest.mark.slow
def test_the_cache_serves_a_build_named_by_relative_paths(built, monkeypatch):
    """The project and out/ named relative to the working directory are the same folders: every part comes
    from the cache (its key once held the image cache's path as typed)."""
    monkeypatch.chdir(built.root.parent)
    renders: list[str] = []
    product = catalogue_product(
        load_project(Path(built.root.name)), BuildOptions(out_dir=Path(built.out.name), jobs=2), renders.append
    )
    [result] = write_catalogues(product)
    assert renders == [] and result.written is False


@pytest.mark.slow
def test_a_changed_synopsis_rerenders_its_part_only_and_matches_a_cold_build(built, tmp_path):
    root = tmp_path / "fest"
    shutil.copytree(built.root, root)
    out = tmp_path / "out"
    shutil.copytree(built.out, out)  # the same cache, in a folder of its own
    film = root / "films" / "film-005" / "film.yaml"
    film.write_text(
        film.read_text(encoding="utf-8").replace("returns to the family house", "comes back to the old family house"),
        encoding="utf-8",
    )
    renders: list[str] = []
    run = build_catalogue(root, BuildOptions(out_dir=out, jobs=2), on_render=renders.append)
    assert len(renders) == 1 and "film-005" in renders[0].split("+"), renders
    assert run.results[0].written
    cold = tmp_path / "cold"
    build_catalogue(root, BuildOptions(out_dir=cold, jobs=2))
    assert (out / "catalogue.pdf").read_bytes() == (cold / "catalogue.pdf").read_bytes()
    assert "comes back to the old family house" in "".join(page_texts(out / "catalogue.pdf"))


@pytest.mark.slow
def test_a_film_page_names_its_section_once_in_its_running_head(built):
    """The running head laid over a film page names the section; the entry's header line does not repeat it."""
    import yaml

    festival = yaml.safe_load((built.root / "festival.yaml").read_text(encoding="utf-8"))
    checked = 0
    for section in festival["sections"]:
        title = section["title"]["en"]
        for item in section["films"]:
            film = yaml.safe_load((built.root / "films" / item["film"] / "film.yaml").read_text(encoding="utf-8"))
            for folio in entry_pages(built.texts, film["title"]["en"]):
                lines = [re.sub(r"\s", "", line).upper() for line in built.texts[folio - 1].splitlines()]
                # the head is letter-spaced capitals ("S E C T I O N A"), drawn over the page after it
                assert sum(line.count(re.sub(r"\s", "", title).upper()) for line in lines) == 1, (folio, lines)
                assert re.sub(r"\s", "", title).upper() in lines, (folio, lines)
                checked += 1
    assert checked >= len(festival["sections"])


@pytest.mark.slow
def test_a_renamed_section_rerenders_only_the_pages_that_show_its_title(built, tmp_path):
    """Section titles are in the cover, the contents, the section's intro and its pages' running heads, and
    in the catalogue's keywords: only the cover (whose metadata the merge keeps) carries the keywords, so
    the film pages (their entries leave the section out: the running head says it), the other sections'
    pages and the back matter come from the cache."""
    root, out = tmp_path / "fest", tmp_path / "out"
    shutil.copytree(built.root, root)
    shutil.copytree(built.out, out)
    festival = root / "festival.yaml"
    festival.write_text(
        festival.read_text(encoding="utf-8").replace("title: {en: Section B}", "title: {en: Second Sight}"),
        encoding="utf-8",
    )
    renders: list[str] = []
    run = build_catalogue(root, BuildOptions(out_dir=out, jobs=2), on_render=renders.append)
    assert run.results[0].written
    import yaml

    section = yaml.safe_load(festival.read_text(encoding="utf-8"))["sections"][1]
    assert section["title"] == {"en": "Second Sight"}
    assert not [name for name in renders if name.startswith("films+")], renders
    assert "folios" in renders, renders  # its pages' running heads
    others = [n for n in renders if not n.startswith("films+") and n != "folios"]
    assert sorted(others) == ["cover", "section-section-1", "toc"], renders  # (in print their sizing renders)
    cold = tmp_path / "cold"
    build_catalogue(root, BuildOptions(out_dir=cold, jobs=2))
    assert (out / "catalogue.pdf").read_bytes() == (cold / "catalogue.pdf").read_bytes()
    assert "Second Sight" in "".join(page_texts(out / "catalogue.pdf"))
    import pikepdf

    with pikepdf.open(out / "catalogue.pdf") as pdf:
        assert "Second Sight" in str(pdf.docinfo.Keywords)
        assert "Second Sight" in str(pdf.open_metadata().get("{http://ns.adobe.com/pdf/1.3/}Keywords"))


@pytest.mark.slow
@pytest.mark.parametrize("damage", ["cut short", "one byte changed"])
def test_a_damaged_cached_part_is_rendered_again_never_merged(built, tmp_path, damage, caplog):
    """A part PDF in the cache that is not the one its worker wrote (cut short by a full disk, changed in
    place) is rendered again: the catalogue comes out as a cold build makes it, with no traceback."""
    root, out = tmp_path / "fest", tmp_path / "out"
    shutil.copytree(built.root, root)
    shutil.copytree(built.out, out)
    parts = sorted((out / ".cache" / "parts" / "print").glob("*.pdf"), key=lambda p: p.stat().st_size)
    victim = parts[-1]  # the largest: a run of film pages
    data = bytearray(victim.read_bytes())
    if damage == "cut short":
        del data[len(data) // 2 :]
    else:
        data[len(data) // 2] ^= 0x20
    victim.write_bytes(bytes(data))
    name = json.loads(victim.with_suffix(".json").read_text(encoding="utf-8"))["name"]
    renders: list[str] = []
    product = catalogue_product(load_project(root), BuildOptions(out_dir=out, jobs=2), renders.append)
    with caplog.at_level(logging.INFO, logger="presskit"):
        [result] = write_catalogues(product)
    assert renders == [name]
    reason = "its size changed" if damage == "cut short" else "its bytes changed"
    assert f"the cached part {name} is damaged ({reason}): rendering it again" in caplog.text
    assert result.written is False and (out / "catalogue.pdf").read_bytes() == built.pdf.read_bytes()
    assert victim.read_bytes() != bytes(data)  # the cache entry is whole again


def test_a_stamp_that_is_not_a_record_means_a_full_build(tmp_path):
    from presskit.cache import VERSION, State

    state_file, target = tmp_path / "state.json", tmp_path / "catalogue.pdf"
    tag = f"presskit cache {VERSION}"
    for text in (
        "[1, 2]",
        '"text"',
        "{not json",
        "",
        json.dumps({"tag": tag, "stamps": [1]}),
        json.dumps({"tag": tag, "stamps": {"tag": "", "data": {"catalogue-print": [1, 2]}}}),
    ):
        state_file.write_text(text, encoding="utf-8")
        assert State(tmp_path).unchanged("catalogue-print", "inputs", target) is None
    state_file.write_bytes(b"\xff\xfe")
    assert State(tmp_path).unchanged("catalogue-print", "inputs", target) is None


# --- a section too big for one intro page ----------------------------------------------------------

BIG_SECTION = 44  # with LONG_INTRO, 32 or more films ran over the one page the layout promised
LONG_INTRO = (
    "This year the main competition gathers films that look at families, borders and the places people "
    "leave behind. Some were made by first-time directors with tiny crews, others by veterans returning "
    "after long silences. What binds them is attention: to faces, to landscapes, to the small gestures "
    "that carry a whole history. We asked each filmmaker to present their work in person, and most of "
    "them will stay for a conversation after the screening. Come early, stay late, and let these stories "
    "keep you company through the festival week and beyond it, long after the lights come up again."
)


def test_a_section_intro_lists_every_film_however_many(tmp_path):
    import html

    from presskit.products.catalogue.plan import Catalogue

    root = _factory().write_project(tmp_path / "fest", films=60, sections=1, venues=2, days=2)
    product = catalogue_product(load_project(root), BuildOptions(out_dir=tmp_path / "out"))
    [edition] = product.editions()
    catalogue = Catalogue(product, edition)
    [section] = catalogue.sections
    assert edition.is_print
    parts = [catalogue.section_intro(section, sizing=sizing) for sizing in (False, True)]
    for part in parts:
        assert part.pages is None  # measured, not promised
        text = html.unescape(part.html)
        assert all(film.title in text for film in section.films) and len(section.films) == 60
        # in print the page numbers are not in the part: the merge writes them in (stamps.py), where an
        # empty slot at the start of each label stands for their column
        assert len(re.findall(r'class="toc-page" data-pn-line data-pn="\d+"></span>', text)) == 60
    assert parts[0].html == parts[1].html and parts[0].name == parts[1].name  # the sizing render is the intro


@pytest.mark.slow
def test_a_big_section_intro_runs_on_and_every_page_number_still_matches(tmp_path):
    """All the films of a big section are listed on its intro, which takes the pages it needs (measured by
    a sizing render); the films, the contents and the intro's own list are numbered accordingly."""
    root = _factory().write_project(tmp_path / "fest", films=BIG_SECTION, sections=1, venues=2, days=2)
    festival = root / "festival.yaml"
    short = 'intro: {en: "A section of generated films, introduced in a few words."}'
    text = festival.read_text(encoding="utf-8")
    assert short in text
    festival.write_text(text.replace(short, f'intro: {{en: "{LONG_INTRO}"}}'), encoding="utf-8")
    out = tmp_path / "out"
    run = build_catalogue(root, BuildOptions(out_dir=out, jobs=2))
    [result] = run.results
    texts = page_texts(result.path)
    titles = festival_titles(root)
    assert len(titles) == BIG_SECTION

    toc = [i + 1 for i, t in enumerate(texts) if "Contents" in t[:600] and "COLOPHON" in t]
    [intro_start] = numbers_beside(result.path, toc[0], "SECTION A", 395)
    first_film = min(entry_pages(texts, title)[0] for title in titles.values())
    intro = list(range(intro_start, first_film))
    assert LONG_INTRO[:40] in texts[intro_start - 1].replace("\r\n", " ")
    assert "Sponsor 0" in texts[intro[-1] - 1]
    assert len(intro) >= 2, f"the intro fits one page ({intro}): the test no longer covers a long one"
    for title in titles.values():
        [entry] = entry_pages(texts, title)
        in_contents = [n for folio in toc for n in numbers_beside(result.path, folio, title)]
        assert in_contents == [entry], f"contents: {title!r} printed {in_contents}, entry on page {entry}"
        on_intro = [n for folio in intro for n in numbers_beside(result.path, folio, title)]
        assert on_intro == [entry], f"section intro: {title!r} printed {on_intro}, entry on page {entry}"

    # an unchanged rebuild renders nothing (the sizing render of the intro comes from the cache too)
    before = result.path.read_bytes()
    renders: list[str] = []
    product = catalogue_product(load_project(root), BuildOptions(out_dir=out, jobs=2), renders.append)
    [again] = write_catalogues(product)
    assert renders == [] and again.written is False and result.path.read_bytes() == before


def test_workers_collect_and_freeze_between_parts_and_this_process_only_collects(monkeypatch):
    """Every COLLECT_EVERY parts the garbage cycles are collected; a pool worker also freezes what survives
    (later collections skip it), the command line's own process does not (frozen objects would outlive
    the modules at its exit, where WeasyPrint's font finalizer fails)."""
    import gc

    from presskit import pool
    from presskit.products.catalogue import parts

    collected = []
    monkeypatch.setattr(gc, "collect", lambda *a: collected.append(1) or 0)
    frozen = []
    monkeypatch.setattr(gc, "freeze", lambda: frozen.append(1))
    monkeypatch.setattr(parts, "_worker", {})
    for _ in range(2 * parts.COLLECT_EVERY):
        parts._tidy_between_parts()
    assert len(collected) == 2 and not frozen
    monkeypatch.setattr(pool, "_IN_WORKER", True)
    for _ in range(parts.COLLECT_EVERY):
        parts._tidy_between_parts()
    assert len(collected) == 3 and len(frozen) == 1


@pytest.mark.slow
def test_workers_forked_after_a_render_in_this_process_leave_its_fonts_alone(tmp_path):
    """A build in this process (--jobs 1, or the library) loads the bundled fonts into a temporary folder;
    worker processes forked later inherit that font configuration and replace it with their own: the
    folder stays this process's (WeasyPrint deletes a configuration's folder when it is dropped)."""
    import presskit.products.catalogue.parts as parts

    data = ROOT / "data"
    build_catalogue(data, BuildOptions(out_dir=tmp_path / "one", jobs=1))
    folder = parts._worker["fonts"]._folder
    assert folder and Path(folder).is_dir()
    build_catalogue(data, BuildOptions(out_dir=tmp_path / "two", jobs=2))
    assert Path(folder).is_dir() and any(Path(folder).iterdir())
    build_catalogue(data, BuildOptions(out_dir=tmp_path / "three", jobs=1))
    assert (tmp_path / "three" / "catalogue.pdf").read_bytes() == (tmp_path / "one" / "catalogue.pdf").read_bytes()


@pytest.mark.slow
def test_worker_processes_leave_no_font_folder_behind(tmp_path):
    """Each worker's fonts are copied into a temporary folder (4 MB): the workers end with os._exit, and
    left two folders in /tmp for every catalogue build before they deleted their own on the way out."""
    import tempfile

    from presskit import pdf

    def font_folders() -> set[Path]:
        return set(Path(tempfile.gettempdir()).glob("weasyprint-*"))

    def ours() -> set[Path]:  # the folders of this process's own live configurations
        return {Path(c._folder) for pid, ref in pdf._CONFIGS if (c := ref()) is not None and c._folder}

    before = font_folders()
    run = build_catalogue(ROOT / "data", BuildOptions(out_dir=tmp_path / "out", jobs=2))
    assert run.results[0].written
    assert font_folders() - before <= ours()


@pytest.mark.slow
def test_a_section_left_without_films_is_a_warning(tmp_path, caplog):
    """A section emptied the night before still prints its intro page, listing no film: said, not failed."""
    import re

    root = tmp_path / "data"
    shutil.copytree(ROOT / "data", root)
    festival = root / "festival.yaml"
    text = festival.read_text(encoding="utf-8")
    films = ("casques-bleues", "folktales", "its-never-over-jeff-buckley")
    names = "|".join(films)
    listing = rf"      - \{{film: ({names}), page: half(, texts: film)?\}}\n"
    text = re.sub(rf"    films:\n({listing})+", "    films: []\n", text)
    text = re.sub(rf"  - \{{film: ({names}),[^}}]*\}}\n", "", text)
    assert "films: []" in text and "folktales" not in text
    festival.write_text(text, encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="presskit"):
        run = build_catalogue(root, BuildOptions(out_dir=tmp_path / "out", jobs=1))
    assert run.results[0].written
    assert (
        "warning: catalogue: section 'true-stories' (True Stories) has no films: its intro page is printed "
        "with none listed"
    ) in caplog.text


@pytest.mark.slow
def test_screen_edition_links_contents_intros_and_indexes_to_their_pages(built, tmp_path):
    """On screen every page number of the contents, the section intros, the indexes and the schedule (and
    every title beside one) takes the reader to that page, across parts; print carries no link (PDF/X)."""
    import pikepdf
    import pypdfium2 as pdfium

    run = build_catalogue(built.root, BuildOptions(out_dir=tmp_path, edition="screen", jobs=2))
    path = run.results[0].path
    texts = page_texts(path)
    links = []  # (page of the link, text under it, page it goes to)
    with pikepdf.open(path) as pdf:
        index = {page.obj.objgen: i + 1 for i, page in enumerate(pdf.pages)}
        doc = pdfium.PdfDocument(str(path))
        for number, page in enumerate(pdf.pages, 1):
            textpage = doc[number - 1].get_textpage()
            for annot in page.obj.get("/Annots", []):
                assert "/A" not in annot, "a link left pointing at an address"
                x0, y0, x1, y1 = (float(v) for v in annot.Rect)
                text = textpage.get_text_bounded(x0, y0, x1, y1).strip()
                links.append((number, text, index[annot.Dest[0].objgen]))
        doc.close()
    numbers = [(text, target) for _, text, target in links if text.isdigit()]
    assert len(numbers) > 3 * FILMS and all(int(text) == target for text, target in numbers), numbers
    titles = {text: target for _, text, target in links if not text.isdigit()}
    for title in festival_titles(built.root).values():
        [entry] = entry_pages(texts, title)
        assert titles.get(title) == entry, (title, titles.get(title), entry)
    for heading in ("Index of titles", "Screening schedule"):
        first = next(i + 1 for i, t in enumerate(texts) if re.search(rf"(^|\n){heading}\r?\n", t))
        assert titles.get(heading.upper()) == first, (heading, titles.get(heading.upper()), first)
    with pikepdf.open(built.pdf) as pdf:
        assert sum(len(page.obj.get("/Annots", [])) for page in pdf.pages) == 0


# --- position-independent film pages ----------------------------------------------------------

MM = 72 / 25.4


def page_chars(path: Path, folio: int) -> list[tuple[str, tuple[float, float, float, float]]]:
    """The characters of one page with their boxes (left, bottom, right, top, in points)."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        page = pdf[folio - 1].get_textpage()
        return [(page.get_text_range(i, 1), page.get_charbox(i)) for i in range(page.count_chars())]
    finally:
        pdf.close()


def trim_boxes(path: Path) -> list[list[float]]:
    import pikepdf

    with pikepdf.open(path) as pdf:
        return [[float(v) for v in page.obj.TrimBox] for page in pdf.pages]


@pytest.mark.slow
def test_film_pages_have_their_folio_outside_their_section_as_head_and_the_side_s_margins(built):
    """Film pages are rendered without folio, head or side (plan.py) and placed at the merge: an odd page's
    folio stands at its outer right, an even page's at its outer left; the running head names the page's
    section; the entry's left edge is at the inner margin (18 mm) on a right-hand page, at the outer
    (14 mm) on a left-hand one."""
    import yaml

    festival = yaml.safe_load((built.root / "festival.yaml").read_text(encoding="utf-8"))
    titles, trims = festival_titles(built.root), trim_boxes(built.pdf)
    sides = set()
    for section in festival["sections"]:
        for item in section["films"]:
            [folio] = entry_pages(built.texts, titles[item["film"]])
            x0, y0, x1, y1 = trims[folio - 1]
            chars = [(ch, box) for ch, box in page_chars(built.pdf, folio) if ch.strip()]
            foot = [box for ch, box in chars if box[3] < y0 + 18 * MM]
            assert "".join(ch for ch, box in chars if box[3] < y0 + 18 * MM) == str(folio)
            if folio % 2:
                assert min(b[0] for b in foot) > (x0 + x1) / 2 and abs(max(b[2] for b in foot) - (x1 - 14 * MM)) < 1
            else:
                assert max(b[2] for b in foot) < (x0 + x1) / 2 and abs(min(b[0] for b in foot) - (x0 + 14 * MM)) < 1
            head = "".join(ch for ch, box in chars if box[1] > y1 - 17 * MM)
            assert head == section["title"]["en"].upper().replace(" ", ""), (folio, head)
            body = [box[0] for ch, box in chars if y0 + 18 * MM < box[1] < y1 - 17 * MM]
            margin = 18 if folio % 2 else 14
            assert abs(min(body) - (x0 + margin * MM)) < 1.5, (folio, (min(body) - x0) / MM)
            sides.add(folio % 2)
    assert sides == {0, 1}  # both sides seen


def _edit_festival(root: Path, change) -> None:
    import yaml

    path = root / "festival.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _withdraw(data: dict) -> None:
    gone = data["sections"][0]["films"].pop(1)["film"]
    data["screenings"] = [s for s in data["screenings"] if s["film"] != gone]


def _add(data: dict) -> None:
    data["sections"][0]["films"].insert(1, {"film": "film-new", "page": "full"})


def _move(data: dict) -> None:
    data["sections"][-1]["films"].append(data["sections"][0]["films"].pop(1))


@pytest.mark.slow
@pytest.mark.parametrize("change", ["withdraw", "add", "move"])
def test_a_withdrawn_added_or_moved_film_rerenders_its_run_and_the_numbered_pages_only(built, tmp_path, change):
    """Every film page after the change moves on (or back) a page and may change side: none of their parts
    is rendered again, only the run of film pages the film leaves or joins, the contents, the section intros
    and the back matter (they list page numbers), and not the folios (the merge writes each page's in, over
    its head: no head changes); the result is a cold build's, byte for byte."""
    import yaml

    root, out = tmp_path / "fest", tmp_path / "out"
    shutil.copytree(built.root, root)
    shutil.copytree(built.out, out)
    sections = yaml.safe_load((root / "festival.yaml").read_text(encoding="utf-8"))["sections"]
    moved = sections[0]["films"][1]["film"]
    if change == "add":
        shutil.copytree(root / "films" / moved, root / "films" / "film-new")
        film = root / "films" / "film-new" / "film.yaml"
        data = yaml.safe_load(film.read_text(encoding="utf-8"))
        data["title"]["en"] = "A Late Addition"
        film.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    _edit_festival(root, {"withdraw": _withdraw, "add": _add, "move": _move}[change])
    renders: list[str] = []
    run = build_catalogue(root, BuildOptions(out_dir=out, jobs=2), on_render=renders.append)
    assert run.results[0].written
    changed = {0, len(sections) - 1} if change == "move" else {0}
    allowed = {f["film"] for i in changed for f in sections[i]["films"]} | {"film-new"}
    films_rendered = [name.split("+")[1:] for name in renders if name.startswith("films+")]
    assert films_rendered and all(set(slugs) <= allowed for slugs in films_rendered), renders
    assert len(films_rendered) <= len(changed) + 1, renders
    others = {n for n in renders if not n.startswith("films+")}
    # In print no part holds a page number (stamps.py): only what lists the film renders again. The other
    # sections' intros do not; a moved film's index lines do not change, only its screenings' colour.
    numbered = {"toc", "numbers"} | {f"section-{sections[i]['id']}" for i in changed}
    numbered |= {n for n in others if n.startswith("back-schedule")}
    if change != "move":
        numbered |= {n for n in others if n.startswith("back-index-")}
    assert others <= numbered, sorted(others - numbered)
    assert "toc" in others, sorted(others)
    cold = tmp_path / "cold"
    build_catalogue(root, BuildOptions(out_dir=cold, jobs=2))
    assert (out / "catalogue.pdf").read_bytes() == (cold / "catalogue.pdf").read_bytes()
    texts = page_texts(out / "catalogue.pdf")
    if change == "add":
        [folio] = entry_pages(texts, "A Late Addition")
        assert texts[folio - 1].strip().endswith(str(folio))


@pytest.mark.slow
def test_a_sizing_render_that_no_longer_holds_plans_the_catalogue_again(built, tmp_path, caplog):
    """A rebuild plans from the page counts of the last build's sizing renders (so that they do not hold the
    back matter up) and checks them once they are in: a section intro grown by pages is planned again from
    its sizing render, and the result is a cold build's, byte for byte."""
    root, out = tmp_path / "fest", tmp_path / "out"
    shutil.copytree(built.root, root)
    shutil.copytree(built.out, out)
    _edit_festival(root, lambda data: data["sections"][0].update(intro={"en": "\n\n".join([LONG_INTRO] * 6)}))
    with caplog.at_level(logging.INFO, logger="presskit"):
        build_catalogue(root, BuildOptions(out_dir=out, jobs=2))
    assert "the sizing renders differ from the last build's" in caplog.text
    cold = tmp_path / "cold"
    build_catalogue(root, BuildOptions(out_dir=cold, jobs=2))
    assert (out / "catalogue.pdf").read_bytes() == (cold / "catalogue.pdf").read_bytes()


@pytest.mark.slow
def test_a_screening_moved_in_time_rerenders_the_schedule_and_its_film_s_run_only(built, tmp_path):
    """No page number moves: the schedule and the film's own entry (it lists its screenings) change, nothing
    else, the folios included."""
    root, out = tmp_path / "fest", tmp_path / "out"
    shutil.copytree(built.root, root)
    shutil.copytree(built.out, out)
    moved = {}

    def later(data: dict) -> None:
        screening = data["screenings"][0]
        hour, minute = screening["time"].split(":")
        screening["time"] = f"{hour}:{(int(minute) + 5) % 60:02d}"
        moved.update(screening)

    _edit_festival(root, later)
    renders: list[str] = []
    build_catalogue(root, BuildOptions(out_dir=out, jobs=2), on_render=renders.append)
    [run] = [name for name in renders if name.startswith("films+")]
    assert moved["film"] in run.split("+") and sorted(renders) == ["back-schedule", run], renders
    cold = tmp_path / "cold"
    build_catalogue(root, BuildOptions(out_dir=cold, jobs=2))
    assert (out / "catalogue.pdf").read_bytes() == (cold / "catalogue.pdf").read_bytes()
    from presskit.localeformat import clock

    assert clock(moved["time"], "en") in "".join(page_texts(out / "catalogue.pdf"))  # '4:20 PM': en's clock
