"""Post-processing of a rendered print PDF (pikepdf): what WeasyPrint 70 leaves wrong for a press.

`finish_print()` runs these steps, in order, on the bytes WeasyPrint wrote:

1. `require_output_intent`: a PDF/X file needs a CMYK OutputIntent; WeasyPrint writes none (and says
   nothing) when the layout forgets the @color-profile rule, so its absence is an error here.
   `name_output_condition` names the edition's condition in it as the ICC registry does.
2. `remove_transparency_groups`: WeasyPrint wraps SVGs (laurels) and some boxes in transparency group
   XObjects (/Group << /S /Transparency /CS ... >>), and may give pages a /Group. On a page without
   real transparency (no constant alpha below 1, no soft mask, no blend mode, no image with a soft
   mask) these groups change nothing on paper, and their /Group entries are removed. PDF/X-1a
   forbids transparency, so a page with real transparency is an error there; in PDF/X-4 its groups
   stay, with their blending colour space set to DeviceCMYK wherever it was untagged DeviceRGB.
3. `remove_print_area_annotations`: PDF/X allows no annotation in the printable area but printer's marks
   and trap networks, and WeasyPrint makes a Link annotation of every <a href> (a kit's website, trailer):
   they are removed (the address stays printed, with its QR code; the screen edition keeps its links).
4. `add_crop_marks` (only with `print.crop_marks: true`): WeasyPrint's own `marks: crop` are drawn in
   RGB, inside the bleed, where the artwork paints over them. Instead the MediaBox is enlarged and
   marks of 0.25 pt, 100 % K, are drawn *outside* the BleedBox: each starts `bleed` away from the
   trim corner and runs 6 mm outwards. TrimBox and BleedBox are unchanged.
5. PDF/X-1a only (pdfx1a.py, fontprograms.py): OpenType font programs become bare CID-keyed CFF
   (FontFile3 /CIDFontType0C), and every colour space DeviceCMYK, DeviceGray or Separation (the ICCBased
   and Lab spaces WeasyPrint declares in every resource dictionary go); the file is saved as PDF 1.4
   without object or xref streams.
6. `fontprograms.retag_subsets`: a subset tag of its own for every font program, from its bytes.
7. `stable_document_id`: PDF/X-4 carries a random XMP DocumentID (uuid4). It is replaced by a
   name-based UUID derived from the sha256 of the document saved with that id blanked, and the file
   is saved with a content-derived /ID (qpdf's deterministic id): the same input gives
   byte-identical PDFs.
"""

from __future__ import annotations

import hashlib
import io
import re
import uuid

from . import pdfx1a
from .edition import Edition, OutputCondition
from .errors import RenderError
from .fontprograms import embed_as_cff, retag_subsets
from .pdfx1a import device_colour_spaces
from .units import mm_to_pt

MARK_LENGTH_PT = mm_to_pt(6)
MARK_MARGIN_PT = 2.0  # paper left beyond the end of each mark
MARK_WIDTH_PT = 0.25
_DOCUMENT_ID = re.compile(rb"xmp\.did:([0-9a-fA-F-]{36})")
_BLANK_ID = b"00000000-0000-0000-0000-000000000000"
_NAMESPACE = uuid.UUID("5b1f3c1e-8a52-4a55-9a0c-7072657373b1")  # presskit's namespace for ids


def finish_print(data: bytes, edition: Edition, what: str) -> bytes:
    """The print-ready PDF bytes from WeasyPrint's output (see the module docstring)."""
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        press_fixes(pdf, edition, what)
        if "/ID" in pdf.trailer:
            del pdf.trailer["/ID"]  # WeasyPrint's is hashed with the random DocumentID; qpdf would keep it
        stable_document_id(pdf, edition)
        return _save(pdf, edition)


def press_fixes(pdf, edition: Edition, what: str) -> None:
    """Steps 1-6 on an open pikepdf document: what a print PDF needs before it is saved (finish_print here,
    the merged catalogue in catalogue/plan.py, which saves it with `save_options`)."""
    require_output_intent(pdf, what)
    if edition.condition is not None:
        name_output_condition(pdf, edition.condition)
    remove_transparency_groups(pdf, edition, what)
    remove_print_area_annotations(pdf)
    if edition.marks:
        add_crop_marks(pdf, edition.bleed_pt)
    if edition.pdf_variant == "pdf/x-1a":
        embed_as_cff(pdf, what)
        device_colour_spaces(pdf, what)
    retag_subsets(pdf)


def save_options(edition: Edition) -> dict:
    """pikepdf save() options for a print PDF of this edition (PDF 1.4 without object streams for X-1a)."""
    return pdfx1a.save_options(edition.pdf_variant)


