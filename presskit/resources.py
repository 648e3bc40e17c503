"""Where presskit's own layouts and assets live: inside the wheel, or beside the package in a checkout."""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path


@cache
def _data_root() -> Path:
    packaged = Path(str(resources.files("presskit"))) / "_data"
    if (packaged / "layouts").is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent


def builtin_layouts() -> Path:
    return _data_root() / "layouts"


def builtin_assets() -> Path:
    return _data_root() / "assets"
