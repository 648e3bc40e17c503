"""Print preflight for any PDF: the checks a commercial printer runs before accepting a file.

Reads the PDF with pikepdf and walks every page's content streams (nested form XObjects, tiling
patterns, Type3 glyphs and printable annotation appearances included), tracking the transformation
matrix so that images are measured at the size they are placed, and text sizes and line widths are
known (small type and fine rules must print in one ink). The document is checked against the PDF/X
standard it is labelled with (PDF version, object streams, font formats, colour spaces); the edges of
each page are rendered to find ink that reaches the trim without bleed (presskit.trimedges). No click
here: the CLI formats the returned `Report`.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pikepdf
from pikepdf import Array, Dictionary, Name, Stream

from . import pool
from .errors import PreflightError

PROFILES = {"x-4": "pdf/x-4", "x-1a": "pdf/x-1a", "catalogue": "catalogue (pages in fours)"}
STANDARDS = ("x-4", "x-1a")  # the families a file is checked against; the catalogue profile takes either
# What each labelling allows (ISO 15930-1, -4, -6, -7): the highest PDF version, and whether object and
# cross-reference streams (PDF 1.5) may be used. A file labelled with none: the loosest of its family.
LABELLED = {
    "PDF/X-1a:2001": ("1.3", False),
    "PDF/X-1a:2003": ("1.4", False),
    "PDF/X-3:2002": ("1.3", False),
    "PDF/X-3:2003": ("1.4", False),
    "PDF/X-4": ("1.6", True),
    "PDF/X-4p": ("1.6", True),
}
UNLABELLED = {"x-1a": ("1.4", False), "x-4": ("1.6", True)}
# Output condition identifiers of the ICC's characterization registry (http://www.color.org), which an
# output intent names together with RegistryName
REGISTERED_CONDITION = re.compile(r"(FOGRA\d+L?|CGATS TR \d{3}|CGATS 21-2-CRPC\d|JC\w+|IFRA\d+|GRACoL\w*)")
X1A_FORBIDDEN = ("ICCBased", "CalGray", "CalRGB", "Lab", " as ")  # (" as ": a DefaultCMYK/Gray remap)
SMALL_TYPE = 9.0  # pt: text below this prints in one ink
FINE_RULE = 1.0  # pt: rules below this print in one ink
BOX_TOLERANCE = 0.01  # pt
MIN_BLEED = 8.4  # pt: 3 mm is 8.504 pt; allow for rounding
IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
RGB_FAMILIES = {"rgb", "icc-rgb", "cal-rgb", "lab"}
CMYK_FAMILIES = {"cmyk", "icc-cmyk"}
MAX_DEPTH = 12
# The operators the walk interprets: pikepdf skips every other one (text showing, paths: most of a page)
# while parsing, so that they never become Python objects. BI ID EI give inline images.
_WALKED_OPERATORS = "q Q cm rg RG k K g G cs CS sc scn SC SCN gs sh Tf Do BI ID EI"
# and, for small type and fine rules (see _Checker.fine): text size and matrix, line width, paths
_FINE_OPERATORS = " BT Tm Tr Tj TJ ' \" w re m l c v y h f F f* S s B B* b b* n"
SEVERITIES = ("error", "warning", "info")


@dataclass
class Finding:
    severity: str  # 'error' | 'warning' | 'info'
    check: str
    page: int | None  # 1-based, None for the whole document
    object: str
    message: str


@dataclass
class Report:
    path: str
    profile: str
    pages: int
    findings: list[Finding] = field(default_factory=list)
    standard: str = ""  # the family checked: 'x-4' or 'x-1a' (the catalogue profile takes either)
    label: str | None = None  # the PDF/X version the file claims, e.g. 'PDF/X-1a:2001'
    # pages whose findings came from a page_cache (see preflight; a placed page's from its content's, edges rendered)
    remembered: int = field(default=0, compare=False)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning"]

    @property
    def ok(self) -> bool:
        return not self.errors

    def to_dict(self) -> dict:
        return {
            "path": self.path,
            "profile": self.profile,
            "standard": self.standard,
            "label": self.label,
            "pages": self.pages,
            "ok": self.ok,
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "findings": [asdict(f) for f in self.findings],
        }

    def summary(self) -> str:
        errors, warnings = len(self.errors), len(self.warnings)
        return (
            f"{Path(self.path).name}: {'PASS' if self.ok else 'FAIL'} "
            f"({_plural(errors, 'error')}, {_plural(warnings, 'warning')}) "
            f"against {self.against}"
        )

    @property
    def against(self) -> str:
        if self.profile == "catalogue":
            return f"catalogue (pdf/{self.standard or 'x-4'}, pages in fours)"
        return PROFILES.get(self.profile, self.profile)

    def format_text(self) -> str:
        lines = [f"{self.path}: {_plural(self.pages, 'page')}"]
        order = sorted({f.page for f in self.findings}, key=lambda p: (p is not None, p or 0))
        for page in order:
            lines.append("Document" if page is None else f"Page {page}")
            for f in sorted(self.findings, key=lambda f: SEVERITIES.index(f.severity)):
                if f.page == page:
                    where = f" [{f.object}]" if f.object else ""
                    lines.append(f"  {f.severity.upper():7} {f.check}{where}: {f.message}")
        if not self.findings:
            lines.append("No problems found.")
        lines.append(self.summary())
        return "\n".join(lines)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


# pdfium keeps what it parsed for the pages it rendered (their fonts, images...) while the document stays
# open, about 0.4 MB a catalogue page: the document is opened anew every this many page numbers.
PDFIUM_PAGES_PER_OPEN = 24
# below this many pages' checks (whole) a process each is not worth its start (forking, opening the file;
# this process checks the first run of pages itself)
PAGES_PER_PROCESS = 24
PAGES_PER_BLOCK = 12  # pages shared out together (_shares): consecutive pages share fonts and images
# what checking a page costs, roughly (_Checker.cost): a placed page from its remembered checks, and a page
# checked whole
PLACED_CHECK, FULL_CHECK = 2, 10
_ONCE_PER_DOCUMENT = ("font-embedded",)  # checks made on an object's first use only (see _Checker.font)


def preflight(
    path,
    profile: str = "x-4",
    *,
    ink_limit: float = 300,
    min_ppi: float = 300,
    error_ppi: float = 150,
    ink_cache: dict | None = None,
    processes: int = 1,
    standard: str | None = None,
    page_cache: dict | None = None,
) -> Report:
    """Check the PDF at `path` against `profile` ('x-4', 'x-1a' or 'catalogue').

    `standard` ('x-4' or 'x-1a') is the PDF/X family the catalogue profile checks; by default the one the
    file is labelled with (X-4 when it claims none). The x-4 and x-1a profiles are their own standard.

    `ink_cache` (optional, see ink_cache_key) remembers the ink coverage measured on JPEG images across
    runs: a rebuild then decodes only the images it has not seen. `page_cache` (optional, cache.State.pages)
    remembers the findings of each page by the key of what its checks read (presskit.preflightmemo): a
    rebuild checks only the pages it has not seen, and reports exactly what checking them all would. A
    catalogue page placed under another folio stamp and shift (a film withdrawn before it) is checked from
    its content's and its stamp's remembered checks, its edges rendered (see _Checker._check_placed), or
    not even that when what they draw keeps clear of its edges (see _Checker.check_trim_edges).

    With `processes` > 1, a long document's pages are checked in up to that many shares of about the same
    cost (_shares), the first one here, each other one in a worker process forked for it (pool.executor;
    all here when forking cannot help), and the findings put together as one process would have found them
    (a catalogue's pages are most of the time of its preflight). The processes are forked from this one:
    free memory first (pdf.release_free_memory): every forked process counts it."""
    if profile not in PROFILES:
        raise PreflightError(f"unknown preflight profile {profile!r}; choose one of {', '.join(PROFILES)}")
    if standard is not None and standard not in STANDARDS:
        raise PreflightError(f"unknown PDF/X standard {standard!r}; choose one of {', '.join(STANDARDS)}")
    if standard is not None and profile != "catalogue" and standard != profile:
        raise PreflightError(f"the {profile} profile checks pdf/{profile}; a standard applies to the catalogue profile")
    pdf = _open(path)
    try:
        with pdf:
            label = _label(pdf)
            family = profile if profile != "catalogue" else standard or _family(label)
            report = Report(str(path), profile, len(pdf.pages), standard=family, label=label)
            checker = _Checker(pdf, report, ink_limit, min_ppi, error_ppi, ink_cache)
            checker.check_document()
            if page_cache is not None:
                checker.remember_pages(page_cache)
            unknown = checker.unknown_pages()
            costs = [checker.cost(number) for number in unknown]
            runs = min(processes, sum(costs) // (PAGES_PER_PROCESS * FULL_CHECK))
            results = (
                _checked_in_processes(path, checker, runs, unknown, costs) if runs > 1 and pool.forks(runs) else None
            )
            try:
                if results is None:  # one process, or a checking process died (out of memory...): here
                    checker.check_pages(range(1, report.pages + 1))
                else:
                    _put_together(checker, results, ink_cache)
            finally:
                checker.close()
    except pikepdf.PdfError as exc:
        raise PreflightError(f"{path}: the PDF is damaged and cannot be checked ({exc})") from exc
    return report


def _checked_in_processes(
    path, checker: _Checker, runs: int, numbers: list[int], costs: list[int]
) -> list[tuple[list[int], list[Finding], dict, dict, int]] | None:
    """The pages `numbers` in `runs` shares of about the same cost (`costs`, each page's, see _Checker.cost;
    _shares), each checked by _check_pages: the first one here, the others each in a process forked for
    it; None when one of the processes died."""
    report = checker.report
    limits = (checker.ink_limit, checker.min_ppi, checker.error_ppi)

    def arguments(share: list[int]) -> tuple:
        pages = [numbers[index] for index in share]
        return (
            str(path),
            (report.profile, report.standard, report.label),
            limits,
            checker.has_intent,
            checker.remembered_ink,
            pages,
            checker.page_settings,
            checker.remembered_pages if checker.page_settings is not None else None,
            {n: checker._keys[n] for n in pages if n in checker._keys},
        )

    shares = [share for share in _shares(costs, runs) if share]
    try:
        with pool.executor(len(shares)) as workers:
            futures = [workers.submit(_check_pages, *arguments(share)) for share in shares[1:]]
            here = _check_pages(*arguments(shares[0]))  # (meanwhile: this process would wait)
            return [here, *(future.result() for future in futures)]
    except BrokenProcessPool:
        return None


def _shares(costs: list[int], runs: int) -> list[list[int]]:
    """The indexes of `runs` shares of the pages whose `costs` are given: blocks of PAGES_PER_BLOCK
    consecutive pages, each to the share that costs least so far (a cost is a guess: a long run of pages
    that cost more than guessed is shared out too)."""
    shares: list[list[int]] = [[] for _ in range(runs)]
    totals = [0] * runs
    for first in range(0, len(costs), PAGES_PER_BLOCK):
        share = totals.index(min(totals))
        block = range(first, min(first + PAGES_PER_BLOCK, len(costs)))
        shares[share] += block
        totals[share] += sum(costs[index] for index in block)
    return shares


def _put_together(
    checker: _Checker, results: list[tuple[list[int], list[Finding], dict, dict, int]], ink_cache: dict | None
) -> None:
    """The runs' findings added to the report in page order, as one process would have reported them: an
    object's first use only once (each run reports it in its own pages), the pages no run checked
    remembered (_Checker.check_remembered); their ink measurements and page checks kept."""
    report = checker.report
    checked: dict[int, list[Finding]] = {}
    for numbers, findings, measured, learnt, remembered in results:
        report.remembered += remembered  # (placed pages checked from their content's checks)
        checked.update((number, []) for number in numbers)
        for finding in findings:
            checked[finding.page or 0].append(finding)
        if ink_cache is not None:
            ink_cache.update(measured)
        memo = checker.remembered_pages
        if memo is not None:
            for key, value in learnt.items():  # (in the order of their use: the last used are kept longest)
                memo.pop(key, None)
                memo[key] = value
    reported = {(f.check, f.object, f.message) for f in report.findings}
    for number in range(1, report.pages + 1):
        if number not in checked:
            checker.check_remembered(number)
            continue
        for finding in checked[number]:
            key = (finding.check, finding.object, finding.message)
            if finding.check in _ONCE_PER_DOCUMENT and key in reported:
                continue
            reported.add(key)
            report.findings.append(finding)


def _check_pages(
    path: str,
    profile: tuple[str, str, str | None],
    limits: tuple[float, float, float],
    has_intent: bool,
    ink_cache: dict | None,
    numbers: list[int],
    page_settings: str | None,
    memo: dict | None = None,
    keys: dict[int, str | None] | None = None,
) -> tuple[list[int], list[Finding], dict, dict, int]:
    """The pages `numbers` of the PDF at `path` checked in a worker process (see preflight): (those numbers,
    the findings, the ink coverages it measured that `ink_cache` lacked, the page checks used or learnt
    when `page_settings` is given, in the order of their last use: `memo` is those remembered, by the pages'
    `keys`, computed here for the pages that have none; how many pages were taken from them)."""
    known = dict(ink_cache) if ink_cache is not None else None
    with pikepdf.open(path) as pdf:
        name, standard, label = profile
        report = Report(path, name, len(pdf.pages), standard=standard, label=label)
        ink_limit, min_ppi, error_ppi = limits
        checker = _Checker(pdf, report, ink_limit, min_ppi, error_ppi, known)
        checker.has_intent = has_intent  # (found by the document's checks)
        used = _Used(memo or {})
        if page_settings is not None:
            checker.remember_pages(used, page_settings)
            checker._keys.update(keys or {})
        try:
            checker.check_pages(numbers)
        finally:
            checker.close()
    measured = {k: v for k, v in known.items() if k not in ink_cache} if known and ink_cache is not None else {}
    return numbers, report.findings, measured, {key: used[key] for key in used.order}, report.remembered


class _Used(dict):
    """The page checks remembered, listing the keys set (used or learnt: see _Checker.check_remembered), the
    last set last."""

    def __init__(self, items: dict):
        super().__init__(items)
        self.order: dict = {}

    def __setitem__(self, key, value) -> None:
        super().__setitem__(key, value)
        self.order.pop(key, None)
        self.order[key] = None


def _open(path) -> pikepdf.Pdf:
    p = Path(path)
    if not p.is_file():
        raise PreflightError(f"{path}: no such file")
    with p.open("rb") as fh:
        head = fh.read(1024)
    if b"%PDF-" not in head:
        raise PreflightError(f"{path}: not a PDF file (starts with {head[:16]!r})")
    try:
        pdf = pikepdf.open(p)
    except pikepdf.PasswordError as exc:
        raise PreflightError(f"{path}: the PDF is encrypted; preflight needs an unencrypted file") from exc
    except pikepdf.PdfError as exc:
        raise PreflightError(f"{path}: the PDF is damaged and cannot be read ({exc})") from exc
    if pdf.is_encrypted:
        pdf.close()
        raise PreflightError(f"{path}: the PDF is encrypted; preflight needs an unencrypted file")
    return pdf


def _info(pdf: pikepdf.Pdf, key: str) -> str | None:
    value = _get(pdf.trailer, "/Info", key)
    return str(value).strip() if value is not None else None


def _xmp_version(pdf: pikepdf.Pdf) -> str | None:
    try:
        value = pdf.open_metadata().get("{http://www.npes.org/pdfx/ns/id/}GTS_PDFXVersion")
    except Exception:  # noqa: BLE001  (unreadable XMP, however it fails, is treated as absent)
        return None
    return value.strip() if isinstance(value, str) else None


def _label(pdf: pikepdf.Pdf) -> str | None:
    """The PDF/X version a file claims, as a key of LABELLED where it is one: X-1a:2001 is labelled
    GTS_PDFXVersion "PDF/X-1:2001" with GTS_PDFXConformance "PDF/X-1a:2001" (ISO 15930-1), X-1a:2003
    "PDF/X-1a:2003"; X-4 in the XMP metadata. None when it claims none."""
    version = _info(pdf, "/GTS_PDFXVersion") or _xmp_version(pdf)
    if version is None:
        return None
    conformance = _info(pdf, "/GTS_PDFXConformance")
    if version == "PDF/X-1:2001" and conformance in ("PDF/X-1a:2001", None):
        return "PDF/X-1a:2001" if conformance else version
    return version


def _family(label: str | None) -> str:
    return "x-1a" if label is not None and label.startswith("PDF/X-1") else "x-4"


def _version_tuple(version: str) -> tuple[int, ...]:
    try:
        return tuple(int(part) for part in version.split("."))
    except ValueError:
        return (9, 9)


# --- small helpers on PDF objects ---------------------------------------------------------------


def _mul(m, n):
    """m x n in PDF's row-vector convention: apply m first, then n."""
    a, b, c, d, e, f = m
    A, B, C, D, E, F = n
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _num(value, default: float = 0.0) -> float:
    """A PDF number as float; malformed values (names, strings, nulls) give `default`."""
    try:
        return float(value)
    except (TypeError, ValueError):
        return default


def _numbers(values) -> list[float] | None:
    try:
        return [float(v) for v in values]
    except (TypeError, ValueError):
        return None


def _matrix(value):
    m = _numbers(value) if isinstance(value, Array) else None
    return tuple(m) if m is not None and len(m) == 6 else IDENTITY


def _rect(value):
    r = _numbers(value) if isinstance(value, Array) else None
    if r is None or len(r) != 4:
        return None
    x0, y0, x1, y1 = r
    return (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))


