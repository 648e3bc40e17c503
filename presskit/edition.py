"""Editions: how a document is produced, for reading on screen or for a press.

screen: RGB colours, compact RGB JPEGs (150 ppi at their placed size), live links, no bleed.
print:  PDF/X-4 (or PDF/X-1a), every colour CMYK, photos converted to the output profile at 300 ppi,
        bleed on every page (3 mm on A4, 0.125 in on letter), TrimBox/BleedBox, an OutputIntent
        naming the output condition, optional crop marks drawn outside the bleed.

The output condition: the printer's profile (`print.profile`), else the registered condition of the paper
family: FOGRA39 (ISO 12647-2 coated, Europe) for A sizes and metric trims, GRACoL 2006 (CGATS TR 006)
for US sizes, each with a profile presskit ships (assets/icc/, built from the official characterization
data: see its README.md).

This module only decides *what* an edition is. Images are prepared in images.py, the PDF is
post-processed (transparency groups, deterministic ids, crop marks) in postprocess.py.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from .errors import DataError, LayoutError, RenderError
from .model import PrintSettings
from .resources import builtin_assets
from .units import length_pt

STANDARDS = {"x-4": "pdf/x-4", "x-1a": "pdf/x-1a"}  # --pdfx value -> WeasyPrint pdf_variant
SCREEN_PPI = 150
log = logging.getLogger("presskit")


@dataclass(frozen=True)
class OutputCondition:
    """A printing condition, as a PDF/X OutputIntent names it, and the ICC profile that characterizes it."""

    identifier: str  # OutputConditionIdentifier: the registry's reference name, or "Custom"
    info: str  # Info and OutputCondition: the condition in words
    profile: Path
    registry: str | None = None  # RegistryName of a registered condition

    def describe(self) -> str:
        """How a build names it: 'FOGRA39 (Coated FOGRA39 (ISO 12647-2:2004), profile .../FOGRA39.icc)'."""
        return f"{self.identifier} ({self.info}, profile {self.profile})"


ICC_REGISTRY = "http://www.color.org"
# The default condition of each paper family (the profile's file name under assets/icc/).
CONDITIONS = {
    "metric": ("FOGRA39", "Coated FOGRA39 (ISO 12647-2:2004)", "FOGRA39.icc"),
    "us": ("CGATS TR 006", "Coated GRACoL 2006 (ISO 12647-2:2004)", "GRACoL2006.icc"),
}
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
    profile: Path | None = None  # CMYK output profile (print): condition.profile
    ppi: int = SCREEN_PPI  # target resolution of images at their placed size
    condition: OutputCondition | None = None  # what the OutputIntent names (print)

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


def print_edition(
    settings: PrintSettings, default_bleed: str, root: Path, pdfx: str | None = None, size: str = "210mm 297mm"
) -> Edition:
    """The print edition of a project: standard, bleed, crop marks, output condition and image resolution.

    `default_bleed` is the paper's (3mm for A4, 0.125in for letter), used unless `print.bleed` is set;
    `pdfx` ('x-4' or 'x-1a', from the command line) overrides `print.standard`; `size` (the page's CSS
    size, "width height") chooses the default output condition (`paper_family`).
    """
    if pdfx is not None and pdfx not in STANDARDS:
        raise DataError(f"--pdfx: expected one of {', '.join(STANDARDS)}, got '{pdfx}'")
    variant = STANDARDS[pdfx] if pdfx else settings.standard
    bleed = settings.bleed or default_bleed
    if length_pt(bleed) < 8.5 - 0.01:
        raise DataError(f"print.bleed: expected at least 3mm (0.125in), got '{bleed}'")
    condition = output_condition(settings, root, paper_family(size))
    return Edition(
        "print",
        pdf_variant=variant,
        bleed=bleed,
        marks=settings.crop_marks,
        profile=condition.profile,
        ppi=settings.ppi,
        condition=condition,
    )


def paper_family(size: str) -> str:
    """'us' for a page measured in inches (US letter, a trim such as "8.5in 11in"), else 'metric'."""
    return "us" if all(part.strip().endswith("in") for part in size.split()) else "metric"


def default_profile(family: str) -> Path:
    """The profile presskit ships for a paper family's default condition (assets/icc/)."""
    return builtin_assets() / "icc" / CONDITIONS[family][2]


def output_condition(settings: PrintSettings, root: Path, family: str = "metric") -> OutputCondition:
    """The output condition: the printer's profile `print.profile` (inside the project; a "Custom"
    condition named by the profile's description), else the paper family's registered condition with
    presskit's profile for it.

    Raises RenderError when presskit's profile is missing (an incomplete install), DataError when the
    configured one is missing, outside the project, or not a CMYK output profile.
    """
    if settings.profile:
        path = (root / settings.profile).resolve()
        if not path.is_relative_to(root.resolve()):
            raise DataError(f"print.profile: expected a path inside the project {root}, got '{settings.profile}'")
        if not path.is_file():
            raise DataError(f"print.profile: no such file '{settings.profile}' (looked for {path})")
        check_cmyk_profile(path)
        return OutputCondition("Custom", profile_description(path) or path.name, path)
    identifier, info, _ = CONDITIONS[family]
    path = default_profile(family)
    if not path.is_file():
        raise RenderError(
            f"the print edition needs a CMYK output profile (ICC) for the press: presskit's {identifier} "
            f"profile {path} is missing (reinstall presskit), or ask the printer for theirs and set `{PROFILE_HINT}`"
        )
    return OutputCondition(identifier, info, path, ICC_REGISTRY)


def profile_description(path: Path) -> str | None:
    """The profile description tag ('desc') of an ICC profile, or None."""
    from PIL import ImageCms

    try:
        text = ImageCms.getProfileDescription(ImageCms.getOpenProfile(str(path)))
    except (OSError, ImageCms.PyCMSError):
        return None
    return text.strip() or None


def output_profile(settings: PrintSettings, root: Path, family: str = "metric") -> Path:
    """The CMYK output profile of the output condition (see output_condition)."""
    return output_condition(settings, root, family).profile


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
