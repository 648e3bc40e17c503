"""Copy fitting: find text that does not fit its box, and say which text and by how much.

A layout marks each fixed-size frame with `data-fit="<name>"` (a fixed or grid-given height, `overflow:
hidden`) and each variable text inside it with `data-field="<field>"`. The overflow is measured on a
*measuring render*: the same document on a very tall page, where WeasyPrint lays out every line of an
overflowing frame below it (on the real page it would break or drop the lines that reach the page's
bottom edge). The bottom of the lowest line of each field is compared with the bottom of its frame.
The real render must then keep to its page count. Programme pages, one-sheets and catalogue pages share
this check:

    fit_job(job, page_width="170mm", what="red-rooms programme page (half)", hint="...")
    document = render_document(job)
    check_fit(document, what, pages=1, hint="...")
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from .errors import RenderError
from .units import MM_PER_PX

TOLERANCE_PX = 0.5
MEASURING_HEIGHT = "3000mm"


@dataclass(frozen=True)
class Overflow:
    """The text of a frame that runs past its bottom: the fields that cross the frame's bottom edge, the
    fields pushed out below it entirely, and by how much the frame's content overflows."""

    frame: str
    fields: tuple[str, ...]  # cross the bottom edge
    pushed: tuple[str, ...]  # start below it
    page: int  # 1-based
    mm: float
    cut: bool = False  # the text reaches the page's bottom edge, where the rest is cut off: mm is a minimum

    def describe(self) -> str:
        named = self.fields or self.pushed
        verb = "overflow their box" if len(named) > 1 else "overflows its box"
        by = f"at least {math.ceil(self.mm)} mm (more than the page holds)" if self.cut else f"{math.ceil(self.mm)} mm"
        text = f"{_names(named)} {verb} by {by}"
        if self.fields and self.pushed:
            text += f" (pushing {_names(self.pushed)} out of it)"
        return text


def _names(names: tuple[str, ...]) -> str:
    return f"{', '.join(names[:-1])} and {names[-1]}" if len(names) > 1 else names[0]


def _attr(box, name: str) -> str | None:
    element = getattr(box, "element", None)
    return element.get(name) if element is not None and hasattr(element, "get") else None


def _walk(box, into_frames: bool = True):
    yield box
    for child in getattr(box, "children", None) or ():
        if into_frames or not _attr(child, "data-fit"):
            yield from _walk(child, into_frames)


def _content_bottom(box) -> float:
    """The bottom edge of what the box draws: its border box (its bottom margin may overhang)."""
    return box.position_y + box.margin_top + box.border_height()


def overflows(document) -> list[Overflow]:
    """Every frame of every page whose fields reach below its content box. Text that reaches the bottom of
    the page is cut off there (even on a measuring page, by thousands of lines): its overflow is a minimum."""
    found = []
    for number, page in enumerate(document.pages, 1):
        page_bottom = page._page_box.content_box_y() + page._page_box.height
        for frame in _walk(page._page_box):
            name = _attr(frame, "data-fit")
            if not name or frame.height == "auto":
                continue
            limit = frame.content_box_y() + frame.height
            extent: dict[str, tuple[float, float]] = {}  # field -> (top, bottom)
            for box in _walk(frame, into_frames=False):  # a nested frame answers for its own fields
                field = _attr(box, "data-field") if box is not frame else None
                if field and getattr(box, "height", "auto") != "auto":
                    top, bottom = extent.get(field, (box.position_y, limit))
                    extent[field] = (min(top, box.position_y), max(bottom, _content_bottom(box)))
            beyond = {f: (top, bottom) for f, (top, bottom) in extent.items() if bottom > limit + TOLERANCE_PX}
            if beyond:
                crossing = tuple(f for f, (top, _) in beyond.items() if top < limit)
                pushed = tuple(f for f, (top, _) in beyond.items() if top >= limit)
                deepest = max(bottom for _, bottom in beyond.values())
                found.append(
                    Overflow(
                        name,
                        crossing,
                        pushed,
                        number,
                        (deepest - limit) * MM_PER_PX,
                        deepest >= page_bottom - TOLERANCE_PX,
                    )
                )
    return found


def fields_on_pages(document, first: int) -> list[str]:
    """The data-field names drawn on pages `first` (1-based) and after: what spilled onto extra pages."""
    names: dict[str, None] = {}
    for page in document.pages[first - 1 :]:
        for box in _walk(page._page_box):
            if field := _attr(box, "data-field"):
                names.setdefault(field)
    return list(names)


def measuring_html(html: str, page_width: str) -> str:
    """The same document on a page `page_width` wide and MEASURING_HEIGHT tall: no frame reaches the
    page's bottom edge, so no overflowing line is broken off or dropped."""
    rule = f"<style>@page {{ size: {page_width} {MEASURING_HEIGHT}; }}</style>"
    head_end = html.find("</head>")
    if head_end < 0:
        raise ValueError("the document has no </head> to add the measuring page size to")
    return html[:head_end] + rule + html[head_end:]


def fit_job(job, page_width: str, what: str, *, hint: str = "shorten it") -> None:
    """Render `job` (a pdf.RenderJob) on a measuring page and raise RenderError for each frame its text
    overflows."""
    from .pdf import render_document

    check_fit(render_document(replace(job, html=measuring_html(job.html, page_width))), what, hint=hint)


def check_fit(document, what: str, *, pages: int | None = None, hint: str = "shorten it") -> None:
    """Raise RenderError naming the document, each overflowing field and the overflow in mm, and (when
    `pages` is given) a document that runs to more pages than that."""
    messages = [f"{what}: {o.describe()}; {hint}" for o in overflows(document)]
    if pages is not None and len(document.pages) > pages:
        spilled = fields_on_pages(document, pages + 1)
        names = f" ({', '.join(spilled)} moved to page {pages + 1})" if spilled else ""
        messages.append(f"{what}: runs to {len(document.pages)} pages, expected {pages}{names}; {hint}")
    if messages:
        raise RenderError("\n".join(messages))
