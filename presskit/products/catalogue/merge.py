"""Merge rendered parts into one PDF with pikepdf: outline, page labels, padding, metadata.

The merge is deterministic: the same parts and the same metadata give the same bytes (no clock, no
random ids: the document id is derived from the content). A print part's OutputIntent and PDF/X keys
are copied from the first part, so the merged file keeps exactly one OutputIntent.

Pages rendered at a neutral position (the catalogue's film pages) are placed here (Placement): their
content wrapped in q/Q, shifted across when the page is a left-hand one, and a stamp drawn over it as a
form XObject under a fixed resource name: a page of another PDF (the running head), shared by every page
that has it, with the page's own figures (its folio) written over it.
"""

from __future__ import annotations

import hashlib
import itertools
import re
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from ...errors import RenderError

PRODUCER = "presskit (WeasyPrint, pikepdf)"
# Keys of the document information dictionary that belong to the PDF/X conformance claim.
PDFX_INFO_KEYS = ("/GTS_PDFXVersion", "/GTS_PDFXConformance", "/Trapped")


@dataclass
class Bookmark:
    title: str
    page: int  # 0-based page index in the merged document
    children: list[Bookmark] = field(default_factory=list)


@dataclass
class PageLabel:
    """A page-label range starting at `page` (0-based): decimal numbers from `start`, or a fixed prefix."""

    page: int
    start: int | None = None
    prefix: str | None = None


@dataclass
class Placement:
    """A page rendered at a neutral position (catalogue/plan.py), placed at the merge: its content shifted
    `dx` points across, then its stamp laid over it: page `stamp_page` of the PDF `stamp` (its running
    head) with `figures` (its folio) written over that."""

    page: int  # 0-based page index in the merged document
    dx: float
    stamp: Path
    stamp_page: int
    numbers: bytes = b""  # content written over it last (the page numbers it lists: stamps.overlay)
    fonts: tuple[tuple[str, Path, str], ...] = ()  # the fonts `numbers` and `figures` use: (name, PDF, font on page 1)
    figures: bytes = b""  # content of the stamp, over its page (the folio: stamps.overlay)


@dataclass
class Metadata:
    title: str
    author: str | None = None
    subject: str | None = None
    keywords: str | None = None
    lang: str | None = None
    date: str | None = None  # ISO date, e.g. "2024-09-01"


def pdf_date(iso: str) -> str:
    """'2024-09-01' -> 'D:20240901000000Z'."""
    return "D:" + iso.replace("-", "")[:8].ljust(8, "0") + "000000Z"


def padding_needed(pages: int, multiple: int = 4) -> int:
    return (-pages) % multiple


def merge_parts(
    parts: list[Path],
    bookmarks: list[Bookmark],
    labels: list[PageLabel],
    meta: Metadata,
    dest: Path,
    multiple: int = 4,
    finish=None,
    save_options: dict | None = None,
    blank_label: str | None = None,
    placements: list[Placement] | None = None,
) -> int:
    """Concatenate the part PDFs in order into the file `dest`, padded with blank pages to a multiple of
    `multiple`; returns the number of blank pages added. `finish(pdf)` post-processes the merged pikepdf
    document before it is saved (the print edition's press fixes), `save_options` are pikepdf's save()
    options that its standard asks (postprocess.save_options). The blank pages are blank by design, and
    say so: their page label is `blank_label` ("Intentionally blank"). The PDF goes straight to the file:
    the merge needs memory enough already (see pdf.release_free_memory)."""
    import pikepdf

    out = pikepdf.new()
    sources = []
    try:
        for path in parts:
            src = pikepdf.open(path)
            sources.append(src)
            out.pages.extend(src.pages)
        stamps: dict[Path, pikepdf.Pdf] = {}
        forms: dict[tuple[Path, int], pikepdf.Object] = {}  # each stamp page, as a form in `out` (shared)
        for placement in placements or []:
            for path in (placement.stamp, *(path for _, path, _ in placement.fonts)):
                if path not in stamps:
                    stamps[path] = pikepdf.open(path)
                    sources.append(stamps[path])
            _place(out, placement, stamps, forms)
        padding = padding_needed(len(out.pages), multiple) if out.pages else 0
        if padding and blank_label:
            labels = [*labels, PageLabel(len(out.pages), prefix=blank_label)]
        for _ in range(padding):
            _add_blank(out, out.pages[-1])
        _link_pages(out)
        first = sources[0] if sources else None
        _copy_print_conformance(out, first)
        _share_identical_profiles(out)
        if finish is not None:
            finish(out)
        _write_outline(out, bookmarks)
        _write_labels(out, labels)
        _write_info(out, first, meta)
        _check_space(parts, dest)
        options = {
            "object_stream_mode": pikepdf.ObjectStreamMode.generate,
            "min_version": first.pdf_version if first is not None else "",
            **(save_options or {}),
        }
        if "force_version" in options:
            del options["min_version"]
        out.save(dest, deterministic_id=True, compress_streams=True, fix_metadata_version=False, **options)
    finally:
        for src in sources:
            src.close()
        out.close()
    return padding