def _inside(inner, outer) -> bool:
    return all(i >= o - BOX_TOLERANCE for i, o in zip(inner[:2], outer[:2])) and all(
        i <= o + BOX_TOLERANCE for i, o in zip(inner[2:], outer[2:])
    )


# PDF/X (ISO 15930) allows no annotation in the printable area (the BleedBox, or the TrimBox without one)
# but printer's marks and trap networks: a RIP may print one over the page. WeasyPrint turns every <a href>
# into a Link annotation where its text is.
PRESS_ANNOTATIONS = ("/PrinterMark", "/TrapNet")


def annotation_in_print_area(annot, page: Dictionary) -> bool:
    """Whether `annot` is an annotation PDF/X forbids on `page` (one whose Rect meets the printable area; one
    whose Rect or the page's boxes cannot be read counts as inside)."""
    if not isinstance(annot, Dictionary) or str(annot.get("/Subtype")) in PRESS_ANNOTATIONS:
        return False
    area = _rect(page.get("/BleedBox")) or _rect(page.get("/TrimBox")) or _rect(_inherited(page, "/MediaBox"))
    rect = _rect(annot.get("/Rect"))
    if area is None or rect is None:
        return True
    return (
        rect[0] < area[2] - BOX_TOLERANCE
        and rect[2] > area[0] + BOX_TOLERANCE
        and rect[1] < area[3] - BOX_TOLERANCE
        and rect[3] > area[1] + BOX_TOLERANCE
    )


