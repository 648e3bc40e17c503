"""presskit.patches: one switch turns every patch to WeasyPrint and pydyf off, and the patches change no PDF
but for the compression of its streams."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from conftest import ROOT

# Run in a fresh process: build a project, then report which patches the process has applied.
_BUILD = """
import ctypes.util, json, sys, zlib
from pathlib import Path
asked = []  # the names ctypes.util.find_library was asked about
find = ctypes.util.find_library
ctypes.util.find_library = lambda name: asked.append(name) or find(name)
import presskit.patches as patches
project, out, level = sys.argv[1:4]
if level:
    patches.STREAM_COMPRESSION = int(level)
from presskit.build import BuildOptions, build_project
build_project(Path(project), BuildOptions(out_dir=Path(out)))
document = patches.html_document("<p>Text</p>", "file:///", None)  # (WeasyPrint imported here if the build did not)
import pydyf, weasyprint
from weasyprint.pdf import fonts
print(json.dumps({"enabled": patches.enabled(), "find_library": bool(asked), "zlib": pydyf.zlib is zlib,
                  "ffi": type(fonts.ffi).__name__, "html": type(document) is weasyprint.HTML,
                  "lexbor": "selectolax.lexbor" in sys.modules}))
"""


def _run(code: str, *args: str, patched: bool = True) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "PRESSKIT_NO_PATCHES"}
    if not patched:
        env["PRESSKIT_NO_PATCHES"] = "1"
    run = subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout.splitlines()[-1])


def _pdfs(out: Path) -> dict[Path, bytes]:
    return {
        p.relative_to(out): p.read_bytes()
        for p in sorted(out.rglob("*.pdf"))
        if ".cache" not in p.relative_to(out).parts
    }


_DOCUMENT_ID = re.compile(rb"(xmp\.did:)[0-9a-fA-F-]{36}")


def _printed(data: bytes) -> tuple[int, list]:
    """The pages and every object of a PDF, with its streams decompressed: what the PDF shows, apart from how
    it is compressed. Left out: the cross-reference and object streams (offsets in the file) and the ids
    computed from the file's bytes (the trailer's /ID, in the cross-reference stream; the XMP DocumentID)."""
    import io

    import pikepdf

    objects = []
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for obj in pdf.objects:
            if not isinstance(obj, pikepdf.Stream):
                objects.append(None if obj is None else obj.unparse())
            elif obj.get("/Type") not in (pikepdf.Name.XRef, pikepdf.Name.ObjStm):
                head = pikepdf.Dictionary({k: v for k, v in obj.stream_dict.items() if k != "/Length"}).unparse()
                try:
                    body = obj.read_bytes()  # Flate decoded
                except pikepdf.PdfError:  # a JPEG: its bytes as they are
                    body = b"raw " + obj.read_raw_bytes()
                objects.append((head, _DOCUMENT_ID.sub(rb"\1", body)))
        return len(pdf.pages), objects


@pytest.mark.slow
def test_the_demo_is_the_same_pdfs_with_the_patches_off(demo_copy, tmp_path):
    """The whole demo project (every film's press kits, one-sheets and programme pages, in both editions, and
    the catalogue) built in three processes:

    - patches off (PRESSKIT_NO_PATCHES=1): WeasyPrint as shipped, which compresses at zlib level 9;
    - patches on but pydyf's streams compressed at level 9 (patches.STREAM_COMPRESSION = 9): every PDF the
      same bytes as with the patches off. This holds for every patch but the compression level;
    - patches on as presskit runs them (level 6): the same PDFs once decompressed (_printed: the same pages,
      objects, content streams, fonts and images), but not the same bytes, since the compressed streams
      differ, and with them the document ids computed from the file.

    Each process also reports which patches it applied: none with the switch off, all of them on."""
    stock, nine, patched = tmp_path / "stock", tmp_path / "nine", tmp_path / "patched"
    with ThreadPoolExecutor(3) as pool:
        runs = [
            pool.submit(_run, _BUILD, str(demo_copy), str(stock), "", patched=False),
            pool.submit(_run, _BUILD, str(demo_copy), str(nine), "9"),
            pool.submit(_run, _BUILD, str(demo_copy), str(patched), ""),
        ]
        off, *on = [run.result() for run in runs]

    assert off == {"enabled": False, "find_library": True, "zlib": True, "ffi": "FFI", "html": True, "lexbor": False}
    for report in on:
        assert report == {
            "enabled": True,
            "find_library": False,
            "zlib": False,
            "ffi": "_OpenArrays",
            "html": False,
            "lexbor": True,
        }

    expected = _pdfs(stock)
    assert len(expected) >= 8 and Path("catalogue.pdf") in expected
    assert _pdfs(nine).keys() == expected.keys()
    for name, data in _pdfs(nine).items():
        assert data == expected[name], f"{name}: other bytes with the patches on (at zlib level 9)"
    shipped = _pdfs(patched)
    assert shipped.keys() == expected.keys()
    for name, data in shipped.items():
        assert data != expected[name]  # (compressed at level 6, not 9)
        assert _printed(data) == _printed(expected[name]), f"{name}: another document with the patches on"


_DISABLE = """
import json, zlib
import presskit.patches as patches
patches.load_weasyprint()
import pydyf
from weasyprint.pdf import fonts
applied = [pydyf.zlib is not zlib, type(fonts.ffi).__name__ == "_OpenArrays"]
patches.disable()
print(json.dumps({"applied": applied, "after": [pydyf.zlib is zlib, type(fonts.ffi).__name__ == "FFI"],
                  "enabled": patches.enabled()}))
"""


def test_disable_takes_back_the_patches_already_applied():
    assert _run(_DISABLE) == {"applied": [True, True], "after": [True, True], "enabled": False}


def test_the_render_code_tag_says_whether_the_patches_are_on(monkeypatch):
    from presskit import patches
    from presskit.pdf import render_code_tag

    monkeypatch.setattr(patches, "_enabled", True)
    on = render_code_tag()
    monkeypatch.setattr(patches, "_enabled", False)
    assert render_code_tag() != on  # (a catalogue part cached with the patches on is not used with them off)
