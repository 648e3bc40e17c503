"""The cache layer: one key function, one state file, one version.

key(*pieces) is the sha256 (hex) of the pieces, each followed by a NUL byte. What is cached by content is
a file named by its key in a folder of out/.cache:

    images/<key>.jpg, .sha256           prepared images (images.cache_key), each with its sha256 and size
    parts/<edition>/<key>.pdf, .json    catalogue parts (products/catalogue/parts.py: Part.key, PartCache)
    html/<edition>/<digest>.json        the HTML of the catalogue's film runs, by their context (parts.HtmlMemo)

What a build learnt for the next one is kept in one state file, out/.cache/state.json (State), in sections:

    memo    what is known of an input file, by its size, modification time and inode, and what was parsed
            from its whole content by the sha256 of that content too (Memo): the parsed data of a film.yaml,
            the sha256 and pixel size of an image, that an image passed its checks
    ink     the preflight's ink coverage of JPEG images, by the sha256 of their data (State.ink), at most
            INK_LIMIT of them
    pages   the preflight's findings on each page of a print PDF, by the key of what the page's checks
            read (State.pages, presskit.preflightmemo), at most PAGES_LIMIT of them
    stamps  the catalogue's "nothing changed" stamps (State.unchanged, State.record): the fingerprint of
            every input file's path, size and modification time, and the output's size and modification
            time as the last build left it, with that build's summary

The state file is read when a build starts and written once when it ends, atomically, and only when
something was learnt. It is one JSON object with each section on a line of its own, parsed only when the
build asks for it: a "nothing changed" rebuild parses the stamps alone, however many films the memo
knows. A section is dropped when what its values depend on changed (its tag), and when it is not exactly
what was written: each carries a seal, the key of its tag and its data, checked when it is parsed (a section
edited by hand, or damaged, is recomputed); a lost, unreadable or foreign file only costs the recomputation,
never an error or a wrong result.

Nothing in the cache is taken on its word: a prepared image is checked against the sha256 recorded beside it
when it was written (images.usable), a cached part against the record written with it, itself sealed by
the part's key (products/catalogue/parts.py: PartCache), and an entry that is not a regular file (a folder, a
link, a pipe in its place) is removed and made again (regular_entry).

VERSION is the cache's one version: bump it when what is cached changes meaning. It is in the state file's
tag and in every key but one: the prepared image's. An image's key names its file, and that name is in the
PDFs (WeasyPrint names the image object after its URL, presskit-image:<key>.jpg): with VERSION in it, a new
VERSION would change the bytes of every PDF. The image key ends with a version of its own instead, the
conversion's (images.CODE_VERSION).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import stat as stat_mode
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from . import __version__
from .output import write_atomic

log = logging.getLogger("presskit")

VERSION = "2"  # bump when what is cached changes meaning: the state and every cached part are dropped
STATE_FILE = "state.json"
INK_LIMIT = 20000  # ink coverages kept (the least recently added are dropped first)
PAGES_LIMIT = 5000  # page checks kept (likewise)
# The kinds of value the memo checks against the sha256 of the file's content on use, besides its size,
# modification time and inode: those parsed from the whole file (read_yaml_remembered's "yaml", load.py's
# validated "film", the laurel artwork's "svg-check"), which hashing the file costs a fraction of. An
# image's facts (its sha256 and size, its checks, which read its header) are recognised by the file's stat
# alone: hashing a camera image again would cost more than what the memo spares (benchmarks/README.md).
CONTENT_KINDS = frozenset({"yaml", "film", "svg-check"})
_SKIP_DIRS = {"__pycache__", "node_modules"}


def key(*pieces: str | bytes) -> str:
    """The sha256 (hex) of the pieces (str as UTF-8), each followed by a NUL byte."""
    h = hashlib.sha256()
    for piece in pieces:
        h.update((piece if isinstance(piece, bytes) else piece.encode("utf-8")) + b"\0")
    return h.hexdigest()


def code_tag(*modules) -> str:
    """A tag of presskit's version and of the source of `modules`: a section whose values they compute is
    dropped when one of them is edited."""
    return key(__version__, *(Path(module.__file__).read_bytes() for module in modules))[:16]


def file_stat(path: Path) -> list[int] | None:
    """What a file is recognised by: size, modification time, inode (None when it does not exist)."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns, st.st_ino]


