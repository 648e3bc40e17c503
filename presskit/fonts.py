"""Which faces print which script: presskit's three styles (PK Sans, PK Serif, PK Condensed: the bundled
fonts of assets/fonts) and, per style, an ordered fallback per script chosen by presskit from the Noto
families of Debian's fonts-noto-core and fonts-noto-cjk (SIL Open Font License 1.1), then the project's own
faces. The renderer sees these fonts and no other (pdf.py gives it the fonts.conf made here); glyphs.py
reads the same list to know what can be printed.

A character the style's own face lacks is drawn glyph by glyph from the first face of its fallback list
that has it, in the weight and slant asked for (Noto Sans Arabic Bold for a bold sans line). The condensed
display face (Bebas Neue: caps only, Latin, Greek and Cyrillic) falls back first to Noto Sans ExtraCondensed
(bundled as PK Condensed Fallback, its lower case drawn as capitals as Bebas Neue draws them), then to the
bold sans faces. Han characters take the face of their text's language (`lang`: ja, ko, zh-Hant / zh-TW
/ zh-HK, else Simplified Chinese)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

from .resources import builtin_assets

# Where Debian's fonts-noto-core and fonts-noto-cjk put their files (Makefile DEBS installs them).
NOTO_DIRS = (Path("/usr/share/fonts/truetype/noto"), Path("/usr/share/fonts/opentype/noto"))
FONT_SUFFIXES = (".otf", ".ttf", ".ttc")
PROJECT_SUFFIXES = (".otf", ".ttf")  # a project's fonts: one face a file, as @font-face takes them

# Scripts beyond Latin, Greek and Cyrillic, in fallback order: (sans family, serif family or None).
SCRIPTS: tuple[tuple[str, str, str | None], ...] = (
    ("Arabic (Persian, Urdu)", "Noto Sans Arabic", "Noto Naskh Arabic"),
    ("Hebrew", "Noto Sans Hebrew", "Noto Serif Hebrew"),
    ("Devanagari", "Noto Sans Devanagari", "Noto Serif Devanagari"),
    ("Bengali", "Noto Sans Bengali", "Noto Serif Bengali"),
    ("Tamil", "Noto Sans Tamil", "Noto Serif Tamil"),
    ("Telugu", "Noto Sans Telugu", "Noto Serif Telugu"),
    ("Kannada", "Noto Sans Kannada", "Noto Serif Kannada"),
    ("Malayalam", "Noto Sans Malayalam", "Noto Serif Malayalam"),
    ("Gujarati", "Noto Sans Gujarati", "Noto Serif Gujarati"),
    ("Gurmukhi", "Noto Sans Gurmukhi", "Noto Serif Gurmukhi"),
    ("Odia", "Noto Sans Oriya", None),
    ("Sinhala", "Noto Sans Sinhala", "Noto Serif Sinhala"),
    ("Thai", "Noto Sans Thai", "Noto Serif Thai"),
    ("Lao", "Noto Sans Lao", "Noto Serif Lao"),
    ("Khmer", "Noto Sans Khmer", "Noto Serif Khmer"),
    ("Myanmar", "Noto Sans Myanmar", "Noto Serif Myanmar"),
    ("Georgian", "Noto Sans Georgian", "Noto Serif Georgian"),
    ("Armenian", "Noto Sans Armenian", "Noto Serif Armenian"),
    ("Ethiopic", "Noto Sans Ethiopic", "Noto Serif Ethiopic"),
)
# The files of those families: <family without spaces>-Regular.ttf and -Bold.ttf in NOTO_DIRS.
CJK_FILES = ("NotoSansCJK-Regular.ttc", "NotoSansCJK-Bold.ttc", "NotoSerifCJK-Regular.ttc", "NotoSerifCJK-Bold.ttc")
# Han by language: the CJK region each `lang` prefix asks for (first match wins), else SC.
CJK_BY_LANG = (
    ("zh-hant", "TC"),
    ("zh-tw", "TC"),
    ("zh-hk", "HK"),
    ("zh-mo", "TC"),
    ("yue", "HK"),
    ("ja", "JP"),
    ("ko", "KR"),
)
CJK_REGIONS = ("SC", "TC", "HK", "JP", "KR")
# The styles of the layouts: the bundled family, its Latin fallback, and whether its fallbacks are serif.
# The display face is heavy: its fallbacks are the bold sans faces, whatever weight it is set in.
STYLES = (("PK Sans", "Noto Sans", "sans"), ("PK Serif", "Noto Serif", "serif"), ("PK Condensed", None, "display"))
DISPLAY = "PK Display Fallback"  # a second family name given to the bold sans faces: the display fallbacks
PROJECT = "PK Project Fonts"  # the project's own faces (@font-face rules in fonts.css.j2): the last fallbacks


@dataclass(frozen=True)
class Face:
    path: Path
    family: str  # the family presskit asks for; "" for the bundled fonts (named by their @font-face rules)
    bold: bool = False


def _noto_file(family: str, weight: str) -> Path | None:
    name = f"{family.replace(' ', '')}-{weight}.ttf"
    return next((d / name for d in NOTO_DIRS if (d / name).is_file()), None)


@lru_cache(maxsize=1)
def system_faces() -> tuple[Face, ...]:
    """The Noto faces presskit uses, as found on this machine (a missing package leaves its faces out:
    glyphs.py then reports what no font can print)."""
    faces: list[Face] = []
    families = [f for _, sans, serif in SCRIPTS for f in (sans, serif) if f] + ["Noto Sans"]
    for family in families:
        for weight in ("Regular", "Bold"):
            if (path := _noto_file(family, weight)) is not None:
                faces.append(Face(path, family, weight == "Bold"))
    for name in CJK_FILES:
        for folder in NOTO_DIRS:
            if (folder / name).is_file():
                faces.append(Face(folder / name, "CJK", "Bold" in name))
                break
    return tuple(faces)


def bundled_files() -> tuple[Path, ...]:
    folder = builtin_assets() / "fonts"
    return tuple(sorted(p for p in folder.rglob("*") if p.suffix.lower() in FONT_SUFFIXES))


def all_files(project_fonts: tuple[Path, ...] = ()) -> tuple[Path, ...]:
    """Every font file a render may use: the bundled ones, the Noto faces, the project's."""
    return (*bundled_files(), *(f.path for f in system_faces()), *project_fonts)


