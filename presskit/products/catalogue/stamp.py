"""The "nothing changed" check: a fingerprint of every input file's path, size and modification time.

A rebuild whose inputs (project files, layouts, assets, the output profile, presskit's own code and the
build settings) all stand as they did, and whose catalogue.pdf is the one the last build wrote, does
nothing at all: no data is loaded, no part is looked up. Like make, it trusts modification times; any
doubt (a missing stamp, a touched file) falls back to the full build, which is itself cached.
"""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from ... import __version__

_SKIP_DIRS = {"__pycache__", "node_modules"}


def fingerprint(folders: list[Path], files: list[Path], settings: dict, exclude: list[Path]) -> str:
    h = hashlib.sha256(json.dumps({"presskit": __version__, **settings}, sort_keys=True, default=str).encode())
    excluded = {p.resolve() for p in exclude}
    for folder in folders:
        folder = folder.resolve()
        for dirpath, dirnames, filenames in os.walk(folder):
            here = Path(dirpath)
            dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d not in _SKIP_DIRS
                                 and (here / d).resolve() not in excluded)
            for name in sorted(filenames):
                if not name.startswith("."):
                    _add(h, here / name)
    for path in files:
        _add(h, Path(path))
    return h.hexdigest()


def _add(h, path: Path) -> None:
    try:
        st = path.stat()
        h.update(f"{path}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    except FileNotFoundError:
        h.update(f"{path}\0missing\n".encode())


def _output_state(target: Path) -> list | None:
    try:
        st = target.stat()
    except FileNotFoundError:
        return None
    return [st.st_size, st.st_mtime_ns]


def unchanged(stamp: Path, inputs: str, target: Path) -> dict | None:
    """The last build's summary when the inputs and the output are as it left them, else None."""
    try:
        data = json.loads(stamp.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("inputs") != inputs or data.get("output") != _output_state(target):
        return None
    return data


def record(stamp: Path, inputs: str, target: Path, summary: dict) -> None:
    from ...output import write_atomic

    data = {"inputs": inputs, "output": _output_state(target), **summary}
    write_atomic(stamp, json.dumps(data, sort_keys=True).encode("utf-8"))