def regular_entry(path: Path) -> bool:
    """Whether the cache entry `path` is a regular file (a link is not followed). Anything else in its place
    (a folder, a link, a pipe) is damage: removed, so that the entry is made again, and False."""
    try:
        mode = os.lstat(path).st_mode
    except (FileNotFoundError, NotADirectoryError):  # (missing, or its folder is damaged: see folder)
        return False
    if stat_mode.S_ISREG(mode):
        return True
    log.info("%s in the cache is not a file: removing it, to make it again", path)
    if stat_mode.S_ISDIR(mode):
        shutil.rmtree(path)
    else:
        os.unlink(path)
    return False


def folder(path: Path, top: Path) -> Path:
    """`path`, a folder of the cache (`top`, or inside it), made when missing. Anything else in its place or
    in the place of a folder between (a file, a link to a file or to nowhere) is damage: removed. A link to a
    folder is kept (a cache moved to another disk)."""
    path, top = Path(path), Path(top)
    inside = path.relative_to(top).parts
    for step in [top, *(top.joinpath(*inside[: i + 1]) for i in range(len(inside)))]:
        if not os.path.lexists(step):
            break
        if not os.path.isdir(step):
            log.info("%s in the cache is not a folder: removing it, to make it again", step)
            os.unlink(step)
            break
    path.mkdir(parents=True, exist_ok=True)
    return path


def content_digest(path: Path) -> str | None:
    """The sha256 of a regular file's content, None when it is not one (a folder, a pipe, a device: never
    read)."""
    try:
        f = open(path, "rb", opener=_no_wait)  # noqa: SIM115  (closed by the `with` below, once it is open)
    except IsADirectoryError:
        return None
    with f:
        if not stat_mode.S_ISREG(os.fstat(f.fileno()).st_mode):
            return None
        return file_sha256(f)


def file_sha256(f) -> str:
    """The sha256 of an open binary file from its current position, read into one reused buffer (a new
    block for each read costs more than the hashing: benchmarks/README.md)."""
    if hasattr(hashlib, "file_digest"):  # Python 3.11+
        return hashlib.file_digest(f, "sha256").hexdigest()
    h = hashlib.sha256()
    buffer = bytearray(1 << 18)
    view = memoryview(buffer)
    while size := f.readinto(buffer):
        h.update(view[:size])
    return h.hexdigest()


def _no_wait(path, flags):
    """open() that never waits on a pipe or a device before the file's kind is known (O_NONBLOCK)."""
    return os.open(path, flags | getattr(os, "O_NONBLOCK", 0))


# --- the inputs' fingerprint (the stamps) ------------------------------------------------------------


def fingerprint(folders: list[Path], files: list[Path], settings: dict, exclude: list[Path]) -> str:
    """The key of every file's path, size and modification time in `folders` (hidden files and folders,
    caches and `exclude` left out) and of `files`, and of the build `settings`. Like make, it trusts
    modification times."""
    excluded = {Path(p).resolve() for p in exclude}
    found = [path for folder in folders for path in _walk(Path(folder).resolve(), excluded)]
    return key(
        VERSION,
        json.dumps({"presskit": __version__, **settings}, sort_keys=True, default=str),
        *(_file_line(path) for path in [*found, *map(Path, files)]),
    )


def _walk(folder: Path, excluded: set[Path]) -> Iterable[Path]:
    """The files under `folder` (resolved), in order. A link to a folder is not followed (os.walk): every
    folder walked is the real path it is reached by, compared with `excluded` (resolved) as it is."""
    for dirpath, dirnames, filenames in os.walk(folder):
        here = Path(dirpath)
        dirnames[:] = sorted(
            d for d in dirnames if not d.startswith(".") and d not in _SKIP_DIRS and here / d not in excluded
        )
        yield from (here / name for name in sorted(filenames) if not name.startswith("."))


def _file_line(path: Path) -> str:
    try:
        st = path.stat()
    except FileNotFoundError:
        return f"{path}\0missing"
    return f"{path}\0{st.st_size}\0{st.st_mtime_ns}"


def _output_state(target: Path) -> list[int] | None:
    try:
        st = target.stat()
    except FileNotFoundError:
        return None
    return [st.st_size, st.st_mtime_ns]


# --- the sections of the state file -------------------------------------------------------------------