def _save(pdf, edition: Edition) -> bytes:
    out = io.BytesIO()
    # /ID from the content, not random; the XMP is left exactly as written (pikepdf would rewrite it)
    pdf.save(out, deterministic_id=True, compress_streams=True, fix_metadata_version=False, **save_options(edition))
    return out.getvalue()


# --- 1. output intent -----------------------------------------------------------------------------


def require_output_intent(pdf, what: str) -> None:
    intents = pdf.Root.get("/OutputIntents")
    for intent in intents if intents is not None else []:
        profile = intent.get("/DestOutputProfile")
        if str(intent.get("/S")) == "/GTS_PDFX" and profile is not None and int(profile.get("/N", 0)) == 4:
            return
    raise RenderError(
        f'the {what} has no CMYK output intent: its layout must include "_shared/print.css.j2" '
        "(the @color-profile device-cmyk rule) in its <style>"
    )


def name_output_condition(pdf, condition: OutputCondition) -> None:
    """Name the condition in the PDF/X OutputIntent as the ICC registry does (WeasyPrint names it after
    the profile's description): OutputConditionIdentifier, RegistryName, OutputCondition and Info."""
    import pikepdf

    for intent in pdf.Root.OutputIntents:
        if str(intent.get("/S")) != "/GTS_PDFX":
            continue
        intent.OutputConditionIdentifier = pikepdf.String(condition.identifier)
        intent.OutputCondition = pikepdf.String(condition.info)
        intent.Info = pikepdf.String(condition.info)
        if condition.registry:
            intent.RegistryName = pikepdf.String(condition.registry)
        elif "/RegistryName" in intent:
            del intent["/RegistryName"]


# --- 2. transparency groups -----------------------------------------------------------------------


def _transparent_gs(gs) -> str | None:
    import pikepdf

    for key in ("/CA", "/ca"):
        if key in gs and float(gs[key]) < 1:
            return f"opacity {float(gs[key]):g}"
    bm = gs.get("/BM")
    if isinstance(bm, pikepdf.Array):
        bm = bm[0] if len(bm) else None
    if bm is not None and str(bm) not in ("/Normal", "/Compatible"):
        return f"blend mode {str(bm)[1:]}"
    smask = gs.get("/SMask")
    if smask is not None and str(smask) != "/None":
        return "a soft mask"
    return None


class _Transparency:
    """Finds real transparency in content, through nested forms (memoised per object)."""

    def __init__(self):
        self.memo: dict = {}

    def of_resources(self, resources, stack=frozenset()) -> str | None:
        import pikepdf

        if not isinstance(resources, pikepdf.Dictionary):
            return None
        for gs in (resources.get("/ExtGState") or {}).values():
            if isinstance(gs, pikepdf.Dictionary) and (reason := _transparent_gs(gs)):
                return reason
        for xobj in (resources.get("/XObject") or {}).values():
            if isinstance(xobj, pikepdf.Stream) and (reason := self.of_xobject(xobj, stack)):
                return reason
        return None

    def of_xobject(self, xobj, stack=frozenset()) -> str | None:
        key = xobj.objgen
        if key in self.memo:
            return self.memo[key]
        if key in stack:
            return None
        subtype = str(xobj.get("/Subtype"))
        reason = None
        if subtype == "/Image":
            if "/SMask" in xobj or float(xobj.get("/SMaskInData", 0)) > 0:
                reason = "an image with a soft mask"
        elif subtype == "/Form":
            reason = self.of_resources(xobj.get("/Resources"), stack | {key})
        if key != (0, 0):
            self.memo[key] = reason
        return reason


def _forms(resources, seen: set):
    """Every form XObject reachable from `resources`, once."""
    import pikepdf

    if not isinstance(resources, pikepdf.Dictionary):
        return
    for xobj in (resources.get("/XObject") or {}).values():
        if isinstance(xobj, pikepdf.Stream) and str(xobj.get("/Subtype")) == "/Form" and xobj.objgen not in seen:
            seen.add(xobj.objgen)
            yield xobj
            yield from _forms(xobj.get("/Resources"), seen)


