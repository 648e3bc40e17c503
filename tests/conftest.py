"""Shared fixtures: small projects written into tmp_path, and one session-wide demo build."""
from __future__ import annotations

import os
import shutil
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "data"

os.environ.setdefault("TZ", "UTC")


def write_film(folder: Path, yaml_text: str, images: dict[str, tuple[int, int]] | None = None) -> Path:
    """Write film.yaml (dedented) and solid-colour JPEGs of the given sizes into `folder`."""
    from PIL import Image

    folder.mkdir(parents=True, exist_ok=True)
    (folder / "film.yaml").write_text(textwrap.dedent(yaml_text), encoding="utf-8")
    for name, size in (images or {}).items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        Image.new("RGB", size, (120, 40, 40)).save(path, quality=80)
    return folder


MINIMAL_FILM = """\
title: {en: Small Film, fr: Petit film}
year: 2024
countries: [FR]
runtime: 90
languages: [fr]
subtitles: [en]
directors:
  - name: Ana Example
cast:
  - {name: Actor One, character: Hero}
texts:
  synopsis_short: {en: A short synopsis., fr: Un synopsis court.}
images:
  key_art: {file: images/key.jpg}
"""


@pytest.fixture
def small_project(tmp_path: Path) -> Path:
    """A one-film project in tmp_path."""
    (tmp_path / "presskit.yaml").write_text("name: test\nlanguage: en\npaper: a4\nfilms: films\n")
    write_film(tmp_path / "films" / "small-film", MINIMAL_FILM, {"images/key.jpg": (1800, 2700)})
    return tmp_path


@pytest.fixture(scope="session")
def demo_copy(tmp_path_factory) -> Path:
    """A read-only-by-convention copy of the bundled demo project."""
    target = tmp_path_factory.mktemp("demo") / "data"
    shutil.copytree(DEMO, target)
    return target