class Memo:
    """The memo section: what presskit learnt about an input file, remembered by the file's size,
    modification time and inode (file_stat) and, for the CONTENT_KINDS of value, by the sha256 of its content
    too, checked on use (the file read once per process): a file that changed is read again, even when its
    size and modification time stayed. Values must be JSON."""

    name = "memo"
    stat = staticmethod(file_stat)

    def __init__(self, tag: str, data: Any = None):
        self.tag = tag
        self._entries: dict[str, dict] = data if isinstance(data, dict) else {}
        self._learnt: set[str] = set()
        self._digests: dict[str, tuple[list[int], str | None]] = {}  # path -> (its stat, content_digest)
        self.changed = False

    def get(self, path: Path, kind: str):
        """The value remembered for `path` (its kind of value), or None when the file changed or nothing
        is known."""
        entry = self._entries.get(str(path))
        if not isinstance(entry, dict) or kind not in entry:
            return None
        current = file_stat(path)
        if current is None or entry.get("stat") != current:
            return None
        if kind in CONTENT_KINDS:
            digest = self._digest(path, current)
            if digest is None or entry.get("sha256") != digest:
                return None
        return entry[kind]

    def put(self, path: Path, kind: str, value, stat: list[int] | None = None) -> None:
        """Remember `value` for the file as it stands; with `stat` (taken before the file was read), only
        if the file has not changed since."""
        current = file_stat(path)
        if current is None or (stat is not None and stat != current):
            return
        entry = self._entries.get(str(path))
        if not isinstance(entry, dict) or entry.get("stat") != current:
            entry = self._entries[str(path)] = {"stat": current}
        if kind in CONTENT_KINDS:
            digest = self._digest(path, current)
            if digest is None:
                return
            if entry.get("sha256") != digest:  # (the file changed since the other values were remembered)
                entry = self._entries[str(path)] = {"stat": current, "sha256": digest}
        if entry.get(kind) != value:
            entry[kind] = value
            self._learnt.add(str(path))
            self.changed = True

    def _digest(self, path: Path, current: list[int]) -> str | None:
        """The sha256 of the file's content (None when it cannot be read), hashed once per process for the
        file as it stands."""
        known = self._digests.get(str(path))
        if known is None or known[0] != current:
            try:
                known = self._digests[str(path)] = (current, content_digest(path))
            except OSError:
                return None
        return known[1]

    def data(self) -> dict:
        return {name: entry for name, entry in self._entries.items() if os.path.exists(name)}  # files gone: out

    def take_learnt(self) -> dict:
        learnt = {name: self._entries[name] for name in self._learnt}
        self._learnt.clear()
        return learnt

    def merge(self, learnt: dict) -> None:
        for name, entry in learnt.items():
            if self._entries.get(name) != entry:
                self._entries[name] = entry
                self.changed = True

    def saved(self) -> None:
        self.changed = False


class Ink:
    """The ink section: the preflight's ink coverage of JPEG images (`values`, by preflight.ink_cache_key),
    dropped when what the values depend on changes (preflight.ink_cache_tag)."""

    name = "ink"

    @staticmethod
    def usable(value) -> bool:
        return isinstance(value, (int, float, str))

    def __init__(self, tag: str, data: Any = None):
        self.tag = tag
        self.values: dict[str, Any] = (
            {k: v for k, v in data.items() if self.usable(v)} if isinstance(data, dict) else {}
        )
        self._known = dict(self.values)
        self._taken = self._known

    @property
    def changed(self) -> bool:
        return self.values != self._known

    def data(self) -> dict:
        return dict(list(self.values.items())[-self.limit() :])

    @staticmethod
    def limit() -> int:
        return INK_LIMIT

    def take_learnt(self) -> dict:
        learnt = {k: v for k, v in self.values.items() if k not in self._taken or self._taken[k] != v}
        self._taken = dict(self.values)
        return learnt

    def merge(self, learnt: dict) -> None:
        self.values.update(learnt)

    def saved(self) -> None:
        self._known = dict(self.values)


class Pages(Ink):
    """The pages section: the preflight's findings on a page (`values`: a list of [severity, check, object,
    message] by preflightmemo's page key), dropped when what they depend on changes (State.pages)."""

    name = "pages"

    @staticmethod
    def limit() -> int:
        return PAGES_LIMIT

    @staticmethod
    def usable(value) -> bool:
        return isinstance(value, list) and all(
            isinstance(f, list) and len(f) == 4 and all(isinstance(p, str) for p in f) for f in value
        )