def identity() -> str:
    """Which font files a render may use, and which versions of them (by size): a changed or added Noto
    package changes it (pdf.render_code_tag keys cached renders with it)."""
    lines = []
    for path in all_files():
        try:
            st = path.stat()
        except OSError:
            continue
        lines.append(f"{path.name}\t{st.st_size}")
    return "\n".join(lines)


def _cjk(style: str, region: str) -> str:
    return f"Noto {'Serif' if style == 'serif' else 'Sans'} CJK {region}"


def _fallbacks(style: str, latin: str | None) -> list[str]:
    names = [latin] if latin else ["PK Condensed Fallback", DISPLAY]
    if style != "display":
        for _, sans, serif in SCRIPTS:
            names += [serif, sans] if style == "serif" and serif else [sans]
    names.append(f"PK CJK {style}")  # a marker: the language's own CJK face is put after it
    names += [_cjk_display(style, r) for r in CJK_REGIONS]
    return names


def write_fontconfig(folder: Path) -> Path:
    """Write into `folder` the fonts.conf of a render: the bundled fonts and the chosen Noto faces (linked
    into folder/fonts: fontconfig reads those files and no other of their folders, which hold hundreds),
    the fallbacks of each style, and a private cache. Returns the file. (A project's own faces come
    through @font-face rules, as family PK Project Fonts too.)"""
    links = folder / "fonts"
    links.mkdir(parents=True, exist_ok=True)
    linked: dict[Path, Path] = {}
    for face in system_faces():
        link = links / face.path.name
        if not link.exists():
            link.symlink_to(face.path)
        linked[face.path] = link
    out = ['<?xml version="1.0"?>', '<!DOCTYPE fontconfig SYSTEM "fonts.dtd">', "<fontconfig>"]
    out.append(f"  <dir>{escape(str(builtin_assets() / 'fonts'))}</dir>")
    out.append(f"  <dir>{escape(str(links))}</dir>")
    out.append(f"  <cachedir>{escape(str(folder / 'cache'))}</cachedir>")
    # Second family names, given as the fonts are read: the bold sans faces are the display fallbacks.
    for face in system_faces():
        if face.bold and face.family == "CJK" and "Sans" in face.path.name:
            out.append(_scan_family(linked[face.path], None))
        elif face.bold and " Sans" in face.family:
            out.append(_scan_family(linked[face.path], DISPLAY))
    for family, latin, style in STYLES:
        out.append(_append(family, [*_fallbacks(style, latin), PROJECT]))
        for prefix, region in CJK_BY_LANG:
            out.append(_append(f"PK CJK {style}", [_cjk_display(style, region)], lang=prefix))
    out.append("</fontconfig>\n")
    (folder / "fonts.conf").write_text("\n".join(out), encoding="utf-8")
    return folder / "fonts.conf"


