"""Which characters presskit's fonts can print: the union of the character maps of the fonts a render sees
(fonts.py: the bundled faces, the Noto fallbacks of every script, the project's own faces; fontconfig
being isolated, no other). A character outside it would render as .notdef, which fails the build;
validation reports it first, with the file, line and key that hold it.

The character maps are read straight from the font files' cmap tables as ranges of code points (no glyph
table is parsed: the 20 MB CJK collections take milliseconds), each file's once per process, keyed by its
size and modification time."""

from __future__ import annotations

import bisect
import mmap
import re
import struct
import unicodedata
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path

from .fonts import FONT_SUFFIXES, all_files

# Never a glyph: controls and format characters (bidi marks, joiners), surrogates, and the noncharacters
# U+FFFE and U+FFFF (the reading of the data refuses these and controls on their own: yamlfile.check_text).
_NOT_DRAWN = {"Cc", "Cf", "Cs", "Zl", "Zp"}
_NONCHARACTERS = {"\ufffe", "\uffff"}
# Keys of the data whose values are never printed: file names, ids and references to other entries.
NOT_PRINTED = frozenset({"file", "laurel_artwork", "id", "slug", "film", "venue", "festival_entry"})

Ranges = tuple[tuple[int, int], ...]  # sorted, disjoint, inclusive (first, last) code points


class Coverage:
    """The code points a set of fonts can print, as ranges, with a compiled pattern of one character
    outside them: a text is searched at C speed, and only one with such a character is looked at closely."""

    def __init__(self, ranges: Ranges):
        self.ranges = ranges
        self._starts = [a for a, _ in ranges]
        covered = "".join(re.escape(chr(a)) + ("-" + re.escape(chr(b)) if b > a else "") for a, b in ranges)
        self.outside = re.compile(f"[^{covered}]" if covered else "[\\s\\S]")

    def __contains__(self, code: object) -> bool:
        if not isinstance(code, int):
            return False
        i = bisect.bisect_right(self._starts, code) - 1
        return i >= 0 and self.ranges[i][1] >= code

    def unprintable(self, text: str) -> list[str]:
        """The characters of `text` no font can print, each once, in order (white space and characters
        that are never drawn, such as bidi marks, left aside)."""
        if not self.outside.search(text):
            return []
        missing: dict[str, None] = {}
        for ch in text:
            if (
                ord(ch) not in self
                and not ch.isspace()
                and unicodedata.category(ch) not in _NOT_DRAWN
                and ch not in _NONCHARACTERS
            ):
                missing.setdefault(ch)
        return list(missing)


def coverage(project_fonts: tuple[Path, ...] = ()) -> Coverage:
    """What the fonts of a render can print: presskit's (fonts.all_files) and the project's `project_fonts`
    (theirs stamped at each call: a project's font may change between builds of one process)."""
    return _coverage(coverage_files(project_fonts))


def coverage_files(project_fonts: tuple[Path, ...] = ()) -> tuple[tuple[Path, int, int], ...]:
    """The font files coverage() reads, with their size and modification time."""
    return _presskit_files() + tuple((p, *_stamp(p)) for p in project_fonts)


@lru_cache(maxsize=1)
def _presskit_files() -> tuple[tuple[Path, int, int], ...]:
    """presskit's own font files with their stamps, listed once per process (a validation asks for every
    text that is not ASCII: listing and stat-ing some 90 files each time cost 6.5 s on 300 films)."""
    return tuple((p, *_stamp(p)) for p in all_files(()))


def folder_coverage(folder: Path) -> Coverage:
    """What the font files under `folder` can print (tests, tools)."""
    files = sorted(p for p in folder.rglob("*") if p.suffix.lower() in FONT_SUFFIXES)
    return _coverage(tuple((p, *_stamp(p)) for p in files))


def _stamp(path: Path) -> tuple[int, int]:
    try:
        st = path.stat()
    except OSError:
        return (-1, -1)
    return (st.st_size, st.st_mtime_ns)


