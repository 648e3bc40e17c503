"""QR codes as flat vector SVG (segno), for inlining into a layout: never a raster image.

The SVG has no size of its own (only a viewBox) so the layout sets it, no quiet zone (the layout keeps
at least four modules of paper around it) and one flat colour, which may be ``device-cmyk(...)`` for print.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

QUIET_ZONE = 4  # modules of light space a reader needs around the symbol

_DARK = "#000"


@dataclass(frozen=True)
class QRCode:
    url: str
    svg: str  # a standalone <svg> element, viewBox in modules
    modules: int  # symbol width in modules, without the quiet zone


def qr_svg(url: str, colour: str = _DARK) -> QRCode:
    """The QR code of `url` (error correction M) as SVG drawn in `colour` (any CSS/SVG colour)."""
    import segno

    code = segno.make(url, error="m", micro=False)
    buffer = io.BytesIO()
    code.save(
        buffer,
        kind="svg",
        border=0,
        xmldecl=False,
        svgns=True,
        nl=False,
        omitsize=True,
        dark=_DARK,
        svgclass="qr",
        lineclass=None,
    )
    # segno draws each row of modules as a stroked line; an explicit fill="none" keeps the default (RGB)
    # black fill out of the PDF, which PDF/X would reject as untagged RGB.
    svg = buffer.getvalue().decode("ascii").replace(f'stroke="{_DARK}"', f'fill="none" stroke="{colour}"')
    width, _ = code.symbol_size(border=0)
    return QRCode(url, svg, int(width))


def short_url(url: str) -> str:
    """The address as printed under a QR code: no scheme, no 'www.', no trailing slash."""
    parts = urlsplit(url)
    host = re.sub(r"^www\.", "", parts.netloc)
    rest = parts.path.rstrip("/") + (f"?{parts.query}" if parts.query else "")
    return host + rest