def _fmt_rect(r) -> str:
    return "[" + " ".join(f"{v:g}" for v in (round(x, 2) for x in r)) + "]"


def _inherited(page: Dictionary, key: str):
    node: Any = page
    for _ in range(50):
        if node is None:
            return None
        if key in node:
            return node[key]
        node = node.get("/Parent")
    return None


def _get(dictionary, *keys):
    """dictionary[k1][k2]... or None, for resource lookups."""
    for key in keys:
        if not isinstance(dictionary, Dictionary) and not isinstance(dictionary, Stream):
            return None
        dictionary = dictionary.get(key)
    return dictionary


def _colour_family(cs, resources=None, depth: int = 0) -> tuple[str, str]:
    """(family, label): family is rgb, icc-rgb, cal-rgb, lab, cmyk, icc-cmyk, gray, spot or other."""
    if depth > 5 or cs is None:
        return "other", "unknown"
    if isinstance(cs, Name):
        name = str(cs)
        device = {"/DeviceRGB": "rgb", "/DeviceCMYK": "cmyk", "/DeviceGray": "gray"}
        if name in device:
            default = _get(resources, "/ColorSpace", "/Default" + name[7:])
            if default is not None:  # DefaultRGB/DefaultCMYK remap the device space
                family, label = _colour_family(default, resources, depth + 1)
                return family, f"{name[1:]} as {label}"
            return device[name], name[1:]
        named = _get(resources, "/ColorSpace", name)
        if named is None:
            return "other", name[1:]
        family, label = _colour_family(named, resources, depth + 1)
        return family, f"{name[1:]} ({label})"
    if not isinstance(cs, Array) or len(cs) == 0:
        return "other", "unknown"
    kind = str(cs[0])
    if len(cs) == 1:
        return _colour_family(cs[0], resources, depth + 1)
    if kind == "/ICCBased":
        n = int(_num(_get(cs[1], "/N")))
        return {1: "gray", 3: "icc-rgb", 4: "icc-cmyk"}.get(n, "other"), f"ICCBased N={n}"
    if kind in ("/CalRGB", "/Lab", "/CalGray"):
        return {"/CalRGB": "cal-rgb", "/Lab": "lab", "/CalGray": "gray"}[kind], kind[1:]
    if kind in ("/Indexed", "/Separation", "/DeviceN", "/Pattern"):
        base = cs[1] if kind in ("/Indexed", "/Pattern") else (cs[2] if len(cs) > 2 else None)
        family, label = _colour_family(base, resources, depth + 1)
        family = family if family in RGB_FAMILIES else ("spot" if kind in ("/Separation", "/DeviceN") else "other")
        return family, f"{kind[1:]} {label}"
    return "other", kind[1:]


def _font_embedded(font: Any) -> bool:
    subtype = str(font.get("/Subtype", ""))
    if subtype == "/Type3":
        return True
    if subtype == "/Type0":
        descendants = font.get("/DescendantFonts")
        font = descendants[0] if isinstance(descendants, Array) and len(descendants) else Dictionary()
    descriptor = font.get("/FontDescriptor")
    return isinstance(descriptor, Dictionary) and any(
        k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")
    )


def _font_descriptors(pdf: pikepdf.Pdf):
    """Every font descriptor of the document, indirect or inside its font dictionary, once each."""
    seen = set()
    for obj in pdf.objects:
        if not isinstance(obj, Dictionary):
            continue
        kind = obj.get("/Type")
        candidates: list = [obj] if kind == Name.FontDescriptor else []
        if kind == Name.Font:
            fonts = [obj, *(obj.get("/DescendantFonts") or [])] if obj.get("/Subtype") == Name.Type0 else [obj]
            candidates = [f.get("/FontDescriptor") for f in fonts if isinstance(f, Dictionary)]
        for descriptor in candidates:
            if not isinstance(descriptor, Dictionary):
                continue
            key = descriptor.objgen if descriptor.is_indirect else ("direct", obj.objgen)
            if key not in seen:
                seen.add(key)
                yield descriptor


def _transparency_reasons(gs: Dictionary) -> list[str]:
    reasons = []
    for key in ("/CA", "/ca"):
        if _num(gs.get(key), 1.0) < 1:
            reasons.append(f"{key[1:]} {_num(gs[key]):g}")
    bm = gs.get("/BM")
    if isinstance(bm, Array):
        bm = bm[0] if len(bm) else None
    if bm is not None and str(bm) not in ("/Normal", "/Compatible"):
        reasons.append(f"blend mode {str(bm)[1:]}")
    smask = gs.get("/SMask")
    if smask is not None and str(smask) != "/None":
        reasons.append("soft mask")
    return reasons


def _max_ink(image: Stream) -> float | str:
    """Highest C+M+Y+K of a CMYK image in percent, measured on a copy about 256 px wide;
    a string says why it could not be measured. pikepdf applies /Decode, and leaves Adobe-inverted
    JPEGs to Pillow, which un-inverts them."""
    try:
        pim = pikepdf.PdfImage(image)
        try:
            im = pim.as_pil_image(apply_mask=False)
        except TypeError:  # pikepdf before apply_mask
            im = pim.as_pil_image()
    except Exception as exc:  # noqa: BLE001  (a decoder failure of any kind only means this image cannot be measured)
        return f"{type(exc).__name__}: {exc}"
    return _ink_of(im)