class Stamps:
    """The stamps section: per output, the inputs' fingerprint and the output's size and modification time
    as the last build left them, with its summary."""

    name = "stamps"

    def __init__(self, tag: str, data: Any = None):
        self.tag = tag
        self.records: dict[str, dict] = data if isinstance(data, dict) else {}
        self._learnt: set[str] = set()
        self.changed = False

    def get(self, name: str) -> dict | None:
        record = self.records.get(name)
        return record if isinstance(record, dict) else None

    def put(self, name: str, record: dict) -> None:
        self.records[name] = record
        self._learnt.add(name)
        self.changed = True

    def data(self) -> dict:
        return self.records

    def take_learnt(self) -> dict:
        learnt = {name: self.records[name] for name in self._learnt}
        self._learnt.clear()
        return learnt

    def merge(self, learnt: dict) -> None:
        for name, record in learnt.items():
            self.put(name, record)
        self._learnt.difference_update(learnt)

    def saved(self) -> None:
        self.changed = False


_SECTIONS = {cls.name: cls for cls in (Memo, Ink, Pages, Stamps)}


class State:
    """out/.cache/state.json: the sections (memo, ink, stamps) a build reads when it starts and writes,
    once, when it ends (save). Without a folder, a state of this process only, never written."""

    def __init__(self, folder: Path | None = None):
        self.path = Path(folder) / STATE_FILE if folder is not None else None
        self.tag = f"presskit cache {VERSION}"
        self._stored = _read_state(self.path, self.tag) if self.path is not None else {}
        self._open: dict[str, Memo | Ink | Stamps] = {}

    def _section(self, name: str, tag: str = ""):
        section = self._open.get(name)
        if section is None or section.tag != tag:
            stored = self._stored_section(name)
            section = self._open[name] = _SECTIONS[name](tag, stored.get("data") if stored.get("tag") == tag else None)
        return section

    def _stored_section(self, name: str) -> dict:
        """A section as read ({"tag": ..., "seal": ..., "data": ...}), parsed now if it was not yet; {} when
        unreadable or not exactly what was written (its seal does not hold)."""
        stored = self._stored.get(name)
        text = None
        if isinstance(stored, memoryview):
            text = bytes(stored)
            try:
                stored = self._stored[name] = json.loads(text)
            except ValueError as exc:
                log.debug("ignoring the %s section of %s: %s", name, self.path, exc)
                stored = None
        if isinstance(stored, dict) and not _seal_holds(stored, text):
            log.info("the %s section of %s is not what presskit wrote: making it again", name, self.path)
            stored = None
        if stored is None:
            self._stored.pop(name, None)
        return stored if isinstance(stored, dict) else {}

    def memo(self, tag: str) -> Memo:
        """The memo section, dropped when `tag` (code_tag of the modules that compute its values) differs."""
        return self._section("memo", tag)

    def ink(self) -> dict:
        """The ink coverages remembered (preflight.preflight's ink_cache): a dict to read and add to."""
        from .preflight import ink_cache_tag

        return self._section("ink", ink_cache_tag()).values

    def pages(self) -> dict:
        """The page checks remembered (preflight.preflight's page_cache): a dict to read and add to, dropped
        when the code of the checks changes."""
        from . import preflight, preflightmemo, trimedges

        tag = f"{code_tag(preflight, preflightmemo, trimedges)}: {preflight.page_cache_tag()}"
        return self._section("pages", tag).values

    def unchanged(self, name: str, inputs: str, target: Path) -> dict | None:
        """The summary recorded for `name` (e.g. "catalogue-print") when the inputs' fingerprint is
        `inputs` and `target` is the file that build left, else None."""
        record = self._section("stamps").get(name)
        if record is None or record.get("inputs") != inputs or record.get("output") != _output_state(target):
            return None
        return record

    def record(self, name: str, inputs: str, target: Path, summary: dict) -> None:
        """Stamp `name`: built from inputs whose fingerprint is `inputs` into `target`, as it stands now."""
        self._section("stamps").put(name, {"inputs": inputs, "output": _output_state(target), **summary})

    def take_learnt(self) -> dict:
        """What was learnt since the last call (or since the file was read), by section: what a worker
        process sends back to the build's own state (pool.fork_map), for merge()."""
        learnt = {name: (section.tag, section.take_learnt()) for name, section in self._open.items()}
        return {name: value for name, value in learnt.items() if value[1]}

    def merge(self, learnt: dict) -> None:
        for name, (tag, values) in learnt.items():
            self._section(name, tag).merge(values)

    def save(self) -> None:
        """Write the state file if anything was learnt (atomically; a failure is only logged)."""
        if self.path is None or not any(section.changed for section in self._open.values()):
            return
        sections = {
            **self._stored,
            **{name: _section_text(section.tag, section.data()) for name, section in self._open.items()},
        }
        try:
            folder(self.path.parent, self.path.parent)  # (a file, say, in the place of out/.cache: removed)
            regular_entry(self.path)
            write_atomic(self.path, _state_text(self.tag, sections))
        except OSError as exc:  # a cache: the build goes on
            log.debug("could not save %s: %s", self.path, exc)
            return
        for section in self._open.values():
            section.saved()