def _cjk_display(style: str, region: str) -> str:
    return f"PK Display CJK {region}" if style == "display" else _cjk(style, region)


def _scan_family(path: Path, family: str | None) -> str:
    """A rule that gives the font file `path` the second family name `family` (for a bold CJK collection:
    PK Display CJK <region> to each of its faces)."""
    if family is not None:
        return (
            f'  <match target="scan"><test name="file"><string>{escape(str(path))}</string></test>'
            f'<edit name="family" mode="append"><string>{escape(family)}</string></edit></match>'
        )
    return "\n".join(
        f'  <match target="scan"><test name="file"><string>{escape(str(path))}</string></test>'
        f'<test name="family"><string>Noto Sans CJK {r}</string></test>'
        f'<edit name="family" mode="append"><string>PK Display CJK {r}</string></edit></match>'
        for r in CJK_REGIONS
    )


def _append(family: str, names: list[str], lang: str | None = None) -> str:
    test = f'<test name="lang" compare="contains"><string>{lang}</string></test>' if lang else ""
    strings = "".join(f"<string>{escape(n)}</string>" for n in names)
    return (
        f'  <match target="pattern">{test}<test name="family"><string>{escape(family)}</string></test>'
        f'<edit name="family" mode="append" binding="strong">{strings}</edit></match>'
    )


# --- the project's own faces ----------------------------------------------------------------------------

PROJECT_FONTS = "fonts"  # the default folder of a project's own fonts


def project_fonts(root: Path, configured: str | None, config_file: str) -> tuple[tuple[Path, ...], list]:
    """The font files of a project (presskit.yaml `fonts:`, else its fonts/ folder when there is one), each
    resolved, and the problems found: a folder or a file leading outside the project, a file that is not
    a font presskit can read. (files, [errors.Problem])"""
    from .errors import Problem

    project = root.resolve()
    folder = (root / (configured or PROJECT_FONTS)).resolve()
    if not folder.is_relative_to(project):
        return (), [Problem(config_file, None, "fonts", f"expected a folder inside the project, got {configured!r}")]
    if not folder.is_dir():
        if configured:
            return (), [Problem(config_file, None, "fonts", f"expected a folder of fonts, got {configured!r}")]
        return (), []
    files: list[Path] = []
    problems: list = []
    for path in sorted(p for p in folder.rglob("*") if p.suffix.lower() in PROJECT_SUFFIXES):
        shown = f"{configured or PROJECT_FONTS}/{path.relative_to(folder)}"
        real = path.resolve()
        if not real.is_relative_to(project):
            problems.append(Problem(config_file, None, "fonts", f"expected a font inside the project, got {shown}"))
        elif not _is_font(real):
            problems.append(Problem(config_file, None, "fonts", f"expected an OpenType or TrueType font, got {shown}"))
        else:
            files.append(real)
    return tuple(dict.fromkeys(files)), problems


def _is_font(path: Path) -> bool:
    try:
        with open(path, "rb") as f:
            return f.read(4) in (b"OTTO", b"\x00\x01\x00\x00", b"true")
    except OSError:
        return False


@dataclass(frozen=True)
class ProjectFace:
    """A project font as its @font-face rules name it: by its own family name, and as PK Project Fonts."""

    url: str
    family: str
    weight: int
    italic: bool


def project_faces(files: tuple[Path, ...]) -> list[ProjectFace]:
    return [_project_face(path, *_stamp(path)) for path in files]


def _stamp(path: Path) -> tuple[int, int]:
    st = path.stat()
    return st.st_size, st.st_mtime_ns


@lru_cache(maxsize=64)
def _project_face(path: Path, size: int, mtime: int) -> ProjectFace:
    from fontTools.ttLib import TTFont

    with TTFont(path, lazy=True) as font:
        names = font["name"]
        family = str(names.getDebugName(16) or names.getDebugName(1) or path.stem)
        os2 = font.get("OS/2")
        weight = int(os2.usWeightClass) if os2 is not None else 400
        italic = bool(os2 is not None and os2.fsSelection & 1) or bool(font["head"].macStyle & 2)
    family = re.sub(r"[^\w \-]", "", family).strip() or "PK Project Font"  # printed into CSS: nothing to escape
    return ProjectFace(path.as_uri(), family, min(max(weight, 100), 900), italic)
