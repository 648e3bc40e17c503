#!/usr/bin/env python3
"""Rebuild presskit's default CMYK output profiles (assets/icc/) from the official characterization data,
with ArgyllCMS's colprof (see assets/icc/README.md for the terms).

Needs Debian's `argyll` (colprof, and its reference sRGB.icm) and `icc-profiles-free` (FOGRA39L.ti3,
TR006.ti3). colprof's own output is then finished here, as the ICC characterization data registry asks of
a profile made from registered data: a charTargetTag ('targ') reading "ICCHDAT <reference name>", and the
header's creation date pinned, so that a rebuild gives the same file.

    python3 tools/make_icc.py              # both profiles (a minute or two each)
    python3 tools/make_icc.py FOGRA39      # one
"""

from __future__ import annotations

import shutil
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "assets" / "icc"
DATA = Path("/usr/share/color/icc")
SRGB = Path("/usr/share/color/argyll/ref/sRGB.icm")
DATE = (2026, 1, 1, 0, 0, 0)  # the creation date written into every profile's header

# file name -> (characterization data, registry reference name, profile description)
PROFILES = {
    "FOGRA39": ("FOGRA39L.ti3", "FOGRA39", "presskit FOGRA39: Coated FOGRA39 (ISO 12647-2:2004), based on FOGRA39"),
    "GRACoL2006": (
        "TR006.ti3",
        "CGATS TR 006",
        "presskit GRACoL 2006: Coated GRACoL 2006 (ISO 12647-2:2004), based on CGATS TR 006",
    ),
}

# The same options for both: medium quality tables (-qm); black generated on a ramp (-kr); total ink at most
# 290 % (-l290: a press allows 300 %, and JPEG's rounding needs a little room); perceptual and saturation
# tables gamut-mapped from sRGB (-S), seen on a monitor (-cmt) and as a print (-dpp); the measurement data
# left out of the profile (-nc: the registry's charTargetTag names it instead).
COLPROF = ["colprof", "-qm", "-kr", "-l290", "-nc", "-S", str(SRGB), "-cmt", "-dpp"]


def build(name: str) -> Path:
    data, reference, description = PROFILES[name]
    with tempfile.TemporaryDirectory() as work:
        shutil.copy(DATA / data, Path(work) / f"{name}.ti3")
        copyright = f"No copyright: made with ArgyllCMS colprof from the characterization data {reference} ({data})"
        subprocess.run([*COLPROF, "-D", description, "-C", copyright, name], cwd=work, check=True)
        profile = finish((Path(work) / f"{name}.icc").read_bytes(), reference)
    OUT.mkdir(parents=True, exist_ok=True)
    target = OUT / f"{name}.icc"
    target.write_bytes(profile)
    print(f"wrote {target} ({len(profile)} bytes)")
    return target


def finish(icc: bytes, reference: str) -> bytes:
    """The profile with a 'targ' tag "ICCHDAT <reference>" (replacing any) and DATE in its header."""
    count = struct.unpack(">I", icc[128:132])[0]
    tags = []
    for i in range(count):
        sig, offset, size = struct.unpack(">4sII", icc[132 + 12 * i : 144 + 12 * i])
        if sig != b"targ":
            tags.append((sig, icc[offset : offset + size]))
    tags.append((b"targ", b"text\0\0\0\0" + f"ICCHDAT {reference}".encode("ascii") + b"\0"))
    table = 128 + 4 + 12 * len(tags)
    entries, body, seen = [], b"", {}
    for sig, data in tags:
        if data not in seen:  # (tags that shared their data keep sharing it)
            body += b"\0" * (-(table + len(body)) % 4)
            seen[data] = table + len(body)
            body += data
        entries.append(struct.pack(">4sII", sig, seen[data], len(data)))
    out = bytearray(icc[:128] + struct.pack(">I", len(tags)) + b"".join(entries) + body)
    out += b"\0" * (-len(out) % 4)
    out[0:4] = struct.pack(">I", len(out))
    out[24:36] = struct.pack(">6H", *DATE)
    out[84:100] = bytes(16)  # no profile ID (a version 2 profile has none)
    return bytes(out)


if __name__ == "__main__":
    names = sys.argv[1:] or list(PROFILES)
    unknown = [n for n in names if n not in PROFILES]
    if unknown:
        sys.exit(f"unknown profile {', '.join(unknown)}: expected {' or '.join(PROFILES)}")
    for n in names:
        build(n)