def _place(out, placement: Placement, sources: dict, forms: dict) -> None:
    """Shift a page's content (and its links) by `dx`, lay its stamp over it, as a form XObject, and write
    its numbers over both (`sources`: the open PDFs, by path; `forms`: the stamp pages copied so far)."""
    import pikepdf

    page = out.pages[placement.page]
    # (WeasyPrint's content leaves its own transformation in force: it is wrapped in q/Q either way)
    shift = f" 1 0 0 1 {placement.dx:.4f} 0 cm" if placement.dx else ""
    at = (placement.stamp, placement.stamp_page)
    if at not in forms:
        stamp = sources[placement.stamp]
        forms[at] = out.copy_foreign(stamp.make_indirect(stamp.pages[placement.stamp_page].as_form_xobject()))
    form = forms[at]
    if placement.figures:  # the page's own stamp: the shared one, with its figures written over it
        fonts = pikepdf.Dictionary({name: _font(out, sources, path, font) for name, path, font in placement.fonts})
        form = out.make_stream(
            b"q /Stamp Do Q\n" + placement.figures,
            Type=pikepdf.Name.XObject,
            Subtype=pikepdf.Name.Form,
            BBox=form.BBox,
            Resources=pikepdf.Dictionary(XObject=pikepdf.Dictionary(Stamp=form), Font=fonts),
        )
    xobjects = page.obj.get("/Resources", {}).get("/XObject", {})
    name = next(f"/Folio{n}" for n in itertools.count() if f"/Folio{n}" not in xobjects)  # (never random)
    page.add_resource(form, pikepdf.Name.XObject, name)
    page.contents_add(out.make_stream(f"q{shift}\n".encode()), prepend=True)
    page.contents_add(out.make_stream(f"\nQ\nq {name} Do Q\n".encode()))
    if placement.numbers:
        for resource, path, font in placement.fonts:
            page.add_resource(_font(out, sources, path, font), pikepdf.Name.Font, resource, replace_existing=True)
        page.contents_add(out.make_stream(placement.numbers))
    if placement.dx:
        annots = page.obj.get("/Annots")
        for annot in annots if isinstance(annots, pikepdf.Array) else []:
            if isinstance(annot, pikepdf.Dictionary) and "/Rect" in annot:
                x0, y0, x1, y1 = (float(v) for v in annot.Rect)
                annot.Rect = pikepdf.Array([x0 + placement.dx, y0, x1 + placement.dx, y1])


def _font(out, sources: dict, path: Path, font: str):
    """Font `font` of page 1 of the open PDF at `path`, copied into `out` (once: copy_foreign remembers)."""
    return out.copy_foreign(sources[path].pages[0].obj.Resources.Font[font])


PAGE_LINK = "presskit-page:"  # the address a part's link to catalogue page N is written with (layouts/catalogue/_links)


def _link_pages(out) -> int:
    """Point every link to "presskit-page:N" at page N of the merged document (page numbers are the
    printed ones: page N is the N-th page, the cover being 1), as a go-to destination; returns how many.
    A part cannot link to another part's page itself: WeasyPrint sees one part at a time."""
    import pikepdf

    linked = 0
    for page in out.pages:
        annots = page.obj.get("/Annots")
        for annot in annots if isinstance(annots, pikepdf.Array) else []:
            action = annot.get("/A") if isinstance(annot, pikepdf.Dictionary) else None
            uri = str(action.get("/URI", "")) if isinstance(action, pikepdf.Dictionary) else ""
            if not uri.startswith(PAGE_LINK):
                continue
            number = uri[len(PAGE_LINK) :]
            if not number.isdigit() or not 1 <= int(number) <= len(out.pages):
                raise RenderError(f"catalogue: a link to page {number!r}, which the catalogue does not have")
            del annot["/A"]
            annot.Dest = pikepdf.Array([out.pages[int(number) - 1].obj, pikepdf.Name.Fit])
            linked += 1
    return linked


