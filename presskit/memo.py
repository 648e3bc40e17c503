"""What presskit learnt about an input file, remembered across builds by the file's size and modification
time (like make, and like the catalogue's "nothing changed" stamp): the parsed data of a film.yaml, the
sha256 and pixel width of an image, that an image passed its checks.

One JSON file in out/.cache (sources.json). A file whose size or modification time changed is read
again; a lost or unreadable memo only costs the reading. Values must be JSON (str, numbers, lists, dicts).
"""
from __future__ import annotations

import json
import logging
import os
from pathlib import Path

log = logging.getLogger("presskit")

VERSION = "1"  # bump when what is remembered changes meaning: every entry is dropped


def code_tag(*modules) -> str:
    """A tag for StatMemo from presskit's version and the source of the modules that compute the values
    (an edit to them drops what was remembered)."""
    import hashlib

    from . import __version__

    h = hashlib.sha256(__version__.encode())
    for module in modules:
        h.update(Path(module.__file__).read_bytes())
    return h.hexdigest()[:16]


class StatMemo:
    def __init__(self, path: Path | None, tag: str = ""):
        """`tag` names what the values depend on besides the files (e.g. presskit's version): the memo
        is dropped whole when it differs."""
        self.path = path
        self.tag = f"{VERSION} {tag}"
        self._entries: dict[str, dict] = {}
        self._changed = False
        if path is not None:
            try:
                stored = json.loads(path.read_text(encoding="utf-8"))
                if stored.get("tag") == self.tag and isinstance(stored.get("entries"), dict):
                    self._entries = stored["entries"]
            except (OSError, ValueError, AttributeError):
                pass

    @staticmethod
    def stat(path: Path) -> list[int] | None:
        """What a file is recognised by: size, modification time, inode (None when it does not exist)."""
        return StatMemo._stat(path)

    @staticmethod
    def _stat(path: Path) -> list[int] | None:
        try:
            st = os.stat(path)
        except OSError:
            return None
        return [st.st_size, st.st_mtime_ns, st.st_ino]

    def get(self, path: Path, kind: str):
        """The value remembered for `path` (its kind of value), or None when the file changed or nothing
        is known."""
        entry = self._entries.get(str(path))
        if entry is None or entry.get("stat") != self._stat(path):
            return None
        return entry.get(kind)

    def put(self, path: Path, kind: str, value, stat: list[int] | None = None) -> None:
        """Remember `value` for the file as it stands; with `stat` (taken before the file was read), only
        if the file has not changed since."""
        current = self._stat(path)
        if current is None or (stat is not None and stat != current):
            return
        stat = current
        entry = self._entries.get(str(path))
        if entry is None or entry.get("stat") != stat:
            entry = self._entries[str(path)] = {"stat": stat}
        if entry.get(kind) != value:
            entry[kind] = value
            self._changed = True

    def save(self) -> None:
        """Write the memo if anything was learnt (atomically; a failure is only logged)."""
        if self.path is None or not self._changed:
            return
        from .output import write_atomic

        for name in [name for name in self._entries if not os.path.exists(name)]:
            del self._entries[name]  # files that are gone
        try:
            write_atomic(self.path, json.dumps({"tag": self.tag, "entries": self._entries},
                                               separators=(",", ":")).encode("utf-8"))
            self._changed = False
        except OSError as exc:
            log.debug("could not save %s: %s", self.path, exc)
