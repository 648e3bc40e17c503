"""Build small PDFs with pikepdf for the preflight tests: pages, images, fonts, boxes, output intents."""

from __future__ import annotations

import io
import zlib
from pathlib import Path

import pikepdf
from pikepdf import Array, Dictionary, Name
from PIL import Image

CMYK_ICC = Path("/usr/share/color/icc/ghostscript/default_cmyk.icc")
XMP_PDFXID = "{http://www.npes.org/pdfx/ns/id/}GTS_PDFXVersion"
A4 = (595.276, 841.89)
BLEED = 8.504  # 3 mm


class PdfBuilder:
    """A PDF/X-shaped document: version keys and a CMYK output intent unless told otherwise."""

    def __init__(self, version: str | None = "PDF/X-4", *, output_intent: bool = True):
        self.pdf = pikepdf.new()
        if version:
            if version.startswith("PDF/X-1a"):
                self.pdf.docinfo["/GTS_PDFXVersion"] = version
                self.pdf.docinfo["/GTS_PDFXConformance"] = version
            with self.pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
                meta[XMP_PDFXID] = version
        if output_intent:
            icc = self.pdf.make_stream(CMYK_ICC.read_bytes())
            icc.N = 4
            self.pdf.Root.OutputIntents = Array(
                [
                    Dictionary(
                        Type=Name.OutputIntent,
                        S=Name.GTS_PDFX,
                        OutputConditionIdentifier="CGATS TR 001",
                        RegistryName="http://www.color.org",
                        Info="Artifex CMYK SWOP",
                        DestOutputProfile=icc,
                    )
                ]
            )

    def page(
        self,
        content: bytes = b"",
        *,
        resources: dict | None = None,
        size=A4,
        bleed: float | None = BLEED,
        trim: bool = True,
        annots: list | None = None,
    ) -> pikepdf.Dictionary:
        w, h = size
        b = bleed or 0
        media = Array([-b, -b, w + b, h + b])
        page = Dictionary(
            Type=Name.Page,
            MediaBox=media,
            Resources=Dictionary(resources or {}),
            # (an empty stream would be saved Flate-compressed to length 0, which is no valid stream)
            Contents=self.pdf.make_stream(content or b"% empty\n"),
        )
        if trim:
            page.TrimBox = Array([0, 0, w, h])
        if bleed is not None:
            page.BleedBox = media
        if annots:
            page.Annots = Array([self.pdf.make_indirect(a) for a in annots])
        self.pdf.pages.append(pikepdf.Page(page))
        return self.pdf.pages[-1].obj

    def image(self, im: Image.Image, **extra) -> pikepdf.Stream:
        """An uncompressed-then-Flate image XObject in the image's device colour space."""
        space = {"RGB": Name.DeviceRGB, "CMYK": Name.DeviceCMYK, "L": Name.DeviceGray}[im.mode]
        stream = self.pdf.make_stream(zlib.compress(im.tobytes()))
        stream.Type, stream.Subtype = Name.XObject, Name.Image
        stream.Width, stream.Height = im.width, im.height
        stream.ColorSpace, stream.BitsPerComponent, stream.Filter = space, 8, Name.FlateDecode
        for key, value in extra.items():
            stream[f"/{key}"] = value
        return stream

    def jpeg(self, im: Image.Image, **extra) -> pikepdf.Stream:
        """A CMYK JPEG as Pillow writes it (Adobe-inverted), with the /Decode array that undoes that."""
        buf = io.BytesIO()
        im.save(buf, "JPEG", quality=95)
        stream = self.pdf.make_stream(buf.getvalue())
        stream.Type, stream.Subtype = Name.XObject, Name.Image
        stream.Width, stream.Height = im.width, im.height
        stream.ColorSpace, stream.BitsPerComponent, stream.Filter = Name.DeviceCMYK, 8, Name.DCTDecode
        stream.Decode = Array([1, 0] * 4)
        for key, value in extra.items():
            stream[f"/{key}"] = value
        return stream

    def form(self, content: bytes, *, resources: dict, matrix=(1, 0, 0, 1, 0, 0), bbox=(0, 0, 1000, 1000)):
        stream = self.pdf.make_stream(content)
        stream.Type, stream.Subtype = Name.XObject, Name.Form
        stream.BBox, stream.Matrix = Array(list(bbox)), Array(list(matrix))
        stream.Resources = Dictionary(resources)
        return stream

    def embedded_font(self) -> pikepdf.Dictionary:
        """A Type1 font dict whose descriptor carries a (dummy) FontFile3: counts as embedded."""
        descriptor = Dictionary(
            Type=Name.FontDescriptor,
            FontName=Name("/ABCDEF+Test"),
            Flags=32,
            FontBBox=Array([0, 0, 1000, 1000]),
            ItalicAngle=0,
            Ascent=800,
            Descent=-200,
            CapHeight=700,
            StemV=80,
            FontFile3=self.pdf.make_stream(b"dummy", Subtype=Name.Type1C),
        )
        return self.pdf.make_indirect(
            Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name("/ABCDEF+Test"), FontDescriptor=descriptor)
        )

    def standard_font(self, name: str = "Helvetica") -> pikepdf.Dictionary:
        return self.pdf.make_indirect(Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name("/" + name)))

    def save(self, path, **kwargs) -> Path:
        self.pdf.save(path, **kwargs)
        return Path(path)


def place(name: str, x: float, y: float, width: float, height: float) -> bytes:
    """Content that draws XObject `name` at (x, y) with the given size in points."""
    return f"q {width:g} 0 0 {height:g} {x:g} {y:g} cm /{name} Do Q\n".encode()
