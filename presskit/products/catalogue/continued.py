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
from collections.abc import Callable

ROW = "data-row"
PASSES = 4  # renders after the first, should a page still start in the middle of a grid
_FIRST_ROWS = re.compile(rf'<tbody>\s*<tr {ROW}="([^"]+)"')
_DAY = re.compile(r'(<th class="day-title"[^>]*\bdata-continued="([^"]*)"[^>]*>)[^<]*(</th>)')


def rows_starting_pages(document, html: str) -> list[str]:
    """The `data-row` of each page's first schedule row where that row is not its grid's first: the grid
    runs on from the page before."""
    firsts = set(_FIRST_ROWS.findall(html))
    found = []
    for page in document.pages[1:]:
        for box in page._page_box.descendants():
            element = getattr(box, "element", None)
            if element is not None and element.tag == "tr" and (row := element.get(ROW)):
                if row not in firsts:
                    found.append(row)
                break
    return found


def continue_grid(html: str, row: str) -> str:
    """`html` with the grid of schedule row `row` closed before it and opened again under "(continued)"."""
    at = html.index(f'<tr {ROW}="{row}"')
    table = html.rindex("<table", 0, at)
    body = html.index("<tbody>", table) + len("<tbody>")
    head = _DAY.sub(r"\1\2\3", html[table:body], count=1).replace('class="grid"', 'class="grid continued"', 1)
    return html[:at] + "</tbody></table>" + head + html[at:]


def render_continued(html: str, render: Callable[[str], object]):
    """Render `html` (render: html -> WeasyPrint document), every page that starts in the middle of a
    schedule grid starting it again under "<day> (continued)"."""
    document = render(html)
    if f"<tr {ROW}=" not in html:
        return document
    for _ in range(PASSES):
        rows = rows_starting_pages(document, html)
        if not rows:
            break
        for row in reversed(rows):
            html = continue_grid(html, row)
        document = None  # the last render's pages freed before the next is laid out, not held through it
        gc.collect()  # (its boxes hold cycles, which the worker's raised thresholds (pdf.tune_gc) leave alone)
        document = render(html)
    return document