def remove_transparency_groups(pdf, edition: Edition, what: str) -> int:
    """Drop the transparency groups of pages without real transparency; returns how many were removed.

    Decided per page, not per group: a form painted with an alpha set outside it still needs its group,
    so on a page with any real transparency every group stays (X-4) or the render fails (X-1a).
    """
    import pikepdf

    def is_group(holder) -> bool:
        group = holder.get("/Group")
        return isinstance(group, pikepdf.Dictionary) and str(group.get("/S")) == "/Transparency"

    finder, pages, keep = _Transparency(), [], set[int]()
    for number, page in enumerate(pdf.pages, 1):
        resources = page.obj.get("/Resources")
        forms = list(_forms(resources, set()))
        reason = finder.of_resources(resources)
        if reason is not None and edition.pdf_variant == "pdf/x-1a":
            raise RenderError(
                f"the {what} uses transparency on page {number} ({reason}), which PDF/X-1a forbids: "
                "remove the opacity / soft mask from the layout, or print as PDF/X-4 (--pdfx x-4)"
            )
        if reason is not None:
            keep.update(form.objgen for form in forms)
        pages.append((page.obj, forms, reason))
    removed = 0
    for page, forms, reason in pages:
        for holder in (page, *forms):
            if not is_group(holder):
                continue
            if reason is None and (holder is page or holder.objgen not in keep):
                del holder["/Group"]
                removed += 1
            elif "/CS" not in holder.Group or str(holder.Group.CS) == "/DeviceRGB":
                holder.Group.CS = pikepdf.Name.DeviceCMYK  # blend in CMYK, never untagged RGB
    return removed


# --- 3. annotations -------------------------------------------------------------------------------


def remove_print_area_annotations(pdf) -> int:
    """Remove every annotation PDF/X forbids (preflight.annotation_in_print_area); returns how many."""
    import pikepdf

    from .preflight import annotation_in_print_area

    removed = 0
    for page in pdf.pages:
        annots = page.obj.get("/Annots")
        if not isinstance(annots, pikepdf.Array):
            continue
        kept = [annot for annot in annots if not annotation_in_print_area(annot, page.obj)]
        removed += len(annots) - len(kept)
        if not kept:
            del page.obj["/Annots"]
        elif len(kept) < len(annots):
            page.obj.Annots = pikepdf.Array(kept)
    if removed and "/AcroForm" in pdf.Root:  # its fields' widgets were among them
        del pdf.Root["/AcroForm"]
    return removed


# --- 4. crop marks -------------------------------------------------------------------------------


def crop_marks_content(trim: list[float], bleed: float) -> bytes:
    """Eight lines, two per corner, 100 % K, starting `bleed` outside the trim corner."""
    x0, y0, x1, y1 = trim
    start, end = bleed, bleed + MARK_LENGTH_PT
    lines = []
    for x, sx in ((x0, -1), (x1, 1)):
        for y, sy in ((y0, -1), (y1, 1)):
            lines.append((x + sx * start, y, x + sx * end, y))  # horizontal, along the trim line y
            lines.append((x, y + sy * start, x, y + sy * end))  # vertical, along the trim line x
    path = "".join(f"{a:.3f} {b:.3f} m {c:.3f} {d:.3f} l S\n" for a, b, c, d in lines)
    return f"q 0 0 0 1 K {MARK_WIDTH_PT:g} w 0 J [] 0 d\n{path}Q\n".encode()


def add_crop_marks(pdf, bleed: float) -> None:
    """Enlarge each page's MediaBox and draw crop marks outside the BleedBox."""
    import pikepdf

    reach = bleed + MARK_LENGTH_PT + MARK_MARGIN_PT
    for page in pdf.pages:
        trim = [float(v) for v in page.obj.TrimBox]
        media = pikepdf.Array([trim[0] - reach, trim[1] - reach, trim[2] + reach, trim[3] + reach])
        page.obj.MediaBox = media
        if "/CropBox" in page.obj:
            page.obj.CropBox = media
        page.contents_coalesce()  # one stream, wrapped in q/Q so the marks start from a clean state
        body = page.obj.Contents.read_bytes()
        page.obj.Contents.write(b"q\n" + body + b"\nQ\n" + crop_marks_content(trim, bleed))


# --- 5. deterministic ids -----------------------------------------------------------------------


def stable_document_id(pdf, edition: Edition) -> str | None:
    """Replace the random XMP DocumentID by a name-based UUID derived from the document's content
    (the sha256 of the file saved with a blank id); returns the new id."""
    if "/Metadata" not in pdf.Root:
        return None
    stream = pdf.Root.Metadata
    xmp = stream.read_bytes()
    match = _DOCUMENT_ID.search(xmp)
    if not match:
        return None
    blank = xmp.replace(match.group(1), _BLANK_ID)
    stream.write(blank)  # written uncompressed, as XMP should be
    new = str(uuid.uuid5(_NAMESPACE, hashlib.sha256(_save(pdf, edition)).hexdigest()))
    pdf.Root.Metadata.write(blank.replace(_BLANK_ID, new.encode()))
    return new