def _ink_of(im) -> float | str:
    """_max_ink of a decoded (or opened, not yet decoded) image."""
    try:
        if im.mode != "CMYK":
            return f"decodes as {im.mode}, not CMYK"
        # JPEGs: decoded at 1/2..1/8 scale, to 256 px or more on the long side (draft keeps both sides at
        # least as large as asked: the short one is left free)
        im.draft("CMYK", (256, 1) if im.width >= im.height else (1, 256))
        im = im.reduce(max(1, max(im.size) // 256))
    except Exception as exc:  # noqa: BLE001  (a decoder failure of any kind only means this image cannot be measured)
        return f"{type(exc).__name__}: {exc}"
    return _max_channel_sum(im) * 100 / 255


def jpeg_ink(data: bytes) -> tuple[str, float | str]:
    """(ink_cache_key, ink coverage) of a JPEG file, as the preflight measures it once a PDF embeds the
    file as it is (DCTDecode, which pikepdf hands to Pillow unchanged): what prepares the image can fill
    the ink cache, in parallel, before the preflight of the whole document."""
    import hashlib
    import io

    from PIL import Image

    key = "dct:" + hashlib.sha256(data).hexdigest()
    try:
        im = Image.open(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001  (as _max_ink: not measurable)
        return key, f"{type(exc).__name__}: {exc}"
    return key, _ink_of(im)


def _max_channel_sum(im) -> int:
    """The largest C+M+Y+K (0..1020) over the pixels of a CMYK image, summed exactly in 32-bit integers
    by Pillow (ImageMath), not pixel by pixel in Python."""
    from PIL import ImageMath

    if im.width == 0 or im.height == 0:
        return 0
    lambda_eval = getattr(ImageMath, "lambda_eval", None)
    if lambda_eval is None:  # Pillow before 10.3
        data = im.tobytes()
        return max(map(sum, zip(data[0::4], data[1::4], data[2::4], data[3::4])), default=0)
    c, m, y, k = im.split()
    total = lambda_eval(lambda a: a["c"] + a["m"] + a["y"] + a["k"], c=c, m=m, y=y, k=k)
    return int(total.getextrema()[1])


def ink_cache_tag() -> str:
    """What the values of an ink cache depend on besides the image bytes and this code (when _max_ink
    measures differently, bump cache.VERSION): stored with the cache, which is dropped when the tag
    differs."""
    from PIL import __version__ as pillow_version

    return f"pikepdf {pikepdf.__version__}, Pillow {pillow_version}"


def page_cache_tag() -> str:
    """What remembered page checks (preflight's page_cache) depend on besides the pages, the settings and
    this code (cache.State.pages adds a tag of the code): the libraries that parse, decode and render."""
    import numpy
    import pypdfium2
    from PIL import __version__ as pillow_version

    return (
        f"pikepdf {pikepdf.__version__}, pypdfium2 {pypdfium2.PYPDFIUM_INFO} (pdfium {pypdfium2.PDFIUM_INFO}), "
        f"Pillow {pillow_version}, numpy {numpy.__version__}"
    )


def ink_cache_key(image: Stream) -> str | None:
    """The key of an image's ink coverage in an ink cache: the sha256 of its data, for a plain JPEG
    (DCTDecode alone: its measure depends on its bytes only, /Decode is left to the JPEG's own Adobe
    marker, see _max_ink); None for any other image, measured every time."""
    filters = image.get("/Filter")
    if isinstance(filters, Array) and len(filters) == 1:
        filters = filters[0]
    if filters != Name.DCTDecode or image.get("/DecodeParms") is not None:
        return None
    import hashlib

    return "dct:" + hashlib.sha256(image.read_raw_bytes()).hexdigest()


def _first(done: set, op, operands) -> bool:
    """True the first time this instruction (operator and operands) is seen in `done`; always True for
    operands that cannot be told apart cheaply (not hashable)."""
    try:
        key = (op, *operands)
        if key in done:
            return False
        done.add(key)
    except TypeError:
        pass
    return True


def _remembered(memo: dict, key):
    try:
        return memo.get(key)
    except TypeError:
        return None


def _remember(memo: dict, key, value) -> None:
    with contextlib.suppress(TypeError):  # (a key that cannot be hashed is not remembered)
        memo[key] = value


def _annotation_matrix(appearance: Stream, rect):
    """The matrix that maps an appearance's transformed BBox onto the annotation's Rect."""
    bbox, rect = _rect(appearance.get("/BBox")), _rect(rect)
    if bbox is None or rect is None:
        return None
    m = _matrix(appearance.get("/Matrix"))
    xs, ys = zip(*[(x * m[0] + y * m[2] + m[4], x * m[1] + y * m[3] + m[5]) for x in bbox[0::2] for y in bbox[1::2]])
    if max(xs) - min(xs) < 1e-6 or max(ys) - min(ys) < 1e-6:
        return None
    sx, sy = (rect[2] - rect[0]) / (max(xs) - min(xs)), (rect[3] - rect[1]) / (max(ys) - min(ys))
    return (sx, 0.0, 0.0, sy, rect[0] - sx * min(xs), rect[1] - sy * min(ys))


_FINE_OPS = frozenset(_FINE_OPERATORS.split())
_NO_STATE = (None, None, None, None, 0.0, 1.0, 0)  # fill, fill values, stroke, stroke values, size, width, mode


def _inks(space, values) -> int | None:
    """How many inks a colour prints with (None: not a device colour that says, e.g. RGB or a pattern)."""
    if space is None or values is None:
        return None
    family, label = space
    if family in CMYK_FAMILIES and len(values) == 4:
        return sum(v > 0.004 for v in values)
    if family == "gray" and len(values) == 1:
        return int(values[0] < 0.996)
    if family == "spot":
        return sum(v > 0.004 for v in values)
    return None


def _scale(m) -> float:
    return abs(m[0] * m[3] - m[1] * m[2]) ** 0.5


class _Fine:
    """Small type and fine rules in one content stream (see _Checker.fine): the colours, text size and
    matrix, line width and current path, as the stream sets them."""

    def __init__(self, checker: _Checker, number: int):
        self.checker, self.number = checker, number
        self.state: tuple = _NO_STATE
        self.tm = IDENTITY
        self.rects: list[list[float]] = []
        self.curves = False

    def colour(self, is_fill: bool, space, args) -> None:
        values = _numbers(args) if args is not None else None
        if values is None and space is not None:  # cs/CS: the space's initial colour
            values = {"cmyk": [0.0, 0.0, 0.0, 1.0], "gray": [0.0], "spot": [1.0]}.get(space[0])
        fill, fill_v, stroke, stroke_v, size, width, mode = self.state
        if is_fill:
            self.state = (space, values, stroke, stroke_v, size, width, mode)
        else:
            self.state = (fill, fill_v, space, values, size, width, mode)

    def operator(self, op: str, args, ctm) -> None:
        fill, fill_v, stroke, stroke_v, size, width, mode = self.state
        if op == "Tf" and len(args) == 2:
            self.state = (fill, fill_v, stroke, stroke_v, _num(args[1]), width, mode)
        elif op == "w" and args:
            self.state = (fill, fill_v, stroke, stroke_v, size, _num(args[0], 1.0), mode)
        elif op == "Tr" and args:
            self.state = (fill, fill_v, stroke, stroke_v, size, width, int(_num(args[0])))
        elif op == "BT":
            self.tm = IDENTITY
        elif op == "Tm" and len(args) == 6:
            self.tm = _matrix(Array(args))
        elif op in ("Tj", "TJ", "'", '"'):
            effective = size * _scale(_mul(self.tm, ctm))
            if 0 < effective < SMALL_TYPE - 0.01 and mode not in (3, 7):
                if mode in (0, 2, 4, 6):
                    self.checker.fine(self.number, f"{effective:.1f} pt text", fill, fill_v)
                if mode in (1, 2, 5, 6):
                    self.checker.fine(self.number, f"{effective:.1f} pt text outline", stroke, stroke_v)
        elif op == "re" and len(args) == 4:
            self.rects.append([_num(a) for a in args])
        elif op in ("m", "l", "c", "v", "y", "h"):
            self.curves = True
        else:  # a path painted or ended
            if op in ("S", "s", "B", "B*", "b", "b*"):
                line = width * _scale(ctm)
                if line < FINE_RULE - 0.01:
                    self.checker.fine(self.number, f"{line:.2f} pt rule", stroke, stroke_v)
            if op in ("f", "F", "f*", "B", "B*", "b", "b*") and not self.curves:
                thickness = _rule_thickness(self.rects, op.endswith("*")) * _scale(ctm)
                if 0 < thickness < FINE_RULE - 0.01:
                    self.checker.fine(self.number, f"{thickness:.2f} pt rule", fill, fill_v)
            self.rects, self.curves = [], False


def _rule_thickness(rects: list[list[float]], even_odd: bool) -> float:
    """The thickness of a filled path of rectangles drawn as a rule or border: one rectangle, its smaller
    side; two filled even-odd (WeasyPrint's borders: the ring between them), the widest side of the ring;
    0 for anything else."""
    if len(rects) == 1:
        return min(abs(rects[0][2]), abs(rects[0][3]))
    if len(rects) == 2 and even_odd:
        (a, b) = [(min(x, x + w), min(y, y + h), max(x, x + w), max(y, y + h)) for x, y, w, h in rects]
        sides = [abs(p - q) for p, q in zip(a, b) if abs(p - q) > 0.01]
        return max(sides, default=0.0)
    return 0.0


# --- the checker --------------------------------------------------------------------------------


class _Checker:
    def __init__(self, pdf: pikepdf.Pdf, report: Report, ink_limit, min_ppi, error_ppi, ink_cache=None):
        self.pdf, self.report = pdf, report
        self.remembered_ink = ink_cache  # across runs (see preflight), by ink_cache_key
        self.x1a = report.standard == "x-1a"
        self.ink_limit, self.min_ppi, self.error_ppi = ink_limit, min_ppi, error_ppi
        self.has_intent = False
        self._seen: set = set()
        self._ink_cache: dict = {}
        self._fonts_done: set = set()
        self._transparency_done: set = set()
        self._spaces_done: set = set()
        self._fine_done: set = set()
        self._rendered: Any = None  # the document opened by pypdfium2, to render pages (check_trim_edges)
        self._unit = 1.0
        self._rotated = False
        self.remembered_pages: dict | None = None  # page findings by page key (see remember_pages)
        self.page_settings: str | None = None  # what the page keys are made with besides the page
        self._page_keys: Any = None  # preflightmemo.PageKeys
        self._keys: dict[int, str | None] = {}  # page number -> its key
        self._unrememberable = False  # the page being checked depends on more than its key (see check_remembered)
        self._placed: dict[int, Any] = {}  # page number -> its placed keys (PageKeys.placed), None if not placed
        self._bounds: dict[int, Any] = {}  # page number -> its bounds keys (PageKeys.bounds_keys), None if none
        self._attempts = 0  # findings tried (even when the page has them already): see _record_placed
        # [stamp object, stamp clean, ctm at the stamp, /FolioN drawn, boxes' end, graphics state stack
        # emptied, (bounds key, boxes) of its content] of the placed page being checked
        self._recording: Any = None

    def add(self, severity, check, page, obj, message):
        self._attempts += 1
        key = (check, page, obj, message)
        if key not in self._seen:
            self._seen.add(key)
            self.report.findings.append(Finding(severity, check, page, obj, message))

    def check_document(self):
        self.check_pdfx_version()
        self.check_file_structure()
        self.check_fonts()
        if not isinstance(self.pdf.trailer.get("/ID"), Array):
            self.add(
                "error",
                "document-id",
                None,
                "trailer /ID",
                "no document ID (/ID in the trailer): PDF/X requires one",
            )
        self.check_output_intent()
        if self.report.profile == "catalogue" and self.report.pages % 4:
            self.add(
                "error",
                "page-count",
                None,
                f"{self.report.pages} pages",
                f"{_plural(self.report.pages, 'page')}: a saddle-stitched catalogue needs a multiple of 4",
            )

    def check_pages(self, numbers):
        for number in numbers:
            self.check_remembered(number)

    def remember_pages(self, cache: dict, settings: str | None = None) -> None:
        """Remember the findings of each page in `cache` by the key of what its checks read (see
        presskit.preflightmemo; the document's `settings` are part of it), and take them from there."""
        from .preflightmemo import PageKeys

        self.remembered_pages = cache
        if "/OCProperties" in self.pdf.Root:  # (optional content: what is rendered depends on the document)
            return
        if settings is None:
            report = self.report
            settings = repr(
                [page_cache_tag(), report.profile, report.standard, report.label, self.has_intent]
                + [self.ink_limit, self.min_ppi, self.error_ppi]
            )
        self.page_settings, self._page_keys = settings, PageKeys(self.pdf, settings, _font_embedded)

    def page_key(self, number: int) -> str | None:
        """The key of page `number` (computed once), None when its checks are not remembered."""
        if self._page_keys is None:
            return None
        if number not in self._keys:
            self._keys[number] = self._page_keys.key(self.pdf.pages[number - 1].obj)
        return self._keys[number]

    def check_remembered(self, number: int) -> None:
        """Page `number` checked, or its findings taken from the remembered page checks when its key is
        there. A page is remembered unless its findings depend on other pages: a font of its whose check
        says something (not embedded, or Type3 glyphs walked) is checked on its first use in the document
        only; or when its rendering failed."""
        remembered, key = self.remembered_pages, self.page_key(number)
        found = remembered.pop(key, None) if remembered is not None and key is not None else None
        if remembered is not None and found is not None:
            remembered[key] = found  # (put back last: the last used are kept longest, cache.PAGES_LIMIT)
            for severity, check, obj, message in found:
                self.add(severity, check, number, obj, message)
            self.report.remembered += 1
            return
        start = len(self.report.findings)
        self._unrememberable = False
        placed = self.placed_keys(number) if remembered is not None else None
        if placed is not None and self._check_placed(number, placed):
            self.report.remembered += 1
        else:
            self._recording = [placed[2], False, None, 0, start, 0, None] if placed is not None else None
            try:
                self.check_page(self.pdf.pages[number - 1], number)
            finally:
                recording, self._recording = self._recording, None
            if placed is not None and recording is not None and remembered is not None:
                self._record_placed(placed, recording)
                if recording[5] == 2 and recording[6] is not None:  # (its content kept to its q/Q: see walk)
                    remembered[recording[6][0]] = recording[6][1]
        if remembered is not None and key is not None and not self._unrememberable:
            remembered[key] = [[f.severity, f.check, f.object, f.message] for f in self.report.findings[start:]]

    def placed_keys(self, number: int):
        """Page `number`'s placed keys (preflightmemo.PageKeys.placed; computed once), None when it has none."""
        if self._page_keys is None:
            return None
        if number not in self._placed:
            page = self.pdf.pages[number - 1].obj
            self._placed[number] = self._page_keys.placed(page, _num(page.get("/UserUnit"), 1.0))
        return self._placed[number]

    def unknown_pages(self) -> list[int]:
        """The numbers of the pages whose checks are not remembered by their keys: all of them without
        remember_pages, or when none is remembered (their keys are then computed where they are checked)."""
        if not self.remembered_pages:
            return list(range(1, self.report.pages + 1))
        return [n for n in range(1, self.report.pages + 1) if self.page_key(n) not in self.remembered_pages]

    def cost(self, number: int) -> int:
        """What checking page `number` (its checks not remembered by its key) costs, roughly, told without
        computing another key: a placed page's content and stamp checks are most of the time remembered
        (see check_remembered) when others are; any other page is checked whole."""
        from .preflightmemo import looks_placed

        if self._page_keys is None or not self.remembered_pages:
            return FULL_CHECK
        return PLACED_CHECK if looks_placed(self.pdf.pages[number - 1].obj) else FULL_CHECK

    def bounds_keys(self, number: int):
        """Page `number`'s bounds keys (preflightmemo.PageKeys.bounds_keys; computed once), None when it is
        not a placed page."""
        if number not in self._bounds:
            placed = self.placed_keys(number)
            try:
                keys = self._page_keys.bounds_keys(self.pdf.pages[number - 1].obj, placed) if placed else None
            except Exception:  # noqa: BLE001  (as PageKeys.key: objects that loop or cannot be read)
                keys = None
            self._bounds[number] = keys
        return self._bounds[number]

    def _check_placed(self, number: int, placed) -> bool:
        """A placed catalogue page checked from its content's and its stamp's remembered checks: its boxes and
        edges checked (the edges are rendered: they read the shift and the stamp), then its content's findings
        (no check of its content reads the shift, only its scale); False when either is not remembered."""
        content_key, stamp_key, _ = placed
        memo = self.remembered_pages or {}
        content = _remembered(memo, content_key)
        if content is None or _remembered(memo, stamp_key) != []:
            return False
        memo[content_key], memo[stamp_key] = memo.pop(content_key), memo.pop(stamp_key)  # (used last: kept)
        page = self.pdf.pages[number - 1].obj
        self._unit = _num(page.get("/UserUnit"), 1.0)
        self._rotated = _num(_inherited(page, "/Rotate")) % 360 != 0
        self.check_boxes(page, number, self._unit)
        for severity, check, obj, message in content:
            self.add(severity, check, number, obj, message)
        return True

    def _record_placed(self, placed, recording) -> None:
        """Remember a placed page's stamp as clean when its check tried no finding at the page's scale (an
        empty list), and its content's findings (those after its boxes') when its stamp was clean, drawn once
        at the page's scale and no other /FolioN was: then no finding of the content depends on the stamp;
        and its content kept to the placement's q/Q (its graphics state stack emptied twice: after its content,
        after its stamp), so that its edges can be told from its boxes shifted (check_trim_edges)."""
        content_key, stamp_key, _ = placed
        _, clean, ctm, folios, boxes_end, emptied, _ = recording
        memo = self.remembered_pages
        if memo is None or not clean or ctm is None or tuple(ctm[:4]) != (self._unit, 0.0, 0.0, self._unit):
            return
        memo[stamp_key] = []
        if folios == 1 and emptied == 2 and not self._unrememberable and boxes_end is not None:
            memo[content_key] = [[f.severity, f.check, f.object, f.message] for f in self.report.findings[boxes_end:]]

    # document level
    def check_pdfx_version(self):
        want = "PDF/X-1a" if self.x1a else "PDF/X-4"
        info, xmp = _info(self.pdf, "/GTS_PDFXVersion"), _xmp_version(self.pdf)
        if info is None and xmp is None:
            self.add(
                "error",
                "pdfx-version",
                None,
                "GTS_PDFXVersion",
                f"no PDF/X version identifier (Info GTS_PDFXVersion / XMP pdfxid:GTS_PDFXVersion); "
                f"the file does not claim to be {want}",
            )
            return
        accepted = ("PDF/X-1:2001", "PDF/X-1a:2001", "PDF/X-1a:2003") if self.x1a else ("PDF/X-4", "PDF/X-4p")
        wrong = [(src, v) for src, v in (("Info", info), ("XMP", xmp)) if v is not None and v not in accepted]
        for source, value in wrong:
            self.add(
                "error",
                "pdfx-version",
                None,
                f"{source} GTS_PDFXVersion",
                f"the file claims {value} but the profile is {want}",
            )
        required, where = (info, "Info dictionary") if self.x1a else (xmp, "XMP metadata (pdfxid:GTS_PDFXVersion)")
        if required is None and not wrong:  # X-1a is identified in Info, X-4 in XMP
            self.add("error", "pdfx-version", None, "GTS_PDFXVersion", f"{want} must be identified in the {where}")
        conformance = _info(self.pdf, "/GTS_PDFXConformance")
        if self.x1a and info == "PDF/X-1:2001" and conformance != "PDF/X-1a:2001":
            self.add(
                "error",
                "pdfx-version",
                None,
                "GTS_PDFXConformance",
                f"GTS_PDFXVersion PDF/X-1:2001 needs GTS_PDFXConformance PDF/X-1a:2001 (got {conformance or 'none'})",
            )

    def check_file_structure(self):
        """The PDF version and the object and cross-reference streams the claimed standard allows."""
        label = self.report.label
        limit, streams = LABELLED.get(label or "", UNLABELLED[self.report.standard or "x-4"])
        standard = label if label in LABELLED else f"pdf/{self.report.standard}"
        version = str(self.pdf.pdf_version)
        catalog_version = self.pdf.Root.get("/Version")
        if isinstance(catalog_version, Name) and _version_tuple(str(catalog_version)[1:]) > _version_tuple(version):
            version = str(catalog_version)[1:]
        if _version_tuple(version) > _version_tuple(limit):
            self.add(
                "error",
                "pdf-version",
                None,
                f"PDF {version}",
                f"PDF {version}: {standard} allows PDF {limit} at most",
            )
        if streams:
            return
        kinds = {"/ObjStm": 0, "/XRef": 0}
        for obj in self.pdf.objects:
            if isinstance(obj, Stream) and (kind := str(obj.get("/Type"))) in kinds:
                kinds[kind] += 1
        if kinds["/ObjStm"]:
            self.add(
                "error",
                "pdf-version",
                None,
                f"{_plural(kinds['/ObjStm'], 'object stream')}",
                f"object streams (PDF 1.5): {standard} allows none; save the file without them",
            )
        if kinds["/XRef"]:
            self.add(
                "error",
                "pdf-version",
                None,
                "cross-reference stream",
                f"a cross-reference stream (PDF 1.5): {standard} needs a classic xref table",
            )

    def check_fonts(self):
        """Per document: every embedded font program in a format the standard allows, and one subset tag
        (the six letters before '+') per font program: RIPs cache fonts by name."""
        programs: dict[str, set[str]] = {}
        for obj in _font_descriptors(self.pdf):
            name = str(obj.get("/FontName", "")).lstrip("/")
            program = next((obj.get(k) for k in ("/FontFile", "/FontFile2", "/FontFile3") if k in obj), None)
            if not isinstance(program, Stream):
                continue
            subtype = str(program.get("/Subtype", "")).lstrip("/")
            if "/FontFile3" in obj and subtype == "OpenType" and (self.x1a or not self._streams_allowed()):
                self.add(
                    "error",
                    "font-format",
                    None,
                    name,
                    f"font {name} is embedded as FontFile3 /OpenType (PDF 1.6); "
                    f"{self.report.label or 'pdf/' + self.report.standard} needs Type1C, CIDFontType0C or TrueType",
                )
            if name.endswith(","):
                self.add("error", "font-name", None, name, f"font name {name!r} ends in a stray comma")
            if re.match(r"[A-Z]{6}\+", name):
                programs.setdefault(name, set()).add(hashlib.sha256(program.read_raw_bytes()).hexdigest())
        for name, digests in programs.items():
            if len(digests) > 1:
                self.add(
                    "error",
                    "font-subset-tag",
                    None,
                    name,
                    f"one subset name {name} for {len(digests)} different font programs: a RIP that caches "
                    "fonts by name prints wrong glyphs; every subset needs its own tag",
                )

    def _streams_allowed(self) -> bool:
        return LABELLED.get(self.report.label or "", UNLABELLED[self.report.standard or "x-4"])[1]

    def check_output_intent(self):
        intents = self.pdf.Root.get("/OutputIntents")
        gts = [
            oi
            for oi in (intents if isinstance(intents, Array) else [])
            if isinstance(oi, Dictionary) and str(oi.get("/S")) == "/GTS_PDFX"
        ]
        if not gts:
            self.add(
                "error",
                "output-intent",
                None,
                "OutputIntents",
                "no /GTS_PDFX output intent: the printer cannot tell which press condition the colours are for",
            )
            return
        intent = gts[0]
        identifier = intent.get("/OutputConditionIdentifier")
        name = str(identifier if identifier is not None else intent.get("/Info", "unnamed"))
        if identifier is None:
            self.add(
                "error",
                "output-intent",
                None,
                name,
                "the output intent has no OutputConditionIdentifier (the press condition's name)",
            )
        elif REGISTERED_CONDITION.fullmatch(str(identifier).strip()) and intent.get("/RegistryName") is None:
            self.add(
                "error",
                "output-intent",
                None,
                name,
                f"the output intent names the registered condition {name} without RegistryName (http://www.color.org)",
            )
        icc = intent.get("/DestOutputProfile")
        if not isinstance(icc, Stream):
            self.add("error", "output-intent", None, name, "the output intent has no embedded ICC profile")
            return
        n = int(_num(icc.get("/N")))
        if n != 4:
            self.add(
                "error",
                "output-intent",
                None,
                name,
                f"the output intent profile has {n} components; a press profile is CMYK (N=4)",
            )
            return
        self.has_intent = True
        self.add("info", "output-intent", None, name, f"output intent: {name}")

    # page level
    def check_page(self, page: pikepdf.Page, number: int):
        unit = self._unit = _num(page.obj.get("/UserUnit"), 1.0)
        self._rotated = _num(_inherited(page.obj, "/Rotate")) % 360 != 0
        self.check_boxes(page.obj, number, unit)
        if self._recording is not None:
            self._recording[4] = len(self.report.findings)
        self.check_group(page.obj.get("/Group"), number, "page")
        resources = _inherited(page.obj, "/Resources")
        ctm = (unit, 0.0, 0.0, unit, 0.0, 0.0)
        if "/Contents" in page.obj:
            contents = page.obj.Contents
            for stream in contents if isinstance(contents, Array) else [contents]:
                self.check_stream(stream, number, "page content stream")
            self.walk(page, resources, ctm, number, frozenset(), "page")
        annots = page.obj.get("/Annots")
        for annot in annots if isinstance(annots, Array) else []:
            if annotation_in_print_area(annot, page.obj):
                rect = _rect(annot.get("/Rect"))
                self.add(
                    "error",
                    "annotation",
                    number,
                    f"{str(annot.get('/Subtype', '/Annot'))[1:]} annotation" + (f" {_fmt_rect(rect)}" if rect else ""),
                    "an annotation (a link, a comment) inside the printable area: PDF/X allows none there but "
                    "printer's marks and trap networks (a RIP may print it over the page)",
                )
            if not isinstance(annot, Dictionary) or int(_num(annot.get("/F"))) & 6 != 4:
                continue  # only printable, visible annotations reach the press
            ap = _get(annot, "/AP", "/N")
            if isinstance(ap, Dictionary) and not isinstance(ap, Stream):
                ap = ap.get(str(annot.get("/AS", "/Off")))
            matrix = _annotation_matrix(ap, annot.get("/Rect")) if isinstance(ap, Stream) else None
            if matrix is not None:
                self.form(ap, "annotation", resources, _mul(matrix, ctm), number, frozenset())

    def check_boxes(self, page: Dictionary, number: int, unit: float):
        def box(key, inherit=False):
            r = _rect(_inherited(page, key) if inherit else page.get(key))
            return None if r is None else tuple(v * unit for v in r)

        media, trim, bleed = box("/MediaBox", True), box("/TrimBox"), box("/BleedBox")
        if trim is None:
            art = " (it has an ArtBox; printers want a TrimBox)" if "/ArtBox" in page else ""
            self.add("error", "trimbox", number, "TrimBox", f"no TrimBox: the finished page size is unknown{art}")
        elif media is not None and not _inside(trim, media):
            self.add(
                "error",
                "trimbox",
                number,
                f"TrimBox {_fmt_rect(trim)}",
                f"the TrimBox is not inside the MediaBox {_fmt_rect(media)}",
            )
        if bleed is not None and media is not None and not _inside(bleed, media):
            self.add(
                "error",
                "bleed",
                number,
                f"BleedBox {_fmt_rect(bleed)}",
                f"the BleedBox is not inside the MediaBox {_fmt_rect(media)}",
            )
        if trim is None:
            return
        if bleed is not None and not _inside(trim, bleed):
            self.add(
                "error",
                "trimbox",
                number,
                f"TrimBox {_fmt_rect(trim)}",
                f"the TrimBox is not inside the BleedBox {_fmt_rect(bleed)}",
            )
            return
        self.check_trim_edges(number, media, trim, bleed)

    def check_trim_edges(self, number: int, media, trim, bleed):
        """Ink reaching the trim: it must go on into a bleed of 3 mm (presskit.trimedges). A placed page is
        not rendered when the boxes pdfium gave what its content (at no shift) and its stamp draw are
        remembered (preflightmemo.PageKeys.bounds_keys) and keep clear of its edges at its shift: pdfium
        draws no object whose box misses what it renders, so the strips would be all paper."""
        if media is None or self._unit != 1.0 or self._rotated:
            return  # (the rendering would need mapping back: UserUnit and /Rotate pages are left unchecked)
        from . import trimedges

        bounds = self._remembered_bounds(number)
        if bounds is not None and trimedges.clear_of_edges(media, trim, bleed or media, bounds):
            return  # (nothing is drawn near the edges: the strips rendered would be all paper)
        try:
            if self._rendered is None:
                import pypdfium2

                self._rendered = pypdfium2.PdfDocument(str(self.report.path))
            rendered = self._rendered[number - 1]
            edges = trimedges.inked_edges(rendered, media, trim, bleed or media)
            self._remember_bounds(number, rendered)
        except Exception as exc:  # noqa: BLE001  (a page pdfium cannot render is reported, not fatal)
            self._unrememberable = True
            self.add("warning", "bleed", number, "page", f"the page could not be rendered to check its edges ({exc})")
            return
        finally:
            if number % PDFIUM_PAGES_PER_OPEN == 0:
                self.close()  # (opened again for the next page)
        for edge in edges:
            where = f"the {edge.side} edge ({edge.length / 72 * 25.4:.0f} mm of it)"
            if edge.bleed < MIN_BLEED - BOX_TOLERANCE:
                had = "no bleed" if edge.bleed < trimedges.MIN_BLEED_PT else f"only {edge.bleed / 72 * 25.4:.1f} mm"
                message = (
                    f"no bleed: ink reaches the trim on {where} and there is {had} beyond it; "
                    "at least 3 mm (8.5 pt) is needed"
                )
            elif edge.stops:
                message = (
                    f"ink reaches the trim on {where} and stops there: trimming leaves a white sliver; "
                    "extend it 3 mm into the bleed"
                )
            else:
                continue
            self.add("error", "bleed", number, f"{edge.side} edge", message)

    def _remembered_bounds(self, number: int) -> list | None:
        """The boxes of what placed page `number` draws, its content's shifted (see check_trim_edges), when
        they are remembered and the page has no annotations (pdfium may draw their appearances)."""
        memo = self.remembered_pages
        keys = self.bounds_keys(number) if memo is not None and self._placed.get(number) else None
        if memo is None or keys is None or "/Annots" in self.pdf.pages[number - 1].obj:
            return None
        content, stamp = _remembered(memo, keys[0]), _remembered(memo, keys[1])
        if content is None or stamp is None:
            return None
        memo[keys[0]], memo[keys[1]] = memo.pop(keys[0]), memo.pop(keys[1])  # (used last: kept)
        shift = keys[2]
        boxes = [[float(v) + (shift if i % 2 == 0 else 0.0) for i, v in enumerate(box)] for box in content]
        return boxes + [[float(v) for v in box] for box in stamp]

    def _remember_bounds(self, number: int, rendered) -> None:
        """Remember the boxes of what placed page `number` draws (`rendered`: the page as pdfium opened it),
        its content's unshifted, by its bounds keys (see check_trim_edges)."""
        from .trimedges import placed_bounds

        memo = self.remembered_pages
        keys = self.bounds_keys(number) if memo is not None and self._placed.get(number) else None
        found = placed_bounds(rendered) if keys is not None else None
        if keys is None or found is None or memo is None:
            return
        content, stamp = found
        shift = keys[2]
        unshifted = (content[0] - shift, content[1], content[2] - shift, content[3]) if content is not None else None
        boxes = [[repr(v) for v in unshifted]] if unshifted is not None else []
        if self._recording is None:  # (its content's checks remembered: it keeps to its q/Q, see check_remembered)
            memo[keys[0]] = boxes
        else:  # (remembered once its check finds that its content keeps to the placement's q/Q: shifted whole)
            self._recording[6] = (keys[0], boxes)
        memo[keys[1]] = [[repr(v) for v in stamp]]

    def close(self):
        if self._rendered is not None:
            self._rendered.close()
            self._rendered = None

    def check_stream(self, stream, number, what):
        """A compressed stream with no data at all is not a valid stream: Ghostscript reports 'error reading
        a stream' and repairs the file (an empty content stream needs no filter)."""
        if isinstance(stream, Stream) and stream.get("/Filter") is not None and not stream.read_raw_bytes():
            filters = stream.get("/Filter")
            name = str(filters[0] if isinstance(filters, Array) and len(filters) else filters).lstrip("/")
            self.add(
                "error",
                "content",
                number,
                what,
                f"a {name} {what} of length 0 is not a valid stream (RIPs report a read error and repair the file)",
            )

    def check_group(self, group, number, what):
        if isinstance(group, Dictionary) and str(group.get("/S")) == "/Transparency":
            self.transparency(number, f"{what} transparency group", "a transparency group")

    def transparency(self, number, obj, reason):
        """One finding per page and kind of transparency (WeasyPrint alone makes dozens of groups)."""
        self._attempts += 1
        if (number, reason) in self._transparency_done:
            return
        self._transparency_done.add((number, reason))
        if self.x1a:
            self.add("error", "transparency", number, obj, f"{reason}: PDF/X-1a does not allow transparency")
        else:
            self.add("info", "transparency", number, obj, f"{reason}: live transparency, flattened by the RIP")

    def colour(self, number, obj, family, label):
        if self.x1a and (family in RGB_FAMILIES or any(kind in label for kind in X1A_FORBIDDEN)):
            message = f"{label} colour: PDF/X-1a allows only DeviceCMYK, DeviceGray and spot colours"
        elif not self.x1a and family == "rgb":
            message = "untagged DeviceRGB: PDF/X-4 allows no untagged RGB; convert to CMYK"
        elif not self.x1a and family in RGB_FAMILIES and not self.has_intent:
            self.add(
                "warning",
                "colour-space",
                number,
                obj,
                f"{label} colour needs an output intent to be converted for the press",
            )
            return
        else:
            return
        self.add("error", "colour-space", number, obj, message)

    def ink(self, number, obj, operands):
        values = [v * 100 for v in _numbers(operands) or []]
        total = sum(values)
        if total > self.ink_limit + 0.5:
            self.add(
                "error",
                "ink-coverage",
                number,
                obj,
                f"total ink {total:.0f}% ({'/'.join(f'{v:.0f}' for v in values)}) "
                f"exceeds the {self.ink_limit:g}% limit",
            )

    # content streams
    def walk(self, source, resources, ctm, number, stack, where):
        """Interpret one content stream. ctm None = do not measure (Type3 glyphs)."""
        try:
            operators = _WALKED_OPERATORS + (_FINE_OPERATORS if ctm is not None else "")
            instructions = pikepdf.parse_content_stream(source, operators)
        except pikepdf.PdfError as exc:
            self.add("warning", "content", number, where, f"content stream could not be parsed ({exc})")
            return
        if self.x1a:
            self.resource_spaces(resources, number)
        base, saved = ctm, []
        fill = stroke = ("gray", "DeviceGray")
        # A stream repeats the same instructions (a font, a colour, a graphics state) hundreds of times.
        # The checks of those below depend only on the instruction, this stream's resources and its page,
        # and their findings are kept once: each distinct instruction is checked once per stream.
        done: set = set()
        spaces: dict = {}
        fine = _Fine(self, number)
        for instruction in instructions:
            op, args = str(instruction.operator), instruction.operands
            if op in _FINE_OPS:
                if ctm is not None:
                    fine.operator(op, args, ctm)
            elif op == "q":
                saved.append((ctm, fill, stroke, fine.state))
            elif op == "Q":
                ctm, fill, stroke, fine.state = saved.pop() if saved else (base, fill, stroke, fine.state)
                if not saved and where == "page" and not stack and self._recording is not None:
                    self._recording[5] += 1  # (a placed page's: after its content, and after its stamp)
            elif op == "cm" and ctm is not None and len(args) == 6 and (m := _numbers(args)):
                ctm = _mul(m, ctm)
            elif op in ("g", "G") and args:
                fine.colour(op == "g", ("gray", "DeviceGray"), args)
            elif op in ("rg", "RG"):
                fine.colour(op == "rg", ("rgb", "DeviceRGB"), args)
                if _first(done, op, ()):
                    space = _colour_family(Name.DeviceRGB, resources)
                    self.colour(number, f"{'fill' if op == 'rg' else 'stroke'} colour {space[1]}", *space)
            elif op in ("k", "K") and len(args) == 4:
                fine.colour(op == "k", ("cmyk", "DeviceCMYK"), args)
                if _first(done, op, args):
                    self.ink(number, f"{'fill' if op == 'k' else 'stroke'} colour", args)
            elif op in ("cs", "CS") and args:
                space = _remembered(spaces, (op, args[0]))
                if space is None:
                    space = _colour_family(args[0], resources)
                    _remember(spaces, (op, args[0]), space)
                    self.colour(number, f"{'fill' if op == 'cs' else 'stroke'} colour space {space[1]}", *space)
                fill, stroke = (space, stroke) if op == "cs" else (fill, space)
                fine.colour(op == "cs", space, None)
            elif op in ("sc", "scn", "SC", "SCN") and args:
                space = fill if op.islower() else stroke
                fine.colour(op.islower(), space, None if isinstance(args[-1], Name) else args)
                if isinstance(args[-1], Name):
                    self.pattern(_get(resources, "/Pattern", args[-1]), str(args[-1]), resources, base, number, stack)
                elif space[0] in CMYK_FAMILIES and len(args) == 4 and _first(done, op.islower(), args):
                    self.ink(number, f"{'fill' if op.islower() else 'stroke'} colour", args)
            elif op == "gs" and args:
                if _first(done, op, args[:1]):
                    gs = _get(resources, "/ExtGState", args[0])
                    if isinstance(gs, Dictionary) and (reasons := _transparency_reasons(gs)):
                        self.transparency(number, f"ExtGState {args[0]}", ", ".join(reasons))
            elif op == "sh" and args:
                if _first(done, op, args[:1]):
                    self.shading(_get(resources, "/Shading", args[0]), str(args[0]), resources, number)
            elif op == "Tf" and args:
                fine.operator(op, args, ctm)
                if _first(done, op, args[:1]):
                    self.font(_get(resources, "/Font", args[0]), str(args[0]), resources, number, stack)
            elif op == "Do" and args:
                if self._recording is not None and str(args[0]).startswith("/Folio"):
                    self._recording[3] += 1
                self.xobject(_get(resources, "/XObject", args[0]), str(args[0]), resources, ctm, number, stack)
            elif op == "INLINE IMAGE" and args:
                self.image(args[0].obj, "inline", resources, ctm, number)

    def resource_spaces(self, resources, number):
        """PDF/X-1a: every colour space a resource dictionary declares, used or not (preflights that read
        resource dictionaries flag them)."""
        spaces = _get(resources, "/ColorSpace")
        if not isinstance(spaces, Dictionary):
            return
        if (key := (spaces.objgen, number)) in self._spaces_done:
            self._attempts += 1  # (what it found is on the page already)
            return
        if spaces.is_indirect:
            self._spaces_done.add(key)
        for name, space in spaces.items():
            family, label = _colour_family(space, resources)
            self.colour(number, f"colour space resource {name} ({label})", family, label)

    def fine(self, number, what, space, values):
        """Small type or a fine rule: one ink (K or a single process colour), never a mix that
        misregistration blurs. One finding per page and colour."""
        inks = _inks(space, values)
        if inks is None or inks < 2:
            return
        self._attempts += 1
        colour = "/".join(f"{v * 100:g}" for v in values)
        kind = "text" if "text" in what else "rule"
        if (number, kind, colour) in self._fine_done:
            return
        self._fine_done.add((number, kind, colour))
        limit = f"type under {SMALL_TYPE:g} pt prints" if kind == "text" else f"rules under {FINE_RULE:g} pt print"
        self.add(
            "error",
            "fine-element",
            number,
            f"{what} in {colour}",
            f"{what} in a {inks}-ink mix ({space[1]} {colour}): {limit} in one ink "
            "(K or a single process colour); misregistration blurs a mix",
        )

    def xobject(self, xobj, name, resources, ctm, number, stack):
        if not isinstance(xobj, Stream):
            return
        subtype = str(xobj.get("/Subtype"))
        if subtype == "/Image":
            self.image(xobj, name, resources, ctm, number)
        elif subtype == "/Form":
            self.form(xobj, f"form {name}", resources, ctm, number, stack)

    def form(self, xobj: Stream, where, resources, ctm, number, stack):
        if xobj.objgen in stack or len(stack) > MAX_DEPTH:
            return
        recording = self._recording
        if recording is not None and xobj.objgen == recording[0] and recording[2] is None and not stack:
            # a placed page's stamp (see _record_placed): is it clean, and at what matrix
            attempts, unrememberable, self._unrememberable = self._attempts, self._unrememberable, False
            recording[2] = ctm
            self._form(xobj, where, resources, ctm, number, stack)
            recording[1] = self._attempts == attempts and not self._unrememberable
            self._unrememberable = self._unrememberable or unrememberable
            return
        self._form(xobj, where, resources, ctm, number, stack)

    def _form(self, xobj: Stream, where, resources, ctm, number, stack):
        self.check_group(xobj.get("/Group"), number, where)
        self.check_stream(xobj, number, where)
        sub_ctm = None if ctm is None else _mul(_matrix(xobj.get("/Matrix")), ctm)
        self.walk(xobj, xobj.get("/Resources", resources), sub_ctm, number, stack | {xobj.objgen}, where)

    def pattern(self, pattern, name, resources, base, number, stack):
        if not isinstance(pattern, (Dictionary, Stream)):
            return
        if _num(pattern.get("/PatternType")) == 2:
            self.shading(pattern.get("/Shading"), name, resources, number)
        elif isinstance(pattern, Stream):  # tiling pattern: a content stream of its own
            self.form(pattern, f"pattern {name}", resources, base, number, stack)

    def shading(self, shading, name, resources, number):
        if isinstance(shading, (Dictionary, Stream)):
            family, label = _colour_family(shading.get("/ColorSpace"), resources)
            self.colour(number, f"shading {name} {label}", family, label)

    def font(self, font, name, resources, number, stack):
        if not isinstance(font, Dictionary):
            return
        key = font.objgen if font.is_indirect else (name, number)
        subtype = str(font.get("/Subtype", "/unknown")).lstrip("/")
        if subtype == "Type3" or not _font_embedded(font):
            self._unrememberable = True  # (its check says something, on its first page only)
        if key in self._fonts_done:
            return
        self._fonts_done.add(key)
        base = str(font.get("/BaseFont", name)).lstrip("/")
        if subtype == "Type3":
            for proc in (font.get("/CharProcs") or Dictionary()).values():
                if isinstance(proc, Stream):
                    self.walk(proc, font.get("/Resources", resources), None, number, stack, f"Type3 font {name}")
        elif not _font_embedded(font):
            self.add(
                "error",
                "font-embedded",
                number,
                base,
                f"font {base} ({subtype}) is not embedded; every font must be embedded for print",
            )

    def image(self, image: Dictionary, name, resources, ctm, number):
        width, height = int(_num(image.get("/Width"))), int(_num(image.get("/Height")))
        stencil = bool(image.get("/ImageMask", False))
        family, label = ("other", "stencil mask") if stencil else _colour_family(image.get("/ColorSpace"), resources)
        obj = f"image {name} {width}x{height} {label}"
        if not stencil:
            self.colour(number, obj, family, label)
        self.compression(number, obj, image.get("/Filter"))
        if isinstance(image.get("/SMask"), Stream) or _num(image.get("/SMaskInData")) > 0:
            self.transparency(number, obj, "an image soft mask (SMask)")
        if ctm is not None and not stencil and _num(image.get("/BitsPerComponent"), 8) > 1 and width and height:
            self.resolution(number, obj, width, height, ctm)
        if family in CMYK_FAMILIES and isinstance(image, Stream) and image.is_indirect:
            if image.objgen not in self._ink_cache:
                self._ink_cache[image.objgen] = self.max_ink(image)
            total = self._ink_cache[image.objgen]
            if isinstance(total, str):
                self.add("warning", "ink-coverage", number, obj, f"ink coverage could not be measured ({total})")
            elif total > self.ink_limit + 0.5:
                self.add(
                    "error",
                    "ink-coverage",
                    number,
                    obj,
                    f"total ink reaches {total:.0f}% in the image; the limit is {self.ink_limit:g}%",
                )

    def compression(self, number, obj, filters):
        """Image compression newer than the standard's PDF version: JBIG2 (PDF 1.4), JPEG 2000 (PDF 1.5)."""
        names = {str(f) for f in filters} if isinstance(filters, Array) else {str(filters)}
        limit = LABELLED.get(self.report.label or "", UNLABELLED[self.report.standard or "x-4"])[0]
        for name, since in (("/JBIG2Decode", "1.4"), ("/JPXDecode", "1.5")):
            if name in names and _version_tuple(since) > _version_tuple(limit):
                self.add(
                    "error",
                    "compression",
                    number,
                    obj,
                    f"{name[1:]} compression (PDF {since}): {self.report.label or 'pdf/' + self.report.standard} "
                    f"allows PDF {limit} at most",
                )

    def max_ink(self, image: Stream) -> float | str:
        if self.remembered_ink is None:
            return _max_ink(image)
        key = ink_cache_key(image)
        if key is None:
            return _max_ink(image)
        if key not in self.remembered_ink:
            self.remembered_ink[key] = _max_ink(image)
        return self.remembered_ink[key]

    def resolution(self, number, obj, width, height, ctm):
        placed_w = (ctm[0] ** 2 + ctm[1] ** 2) ** 0.5  # transformed unit x vector, in pt
        placed_h = (ctm[2] ** 2 + ctm[3] ** 2) ** 0.5
        if placed_w < 1e-3 or placed_h < 1e-3:
            return
        ppi = min(width / (placed_w / 72), height / (placed_h / 72))
        size = f"placed at {placed_w / 72 * 25.4:.1f} x {placed_h / 72 * 25.4:.1f} mm"
        if ppi < self.error_ppi:
            self.add(
                "error",
                "image-ppi",
                number,
                obj,
                f"{ppi:.0f} ppi effective ({size}); below {self.error_ppi:g} ppi prints visibly soft",
            )
        elif ppi < self.min_ppi:
            self.add(
                "warning",
                "image-ppi",
                number,
                obj,
                f"{ppi:.0f} ppi effective ({size}); {self.min_ppi:g} ppi is needed for print",
            )
