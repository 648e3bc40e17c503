"""Shared fixtures: small projects written into tmp_path, and one session-wide demo build; and the guard
that keeps `pytest -m "not slow"` from rendering (see "Fast tests render nothing" below)."""

from __future__ import annotations

import builtins
import functools
import importlib.abc
import io
import os
import shutil
import sys
import tempfile
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
def opened(monkeypatch) -> list[Path]:
    """Every path opened (builtins.open, io.open, os.open) in this process while the test runs, as given."""
    paths: list[Path] = []

    def recording(real):
        def wrapper(file, *args, **kwargs):
            if isinstance(file, (str, bytes, os.PathLike)):
                paths.append(Path(os.fsdecode(file)))
            return real(file, *args, **kwargs)

        return wrapper

    monkeypatch.setattr(builtins, "open", recording(builtins.open))
    monkeypatch.setattr(io, "open", recording(io.open))
    monkeypatch.setattr(os, "open", recording(os.open))
    return paths


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


# --- Fast tests render nothing -----------------------------------------------------------------------
# A test not marked slow fails when anything in it (its setup, the call, its teardown, or a worker process
# forked meanwhile) lays out a document with WeasyPrint: weasyprint.HTML.render, which every render goes
# through (presskit.pdf.render_document, catalogue parts, HTML.write_pdf). WeasyPrint is not imported for
# this: render is wrapped once, when WeasyPrint is imported (or now, if it already is), and the wrapper
# only looks at whether a fast test is running. A render in a fast test raises at once and is written to
# a file (forked workers share it, and an exception the code under test catches still fails the test).

_fast_test: str | None = None  # the node id of the fast test now running, None in a slow one
_renders = Path(tempfile.mkstemp(prefix="presskit-render-guard-")[1])  # a process id per render in a fast test
_renders_opened_by = os.getpid()


class RenderedInFastTest(RuntimeError):
    pass


def _guard_render(weasyprint) -> None:
    """Wrap weasyprint.HTML.render (once) so that it fails while a fast test runs."""
    render = weasyprint.HTML.render
    if getattr(render, "render_guard", False):
        return

    @functools.wraps(render)
    def guarded(self, *args, **kwargs):
        if _fast_test is not None:
            with _renders.open("a", encoding="utf-8") as f:
                f.write(f"{os.getpid()}\n")
            raise RenderedInFastTest(f"{_fast_test} renders a PDF: mark it slow (@pytest.mark.slow)")
        return render(self, *args, **kwargs)

    guarded.render_guard = True
    weasyprint.HTML.render = guarded


class _GuardOnImport(importlib.abc.MetaPathFinder):
    """Finds nothing itself: has the real loader of `weasyprint` wrap HTML.render once the module is run."""

    def find_spec(self, fullname, path, target=None):
        if fullname != "weasyprint":
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(fullname, path, target)
            if spec is not None:
                break
        else:
            return None
        if spec.loader is not None and hasattr(spec.loader, "exec_module"):
            run = spec.loader.exec_module

            def exec_module(module):
                run(module)
                _guard_render(module)

            spec.loader.exec_module = exec_module
        return spec


if "weasyprint" in sys.modules:
    _guard_render(sys.modules["weasyprint"])
sys.meta_path.insert(0, _GuardOnImport())


def _guarded_phase(item):
    """Run one phase of `item` (a hook wrapper's yield) with renders forbidden unless it is marked slow."""
    global _fast_test
    if item.get_closest_marker("slow") is not None:
        return (yield)
    os.truncate(_renders, 0)  # (not through open(): a test may be recording what is opened)
    _fast_test = item.nodeid
    try:
        return (yield)
    finally:  # (whatever the phase raised, a render is reported as such)
        _fast_test = None
        if _renders.stat().st_size:
            pids = sorted(set(_renders.read_text(encoding="utf-8").split()), key=int)
            here = "this process" if pids == [str(os.getpid())] else f"process(es) {', '.join(pids)}"
            message = (
                f"{item.nodeid} renders a PDF: mark it slow (@pytest.mark.slow) "
                f"(WeasyPrint's HTML.render was called in {here})"
            )
            raise pytest.fail.Exception(message, pytrace=False) from None


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item):
    return (yield from _guarded_phase(item))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    return (yield from _guarded_phase(item))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    return (yield from _guarded_phase(item))


def pytest_unconfigure(config):
    if os.getpid() == _renders_opened_by:
        _renders.unlink(missing_ok=True)