def _add_blank(out, model) -> None:
    """A page with nothing on it: no content stream at all (an empty one is saved as a Flate stream of
    length 0, which is not valid Flate data: Ghostscript reports "error reading a stream")."""
    import pikepdf

    page = pikepdf.Dictionary(Type=pikepdf.Name.Page, Resources=pikepdf.Dictionary())
    for box in ("/MediaBox", "/TrimBox", "/BleedBox", "/CropBox"):
        if box in model.obj:
            page[box] = pikepdf.Array(list(model.obj[box]))
    out.pages.append(pikepdf.Page(out.make_indirect(page)))


# The merged file takes about what its parts take (their fonts, images and pages, copied); the margin
# covers the outline, the labels and what the press fixes add.
SPACE_MARGIN = 1.05, 1 << 20


def _check_space(parts: list[Path], dest: Path) -> None:
    """An OutputError when the folder of `dest` has clearly too little room for the merged file. Checked
    before saving: pikepdf 10 aborts the whole process (a C++ exception it cannot pass on) when the disk
    fills while it writes a file with a deterministic /ID, leaving its temporary file behind."""
    import shutil

    from ...errors import FULL_DISK_ADVICE, OutputError

    need = sum(p.stat().st_size for p in parts) * SPACE_MARGIN[0] + SPACE_MARGIN[1]
    free = shutil.disk_usage(dest.parent).free
    if free < need:
        raise OutputError(
            f"{dest.parent}: no space left for the merged catalogue (about {need / 1e6:.0f} MB "
            f"needed, {free / 1e6:.0f} MB free); {FULL_DISK_ADVICE}"
        )


def _copy_print_conformance(out, first) -> None:
    """The first part's OutputIntent (exactly one), so a PDF/X merge stays a PDF/X."""
    import pikepdf

    if first is not None and len(first.Root.get("/OutputIntents", [])):
        intent = first.Root.OutputIntents[0]
        if not intent.is_indirect:
            intent = first.make_indirect(intent)
        out.Root.OutputIntents = pikepdf.Array([out.copy_foreign(intent)])


def _share_identical_profiles(out) -> None:
    """Every part embeds its own copy of the same ICC profiles: point all users at one copy each."""
    import pikepdf

    canonical: dict[bytes, object] = {}

    def shared(stream):
        digest = hashlib.sha256(stream.read_raw_bytes()).digest()
        return canonical.setdefault(digest, stream)

    def visit(resources, seen: set) -> None:
        if not isinstance(resources, pikepdf.Dictionary):
            return
        for space in (resources.get("/ColorSpace") or {}).values():
            if isinstance(space, pikepdf.Array) and len(space) == 2 and space[0] == pikepdf.Name.ICCBased:
                space[1] = shared(space[1])
        for xobj in (resources.get("/XObject") or {}).values():
            if isinstance(xobj, pikepdf.Stream) and xobj.objgen not in seen:
                seen.add(xobj.objgen)
                cs = xobj.get("/ColorSpace")
                if isinstance(cs, pikepdf.Array) and len(cs) == 2 and cs[0] == pikepdf.Name.ICCBased:
                    cs[1] = shared(cs[1])
                visit(xobj.get("/Resources"), seen)

    for intent in out.Root.get("/OutputIntents", []):
        if "/DestOutputProfile" in intent:
            intent.DestOutputProfile = shared(intent.DestOutputProfile)
    seen: set = set()
    for page in out.pages:
        visit(page.obj.get("/Resources"), seen)


def _write_outline(out, bookmarks: list[Bookmark]) -> None:
    import pikepdf
    from pikepdf import OutlineItem

    def item(b: Bookmark) -> OutlineItem:
        node = OutlineItem(str(b.title), b.page)  # (a textlang.LangText would be taken for a sequence)
        node.children.extend(item(c) for c in b.children)
        return node

    if not bookmarks:
        return
    with out.open_outline() as outline:
        outline.root.extend(item(b) for b in bookmarks)
    out.Root.PageMode = pikepdf.Name.UseOutlines