@lru_cache(maxsize=8)
def _coverage(files: tuple[tuple[Path, int, int], ...]) -> Coverage:
    return Coverage(merge(r for path, size, mtime in files for r in file_ranges(path, size, mtime)))


def merge(ranges: Iterable[tuple[int, int]]) -> Ranges:
    out: list[list[int]] = []
    for a, b in sorted(ranges):
        if out and a <= out[-1][1] + 1:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return tuple((a, b) for a, b in out)


# Character maps read in this process, and those remembered from an earlier build (recall_ranges), by file,
# size and modification time.
_READ: dict[tuple[Path, int, int], Ranges] = {}
_REMEMBERED: dict[tuple[Path, int, int], Ranges] = {}


def recall_ranges(files: tuple[tuple[Path, int, int], ...], memo, tag: str) -> None:
    """The character maps of the font `files` (coverage_files) that `memo` (cache.Memo: "cmap", by each
    file's size, modification time and inode; `tag`: of this module's code) knows, used instead of reading
    the files: reading some 90 font files' maps costs a build a quarter of a second."""
    for path, size, mtime in files:
        known = memo.get(path, "cmap")
        ranges = known.get("ranges") if isinstance(known, dict) and known.get("tag") == tag else None
        if isinstance(ranges, list) and _is_ranges(ranges):
            _REMEMBERED[(path, size, mtime)] = tuple((a, b) for a, b in ranges)


def keep_ranges(files: tuple[tuple[Path, int, int], ...], memo, tag: str) -> None:
    """The character maps of `files` read in this process added to `memo` (see recall_ranges)."""
    for path, size, mtime in files:
        ranges = _READ.get((path, size, mtime))
        stat = memo.stat(path)
        if ranges is not None and stat is not None and stat[:2] == [size, mtime]:
            memo.put(path, "cmap", {"tag": tag, "ranges": [list(r) for r in ranges]}, stat)


def _is_ranges(value) -> bool:
    return isinstance(value, list) and all(
        isinstance(r, list) and len(r) == 2 and all(type(c) is int for c in r) for r in value
    )


