"""A schedule day that runs over a page break: the next page starts with the day's heading, "Thursday 5
October (continued)", and its grid's column heads, so that no screening reads as the next day's.

The layout (catalogue/back.html.j2) heads each of a day's grids with the day, in the grid's table header:
WeasyPrint repeats it at the top of every page the grid runs on to, but cannot tell the repeat from the
first, so the repeat says the day without "(continued)". After a render, each grid split by a page break
is closed before the first row of the new page and opened again there, its header saying the day's
`data-continued` label (a header of the same height: the pages break where they did), and the part is
rendered once more. The layout marks each schedule row with a unique `data-row`; a layout without these
marks is rendered once, as it is.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Callable, Iterable

ROW = "data-row"
PASSES = 4  # renders after the first, should a page still start in the middle of a grid
_FIRST_ROWS = re.compile(rf'<tbody>\s*<tr {ROW}="([^"]+)"')
_DAY = re.compile(r'(<th class="day-title"[^>]*\bdata-continued="([^"]*)"[^>]*>)[^<]*(</th>)')


def rows_starting_pages(document, html: str) -> list[str]:
    """The `data-row` of each page's first schedule row where that row is not its grid's first: the grid
    runs on from the page before."""
    firsts = set(_FIRST_ROWS.findall(html))
    rows = (_first_row(page._page_box) for page in document.pages[1:])
    return [first[0] for first in rows if first is not None and first[0] not in firsts]


def continue_grid(html: str, row: str) -> str:
    """`html` with the grid of schedule row `row` closed before it and opened again under "(continued)"."""
    at = html.index(f'<tr {ROW}="{row}"')
    table = html.rindex("<table", 0, at)
    body = html.index("<tbody>", table) + len("<tbody>")
    head = _DAY.sub(r"\1\2\3", html[table:body], count=1).replace('class="grid"', 'class="grid continued"', 1)
    return html[:at] + "</tbody></table>" + head + html[at:]


def render_continued(html: str, render: Callable[[str], object], hint: Iterable[str] = ()):
    """Render `html` (render: html -> WeasyPrint document), every page that starts in the middle of a
    schedule grid starting it again under "<day> (continued)": (the document, the rows it starts again).

    `hint`: the rows the last render of this part started again. When they still hold (see _hint_holds),
    the part is rendered once instead of twice; otherwise as if there were no hint. Either way the same
    HTML is rendered last, so the result does not depend on the hint."""
    if f"<tr {ROW}=" not in html:
        return render(html), []
    hinted = [row for row in hint if f'<tr {ROW}="{row}"' in html]
    if hinted:
        started = _continued(html, hinted)
        document = render(started)
        if _hint_holds(document, started, hinted):
            return document, hinted
        document = None  # (freed before the render without the hint, as below)
        gc.collect()
    document, done = render(html), []
    for _ in range(PASSES):
        rows = rows_starting_pages(document, html)
        if not rows:
            break
        done += rows
        html = _continued(html, rows)
        document = None  # the last render's pages freed before the next is laid out, not held through it
        gc.collect()  # (its boxes hold cycles, which the worker's raised thresholds (pdf.tune_gc) leave alone)
        document = render(html)
    return document, done


def _continued(html: str, rows: Iterable[str]) -> str:
    """`html` with the grids of `rows` started again (continue_grid gives the same whatever the order)."""
    for row in reversed(list(rows)):
        html = continue_grid(html, row)
    return html


def _hint_holds(document, html: str, rows: list[str]) -> bool:
    """Whether the render of `html` (started again at `rows`, each a forced page break) is the one the plain
    HTML would have led to: no page starts in the middle of a grid, and each of `rows` starts a page where
    it would not have fitted at the foot of the page before (by more than a pixel: a closer call is left
    to the full procedure). The pages then break where they did: the headers that replace the repeated
    ones are of the same height."""
    if rows_starting_pages(document, html):
        return False
    wanted, found = set(rows), set()
    pages = document.pages
    for number, page in enumerate(pages[1:], 1):
        first = _first_row(page._page_box)
        if first is None or first[0] not in wanted:
            continue
        row, box = first
        previous = pages[number - 1]._page_box
        last = _last_row_bottom(previous)
        foot = previous.content_box_y() + previous.height
        if last is None or box.margin_height() <= foot - last + 1:
            return False
        found.add(row)
    return found == wanted


def _first_row(page_box):
    for box in page_box.descendants():
        element = getattr(box, "element", None)
        if element is not None and element.tag == "tr" and (row := element.get(ROW)):
            return row, box
    return None


def _last_row_bottom(page_box) -> float | None:
    bottom = None
    for box in page_box.descendants():
        element = getattr(box, "element", None)
        if element is not None and element.tag == "tr" and element.get(ROW):
            bottom = box.position_y + box.margin_height()
    return bottom
