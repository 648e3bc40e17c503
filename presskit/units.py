"""Lengths: CSS length strings, millimetres, points, inches and CSS pixels.

Print sizes are given in millimetres (trim, margins, frames), PDF geometry is in points (1/72 in) and
WeasyPrint lays out in CSS pixels (1/96 in). Every conversion between them is written here, once.
"""

from __future__ import annotations

import re

from .errors import DataError

MM_PER_PX = 25.4 / 96  # WeasyPrint lays out in CSS pixels

_LENGTH_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(mm|cm|in|pt|px)\s*$")
_PT_PER_UNIT = {"mm": 72 / 25.4, "cm": 72 / 2.54, "in": 72.0, "pt": 1.0, "px": 0.75}
MM_PER_UNIT = {"mm": 1.0, "cm": 10.0, "in": 25.4, "pt": 25.4 / 72}  # the units of a page size (model.PageSize)


def length_pt(value: str, key: str = "print.bleed") -> float:
    """A CSS length in mm, cm, in, pt or px -> points; `key` names the setting in the error message."""
    match = _LENGTH_RE.match(value)
    if not match:
        raise DataError(f"{key}: expected a length such as '3mm' or '0.125in', got '{value}'")
    return float(match.group(1)) * _PT_PER_UNIT[match.group(2)]


def length_mm(value: str, key: str = "print.bleed") -> float:
    """A CSS length -> millimetres."""
    return pt_to_mm(length_pt(value, key))


def pt_to_mm(pt: float) -> float:
    return pt * 25.4 / 72


def mm_to_pt(mm: float) -> float:
    return mm * 72 / 25.4


def mm_to_in(mm: float) -> float:
    return mm / 25.4


def pt_to_in(pt: float) -> float:
    return pt / 72
