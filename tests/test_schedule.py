"""The catalogue's screening schedule, read back from the PDF: a day that runs over a page break starts the
next page under "<day> (continued)", every screening sits under its own day's heading on its page, the
running head names only a day its page holds, and the venue legend reads as a list."""

from __future__ import annotations

import datetime as dt
import importlib.util
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from presskit.build import BuildOptions, build_catalogue
from presskit.products.catalogue.book import date_label
from presskit.products.catalogue.continued import continue_grid

ROOT = Path(__file__).resolve().parent.parent


def _factory():
    spec = importlib.util.spec_from_file_location("make_festival", ROOT / "tools" / "make_festival.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --- the heading put in (no render) --------------------------------------------------------------

GRID = (
    '<table class="grid"><thead><tr class="day-band"><th class="day-title" colspan="2" '
    'data-continued="Monday (continued)">Monday</th></tr><tr><th>A</th></tr></thead><tbody>'
    '<tr data-row="d/1/1"><td>one</td></tr><tr data-row="d/1/2"><td>two</td></tr></tbody></table>'
)


def test_a_grid_run_on_is_closed_and_opened_again_under_the_day_continued():
    html = continue_grid(GRID, "d/1/2")
    assert html.count("<table") == 2 and html.count("</table>") == 2
    first, second = html.split("</table>")[:2]
    assert first.endswith('<tr data-row="d/1/1"><td>one</td></tr></tbody>') and ">Monday</th>" in first
    assert second.startswith('<table class="grid continued"><thead><tr class="day-band">')
    assert '>Monday (continued)</th></tr><tr><th>A</th></tr></thead><tbody><tr data-row="d/1/2">' in second


def test_a_render_again_under_continued_heads_does_not_hold_the_render_before():
    """The first render's pages (the schedule's: 100 MB and more in a 300-film catalogue) are freed before
    the next render lays the part out again, not held through it: they would add to the worker's peak."""
    import gc
    import weakref

    from presskit.products.catalogue.continued import render_continued

    class Box:
        def __init__(self, row):
            self.element, self.cycle = _Row(row), self

        def descendants(self):
            return [self]

    @dataclass
    class Page:
        _page_box: Box

    class Document:
        def __init__(self, html):
            rows = re.findall(r'data-row="([^"]+)"', html)
            self.pages = [Page(Box(rows[0])), Page(Box(rows[-1]))]  # the second page starts with the last row

    before: list = []
    held = []

    def render(html):
        gc.disable()  # (as a worker's raised thresholds would leave the cycles alone)
        try:
            held.append([ref for ref in before if ref() is not None])
            document = Document(html)
            before.append(weakref.ref(document))
            return document
        finally:
            gc.enable()

    document, rows = render_continued(GRID, render)
    assert len(before) == 2 and held == [[], []] and document.pages and rows == ["d/1/2"]


class _Row:
    tag = "tr"

    def __init__(self, row):
        self.row = row

    def get(self, name):
        return self.row if name == "data-row" else None


# --- one real build ------------------------------------------------------------------------------


@dataclass
class Line:
    text: str
    top: float  # PDF points from the page's bottom
    left: float


@dataclass
class Schedule:
    pages: list[list[Line]]  # the schedule's pages, each its lines top to bottom
    screenings: list[dict]
    root: Path  # the project
    out: Path  # its build


def page_lines(page) -> list[Line]:
    textpage = page.get_textpage()
    lines = []
    for i in range(textpage.count_rects()):
        left, bottom, right, top = textpage.get_rect(i)
        text = textpage.get_text_bounded(left, bottom, right, top).strip()
        if text:
            lines.append(Line(text, top, left))
    return sorted(lines, key=lambda line: -line.top)


@pytest.fixture(scope="module")
def schedule(tmp_path_factory) -> Schedule:
    import pypdfium2 as pdfium

    base = tmp_path_factory.mktemp("schedule")
    root = _factory().write_project(base / "fest", films=30, sections=2, venues=5, days=2)
    festival = root / "festival.yaml"  # venues B and C without an address
    text = festival.read_text(encoding="utf-8")
    for address in (", address: '2 Festival Street'", ", address: '3 Festival Street'"):
        assert address in text
        text = text.replace(address, "")
    festival.write_text(text, encoding="utf-8")
    [result] = build_catalogue(root, BuildOptions(out_dir=base / "out", jobs=2)).results
    pdf = pdfium.PdfDocument(str(result.path))
    try:
        pages = [page_lines(pdf[i]) for i in range(len(pdf))]
    finally:
        pdf.close()
    start = next(i for i, lines in enumerate(pages) if any(line.text == "Screening schedule" for line in lines))
    end = next(i for i, lines in enumerate(pages) if any(line.text == "Sponsors and partners" for line in lines))
    festival = yaml.safe_load((root / "festival.yaml").read_text(encoding="utf-8"))
    return Schedule(pages[start:end], festival["screenings"], root, base / "out")


def compact(text: str) -> str:
    return re.sub(r"\s", "", text).upper()


def day_of(text: str, labels: dict[str, str]) -> str | None:
    """The day a heading names ('Thursday 5 September' or 'Thursday 5 September (continued)'), or None."""
    return labels.get(re.sub(r" \(continued\)$", "", text))


@pytest.mark.slow
def test_every_screening_stands_under_its_own_day_on_its_page_and_heads_name_days_held(schedule):
    days = sorted({dt.date.fromisoformat(str(s["date"])) for s in schedule.screenings})
    labels = {date_label(day, "en"): day.isoformat() for day in days}
    assert len(schedule.pages) >= 3, "the schedule fits fewer than 3 pages: the test no longer covers a day run on"
    continued = 0
    seen = []
    for number, lines in enumerate(schedule.pages, start=1):
        head = compact(lines[0].text)  # the running head (letter-spaced capitals), at the top
        head_day = {compact(label): day for label, day in labels.items()}.get(head.removesuffix("(CONTINUED)"))
        assert head_day or head == "SCREENINGSCHEDULE", f"schedule page {number}: running head {lines[0].text!r}"
        headings = [(line.top, day_of(line.text, labels), line.text) for line in lines[1:] if day_of(line.text, labels)]
        held = {day for _, day, _ in headings}
        codes = [code for line in lines for code in re.findall(r"\bS\d{4}\b", line.text)]
        assert headings or not codes, f"schedule page {number} holds screenings and no day heading"
        continued += sum(text.endswith("(continued)") for _, _, text in headings)
        if head_day:
            assert head_day in held, f"schedule page {number}: running head {head}, days {sorted(held)}"
        for line in lines:
            for code in re.findall(r"\bS\d{4}\b", line.text):
                above = [day for top, day, _ in headings if top > line.top]
                assert above, f"{code} on schedule page {number} stands above every day heading"
                [screening] = [s for s in schedule.screenings if s["code"] == code]
                assert above[-1] == str(screening["date"]), f"{code} reads as {above[-1]}, is {screening['date']}"
                seen.append(code)
    assert sorted(seen) == sorted(s["code"] for s in schedule.screenings)
    assert continued >= 1, "no day runs over a page: the test no longer covers it"


@pytest.mark.slow
def test_the_venue_legend_is_one_line_per_venue(schedule):
    """Each venue's name flush left on a line of its own, its address (if any) beside it: not staggered by
    the floats of lines without an address."""
    lines = [line for page in schedule.pages for line in page]
    names = [[line for line in lines if line.text == f"Venue {letter}"][-1] for letter in "ABCDE"]  # (after the grids)
    assert len({round(name.left) for name in names}) == 1, [(n.text, n.left) for n in names]
    assert all(a.top - b.top > 8 for a, b in zip(names, names[1:])), [(n.text, n.top) for n in names]
    for name, number in ((names[0], 1), (names[3], 4), (names[4], 5)):
        [address] = [line for line in lines if line.text == f"{number} Festival Street"]
        assert abs(name.top - address.top) < 1 and address.left > name.left + 100


# --- the hint: the rows the last render started again ---------------------------------------------

_HINT_CSS = (
    "@page { size: 100mm 80mm; margin: 10mm }"
    "body { margin: 0; font: 10pt sans-serif }"
    ".grid { width: 100%; border-collapse: collapse; table-layout: fixed; margin: 2mm 0 }"
    ".grid.continued { break-before: page; margin-top: 0 }"
    ".grid tbody tr { break-inside: avoid }"
    ".grid th.day-title { padding: 1mm; text-align: left }"
    "td { padding: 1mm; border-bottom: 0.5pt solid black }"
)


def _grid_html(rows: int, tall: dict[int, int] | None = None) -> str:
    """One day's grid of `rows` rows (row n `tall[n]` lines high), long enough to run over pages."""
    lines = {n: "<br>".join(f"screening {n}.{k}" for k in range((tall or {}).get(n, 2))) for n in range(1, rows + 1)}
    body = "".join(f'<tr data-row="d/1/{n}"><td>{text}</td></tr>' for n, text in lines.items())
    return (
        f"<html><head><style>{_HINT_CSS}</style></head><body>"
        '<table class="grid"><thead><tr class="day-band"><th class="day-title" data-continued="Monday (continued)">'
        f"Monday</th></tr></thead><tbody>{body}</tbody></table></body></html>"
    )


class _Counted:
    """A render function (html -> WeasyPrint document) that counts its calls and keeps the last HTML."""

    def __init__(self):
        self.calls = 0
        self.html = ""

    def __call__(self, html: str):
        from weasyprint import HTML

        self.calls += 1
        self.html = html
        return HTML(string=html).render()


@pytest.mark.slow
def test_the_rows_started_again_last_time_spare_the_second_render_and_change_nothing():
    from presskit.products.catalogue.continued import render_continued

    html = _grid_html(14)
    cold = _Counted()
    document, rows = render_continued(html, cold)
    assert cold.calls == 2 and len(rows) >= 2 and len(document.pages) == len(rows) + 1
    hinted = _Counted()
    again, again_rows = render_continued(html, hinted, rows)
    assert hinted.calls == 1 and again_rows == rows
    assert hinted.html == cold.html  # the very HTML the procedure without a hint rendered last
    assert again.write_pdf() == document.write_pdf()


@pytest.mark.slow
def test_a_hint_that_no_longer_holds_gives_what_no_hint_gives():
    """The rows moved (a row grew, so an earlier one starts a page), or a hinted row would now fit at the
    foot of the page before: the hint is dropped and the part rendered as without it."""
    from presskit.products.catalogue.continued import render_continued

    _, rows = render_continued(_grid_html(14), _Counted())
    for html, hint in (
        (_grid_html(14, {2: 5}), rows),  # row 2 is taller now: the pages break elsewhere
        (_grid_html(14), [f"d/1/{int(rows[0].rsplit('/', 1)[1]) + 1}"]),  # a row that starts no page
        (_grid_html(14), [rows[0].rsplit("/", 1)[0] + "/1"]),  # the grid's first row
    ):
        plain, hinted = _Counted(), _Counted()
        document, found = render_continued(html, plain)
        again, again_found = render_continued(html, hinted, hint)
        assert again_found == found and hinted.html == plain.html, hint
        assert again.write_pdf() == document.write_pdf()


# --- a big festival's days: a page and a part each -------------------------------------------------


@pytest.mark.slow
def test_a_big_day_starts_a_page_and_a_late_change_to_it_renders_that_day_alone(schedule, tmp_path):
    import shutil

    days = sorted({str(s["date"]) for s in schedule.screenings})
    per_day = {day: sum(str(s["date"]) == day for s in schedule.screenings) for day in days}
    assert len(days) == 2 and per_day[days[1]] >= 12, per_day  # (the manifest's schedule_day_page_from)
    labels = {date_label(dt.date.fromisoformat(day), "en"): day for day in days}
    starts = []
    for lines in schedule.pages:
        body = lines[1:]  # (below the running head)
        headings = [line for line in body if labels.get(line.text)]  # a day's heading, not "(continued)"
        if headings and labels[headings[0].text] == days[1]:
            first_slot = max(line.top for line in body if re.search(r"\bS\d{4}\b", line.text))
            starts.append((headings[0].top, first_slot, body[0].text))
    [(top, first_slot, first_line)] = starts
    assert first_line == date_label(dt.date.fromisoformat(days[1]), "en") and top > first_slot  # its page's top

    root, out = tmp_path / "fest", tmp_path / "out"
    shutil.copytree(schedule.root, root)
    shutil.copytree(schedule.out, out)
    festival = root / "festival.yaml"
    data = yaml.safe_load(festival.read_text(encoding="utf-8"))
    [moved] = [s for s in data["screenings"] if str(s["date"]) == days[1]][:1]
    hour, minute = str(moved["time"]).split(":")
    moved["time"] = f"{hour}:{(int(minute) + 5) % 60:02d}"
    festival.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    renders: list[str] = []
    build_catalogue(root, BuildOptions(out_dir=out, jobs=2), on_render=renders.append)
    assert sorted(r for r in renders if not r.startswith("films+")) == [f"back-schedule-{days[1]}"], renders
    cold = tmp_path / "cold"
    build_catalogue(root, BuildOptions(out_dir=cold, jobs=2))
    assert (out / "catalogue.pdf").read_bytes() == (cold / "catalogue.pdf").read_bytes()
