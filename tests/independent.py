"""Independent tools that check presskit's print PDFs (tests/test_independent.py): yob/pdf-preflight's
PDF/X-1a profile (Ruby), Ghostscript's separations and its reading of the file, qpdf --check.

yob/pdf-preflight (MIT) is never copied into this repository: it is extracted from a local git mirror at
test time (PRESSKIT_PDF_PREFLIGHT_GIT, a git directory), and the tests that need it skip when it is absent.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import numpy as np
from PIL import Image

PDF_PREFLIGHT_GIT = Path(os.environ.get("PRESSKIT_PDF_PREFLIGHT_GIT", "/work/.mirror/yob+pdf-preflight/repo/.git"))
INKS = ("Cyan", "Magenta", "Yellow", "Black")

# Runs yob's PDF/X-1a profile over the files named after the checkout; one JSON line per file. pdf-preflight
# calls BigDecimal.new, which Ruby 3 removed: it is defined as BigDecimal() before the library loads.
_RUBY = """
require 'bigdecimal'
class BigDecimal; def self.new(*a) BigDecimal(*a) end end
require 'json'
$LOAD_PATH.unshift(File.join(ARGV[0], 'lib'))
require 'preflight'
profile = Preflight::Profiles::PDFX1A.new
ARGV[1..].each do |f|
  puts JSON.generate({"file" => f, "issues" => profile.check(f).map(&:to_s)})
end
"""


def pdf_preflight_checkout(target: Path) -> Path | str:
    """yob/pdf-preflight's files at the mirror's HEAD, extracted into `target`; or why they cannot be."""
    if not (PDF_PREFLIGHT_GIT / "HEAD").is_file():
        return f"no yob/pdf-preflight mirror at {PDF_PREFLIGHT_GIT} (set PRESSKIT_PDF_PREFLIGHT_GIT)"
    if shutil.which("git") is None:
        return "git is not installed"
    archive = subprocess.run(
        ["git", f"--git-dir={PDF_PREFLIGHT_GIT}", "archive", "HEAD"], capture_output=True, check=False
    )
    if archive.returncode:
        return f"git archive failed: {archive.stderr.decode(errors='replace').strip()}"
    target.mkdir(parents=True, exist_ok=True)
    untar = subprocess.run(["tar", "-x", "-C", str(target)], input=archive.stdout, capture_output=True, check=False)
    if untar.returncode:
        return f"tar failed: {untar.stderr.decode(errors='replace').strip()}"
    return target


def ruby_missing() -> str | None:
    """Why yob's profile cannot run here (Debian's ruby and ruby-pdf-reader), or None."""
    if shutil.which("ruby") is None:
        return "ruby is not installed (apt-get install ruby ruby-pdf-reader)"
    probe = subprocess.run(["ruby", "-e", "require 'pdf/reader'"], capture_output=True, check=False)
    if probe.returncode:
        return "the pdf-reader gem is missing (apt-get install ruby-pdf-reader)"
    return None


def pdfx1a_issues(checkout: Path, pdfs: list[Path]) -> dict[Path, list[str]]:
    """yob/pdf-preflight's PDF/X-1a profile's issues for each PDF."""
    result = subprocess.run(
        ["ruby", "-e", _RUBY, str(checkout), *map(str, pdfs)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    return {Path(line["file"]): line["issues"] for line in lines}


def total_ink(pdf: Path, folder: Path, resolution: int = 72) -> list[float]:
    """The highest total ink (C+M+Y+K and any spot, in %) on each page of `pdf`, from Ghostscript's tiffsep
    separations (8-bit, 255 = no ink) at `resolution` dpi."""
    folder.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(
        ["gs", "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=tiffsep", f"-r{resolution}",
         "-o", str(folder / "p%d.tif"), str(pdf)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    totals = []
    page = 1
    while (folder / f"p{page}.tif").is_file():
        separations = sorted(folder.glob(f"p{page}(*).tif"))
        assert {s.name[len(f"p{page}(") : -5] for s in separations} >= set(INKS), separations
        ink = sum((255 - np.asarray(Image.open(s), dtype=np.int32)) for s in separations)
        totals.append(float(ink.max()) * 100 / 255)
        page += 1
    return totals


def ghostscript_errors(pdf: Path) -> str:
    """What Ghostscript prints reading `pdf` (errors, repairs), empty when it reads it cleanly."""
    result = subprocess.run(
        ["gs", "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=nullpage", "-o", "/dev/null", str(pdf)],
        capture_output=True,
        text=True,
        check=False,
    )
    output = (result.stdout + result.stderr).strip()
    return output if result.returncode or output else ""


def qpdf_check(pdf: Path) -> tuple[int, str]:
    result = subprocess.run(["qpdf", "--check", str(pdf)], capture_output=True, text=True, check=False)
    return result.returncode, (result.stdout + result.stderr).strip()