def _state_text(tag: str, sections: dict[str, memoryview | bytes | dict]) -> bytes:
    """The state file: one JSON object, its tag on the first line and each section on a line of its own
    (JSON escapes every line break inside a value), the sections that were never parsed written as read."""
    pieces: list[bytes | memoryview] = [json.dumps({"tag": tag})[:-1].encode()]
    for name, section in sections.items():
        text = section if isinstance(section, (memoryview, bytes)) else json.dumps(section, separators=(",", ":"))
        text = text.encode() if isinstance(text, str) else text
        pieces += [b'\n,"', name.encode(), b'":', text]
    return b"".join([*pieces, b"\n}"])


def _section_text(tag: str, data) -> bytes:
    """A section as written: {"tag": ..., "seal": ..., "data": ...}, its seal the key of its tag and of its
    data's JSON text (_seal_holds)."""
    text = json.dumps(data, separators=(",", ":"))
    return b'{"tag":%s,"seal":"%s","data":%s}' % (json.dumps(tag).encode(), key(tag, text).encode(), text.encode())


def _seal_holds(section: dict, text: bytes | None = None) -> bool:
    """Whether a parsed section is exactly what _section_text wrote: the key of its tag and of its data's JSON
    text is its seal. That text is taken from `text`, the section as read, when it is laid out as written
    (not reformatted by a person): the data is not written again to be checked."""
    tag, seal = section.get("tag"), section.get("seal")
    if not isinstance(tag, str) or not isinstance(seal, str):
        return False
    head = b'{"tag":%s,"seal":"%s","data":' % (json.dumps(tag).encode(), seal.encode())
    if text is not None and text.startswith(head) and text.endswith(b"}"):
        return seal == key(tag, text[len(head) : -1])
    return seal == key(tag, json.dumps(section.get("data"), separators=(",", ":")))


def _read_state(path: Path, tag: str) -> dict[str, memoryview | dict]:
    """The sections of the state file at `path` by name, each the JSON text of its line (parsed when a
    build asks for it: State._stored_section), or parsed already when the file is not laid out in lines
    (a person reformatted it); none when the file is missing, unreadable or of another version."""
    try:
        data = path.read_bytes()
        lines = _section_lines(data)
        stored = lines if lines is not None else json.loads(data)
    except (OSError, ValueError) as exc:
        if not isinstance(exc, FileNotFoundError):
            log.debug("ignoring %s: %s", path, exc)
        return {}
    if not isinstance(stored, dict) or stored.pop("tag", None) != tag:
        return {}
    return {
        name: section
        for name, section in stored.items()
        if name in _SECTIONS and isinstance(section, (memoryview, dict))
    }


def _section_lines(data: bytes) -> dict | None:
    """{"tag": ..., name: the section's JSON text (a view of `data`, not a copy)} of a state file as
    _state_text lays it out, else None."""
    end = data.find(b"\n")
    if end < 0 or not data.startswith(b"{") or not data.endswith(b"\n}"):
        return None
    head = json.loads(data[:end] + b"}")
    if not isinstance(head, dict):
        return None
    view = memoryview(data)
    while (start := end + 1) < len(data) - 1:  # (the last line is the closing brace)
        end = data.find(b"\n", start)
        colon = data.find(b'":', start, end)
        name = data[start + 2 : colon].decode("ascii", "replace") if colon > 0 else ""
        if not (data.startswith(b',"', start) and name.isidentifier()):
            return None
        head[name] = view[colon + 2 : end]
    return head
