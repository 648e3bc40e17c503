"""Hostile and broken caches, and text that names files: nothing in out/.cache is taken on its word (an entry
that is not exactly what was written is made again, and the build gives the bytes of a clean cold build),
and no address found in the data's text is ever opened."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import DEMO, ROOT

from presskit import cache
from presskit.cache import State
from presskit.cli import cli
from presskit.images import cached_image, usable
from presskit.products.catalogue.parts import FileHasher, Part, PartCache, Rendered, read_record, record_seal

HOSTILE = "file:///etc/passwd"
ZERO = "file:///dev/zero"


def presskit(*args: str) -> subprocess.CompletedProcess:
    done = subprocess.run(
        [sys.executable, "-m", "presskit", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=600,
    )
    assert "Traceback" not in done.stderr, done.stderr
    return done


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def outputs(out: Path) -> dict[str, str]:
    """The sha256 of every PDF under `out`, the cache left out, by path."""
    return {str(p.relative_to(out)): sha(p) for p in sorted(out.rglob("*.pdf")) if ".cache" not in p.parts}


def flip_bytes(path: Path) -> None:
    """Garble a JPEG's entropy-coded data, keeping its size and markers."""
    data = bytearray(path.read_bytes())
    for i in range(len(data) // 2, len(data) // 2 + 64):
        data[i] ^= 0x5A
    path.write_bytes(bytes(data))


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("demo") / "data"
    shutil.copytree(DEMO, target)
    return target


@pytest.fixture(scope="module")
def clean(tmp_path_factory, demo) -> Path:
    """A clean cold build of the demo catalogue (print) and of one film's press kit (screen and print)."""
    out = tmp_path_factory.mktemp("clean") / "out"
    assert presskit("catalogue", str(demo), "-o", str(out)).returncode == 0
    assert presskit("kit", str(demo / "films" / "red-rooms"), "-o", str(out)).returncode == 0
    return out


@pytest.fixture
def damaged(clean, tmp_path) -> Path:
    """A copy of the clean build's output folder, cache included, to damage; its PDFs removed, so that the
    rebuild writes them (and the catalogue's "nothing changed" stamp cannot answer)."""
    out = tmp_path / "out"
    shutil.copytree(clean, out, symlinks=True)
    for pdf in out.rglob("*.pdf"):
        if ".cache" not in pdf.parts:
            pdf.unlink()
    return out


def rebuild_catalogue(demo: Path, out: Path, clean: Path) -> subprocess.CompletedProcess:
    done = presskit("-v", "catalogue", str(demo), "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert sha(out / "catalogue.pdf") == sha(clean / "catalogue.pdf")
    return done


def parts_folder(out: Path) -> Path:
    return out / ".cache" / "parts" / "print"


# --- garbled prepared images ---------------------------------------------------------------------------


@pytest.mark.slow
def test_garbled_prepared_images_are_prepared_again_for_the_kit(demo, clean, damaged):
    images = sorted((damaged / ".cache" / "images").glob("*.jpg"))
    assert images
    for image in images:
        flip_bytes(image)
    done = presskit("-v", "kit", str(demo / "films" / "red-rooms"), "-o", str(damaged))
    assert done.returncode == 0, done.stderr
    assert "in the cache is damaged (its bytes changed): preparing it again" in done.stderr
    kit = [name for name in outputs(clean) if name.startswith("films/")]
    assert kit and {name: outputs(damaged)[name] for name in kit} == {name: outputs(clean)[name] for name in kit}


@pytest.mark.slow
def test_garbled_prepared_images_are_prepared_again_for_the_catalogue(demo, clean, damaged):
    for image in (damaged / ".cache" / "images").glob("*.jpg"):
        flip_bytes(image)
    shutil.rmtree(parts_folder(damaged))  # every part rendered again, from the images
    done = rebuild_catalogue(demo, damaged, clean)
    assert "in the cache is damaged (its bytes changed): preparing it again" in done.stderr
    images = sorted((damaged / ".cache" / "images").glob("*.jpg"))
    restored = [i for i in images if i.read_bytes() == (clean / ".cache" / "images" / i.name).read_bytes()]
    assert restored  # (the stills of the catalogue; the press kit's own images wait for a build of the kit)
    assert all(usable(image) == (image in restored) for image in images)


# --- the part cache ------------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("edit", ["pages", "anchors", "sha256 of the edited PDF"])
def test_an_edited_part_record_is_rendered_again(demo, clean, damaged, edit):
    records = sorted(parts_folder(damaged).glob("*.json"))
    for record in records:
        data = json.loads(record.read_text(encoding="utf-8"))
        if edit == "pages":
            data["pages"] += 1
        elif edit == "anchors":
            data["anchors"] = {anchor: page + 1 for anchor, page in data["anchors"].items()} or {"x": 1}
        else:
            pdf = record.with_suffix(".pdf")
            pdf.write_bytes(pdf.read_bytes() + b"\n%edited\n")
            data.update(size=pdf.stat().st_size, sha256=sha(pdf))
        record.write_text(json.dumps(data), encoding="utf-8")
    done = rebuild_catalogue(demo, damaged, clean)
    assert "is damaged (its record changed): rendering it again" in done.stderr
    assert f"({len(records)} part(s) rendered, 0 from the cache)" in done.stderr


@pytest.mark.slow
def test_part_cache_entries_that_are_folders_are_removed_and_rendered_again(demo, clean, damaged):
    pdfs = sorted(parts_folder(damaged).glob("*.pdf"))
    for i, pdf in enumerate(pdfs[:6]):
        entry = pdf if i % 2 else pdf.with_suffix(".json")
        entry.unlink()
        (entry / "inside").mkdir(parents=True)
    images = sorted((damaged / ".cache" / "images").glob("*.jpg"))
    images[0].unlink()
    images[0].mkdir()
    rebuild_catalogue(demo, damaged, clean)
    assert all(path.is_file() for path in parts_folder(damaged).iterdir())


@pytest.mark.slow
@pytest.mark.parametrize(
    "place", [".cache", ".cache/parts/print", ".cache/images", ".cache/html/print", ".cache/state.json"]
)
def test_a_file_in_the_place_of_a_cache_folder_or_a_folder_in_the_place_of_the_state_file(demo, clean, damaged, place):
    path = damaged / place
    shutil.rmtree(path) if path.is_dir() else path.unlink()
    if place.endswith(".json"):
        (path / "inside").mkdir(parents=True)
    else:
        path.write_text("not a folder", encoding="utf-8")
    rebuild_catalogue(demo, damaged, clean)
    assert path.is_file() if place.endswith(".json") else path.is_dir()


@pytest.mark.slow
def test_a_hand_edited_memo_is_not_trusted(demo, clean, damaged):
    """A remembered film.yaml changed by hand in the state file, the film file itself untouched."""
    state_file = damaged / ".cache" / "state.json"
    state = json.loads(state_file.read_text(encoding="utf-8"))
    film = str((demo / "films" / "red-rooms" / "film.yaml").resolve())
    remembered = state["memo"]["data"][film]["film"]["model"]  # (the validated film: load.py)
    remembered["title"] = {**remembered["title"], "en": "Edited By Hand"}
    state_file.write_text(json.dumps(state), encoding="utf-8")
    done = rebuild_catalogue(demo, damaged, clean)
    assert "the memo section of" in done.stderr and "is not what presskit wrote" in done.stderr


def test_the_memo_checks_a_film_file_by_its_content(tmp_path):
    """A file changed while its size, modification time and inode stay (a second write within the clock's
    resolution, a restored time stamp) is read again."""
    source = tmp_path / "film.yaml"
    source.write_text("title: A\n", encoding="utf-8")
    state = State(tmp_path / ".cache")
    state.memo("tag").put(source, "yaml", {"title": "A"})
    state.save()
    st = source.stat()
    with open(source, "r+", encoding="utf-8") as f:  # same inode, same size
        f.write("title: B\n")
    os.utime(source, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert cache.file_stat(source) == [st.st_size, st.st_mtime_ns, st.st_ino]
    assert State(tmp_path / ".cache").memo("tag").get(source, "yaml") is None


def test_an_image_s_facts_are_recognised_by_its_stat_and_the_image_never_read_again(tmp_path, monkeypatch):
    source = tmp_path / "still.jpg"
    source.write_bytes(b"camera image")
    memo = State(tmp_path).memo("tag")
    memo.put(source, "image", ["digest", 4000, 2667])
    monkeypatch.setattr(cache, "content_digest", lambda *a: pytest.fail("an image hashed"))
    assert memo.get(source, "image") == ["digest", 4000, 2667]


@pytest.mark.parametrize("section", ["memo", "ink", "stamps"])
def test_a_state_section_edited_by_hand_is_dropped(tmp_path, section, caplog):
    source = tmp_path / "film.yaml"
    source.write_text("title: A\n", encoding="utf-8")
    state = State(tmp_path)
    state.memo("tag").put(source, "yaml", {"title": "A"})
    state.ink()["dct:1"] = 240.5
    state.record("catalogue-print", "inputs", source, {"pages": 20})
    state.save()
    path = tmp_path / "state.json"
    edited = {"memo": ('"title":"A"', '"title":"B"'), "ink": ("240.5", "120.5"), "stamps": ('"pages":20', '"pages":24')}
    text = path.read_text(encoding="utf-8")
    assert edited[section][0] in text
    path.write_text(text.replace(*edited[section]), encoding="utf-8")
    again = State(tmp_path)
    with caplog.at_level(logging.INFO, logger="presskit"):
        found = {
            "memo": again.memo("tag").get(source, "yaml"),
            "ink": again.ink().get("dct:1"),
            "stamps": again.unchanged("catalogue-print", "inputs", source),
        }
    assert found[section] is None
    assert f"the {section} section of {path} is not what presskit wrote: making it again" in caplog.text
    assert all(value is not None for name, value in found.items() if name != section)


# --- the part cache, without rendering -----------------------------------------------------------------


def _cached_part(folder: Path, key: str, pages: int = 1) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    pdf = folder / f"{key}.pdf"
    pdf.write_bytes(b"%PDF-1.7 part")
    info = {"name": "film-a", "pages": pages, "anchors": {"a": 0}, "size": pdf.stat().st_size, "sha256": sha(pdf)}
    info |= {"heads": [""] * pages, "slots": [[]] * pages}
    (folder / f"{key}.json").write_text(json.dumps({**info, "seal": record_seal(key, info)}), encoding="utf-8")
    return pdf


def test_a_part_record_is_sealed_by_the_part_s_key(tmp_path):
    key = "a" * 64
    pdf = _cached_part(tmp_path, key)
    parts = PartCache(tmp_path)
    assert isinstance(parts.get("film-a", key), Rendered) and parts.page_counts("film-") == {"film-a": 1}
    record = pdf.with_suffix(".json")
    data = json.loads(record.read_text(encoding="utf-8"))
    record.write_text(json.dumps({**data, "pages": 2}), encoding="utf-8")
    assert read_record(record, key) is None and parts.get("film-a", key) is None
    assert PartCache(tmp_path).page_counts("film-") == {}  # (no hint from a record that does not hold; the
    # last build's records are read once per build, hence a new PartCache)
    shutil.copy(_cached_part(tmp_path / "other", "b" * 64).with_suffix(".json"), record)
    assert parts.get("film-a", key) is None  # another part's record


@pytest.mark.parametrize("which", [".pdf", ".json"])
def test_a_folder_in_the_place_of_a_cached_part_is_removed(tmp_path, which, caplog):
    key = "c" * 64
    _cached_part(tmp_path, key)
    entry = tmp_path / f"{key}{which}"
    entry.unlink()
    (entry / "sub").mkdir(parents=True)
    with caplog.at_level(logging.INFO, logger="presskit"):
        assert PartCache(tmp_path).get("film-a", key) is None
    assert not entry.exists()
    assert "in the cache is not a file: removing it, to make it again" in caplog.text
    (tmp_path / "d.pdf").mkdir()
    PartCache(tmp_path).prune([])  # (a folder is no error there either)
    assert not (tmp_path / "d.pdf").exists()


def test_a_cache_folder_is_made_again_in_the_place_of_a_file_or_a_dangling_link(tmp_path):
    top = tmp_path / ".cache"
    top.write_text("not a folder", encoding="utf-8")
    assert cache.folder(top / "parts" / "print", top).is_dir() and top.is_dir()
    (top / "images").symlink_to(tmp_path / "nowhere")
    assert cache.folder(top / "images", top).is_dir() and not (top / "images").is_symlink()
    elsewhere = tmp_path / "another disk"
    elsewhere.mkdir()
    (top / "moved").symlink_to(elsewhere)
    assert cache.folder(top / "moved" / "images", top) == top / "moved" / "images"
    assert (top / "moved").is_symlink() and (elsewhere / "images").is_dir()  # (a link to a folder is kept)


def test_a_link_in_the_cache_is_not_followed(tmp_path, outside_file):
    key = "e" * 64
    _cached_part(tmp_path, key)
    (tmp_path / f"{key}.pdf").unlink()
    (tmp_path / f"{key}.pdf").symlink_to(outside_file)
    assert PartCache(tmp_path).get("film-a", key) is None
    assert not (tmp_path / f"{key}.pdf").exists() and outside_file.is_file()


def test_a_link_in_the_image_cache_is_never_served_nor_used(tmp_path, outside_file):
    name = "f" * 64 + ".jpg"
    (tmp_path / name).symlink_to(outside_file)
    (tmp_path / name).with_suffix(".sha256").write_text(f"{sha(outside_file)} {outside_file.stat().st_size}")
    assert cached_image(f"presskit-image:{name}", [tmp_path]) is None
    assert not usable(tmp_path / name) and not (tmp_path / name).exists() and outside_file.is_file()


@pytest.fixture
def outside_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("outside") / "secret.pdf"
    path.write_bytes(b"%PDF-1.7 part")
    return path


# --- text that names files -----------------------------------------------------------------------------


def test_a_part_s_key_reads_no_file_its_text_names(tmp_path, opened):
    """The key hashes the HTML's text as it is, and the files only the stylesheets reference inside the
    part's roots."""
    font = tmp_path / "assets" / "font.otf"
    font.parent.mkdir()
    font.write_bytes(b"font")
    css = f'@font-face {{ src: url("{font.as_uri()}") }} .x {{ background: url("{HOSTILE}") }}'
    html = f"<p>{HOSTILE} {ZERO} file://{tmp_path}/assets/font.otf</p>"
    part = Part("film-a", html, (css,), tmp_path, [tmp_path / "assets"])
    opened.clear()
    key = part.key(FileHasher())
    assert {p.resolve() for p in opened if not p.resolve().is_relative_to(ROOT / "presskit")} == {font}
    font.write_bytes(b"another font")
    assert part.key(FileHasher()) != key


def _hostile_demo(demo: Path, target: Path) -> Path:
    """The demo with file: addresses in a synopsis, a section's intro and a venue's name."""
    shutil.copytree(demo, target)
    film = target / "films" / "red-rooms" / "film.yaml"
    text = film.read_text(encoding="utf-8")
    film.write_text(
        text.replace("As the high-profile trial", f"As {HOSTILE} the high-profile trial", 1), encoding="utf-8"
    )
    festival = target / "festival.yaml"
    text = festival.read_text(encoding="utf-8")
    text = text.replace("    name: The Rio\n", f"    name: The Rio {ZERO}\n", 1)
    intro = text.index("    intro:\n      en: >-\n", text.index("- id: nocturnes")) + len("    intro:\n      en: >-\n")
    text = text[:intro] + f"        {HOSTILE} and {ZERO}\n" + text[intro:]
    festival.write_text(text, encoding="utf-8")
    return target


def _outside(seen: set[Path], project: Path, out: Path, *more: Path) -> list[str]:
    """What was opened outside the project, the output folder, presskit's own files (assets, layouts, code),
    the Python installation, the press profile's folder and the temporary files of the render (fonts);
    the system's table of file types, which Python's mimetypes reads for WeasyPrint, and the process's own
    memory figure (/proc/self/statm) are let through."""
    temporary = Path(tempfile.gettempdir()).resolve()
    allowed = [
        project.resolve(),
        out.resolve(),
        ROOT,
        Path(sys.prefix).resolve(),
        Path(sys.base_prefix).resolve(),
        Path("/usr/share/color/icc"),
        Path("/dev/null"),
        Path("/etc/mime.types"),
        Path(f"/proc/{os.getpid()}/statm"),  # (a render's tidy-up reads its own resident memory: parts._resident)
        *more,
    ]

    def render_temporary(path: Path) -> bool:  # (not the tests' own folders, pytest-of-*: the demo's copy)
        return path.is_relative_to(temporary) and not path.relative_to(temporary).parts[0].startswith("pytest-of-")

    return sorted(str(p) for p in seen if not any(p.is_relative_to(a) for a in allowed) and not render_temporary(p))


def _pdf_text(path: Path) -> str:
    done = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True)
    return " ".join(done.stdout.split())


@pytest.mark.slow
def test_addresses_in_the_text_are_printed_and_never_opened(demo, tmp_path, opened):
    project = _hostile_demo(demo, tmp_path / "data")
    out = tmp_path / "out"
    opened.clear()  # (the copy of the demo read it)
    result = CliRunner().invoke(cli, ["catalogue", str(project), "-o", str(out), "--jobs", "1"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    text = _pdf_text(out / "catalogue.pdf")
    assert HOSTILE in text and ZERO in text
    assert (out / "catalogue.pdf").stat().st_size < 50_000_000
    seen = {path.resolve() for path in opened}
    assert (project / "festival.yaml").resolve() in seen  # (the recording works)
    assert not {Path("/etc/passwd"), Path("/dev/zero")} & seen
    assert not (outside := _outside(seen, project, out)), f"opened outside the project: {outside}"


@pytest.mark.slow
def test_addresses_in_the_text_are_never_opened_by_forked_workers(demo, tmp_path):
    """The same, the parts rendered by forked workers: every process records what it opens in one file."""
    project = _hostile_demo(demo, tmp_path / "data")
    out, log_file = tmp_path / "out", tmp_path / "opened.txt"
    script = (
        "import builtins, io, os, sys\n"
        f"fd = os.open({str(log_file)!r}, os.O_WRONLY | os.O_CREAT | os.O_APPEND)\n"
        "def recording(real):\n"
        "    def wrapper(file, *args, **kwargs):\n"
        "        if isinstance(file, (str, bytes, os.PathLike)):\n"
        "            os.write(fd, os.fsencode(os.path.abspath(os.fsdecode(file))) + b'\\n')\n"
        "        return real(file, *args, **kwargs)\n"
        "    return wrapper\n"
        "builtins.open, io.open, os.open = recording(builtins.open), recording(io.open), recording(os.open)\n"
        "from presskit.cli import main\n"
        f"sys.argv = ['presskit', 'catalogue', {str(project)!r}, '-o', {str(out)!r}, '--jobs', '2']\n"
        "main()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    assert HOSTILE in _pdf_text(out / "catalogue.pdf")
    seen = {Path(line).resolve() for line in log_file.read_text().splitlines() if line}
    assert any(p.suffix == ".otf" for p in seen)  # (the workers' recording works: they read the fonts)
    assert not {Path("/etc/passwd"), Path("/dev/zero")} & seen
    assert not (outside := _outside(seen, project, out, log_file)), f"opened outside the project: {outside}"
