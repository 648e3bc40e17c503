"""What changed, for the printer: the pages of a rebuilt PDF that print differently from an earlier one.

Pages are compared by what they print, not by their bytes: the pages are rendered (pypdfium2, grey, at a
modest resolution) and the pictures are compared, a pixel counting as different only beyond a small
tolerance (anti-aliasing); a rebuilt part whose fonts were subset anew prints the same. Only one shortcut
is taken: a page whose bytes (everything it reaches, whatever the object numbers) a page of the other file
has prints as that one does, and is rendered only if the pairing needs its words or picture; the pages
of a rebuild's unchanged parts cost nothing. Then the pages are paired, in order: first the pages that
print exactly alike (difflib over their digests), then, between those runs, by the words they print, so
that a film withdrawn shows as its pages removed and every later page moved up (with a new folio and side,
it prints differently), not as every later page changed.

    read_earlier(path)                   the earlier PDF, checked (missing, not a PDF, encrypted: an error)
    compare(old, new, old_name)          a ChangeReport: each page changed, moved, added or removed, and the
                                         plates to replace (the pages whose print differs at their number)
    write_contact_sheet(report, ...)     the changed pages, old beside new, with page numbers
    changes_since(...)                   all three, as `presskit catalogue --changed-since OLD.pdf` does
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
import zlib
from collections import Counter
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

from . import pool, progress
from .errors import PresskitError

log = logging.getLogger("presskit")

DPI = 72  # at 50 dpi, a comma become a full stop in 6 pt text, or a page number 16 become 18 in 9 pt, can
# print alike within the tolerance (tests/test_changes.py); a page's time goes to decoding its images anyway
TOLERANCE = 16  # a pixel differs when its grey level differs by more than this (of 255)
MIN_PIXELS = 1  # a page prints differently when at least this many pixels differ
SAME_WORDS = 0.5  # pages between identical runs are paired when they share at least this share of words
BAND = 8  # and when their distance from the diagonal of their run is at most this many pages more than
# the run's difference in length (a page is not paired with one far from its place)
CHUNK = 8  # pages rendered per task in the worker processes
SHEET_SUFFIX = "-changed-pages.pdf"


class ComparisonError(PresskitError):
    """The earlier PDF cannot be compared: missing, not a PDF, encrypted, damaged."""


# --- rendering ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Print:
    """One page as it prints: its grey picture (compressed), its digest, and the words on it."""

    size: tuple[int, int]  # pixels
    digest: str
    picture: bytes  # zlib-compressed grey pixels, row by row
    words: tuple[str, ...]
    thumb: bytes  # 16 x 16 grey: pairs pages without words

    def image(self):
        from PIL import Image

        return Image.frombytes("L", self.size, zlib.decompress(self.picture))


def read_earlier(path: Path) -> bytes:
    """The bytes of the earlier PDF, checked before a build starts (the build may replace the file)."""
    import pikepdf

    if not path.exists():
        raise ComparisonError(f"{path}: no such file (--changed-since needs the PDF sent to the printer)")
    if not path.is_file():
        raise ComparisonError(f"{path}: not a file (--changed-since needs a PDF)")
    data = path.read_bytes()
    if b"%PDF-" not in data[:1024]:
        raise ComparisonError(f"{path}: not a PDF file (starts with {data[:16]!r})")
    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            encrypted = pdf.is_encrypted
            pages = len(pdf.pages)
    except pikepdf.PasswordError as exc:
        raise ComparisonError(f"{path}: the PDF is encrypted; compare with an unencrypted file") from exc
    except pikepdf.PdfError as exc:
        raise ComparisonError(f"{path}: the PDF is damaged and cannot be read ({exc})") from exc
    if encrypted:
        raise ComparisonError(f"{path}: the PDF is encrypted; compare with an unencrypted file")
    if not pages:
        raise ComparisonError(f"{path}: the PDF has no pages")
    import pypdfium2 as pdfium

    try:
        _page_count(data)
    except pdfium.PdfiumError as exc:
        raise ComparisonError(f"{path}: the PDF is damaged and cannot be rendered ({exc})") from exc
    return data


class Page:
    """One page of a compared PDF: its key (a digest of the bytes of everything it reaches, page_keys) and,
    rendered when first needed, its Print. A page whose key some page of the other file has prints as that
    page does: neither is rendered unless the pairing asks for its words or its picture."""

    def __init__(self, data: bytes, index: int, key: str, dpi: float):
        self.data, self.index, self.key, self.dpi = data, index, key, dpi
        self.digest = key  # what it prints, to pair pages: set by compare
        self.rendered: Print | None = None

    @property
    def print(self) -> Print:
        if self.rendered is None:
            [self.rendered] = _render_pages(([self.data], self.dpi), (0, (self.index,)))
        return self.rendered

    @property
    def size(self) -> tuple[int, int]:
        return self.print.size

    @property
    def words(self) -> tuple[str, ...]:
        return self.print.words

    @property
    def thumb(self) -> bytes:
        return self.print.thumb

    def image(self):
        return self.print.image()


def pages(documents: list[bytes], dpi: float = DPI, jobs: int | None = None) -> list[list[Page]]:
    """The pages of each PDF (old, new). Those whose key the other file lacks are rendered now (in worker
    processes, CHUNK pages at a time); each page's digest is its key when the other file has it, else
    the digest of its picture."""
    found = [[Page(data, i, key, dpi) for i, key in enumerate(page_keys(data))] for data in documents]
    keys = [{p.key for p in doc} for doc in found]
    shared = set.intersection(*keys) if keys else set()
    todo = [[p.index for p in doc if p.key not in shared] for doc in found]
    chunks = [
        (which, tuple(indices[k : k + CHUNK]))
        for which, indices in enumerate(todo)
        for k in range(0, len(indices), CHUNK)
    ]
    log.info("comparing by print: %d of %d page(s) to render", sum(map(len, todo)), sum(map(len, found)))
    rendering = progress.step("compare", "comparing pages")
    rendering.add(len(chunks))
    for (which, indices), prints in zip(
        chunks, pool.fork_map(_render_pages, (documents, dpi), chunks, jobs, rendering)
    ):
        for index, rendered in zip(indices, prints):
            found[which][index].rendered = rendered
    for doc in found:
        for page in doc:
            page.digest = f"bytes {page.key}" if page.key in shared else f"print {page.print.digest}"
    return found


def page_keys(data: bytes) -> list[str]:
    """A digest per page of everything it reaches (its contents, fonts, images, inherited resources and
    boxes), by their bytes, whatever their object numbers: two pages with the same key print alike."""
    import pikepdf

    memo: dict[tuple[int, int], bytes] = {}

    def digest(obj) -> bytes:
        if isinstance(obj, pikepdf.Object) and obj.is_indirect:
            ref = obj.objgen
            if ref not in memo:
                memo[ref] = b"(cycle)"  # (while it is being hashed: a reference back to it)
                memo[ref] = direct(obj)
            return memo[ref]
        return direct(obj)

    def direct(obj) -> bytes:
        h = hashlib.sha256()
        if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
            if obj.get("/Type") == pikepdf.Name.Page:
                return b"(a page)"  # a link's destination: links do not print
            for name in sorted(obj.keys()):
                if name not in ("/Parent", "/P"):
                    h.update(name.encode() + b"=" + digest(obj[name]))
            if isinstance(obj, pikepdf.Stream):
                h.update(b"stream" + obj.read_raw_bytes())
        elif isinstance(obj, pikepdf.Array):
            for item in obj:
                h.update(b"," + digest(item))
        elif isinstance(obj, pikepdf.Object):
            h.update(obj.unparse())
        else:
            h.update(repr(obj).encode())
        return h.digest()

    keys = []
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            h = hashlib.sha256()
            for name in sorted({*page.obj.keys(), *INHERITED}):
                value = _inherited(page.obj, name)
                if name not in ("/Parent", "/Type") and value is not None:
                    h.update(name.encode() + b"=" + digest(value))
            keys.append(h.hexdigest())
    return keys


INHERITED = ("/Resources", "/MediaBox", "/CropBox", "/Rotate")


def _inherited(page, name: str):
    node, seen = page, 0
    while node is not None and seen < 64:
        if name in node:
            return node[name]
        node, seen = node.get("/Parent"), seen + 1
    return None


def _page_count(data: bytes) -> int:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    try:
        return len(pdf)
    finally:
        pdf.close()


def _render_pages(shared: tuple[list[bytes], float], chunk: tuple[int, tuple[int, ...]]) -> list[Print]:
    import pypdfium2 as pdfium
    from PIL import Image

    documents, dpi = shared
    which, indices = chunk
    pdf = pdfium.PdfDocument(documents[which])
    prints = []
    try:
        for index in indices:
            page = pdf[index]
            picture = page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
            textpage = page.get_textpage()
            text = textpage.get_text_range()
            textpage.close()
            page.close()
            pixels = picture.tobytes()
            prints.append(
                Print(
                    picture.size,
                    hashlib.sha256(b"%d,%d:" % picture.size + pixels).hexdigest(),
                    zlib.compress(pixels, 1),
                    tuple(re.findall(r"\w+", text.lower())),
                    picture.resize((16, 16), Image.Resampling.BOX).tobytes(),
                )
            )
    finally:
        pdf.close()
    return prints


def difference(old: Page, new: Page) -> tuple[int, int, int, int] | None:
    """Where two pages print differently (a box in pixels of the new page), or None when they print
    alike within the tolerance. Pages of different sizes differ everywhere."""
    if old.digest == new.digest:
        return None
    if old.size != new.size:
        return (0, 0, *new.size)
    from PIL import ImageChops

    delta = ImageChops.difference(old.image(), new.image()).point(lambda v: 255 if v > TOLERANCE else 0)
    if delta.histogram()[255] < MIN_PIXELS:
        return None
    return delta.getbbox()


# --- pairing ------------------------------------------------------------------------------------------


def pair(old: list[Page], new: list[Page]) -> list[tuple[int | None, int | None]]:
    """The pages of `old` and `new` paired in order ((old index, new index); None on one side for a page
    removed or added): identical prints first, then, between them, pages that print mostly the same words."""
    matcher = SequenceMatcher(None, [p.digest for p in old], [p.digest for p in new], autojunk=False)
    pairs: list[tuple[int | None, int | None]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pairs += zip(range(i1, i2), range(j1, j2))
        else:
            pairs += _align(old, new, i1, i2, j1, j2)
    return pairs


def _align(old: list[Page], new: list[Page], i1: int, i2: int, j1: int, j2: int) -> list:
    """Pair old[i1:i2] with new[j1:j2] in order, maximising the words they share (a longest common
    subsequence weighted by similarity, within a band about the run's diagonal)."""
    rows, cols = i2 - i1, j2 - j1
    low, high = min(0, cols - rows) - BAND, max(0, cols - rows) + BAND
    words = {}
    for k in range(i1, i2):
        words[("o", k)] = Counter(old[k].words)
    for k in range(j1, j2):
        words[("n", k)] = Counter(new[k].words)
    score = [[0.0] * (cols + 1) for _ in range(rows + 1)]
    paired: dict[tuple[int, int], float] = {}
    for r in range(1, rows + 1):
        for c in range(1, cols + 1):
            best = max(score[r - 1][c], score[r][c - 1])
            if low <= c - r <= high:
                s = _similarity(old[i1 + r - 1], new[j1 + c - 1], words[("o", i1 + r - 1)], words[("n", j1 + c - 1)])
                if s >= SAME_WORDS and score[r - 1][c - 1] + s > best:
                    best = score[r - 1][c - 1] + s
                    paired[(r, c)] = s
            score[r][c] = best
    out: list[tuple[int | None, int | None]] = []
    r, c = rows, cols
    while r or c:
        if r and c and (r, c) in paired and score[r][c] == score[r - 1][c - 1] + paired[(r, c)]:
            out.append((i1 + r - 1, j1 + c - 1))
            r, c = r - 1, c - 1
        elif r and (not c or score[r][c] == score[r - 1][c]):
            out.append((i1 + r - 1, None))
            r -= 1
        else:
            out.append((None, j1 + c - 1))
            c -= 1
    out.reverse()
    return out


def _similarity(old: Page, new: Page, old_words: Counter, new_words: Counter) -> float:
    if not old_words and not new_words:  # pictures only (a cover, a blank page): their thumbnails
        return 1 - sum(abs(a - b) for a, b in zip(old.thumb, new.thumb)) / (255 * len(new.thumb))
    total = sum(old_words.values()) + sum(new_words.values())
    return 2 * sum((old_words & new_words).values()) / total


# --- the report ---------------------------------------------------------------------------------------


@dataclass
class PageChange:
    """One page that is not what it was: `status` is "changed" (the same page number, printing differently),
    "moved" (its counterpart had another number: pages were added or removed before it), "added" or
    "removed" (old_page only). `box`: where it differs from its counterpart, in points from the top left."""

    status: str
    page: int | None  # in the new PDF, from 1
    old_page: int | None  # its counterpart in the earlier PDF
    differs: bool = True  # for a moved page: whether it prints differently from its counterpart
    box: tuple[float, float, float, float] | None = None

    def to_dict(self) -> dict:
        return {
            "status": self.status,
            "page": self.page,
            "old_page": self.old_page,
            "differs": self.differs,
            "box": list(self.box) if self.box else None,
        }


@dataclass
class ChangeReport:
    old: Path
    new: Path
    old_pages: int
    new_pages: int
    changes: list[PageChange] = field(default_factory=list)
    plates: list[int] = field(default_factory=list)  # new pages whose print differs from the old page at their number
    dpi: float = DPI
    sheet: Path | None = None  # the contact sheet, once written

    @property
    def unchanged(self) -> bool:
        return not self.plates and not self.changes and self.old_pages == self.new_pages

    def of(self, status: str) -> list[PageChange]:
        return [c for c in self.changes if c.status == status]

    def to_dict(self) -> dict:
        return {
            "old": str(self.old),
            "new": str(self.new),
            "old_pages": self.old_pages,
            "new_pages": self.new_pages,
            "page_count_changed": self.old_pages != self.new_pages,
            "plates": self.plates,
            "changed": [c.page for c in self.of("changed")],
            "moved": [{"page": c.page, "old_page": c.old_page, "differs": c.differs} for c in self.of("moved")],
            "added": [c.page for c in self.of("added")],
            "removed": [c.old_page for c in self.of("removed")],
            "pages": [c.to_dict() for c in self.changes],
            "contact_sheet": str(self.sheet) if self.sheet else None,
            "dpi": self.dpi,
        }

    def format_text(self) -> str:
        if self.unchanged:
            return f"no page changed since {self.old} ({self.new_pages} pages)"
        lines = [
            f"{self.new}: {len(self.plates)} of {self.new_pages} page(s) print differently from {self.old}"
            + (f"; replace the plates of {_pages(self.plates)}" if self.plates else "")
        ]
        if changed := self.of("changed"):
            lines.append(f"  changed: {_pages([c.page for c in changed])}")
        moved = self.of("moved")
        for differs, what in ((True, "print differently"), (False, "print the same")):
            runs = _runs([(c.old_page or 0, c.page or 0) for c in moved if c.differs == differs])
            if runs:
                lines.append(f"  moved ({what}): " + ", ".join(runs))
        if added := self.of("added"):
            lines.append(f"  added: {_pages([c.page for c in added])}")
        if removed := self.of("removed"):
            lines.append(f"  removed: old {_pages([c.old_page for c in removed])}")
        if self.old_pages != self.new_pages:
            lines.append(
                f"  the page count changed from {self.old_pages} to {self.new_pages}: the imposition changes "
                "(in a stitched booklet every sheet carries pages from both ends)"
            )
        if self.sheet:
            lines.append(f"  contact sheet: {self.sheet}")
        return "\n".join(lines)


def _pages(numbers: list) -> str:
    """[3, 4, 5, 9] -> "pages 3-5, 9"."""
    spans: list[list[int]] = []
    for n in sorted(numbers):
        if spans and n == spans[-1][1] + 1:
            spans[-1][1] = n
        else:
            spans.append([n, n])
    text = ", ".join(f"{a}-{b}" if a != b else f"{a}" for a, b in spans)
    return ("page " if len(numbers) == 1 else "pages ") + text


def _runs(moves: list[tuple[int, int]]) -> list[str]:
    """[(11, 9), (12, 10), (14, 12)] -> ["old 11-12 -> 9-10", "old 14 -> 12"]: runs moved by the same offset."""
    runs: list[list[int]] = []  # [first old, first new, length]
    for old, new in sorted(moves, key=lambda m: m[1]):
        if runs and old == runs[-1][0] + runs[-1][2] and new == runs[-1][1] + runs[-1][2]:
            runs[-1][2] += 1
        else:
            runs.append([old, new, 1])
    return [
        f"old {o}-{o + n - 1} -> {p}-{p + n - 1}" if n > 1 else f"old {o} -> {p}"  # (pages)
        for o, p, n in runs
    ]


def compare(
    old_data: bytes, new_path: Path, old_name: Path, dpi: float = DPI, jobs: int | None = None
) -> tuple[ChangeReport, list[Page], list[Page]]:
    """Compare the earlier PDF (its bytes, read_earlier) with the PDF at `new_path`, page by page by what
    they print. Returns the report, and both files' prints (for the contact sheet)."""
    old, new = pages([old_data, _read(new_path)], dpi, jobs)
    report = ChangeReport(old_name, new_path, len(old), len(new), dpi=dpi)
    for i, j in pair(old, new):
        if j is None:
            report.changes.append(PageChange("removed", None, i + 1 if i is not None else None))
            continue
        if i is None:
            report.changes.append(PageChange("added", j + 1, None))
            continue
        box = _points(difference(old[i], new[j]), dpi)
        if i != j:
            report.changes.append(PageChange("moved", j + 1, i + 1, box is not None, box))
        elif box is not None:
            report.changes.append(PageChange("changed", j + 1, i + 1, True, box))
    report.plates = [j + 1 for j in range(len(new)) if j >= len(old) or difference(old[j], new[j]) is not None]
    return report, old, new


def _points(box: tuple[int, int, int, int] | None, dpi: float) -> tuple[float, float, float, float] | None:
    if box is None:
        return None
    left, top, right, bottom = (round(v * 72 / dpi, 1) for v in box)
    return left, top, right, bottom


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError as exc:
        raise ComparisonError(f"{path}: no such file") from exc


# --- the contact sheet --------------------------------------------------------------------------------

GAP, LABEL = 12, 22  # pixels between pictures; the height of a label line
PAIRS_ACROSS, PAIRS_DOWN = 2, 2


def _shown(report: ChangeReport, old: list[Page], new: list[Page]) -> list[PageChange]:
    """The pages the contact sheet shows, in the order of the new file (a removed page where it was): every
    change but a page moved that prints as it did, and a page that prints differently at its number only
    because the pages around it moved."""
    entries: list[tuple[float, PageChange]] = []
    at = 0.0
    for change in report.changes:
        at = change.page if change.page is not None else at + 0.001
        if change.status != "moved" or change.differs:
            entries.append((at, change))
    shown = {c.page for _, c in entries}
    entries += [
        (n, PageChange("changed", n, n, True, _points(difference(old[n - 1], new[n - 1]), report.dpi)))
        for n in report.plates
        if n <= report.old_pages and n not in shown
    ]
    return [c for _, c in sorted(entries, key=lambda e: e[0])]


def write_contact_sheet(report: ChangeReport, old: list[Page], new: list[Page], path: Path) -> Path:
    """A PDF of the pages to look at, old beside new with their page numbers, the place where each differs
    framed in red: the changed, moved-and-different, added and removed pages, in the new file's order."""
    from PIL import Image, ImageDraw, ImageFont

    from .output import write_atomic
    from .resources import builtin_assets

    entries = _shown(report, old, new)
    shown = [old[c.old_page - 1] for c in entries if c.old_page] + [new[c.page - 1] for c in entries if c.page]
    cell_w = max(p.size[0] for p in shown)
    cell_h = max(p.size[1] for p in shown)
    pair_w = 2 * cell_w + GAP
    font = ImageFont.truetype(str(builtin_assets() / "fonts" / "inter" / "Inter-Regular.otf"), 14)
    title = f"{report.new.name}: pages that print differently from {report.old.name} (old left, new right)"
    sheets = []
    per_sheet = PAIRS_ACROSS * PAIRS_DOWN
    for first in range(0, len(entries), per_sheet):
        these = entries[first : first + per_sheet]
        across, down = min(PAIRS_ACROSS, len(these)), (len(these) + PAIRS_ACROSS - 1) // PAIRS_ACROSS
        width = max(across * pair_w + (across + 1) * 2 * GAP, 720)
        height = down * (cell_h + LABEL + GAP) + 2 * GAP + LABEL
        sheet = Image.new("RGB", (width, height), (255, 255, 255))
        draw = ImageDraw.Draw(sheet)
        count = f"sheet {first // per_sheet + 1} of {(len(entries) + per_sheet - 1) // per_sheet}"
        draw.text((2 * GAP, GAP // 2), f"{title}; {count}", fill=(0, 0, 0), font=font)
        for k, change in enumerate(these):
            x = 2 * GAP + (k % PAIRS_ACROSS) * (pair_w + 2 * GAP)
            y = GAP + LABEL + (k // PAIRS_ACROSS) * (cell_h + LABEL + GAP)
            for side, (prints, page, word) in enumerate(((old, change.old_page, "old"), (new, change.page, "new"))):
                left, top = x + side * (cell_w + GAP), y + LABEL
                label = f"{word} page {page}" if page else f"{word}: none ({change.status})"
                if page and side and change.status == "moved":
                    label += f" (was {change.old_page})"
                draw.text((left, y), label, fill=(0, 0, 0), font=font)
                if not page:
                    draw.rectangle((left, top, left + cell_w - 1, top + cell_h - 1), outline=(160, 160, 160))
                    continue
                picture = prints[page - 1].image().convert("RGB")
                sheet.paste(picture, (left, top))
                draw.rectangle((left, top, left + picture.width - 1, top + picture.height - 1), outline=(0, 0, 0))
                if change.box:  # (in points: in pixels of the pictures here)
                    a, b, c, d = (round(v * report.dpi / 72) for v in change.box)
                    draw.rectangle((left + a - 2, top + b - 2, left + c + 1, top + d + 1), outline=(220, 0, 0), width=2)
        sheets.append(sheet)
    if not sheets:
        raise ValueError("no page to show")
    buffer = io.BytesIO()
    sheets[0].save(
        buffer,
        "PDF",
        save_all=True,
        append_images=sheets[1:],
        resolution=120,
        title=f"Pages changed since {report.old.name}",
        creationDate=None,
        modDate=None,
    )
    write_atomic(path, buffer.getvalue())
    return path


# --- all together -------------------------------------------------------------------------------------


def contact_sheet_path(target: Path) -> Path:
    """out/catalogue.pdf -> out/catalogue-changed-pages.pdf."""
    return target.with_name(target.stem + SHEET_SUFFIX)


def changes_since(old_name: Path, old_data: bytes, new_path: Path, jobs: int | None = None) -> ChangeReport:
    """Compare `new_path` with the earlier PDF (read_earlier) and write the contact sheet of the pages
    that print differently beside it (or remove the one an earlier comparison left, when none does)."""
    with progress.run("comparing", {"compare": 9, "sheet": 1}) as bar:
        report, old, new = compare(old_data, new_path, old_name, jobs=jobs)
        sheet = contact_sheet_path(new_path)
        if report.unchanged:
            if sheet.exists():
                sheet.unlink()
                log.info("removed %s: no page changed", sheet)
            return report
        bar.step("sheet", "contact sheet").begin()
        report.sheet = write_contact_sheet(report, old, new, sheet)
    return report