def _write_labels(out, labels: list[PageLabel]) -> None:
    import pikepdf

    if not labels:
        return
    nums = []
    for label in sorted(labels, key=lambda lb: lb.page):
        entry = pikepdf.Dictionary()
        if label.start is not None:
            entry.S = pikepdf.Name.D
            entry.St = label.start
        if label.prefix:
            entry.P = pikepdf.String(label.prefix)
        nums += [label.page, entry]
    out.Root.PageLabels = out.make_indirect(pikepdf.Dictionary(Nums=pikepdf.Array(nums)))


def _write_info(out, first, meta: Metadata) -> None:
    import pikepdf

    info = pikepdf.Dictionary()
    if first is not None and first.trailer.get("/Info") is not None:
        for key in PDFX_INFO_KEYS:
            if key in first.docinfo:
                info[key] = first.docinfo[key]
    info.Title = pikepdf.String(meta.title)
    if meta.author:
        info.Author = pikepdf.String(meta.author)
    if meta.subject:
        info.Subject = pikepdf.String(meta.subject)
    if meta.keywords:
        info.Keywords = pikepdf.String(meta.keywords)
    info.Creator = pikepdf.String("presskit")
    info.Producer = pikepdf.String(PRODUCER)
    if meta.date:
        info.CreationDate = pikepdf.String(pdf_date(meta.date))
        info.ModDate = pikepdf.String(pdf_date(meta.date))
    out.trailer.Info = out.make_indirect(info)
    if meta.lang:
        out.Root.Lang = pikepdf.String(meta.lang)
    if first is not None and "/Metadata" in first.Root:
        xmp = first.Root.Metadata.read_bytes().decode("utf-8")
        out.Root.Metadata = out.make_stream(
            _fixed_xmp(xmp, meta).encode("utf-8"), Type=pikepdf.Name.Metadata, Subtype=pikepdf.Name.XML
        )


def _fixed_xmp(xmp: str, meta: Metadata) -> str:
    """The first part's XMP (it carries the PDF/X identification) with this document's title, dates and
    ids derived from the metadata instead of WeasyPrint's random ones."""
    seed = hashlib.sha256(repr(meta).encode("utf-8")).hexdigest()
    doc_id = f"uuid:{uuid.UUID(seed[:32])}"
    xmp = re.sub(r"(<xmpMM:DocumentID>)[^<]*(</xmpMM:DocumentID>)", rf"\g<1>{doc_id}\g<2>", xmp)
    xmp = re.sub(r"(<xmpMM:InstanceID>)[^<]*(</xmpMM:InstanceID>)", rf"\g<1>{doc_id}\g<2>", xmp)
    xmp = re.sub(r'(xmpMM:(?:DocumentID|InstanceID)=")[^"]*(")', rf"\g<1>{doc_id}\g<2>", xmp)
    if meta.date:
        stamp = meta.date + "T00:00:00Z"
        for tag in ("xmp:CreateDate", "xmp:ModifyDate", "xmp:MetadataDate"):
            xmp = re.sub(rf"(<{tag}>)[^<]*(</{tag}>)", rf"\g<1>{stamp}\g<2>", xmp)
            xmp = re.sub(rf'({tag}=")[^"]*(")', rf"\g<1>{stamp}\g<2>", xmp)
    xmp = re.sub(r'(pdf:Producer=")[^"]*(")', rf"\g<1>{PRODUCER}\g<2>", xmp)
    xmp = re.sub(r"(<pdf:Producer>)[^<]*(</pdf:Producer>)", rf"\g<1>{PRODUCER}\g<2>", xmp)
    title = meta.title.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    xmp = re.sub(r"(<dc:title>.*?<rdf:li[^>]*>)[^<]*(</rdf:li>)", rf"\g<1>{_escape_repl(title)}\g<2>", xmp, flags=re.S)
    return xmp


def _escape_repl(text: str) -> str:
    return text.replace("\\", "\\\\")


def same_files(a: Path, b: Path) -> bool:
    """True when both files exist and hold the same bytes."""
    import filecmp

    return a.is_file() and b.is_file() and filecmp.cmp(a, b, shallow=False)


def install_if_changed(tmp: Path, path: Path) -> bool:
    """Move the finished temporary file `tmp` (beside `path`) to `path`, unless `path` already holds exactly
    these bytes (then `tmp` is removed and `path` left alone, its mtime kept); True when installed."""
    from ...output import install

    if same_files(tmp, path):
        tmp.unlink()
        return False
    install(tmp, path)
    return True
