"""Make assets/fonts/noto-sans-condensed/PKCondensedFallback-*.ttf, the condensed display face's fallback.

Bebas Neue (PK Condensed) has capitals only (its lower case letters are capitals too) and no Vietnamese
letters with two marks (ề ẳ ứ). Its fallback is Noto Sans ExtraCondensed (SemiBold for its Book and
Regular weights, Bold for its Bold; SIL Open Font License 1.1, no reserved font name) from Debian's
fonts-noto-extra, cut to Latin, Greek and Cyrillic, its lower case drawn with the capitals' glyphs as
Bebas Neue's is, and renamed "PK Condensed Fallback":

    python tools/make_condensed_fallback.py [/usr/share/fonts/truetype/noto]
"""

from __future__ import annotations

import sys
import unicodedata
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "assets" / "fonts" / "noto-sans-condensed"
RANGES = [
    (0x20, 0x24F),
    (0x250, 0x2FF),
    (0x300, 0x36F),
    (0x370, 0x3FF),
    (0x400, 0x52F),
    (0x1E00, 0x1EFF),
    (0x2000, 0x206F),
    (0x20A0, 0x20CF),
    (0x2100, 0x214F),
]
FAMILY = "PK Condensed Fallback"


def make(source: Path, target: Path, style: str) -> None:
    font = TTFont(source)
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.hinting = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[u for a, b in RANGES for u in range(a, b + 1)])
    subsetter.subset(font)
    for table in font["cmap"].tables:
        if not table.isUnicode():
            continue
        cmap = table.cmap
        for code in list(cmap):
            upper = chr(code).upper()
            if (
                len(upper) == 1
                and ord(upper) != code
                and ord(upper) in cmap
                and unicodedata.category(chr(code)) == "Ll"
            ):
                cmap[code] = cmap[ord(upper)]
    names = font["name"]
    for record in list(names.names):
        if record.nameID in (16, 17, 21, 22):
            names.removeNames(nameID=record.nameID)
    names.setName(FAMILY, 1, 3, 1, 0x409)
    names.setName(style, 2, 3, 1, 0x409)
    names.setName(f"{FAMILY} {style}", 4, 3, 1, 0x409)
    names.setName(f"PKCondensedFallback-{style}", 6, 3, 1, 0x409)
    names.setName(f"{FAMILY};{style}", 3, 3, 1, 0x409)
    for record in list(names.names):
        if record.platformID == 1:
            names.names.remove(record)
    font["OS/2"].usWidthClass = 5  # asked for at the normal width, as Bebas Neue is
    font.save(target)


def main() -> None:
    noto = Path(sys.argv[1] if len(sys.argv) > 1 else "/usr/share/fonts/truetype/noto")
    OUT.mkdir(parents=True, exist_ok=True)
    make(noto / "NotoSans-ExtraCondensedSemiBold.ttf", OUT / "PKCondensedFallback-Regular.ttf", "Regular")
    make(noto / "NotoSans-ExtraCondensedBold.ttf", OUT / "PKCondensedFallback-Bold.ttf", "Bold")


if __name__ == "__main__":
    main()
