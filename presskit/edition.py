"""Editions: how a document is produced, for reading on screen or for a press.

screen: RGB colours, compact RGB JPEGs (150 ppi at their placed size), live links, no bleed.
print:  PDF/X-4 (or PDF/X-1a), every colour CMYK, photos converted to the output profile at 300 ppi,
        bleed on every page (3 mm on A4, 0.125 in on letter), TrimBox/BleedBox, an OutputIntent
        naming the press profile, optional crop marks drawn outside the bleed.

This module only decides *what* an edition is. Images are prepared in images.py, the PDF is
post-processed (transparency groups, deterministic ids, crop marks) in postprocess.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import DataError, LayoutError, RenderError
from .model import PrintSettings
from .units import length_pt

STANDARDS = {"x-4": "pdf/x-4", "x-1a": "pdf/x-1a"}  # --pdfx value -> WeasyPrint pdf_variant
# Ghostscript's "Artifex CMYK SWOP" profile (Debian package libgs-common): the fallback output
# profile when the project names none. A real job should use the printer's own profile.
DEFAULT_CMYK_PROFILES = (Path("/usr/share/color/icc/ghostscript/default_cmyk.icc"),)
SCREEN_PPI = 150
PROFILE_HINT = "print.profile: path/to/printer.icc in presskit.yaml"

# Laurel colours as written on screen -> their CMYK version for print.
PRINT_LAURELS = {"white": "cmyk-white", "black": "cmyk-black"}


@dataclass
class Edition:
    """How a document is produced: for reading on screen (RGB) or for a press (PDF/X, CMYK, bleed)."""

    name: str  # "screen" | "print"
    pdf_variant: str | None = None  # "pdf/x-4" | "pdf/x-1a" in print
    bleed: str | None = None  # CSS length
    marks: bool = False  # crop marks, drawn by postprocess.add_crop_marks outside the bleed
    profile: Path | None = None  # CMYK output profile (print)
    ppi: int = SCREEN_PPI  # target resolution of images at their placed size

    @property
    def suffix(self) -> str:
        return "-print" if self.name == "print" else ""

    @property
    def is_print(self) -> bool:
        return self.name == "print"

    @property
    def preflight_profile(self) -> str:
        """The presskit.preflight profile this edition must pass."""
        return "x-1a" if self.pdf_variant == "pdf/x-1a" else "x-4"

    @property
    def bleed_pt(self) -> float:
        return length_pt(self.bleed) if self.bleed else 0.0


def screen_edition() -> Edition:
    return Edition("screen")


def print_edition(settings: PrintSettings, default_bleed: str, root: Path, pdfx: str | None = None) -> Edition:
    """The print edition of a project: standard, bleed, crop marks, output profile and image resolution.

    `default_bleed` is the paper's (3mm for A4, 0.125in for letter), used unless `print.bleed` is set;
    `pdfx` ('x-4' or 'x-1a', from the command line) overrides `print.standard`.
    """
    if pdfx is not None and pdfx not in STANDARDS:
        raise DataError(f"--pdfx: expected one of {', '.join(STANDARDS)}, got '{pdfx}'")
    variant = STANDARDS[pdfx] if pdfx else settings.standard
    bleed = settings.bleed or default_bleed
    if length_pt(bleed) < 8.5 - 0.01:
        raise DataError(f"print.bleed: expected at least 3mm (0.125in), got '{bleed}'")
    return Edition(
        "print",
        pdf_variant=variant,
        bleed=bleed,
        marks=settings.crop_marks,
        profile=output_profile(settings, root),
        ppi=settings.ppi,
    )


def output_profile(settings: PrintSettings, root: Path) -> Path:
    """The CMYK output profile: `print.profile` (inside the project), else Ghostscript's default.

    Raises RenderError when no CMYK profile can be found at all, DataError when the configured one is
    missing, outside the project, or not a CMYK output profile.
    """
    if settings.profile:
        path = (root / settings.profile).resolve()
        if not path.is_relative_to(root.resolve()):
            raise DataError(f"print.profile: expected a path inside the project {root}, got '{settings.profile}'")
        if not path.is_file():
            raise DataError(f"print.profile: no such file '{settings.profile}' (looked for {path})")
        check_cmyk_profile(path)
        return path
    for candidate in DEFAULT_CMYK_PROFILES:
        if candidate.is_file():
            return candidate
    raise RenderError(
        "the print edition needs a CMYK output profile (ICC) for the press and none was found: "
        f"ask the printer for theirs and set `{PROFILE_HINT}` "
        f"(presskit falls back to Ghostscript's {DEFAULT_CMYK_PROFILES[0]}, from the libgs-common package)"
    )


def check_cmyk_profile(path: Path) -> None:
    """An ICC profile whose data colour space is CMYK (header bytes 16-19)."""
    header = path.read_bytes()[:128]
    if len(header) < 128 or header[36:40] != b"acsp":
        raise DataError(f"print.profile: '{path}' is not an ICC profile")
    space = header[16:20].decode("ascii", "replace").strip()
    if space != "CMYK":
        raise DataError(f"print.profile: '{path}' is an {space} profile; the press needs a CMYK output profile")


def render_options(edition: Edition) -> dict:
    """Extra WeasyPrint options for this edition: the output intent in print; in the screen edition a
    tagged PDF (structure tree, reading order, alt texts) for screen readers."""
    return {"output_intent": "device-cmyk"} if edition.is_print else {"pdf_tags": True}


def laurel_colour(colour: str, edition: Edition) -> str:
    """The laurel colour to draw in this edition: CMYK black/white in print."""
    if not edition.is_print or colour.startswith("cmyk-"):
        return colour
    if colour not in PRINT_LAURELS:
        raise LayoutError(
            f"laurel colour '{colour}' has no CMYK version for print; use one of "
            f"{', '.join(sorted(set(PRINT_LAURELS) | set(PRINT_LAURELS.values())))}"
        )
    return PRINT_LAURELS[colour]


def palette_css(palette: dict, edition_name: str = "screen") -> dict[str, str]:
    """CMYK percentages from a manifest -> CSS colours: device-cmyk() in print, rgb() on screen."""
    out = {}
    for name, (c, m, y, k) in palette.items():
        if edition_name == "print":
            out[name] = f"device-cmyk({c / 100:g} {m / 100:g} {y / 100:g} {k / 100:g})"
        else:
            rgb = [round(255 * (1 - v / 100) * (1 - k / 100)) for v in (c, m, y)]
            out[name] = "rgb({}, {}, {})".format(*rgb)
    return out
