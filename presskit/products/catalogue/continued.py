"""A schedule day that runs over a page break: the next page starts with the day's heading again, "Thursday
5 October (continued)", and its grid's column heads, so that no screening reads as the next day's.

WeasyPrint cannot tell a table header repeated on a later page from the first one, so the heading is put
in after a render: the layout (catalogue/back.html.j2) marks each schedule row with `data-row` (unique)
and each day's heading with `data-continued` (its label for a page that continues it). A page whose first
schedule box is a row, not a day's heading, starts in the middle of a day: the day's grid is closed before
that row and opened again under a continued heading (`day-continued`: the layout breaks the page before
it), and the part is rendered again, one page at a time (each heading moves what follows). A layout
without these marks is rendered once, as it is.
"""

from __future__ import annotations

import re
from collections.abc import Callable

ROW = "data-row"
MAX_CONTINUED = 200  # headings put in for one part (a schedule of 200 pages), then the part is left as it is
_CONTINUED = re.compile(r'<h2 class="day-title"[^>]*\bdata-continued="([^"]*)"')


def page_starts_mid_day(document) -> str | None:
    """The `data-row` of the first row of the first page (after the first) that starts in the middle of a
    day, or None."""
    for page in document.pages[1:]:
        for box in page._page_box.descendants():
            element = getattr(box, "element", None)
            if element is None or not hasattr(element, "get"):
                continue
            if element.tag == "h2" and "day-title" in element.get("class", "").split():
                break
            if element.tag == "tr" and element.get(ROW):
                return element.get(ROW)
    return None


def continue_day(html: str, row: str) -> str:
    """`html` with the day of schedule row `row` continued under its heading from that row on."""
    at = html.index(f'<tr {ROW}="{row}"')
    heading = list(_CONTINUED.finditer(html, 0, at))[-1].group(1)
    table = html.rindex("<table", 0, at)
    body = html.index("<tbody>", table) + len("<tbody>")
    continued = f'<h2 class="day-title day-continued">{heading}</h2>'
    if not html[body:at].strip():  # the grid's first row: the heading before the grid
        return html[:table] + continued + html[table:]
    return html[:at] + "</tbody></table>" + continued + html[table:body] + html[at:]


def render_continued(html: str, render: Callable[[str], object]):
    """Render `html` (render: html -> WeasyPrint document), putting in a continued heading at the top of each
    page that starts in the middle of a schedule day."""
    document = render(html)
    if f"<tr {ROW}=" not in html:
        return document
    for _ in range(MAX_CONTINUED):
        row = page_starts_mid_day(document)
        if row is None:
            break
        html = continue_day(html, row)
        document = render(html)
    return document