@lru_cache(maxsize=256)
def file_ranges(path: Path, size: int = 0, mtime: int = 0) -> Ranges:
    """The code points the font file `path` (every face of a collection) maps to a glyph; () for a file
    that is not a font presskit can read (fonts.project_fonts reports those). `size` and `mtime` key the
    cache: a changed file is read again."""
    if (known := _REMEMBERED.get((path, size, mtime))) is not None:
        return known
    try:
        with open(path, "rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as data:
            subtables = {_subtable_bytes(data, _cmap_subtable(data, o)) for o in _face_offsets(data)}
            ranges = merge(r for table in sorted(subtables) for r in _subtable_ranges(table, 0))
    except (OSError, struct.error, ValueError, IndexError):
        return ()
    _READ[(path, size, mtime)] = ranges
    return ranges


def _face_offsets(data) -> list[int]:
    if data[:4] == b"ttcf":
        (count,) = struct.unpack_from(">I", data, 8)
        return list(struct.unpack_from(f">{count}I", data, 12))
    return [0]


def _cmap_subtable(data, offset: int) -> int:
    """Where the Unicode character map of the face at `offset` starts."""
    (tables,) = struct.unpack_from(">H", data, offset + 4)
    cmap = None
    for i in range(tables):
        tag, _, table_offset, _ = struct.unpack_from(">4sIII", data, offset + 12 + 16 * i)
        if tag == b"cmap":
            cmap = table_offset
    if cmap is None:
        raise ValueError("no cmap")
    (count,) = struct.unpack_from(">H", data, cmap + 2)
    subtables = {}
    for i in range(count):
        platform, encoding, sub = struct.unpack_from(">HHI", data, cmap + 4 + 8 * i)
        subtables[(platform, encoding)] = cmap + sub
    for key in ((3, 10), (0, 4), (0, 6), (3, 1), (0, 3), (0, 2), (0, 1), (0, 0)):
        if key in subtables:
            return subtables[key]
    raise ValueError("no Unicode cmap")


def _subtable_bytes(data, at: int) -> bytes:
    """The cmap subtable at `at`: the faces of a collection often have the same one, read once."""
    (fmt,) = struct.unpack_from(">H", data, at)
    (length,) = struct.unpack_from(">I", data, at + 4) if fmt >= 8 else struct.unpack_from(">H", data, at + 2)
    return bytes(data[at : at + length])


def _subtable_ranges(data, at: int):
    (fmt,) = struct.unpack_from(">H", data, at)
    if fmt == 12:
        (groups,) = struct.unpack_from(">I", data, at + 12)
        values = struct.unpack_from(f">{3 * groups}I", data, at + 16)
        run: list[int] | None = None
        for g in range(0, 3 * groups, 3):
            first, last = values[g] + (values[g + 2] == 0), values[g + 1]
            if run is not None and first == run[1] + 1:
                run[1] = last
                continue
            if run is not None:
                yield (run[0], run[1])
            run = [first, last]
        if run is not None:
            yield (run[0], run[1])
    elif fmt == 4:
        (seg2,) = struct.unpack_from(">H", data, at + 6)
        n = seg2 // 2
        ends = struct.unpack_from(f">{n}H", data, at + 14)
        starts = struct.unpack_from(f">{n}H", data, at + 16 + seg2)
        deltas = struct.unpack_from(f">{n}h", data, at + 16 + 2 * seg2)
        range_at = at + 16 + 3 * seg2
        offsets = struct.unpack_from(f">{n}H", data, range_at)
        for i in range(n):
            first, last = starts[i], ends[i]
            if first == 0xFFFF:
                continue
            if offsets[i] == 0:  # glyph = code + delta: .notdef for one code at most
                notdef = -deltas[i] & 0xFFFF
                yield from (
                    (a, b) for a, b in ((first, min(last, notdef - 1)), (max(first, notdef + 1), last)) if a <= b
                )
            else:
                base = range_at + 2 * i + offsets[i]

                def glyph(c: int, i: int = i, base: int = base) -> int:
                    (g,) = struct.unpack_from(">H", data, base + 2 * (c - starts[i]))
                    return (g + deltas[i]) & 0xFFFF if g else 0

                yield from _mapped(first, last, glyph)
    else:
        raise ValueError(f"cmap format {fmt}")


def _mapped(first: int, last: int, glyph: Callable[[int], int]):
    """The runs of [first, last] whose glyph is not .notdef (0)."""
    run = None
    for code in range(first, last + 1):
        if glyph(code):
            run = code if run is None else run
        elif run is not None:
            yield (run, code - 1)
            run = None
    if run is not None:
        yield (run, last)


def printable(fonts: Path | None = None) -> Coverage:
    """What presskit's fonts can print (`fonts`: a folder of font files instead)."""
    return folder_coverage(fonts) if fonts is not None else coverage()


def unprintable(text: str, project_fonts: tuple[Path, ...] = ()) -> list[str]:
    """The characters of `text` no font of a render can print, each once, in order."""
    return coverage(project_fonts).unprintable(text)


def describe(ch: str) -> str:
    """'"헤" (U+D5E4 HANGUL SYLLABLE HE)'"""
    name = unicodedata.name(ch, "")
    return f'"{ch}" (U+{ord(ch):04X}{" " + name if name else ""})'


def checker(project_fonts: tuple[Path, ...] = ()) -> Callable[[tuple, str], str | None]:
    """problem() for a project with its own fonts."""

    def check(loc: tuple, text: str) -> str | None:
        return problem(loc, text, project_fonts)

    return check


def problem(loc: tuple, text: str, project_fonts: tuple[Path, ...] = ()) -> str | None:
    """What is wrong with a text of the data (at key path `loc`) that no font can print all of: None when
    nothing is, or when the key's value is never printed (a file name, an id). For yamlfile.validate."""
    if loc and loc[-1] in NOT_PRINTED:
        return None
    if not (missing := coverage(project_fonts).unprintable(text)):
        return None
    shown = ", ".join(describe(ch) for ch in missing[:5]) + (" ..." if len(missing) > 5 else "")
    return f"expected text presskit's fonts can print, got {shown}, which no font presskit uses has"
