"""Images for one edition: check the resolution, resample, convert the colours, cache on disk.

Print: each photo is resampled (never upscaled) to `print.ppi` (300) at its placed width
and converted with LittleCMS (Pillow ImageCms) from its own embedded ICC profile (sRGB when it has
none) to the press's CMYK output profile, rendering intent *relative colorimetric with black point
compensation*: in-gamut colours stay exact, out-of-gamut ones are clipped to the nearest printable
colour, and BPC maps the source black onto the press's black so shadows keep their detail (the
default of most prepress tools for photos); RGB goes through a table that the transform fills once per
process (colourtable: the same colours within two levels, for less work). The result is a CMYK JPEG at
quality 92 (baseline Huffman tables: optimised ones save few bytes for a much longer encoding) that
WeasyPrint embeds byte for byte as DeviceCMYK (Pillow writes an Adobe APP14 marker with inverted CMYK data;
WeasyPrint then adds a /Decode array, so the colours come out right).

Screen: a compact sRGB JPEG at 150 ppi, quality 85.

A use shown in a frame that the picture fills (CSS `object-fit: cover`, centred; the programme entry's
still) is cropped to the frame's proportions first (`ImagePreparer.frames`), as the page will show it:
the resolution is then that of the part that prints, the pixels cut away are never resampled, converted
or embedded (a 3:2 still in the catalogue's 2.2:1 frame loses a third of them, a portrait one most).

Each result is cached in `<out_dir>/.cache/images/`, named by its key (cache.key of the sha256 of the
source bytes, the output profile, the resolution, the placed width, the intent and the conversion's
version, CODE_VERSION), with the sha256 of its own bytes beside it (`<key>.sha256`, written after it): a
rebuild reuses the file without decoding the source, once its bytes are checked against that record
(`usable`: a file garbled, cut short or replaced is prepared again).

Effective resolution (source pixels / placed width) below 150 ppi is an error, below `print.ppi` a
warning, both naming the image and where it is printed.
"""

from __future__ import annotations

import hashlib
import io
import logging
import math
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from . import cache, colourtable
from .cache import file_sha256
from .edition import Edition
from .errors import RenderError
from .output import write_atomic

log = logging.getLogger("presskit")

# The conversion's version, the last piece of an image's key: bump it when the conversion below changes, and
# every cached image is redone (8: sources cut short refused). Bumping it changes the bytes of the PDFs.
CODE_VERSION = "8"
MIN_PPI = 150  # below this an image prints visibly soft: an error
PRINT_QUALITY = 92
SCREEN_QUALITY = 85
INTENT = "relative-colorimetric+bpc"
RESAMPLE = "BILINEAR"  # the PIL.Image.Resampling filter (see convert)
URL_SCHEME = "presskit-image"
_CACHED_NAME = re.compile(r"^[0-9a-f]{64}\.jpg$")
# Placed width of each image use, in inches, at which its effective resolution is judged (a layout's
# documents may place some uses at other widths: ImagePreparer.placed_in).
PLACED_WIDTH_IN = {"key_art": 8.5, "still": 7.0, "still_small": 3.4, "headshot": 2.2, "logo": 1.5}
USES = {  # where each image use is printed, for messages
    "key_art": "cover key art",
    "still": "stills page",
    "still_small": "stills",
    "headshot": "director's headshot",
    "logo": "logo",
}
_EXIF_ORIENTATION = 0x0112


@dataclass
class ImageProblem:
    severity: str  # "error" | "warning"
    message: str


@dataclass
class ImagePreparer:
    """The image resolver of one document in one edition: `preparer(path, use) -> URL`.

    The URL names the prepared file by its cache key, `presskit-image:<sha256>.jpg`, so that the PDF
    does not depend on the output folder (WeasyPrint names image objects after their URL); the
    render's URL fetcher serves it from the cache folder, one of its roots (see `cached_image`).

    `what` names the document in messages ("red-rooms press kit"); `placed_in` overrides the placed
    width (inches) of some uses, e.g. full-bleed key art whose width depends on the paper; `frames` gives
    the proportions (width / height) of the frame a use fills, centred, for the uses a layout shows so
    (its CSS must say `object-fit: cover` with the default centred position).
    """

    edition: Edition
    cache_dir: Path
    what: str
    root: Path | None = None  # image names in messages are relative to it
    placed_in: dict[str, float] = field(default_factory=dict)
    frames: dict[str, float] = field(default_factory=dict)
    problems: list[ImageProblem] = field(default_factory=list)
    memo: object | None = None  # cache.Memo: each source's sha256 and size, remembered across builds

    def __call__(self, path: Path, use: str) -> str:
        return f"{URL_SCHEME}:{self.prepare(Path(path), use).name}"

    def placed_width(self, use: str) -> float:
        return self.placed_in.get(use) or PLACED_WIDTH_IN[use]

    def plan(self, path: Path, use: str) -> Conversion:
        """What `path` printed as `use` needs (its resolution checked in print): the conversion, whose
        target is named by its cache key."""
        digest, size = source_facts(path, self.memo)
        placed = self.placed_width(use)
        aspect = self.frames.get(use)
        width = visible_width(size, aspect)
        if self.edition.is_print:
            self.check_resolution(path, use, width, placed, size[0])
        target = self.cache_dir / f"{cache_key(None, self.edition, placed, digest, aspect)}.jpg"
        return Conversion(path, self.edition, target_width(width, placed, self.edition.ppi), aspect, target)

    def prepare(self, path: Path, use: str) -> Path:
        """The prepared file for `path` printed as `use` (cached)."""
        job = self.plan(path, use)
        if usable(job.target):
            log.debug("image cache hit: %s -> %s", path, job.target.name)
            return job.target
        store(job.target, job.convert())
        log.debug("prepared %s for %s (%s)", path, USES.get(use, use), self.edition.name)
        return job.target

    def name(self, path: Path) -> str:
        if self.root is not None and path.resolve().is_relative_to(self.root.resolve()):
            return str(path.resolve().relative_to(self.root.resolve()))
        return str(path)

    def check_resolution(self, path: Path, use: str, width: int, placed: float, whole: int | None = None) -> None:
        """`width`: the pixels across that print (`whole`: the image's, when its frame crops it)."""
        ppi = width / placed
        where = f"{self.what}, {USES.get(use, use)}"
        needed = math.ceil(placed * self.edition.ppi)
        shown = f"{width} px wide" if whole in (None, width) else f"{width} px across its frame (of {whole})"
        detail = f"{shown} is {ppi:.0f} ppi at its placed width of {placed:.3g} in"
        if ppi < MIN_PPI:
            self.problems.append(
                ImageProblem(
                    "error",
                    f"{self.name(path)} ({where}): {detail}; below {MIN_PPI} ppi it prints visibly soft: "
                    f"supply at least {math.ceil(placed * MIN_PPI)} px, ideally {needed} px",
                )
            )
        elif ppi < self.edition.ppi - 0.5:
            message = f"{self.name(path)} ({where}): {detail}; {self.edition.ppi} ppi ({needed} px) is needed for print"
            self.problems.append(ImageProblem("warning", message))
            log.warning("warning: %s", message)

    def raise_errors(self) -> None:
        """Raise one RenderError listing every image below the minimum resolution."""
        errors = [p.message for p in self.problems if p.severity == "error"]
        if errors:
            raise RenderError(
                f"{len(errors)} image(s) too small to print in the {self.what}:\n"
                + "\n".join(f"  {message}" for message in errors)
            )


@dataclass
class Conversion:
    """One source image to prepare: resampled to `width` px after a centred crop to `aspect` (width /
    height, None: the whole picture), written to `target` (named by its cache key)."""

    source: Path
    edition: Edition
    width: int
    aspect: float | None
    target: Path

    def convert(self) -> bytes:
        """The prepared image; RenderError naming the source when its data is damaged (a file cut short by an
        interrupted copy decodes to a grey band at the bottom, which WeasyPrint's import has Pillow accept
        silently: see strict_decoding)."""
        try:
            with strict_decoding():
                return convert(self.source.read_bytes(), self.edition, self.width, self.aspect)
        except (OSError, SyntaxError) as exc:  # Pillow's errors for data it cannot decode
            if isinstance(exc, OSError) and exc.errno is not None:
                raise  # reading the file failed (the machine's error: see errors.environment_error)
            raise RenderError(f"{self.source}: the image's data is damaged ({exc}); export or copy it again") from exc


@contextmanager
def strict_decoding():
    """Pillow refusing truncated image data while the block runs. WeasyPrint sets
    ImageFile.LOAD_TRUNCATED_IMAGES for the whole process when it is imported, so that in a process that
    renders, a source still cut short would be converted with its missing rows grey, and printed so."""
    from PIL import ImageFile

    before = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        yield
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = before


def usable(prepared: Path) -> bool:
    """Whether a prepared image in the cache can be used as it is: a regular file of the size and sha256
    recorded beside it when it was written (`store`). Anything else (missing, cut short by a full disk or
    an interrupted copy, garbled, a folder in its place, its record lost) is prepared again: WeasyPrint would
    otherwise leave a cut picture out of the page, or embed garbled data in the PDF."""
    record = digest_record(prepared)
    if not (cache.regular_entry(prepared) and cache.regular_entry(record)):
        return False
    try:
        digest, _, size = record.read_bytes()[:100].decode("ascii", "replace").partition(" ")
        actual = prepared.stat().st_size
        why: str | None
        if str(actual) != size:
            why = "cut short" if size.isdigit() and actual < int(size) else "its size changed"
        else:
            with open(prepared, "rb") as f:
                why = None if file_sha256(f) == digest else "its bytes changed"
    except OSError:  # unreadable
        return False
    if why:
        log.info("the prepared image %s in the cache is damaged (%s): preparing it again", prepared.name, why)
    return why is None


def store(target: Path, data: bytes) -> None:
    """Write a prepared image into the cache, then the record `usable` checks it against: its sha256 and
    size, in <key>.sha256."""
    cache.folder(target.parent, target.parent.parent)  # (out/.cache/images: a file in the place of either, removed)
    write_atomic(target, data)
    write_atomic(digest_record(target), f"{hashlib.sha256(data).hexdigest()} {len(data)}".encode("ascii"))


def digest_record(prepared: Path) -> Path:
    """The record beside a prepared image (<key>.sha256): the sha256 of its bytes and their number."""
    return prepared.with_suffix(".sha256")


def visible_width(size: tuple[int, int], aspect: float | None) -> int:
    """The pixels across that print of an image of `size` (as shown) cropped to `aspect`."""
    width, height = size
    return width if aspect is None else min(width, max(1, round(height * aspect)))


def cached_image(url: str, roots: list[Path]) -> Path | None:
    """The file behind a `presskit-image:<sha256>.jpg` URL: that name directly inside one of `roots`.
    None for any other URL (or when no root holds it: the fetcher then blocks it)."""
    if not url.startswith(URL_SCHEME + ":") or not _CACHED_NAME.match(url[len(URL_SCHEME) + 1 :]):
        return None
    for root in roots:
        candidate = Path(root) / url[len(URL_SCHEME) + 1 :]
        if candidate.is_file() and not candidate.is_symlink():  # (a link in the cache is never followed)
            return candidate
    return None


def oriented_size(im) -> tuple[int, int]:
    """The image size once its EXIF orientation is applied (as WeasyPrint and browsers show it)."""
    orientation = im.getexif().get(_EXIF_ORIENTATION, 1)
    return (im.height, im.width) if orientation in (5, 6, 7, 8) else im.size


def source_facts(path: Path, memo=None) -> tuple[str, tuple[int, int]]:
    """(the sha256 of an image file, its pixel size as shown). With `memo` (cache.Memo) both are
    remembered by the file's size and modification time, so that a rebuild of hundreds of images reads
    none of them. The file is hashed as it streams by (file_sha256), never held whole: a cold catalogue
    hashes hundreds of camera files in the process that plans it."""
    from PIL import Image

    path = Path(path)
    if memo is not None:
        path = path.resolve()
        known = memo.get(path, "image")
        if known is not None:
            return known[0], (known[1], known[2])
        before = memo.stat(path)
    with open(path, "rb") as f:
        with Image.open(f) as im:  # reads the header only
            size = oriented_size(im)
        f.seek(0)
        digest = file_sha256(f)
    if memo is not None:
        memo.put(path, "image", [digest, *size], before)
    return digest, size


def target_width(width: int, placed_in: float, ppi: int) -> int:
    """Pixels for `ppi` at the placed width, never more than the source has."""
    return min(width, math.ceil(placed_in * ppi))


@lru_cache(maxsize=8)
def _profile_digest(path: Path | None) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path else "srgb"


def cache_key(
    data: bytes | None, edition: Edition, placed_in: float, digest: str | None = None, aspect: float | None = None
) -> str:
    """The prepared file's name (cache.key): the source (`digest`, its sha256, when known, else of `data`)
    and everything the conversion depends on, its version (CODE_VERSION) last. Not cache.VERSION: the
    name is in the PDFs (see cache.py), so these pieces and their order are what every PDF's bytes
    depend on."""
    return cache.key(
        digest or hashlib.sha256(data or b"").hexdigest(),
        edition.name,
        _profile_digest(edition.profile if edition.is_print else None),
        str(edition.ppi),
        f"{placed_in:g}",
        INTENT if edition.is_print else "srgb",
        str(PRINT_QUALITY if edition.is_print else SCREEN_QUALITY),
        "whole" if aspect is None else f"crop {aspect:.6f}",
        CODE_VERSION,
    )


@lru_cache(maxsize=1)
def _srgb():
    from PIL import ImageCms

    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


@lru_cache(maxsize=8)
def _profile(path: Path):
    from PIL import ImageCms

    return ImageCms.getOpenProfile(str(path))


_EMBEDDED: dict[bytes, object] = {}  # sha256 of an embedded ICC profile -> its parsed profile (None: unreadable)
_TRANSFORMS: dict[tuple, object] = {}  # (source profile, output profile, modes) -> a reusable LittleCMS transform
_TABLES: dict[tuple, object] = {}  # (source profile, output profile) -> its colourtable, least recently used first
MAX_TABLES = 2  # tables kept per process (about 17 MB each)


def _source_profile(im):
    """(the image's embedded ICC profile or None, a key naming it for the transform cache)."""
    from PIL import ImageCms

    icc = im.info.get("icc_profile")
    if not icc:
        return None, None
    digest = hashlib.sha256(icc).digest()
    if digest not in _EMBEDDED:
        try:
            _EMBEDDED[digest] = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        except (OSError, ImageCms.PyCMSError):
            _EMBEDDED[digest] = None
    if _EMBEDDED[digest] is None:
        log.warning("warning: ignoring an unreadable embedded ICC profile")
        return None, None
    return _EMBEDDED[digest], digest


def _transform(source, source_key, output, output_key, in_mode: str, out_mode: str):
    """The LittleCMS transform from `source` to `output` (relative colorimetric with black point
    compensation), built once per process: building one costs about as much as applying it to a photo."""
    from PIL import ImageCms

    key = (source_key, output_key, in_mode, out_mode)
    transform = _TRANSFORMS.get(key)
    if transform is None:
        transform = _TRANSFORMS[key] = ImageCms.buildTransform(
            source,
            output,
            in_mode,
            out_mode,
            renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC,
            flags=ImageCms.Flags.BLACKPOINTCOMPENSATION,
        )
    return transform


def rgb_to_cmyk(colours: list[tuple[int, int, int]], profile: Path) -> list[tuple[float, float, float, float]]:
    """sRGB colours (0-255) in the CMYK of the output `profile` (0-1 each), as the photos are converted."""
    from PIL import Image, ImageCms

    transform = _transform(_srgb(), "srgb", _profile(profile), str(profile), "RGB", "CMYK")
    strip = Image.new("RGB", (len(colours), 1))
    strip.putdata(colours)
    converted = ImageCms.applyTransform(strip, transform)
    if converted is None:  # (applyTransform returns None only when told to convert in place)
        raise RenderError("the colour transform gave no image")
    data = converted.tobytes()
    return [(data[i] / 255, data[i + 1] / 255, data[i + 2] / 255, data[i + 3] / 255) for i in range(0, len(data), 4)]


def convert(data: bytes, edition: Edition, width: int, aspect: float | None = None) -> bytes:
    """Decode, crop to `aspect` (width / height, centred; None: the whole picture), resample to `width` px,
    convert the colours and encode as JPEG.

    A JPEG much larger than needed is decoded at 1/2, 1/4 or 1/8 scale (DCT scaling, never below the
    target), and resampled before its colours are converted, so that the fewest pixels go through the
    colour transform (cached per process: see _transform).

    The resampling filter is RESAMPLE, bilinear: a tent filter widened to the reduction, so it does
    antialias. After the scaled decode it comes as close to Lanczos from the full-size image as Lanczos
    or bicubic from the same decode do, and costs less than either (benchmarks/images.py measures it; its
    figures are in benchmarks/README.md)."""
    from PIL import Image, ImageOps

    im = Image.open(io.BytesIO(data))
    src_w = visible_width(oriented_size(im), aspect)
    box = None
    if im.format == "JPEG":
        full = im.size
        if width < src_w:
            scale = width / src_w  # decode at 1/2, 1/4 or 1/8 scale (DCT scaling), never below the target
            im.draft(im.mode, (math.ceil(im.width * scale), math.ceil(im.height * scale)))
        if aspect is not None and im.getexif().get(_EXIF_ORIENTATION, 1) == 1:
            box = _centred_box(im.size, aspect)
            im = _rows_down_to(data, im, full, box[3]) or im
    embedded, embedded_key = _source_profile(im)
    ImageOps.exif_transpose(im, in_place=True)  # (no copy of the pixels when there is nothing to turn)
    im = _flatten(im)
    if embedded is not None and _space(embedded) != _MODE_SPACE[im.mode]:
        embedded = embedded_key = None  # e.g. a grey profile on an image flattened to RGB
    if box is None:
        box = _centred_box(im.size, aspect) if aspect is not None else (0, 0, *im.size)
    if im.mode == "L" and embedded is None:
        im = im.convert("RGB")  # untagged grey: sRGB neutrals
    # A framed picture is rounded up to whole pixels across its frame's height too, so that it reaches the
    # resolution both ways (the frame crops the fraction of a pixel left over).
    visible_w, visible_h = box[2] - box[0], box[3] - box[1]
    height = math.ceil(width / aspect) if aspect is not None else max(1, round(visible_h * width / visible_w))
    if (visible_w, visible_h) != (width, height):
        im = im.resize((width, height), Image.Resampling[RESAMPLE], box=box)  # the crop, without a copy
    elif box != (0, 0, *im.size):
        im = im.crop(box)

    if edition.is_print:
        if im.mode == "CMYK" and embedded is None:
            converted = im  # untagged CMYK: taken as already separated for this press
        else:
            converted = _to_press(embedded, embedded_key, edition, im)
        quality = PRINT_QUALITY
    else:
        if embedded is not None:
            converted = _apply(_transform(embedded, embedded_key, _srgb(), "srgb", im.mode, "RGB"), im)
        else:
            converted = im.convert("RGB")  # untagged RGB is sRGB already; untagged CMYK: Pillow's naive formula
        quality = SCREEN_QUALITY
    out = io.BytesIO()
    converted.save(out, "JPEG", quality=quality, dpi=(edition.ppi, edition.ppi))
    return out.getvalue()


ROWS_BEYOND = 32  # rows of the source decoded below a frame's bottom edge (two MCU rows of 4:2:0 chroma)


def _rows_down_to(data: bytes, im, full: tuple[int, int], bottom: int):
    """`im` (a JPEG of size `full` opened from `data`, perhaps drafted to a reduced scale) decoded only down
    to row `bottom` of its current size and a little beyond, or None when that saves nothing or cannot be
    done.

    A frame that crops a still (a 3:2 photo in the catalogue's 2.2:1 frame) leaves out its bottom rows,
    whose decoding costs as much as any others: the JPEG's frame header is made to declare fewer rows
    (`_declared_height`), so that the decoder stops there and skips the rest of the scan. Sequential
    decoding goes from the top down: the rows above are the very pixels of the whole decode, and the
    ROWS_BEYOND rows kept under the edge leave the chroma upsampling at the new bottom, and the
    resampling filter's reach, out of the frame (tests/test_images.py). (Pillow orders the two passes of
    its resampling by the image's size, so the resampled frame may differ from that of the whole decode
    by a rounding, one level at most.)"""
    from PIL import Image

    full_w, full_h = full
    scale = next((s for s in (1, 2, 4, 8) if ((full_w + s - 1) // s, (full_h + s - 1) // s) == im.size), 0)
    rows = min(full_h, bottom * scale + ROWS_BEYOND) if scale else full_h
    if rows > full_h - 2 * ROWS_BEYOND:
        return None
    cut = _declared_height(data, rows)
    if cut is None:
        return None
    shorter = Image.open(io.BytesIO(cut))
    if scale > 1:
        shorter.draft(im.mode, (full_w // scale, 1))  # the same DCT scale as `im` (the width decides it)
    if shorter.mode != im.mode or shorter.width != im.width or shorter.height < bottom:
        return None
    return shorter


_SEQUENTIAL = (0xC0, 0xC1)  # baseline and extended sequential (Huffman) frames


def _declared_height(data: bytes, rows: int) -> bytes | None:
    """The JPEG `data` with its frame header declaring `rows` rows, when it is sequential and its first scan
    holds every component (interleaved, top to bottom in MCU rows): None for any other (progressive,
    lossless, arithmetic-coded, hierarchical, one scan per component, unreadable)."""
    import struct

    if data[:2] != b"\xff\xd8":
        return None
    i, frame = 2, None
    while i + 4 <= len(data):
        if data[i] != 0xFF:
            return None
        marker = data[i + 1]
        if marker == 0xFF:  # fill byte
            i += 1
            continue
        length = struct.unpack(">H", data[i + 2 : i + 4])[0]
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):  # a start of frame
            if marker not in _SEQUENTIAL or frame is not None:
                return None
            height, components = struct.unpack(">H", data[i + 5 : i + 7])[0], data[i + 9]
            frame = (i + 5, height, components)
        elif marker == 0xDA:  # start of scan
            if frame is None or data[i + 4] != frame[2] or not 0 < rows < frame[1]:
                return None
            return data[: frame[0]] + struct.pack(">H", rows) + data[frame[0] + 2 :]
        i += 2 + length
    return None


def _to_press(source, source_key: str | None, edition: Edition, im):
    """`im` (RGB, L or CMYK; `source` its embedded profile, or None for sRGB) in the edition's press CMYK:
    RGB through a table of the LittleCMS transform (colourtable: the same colours within two levels, for
    less work), the others through the transform itself."""
    source_key = source_key or "srgb"
    transform = _transform(
        source or _srgb(), source_key, _profile(edition.profile), str(edition.profile), im.mode, "CMYK"
    )
    if im.mode != "RGB" or not colourtable.available():
        return _apply(transform, im)
    key = (source_key, str(edition.profile))
    table = _TABLES.pop(key, None)
    if table is None:
        table = colourtable.fill(lambda grid: _apply(transform, grid))
    _TABLES[key] = table  # the most recently used last
    while len(_TABLES) > MAX_TABLES:
        del _TABLES[next(iter(_TABLES))]
    return colourtable.convert(table, im)


def _centred_box(size: tuple[int, int], aspect: float) -> tuple[int, int, int, int]:
    """The centred part of an image of `size` with proportions `aspect` (what `object-fit: cover` shows of
    it), as a box (left, top, right, bottom)."""
    w, h = size
    crop_w = visible_width((w, h), aspect)
    crop_h = h if crop_w < w else min(h, max(1, round(w / aspect)))
    left, top = (w - crop_w) // 2, (h - crop_h) // 2
    return left, top, left + crop_w, top + crop_h


def _apply(transform, im):
    """`transform` (an ImageCms.ImageCmsTransform) applied to `im`, into a new image. Its own apply() also
    serialises the whole output profile into the new image's info, on every image, for an ICC profile
    that the JPEG written from it does not embed."""
    from PIL import Image

    out = Image.new(transform.output_mode, im.size)
    transform.transform.apply(im.getim(), out.getim())
    return out


_MODE_SPACE = {"RGB": "RGB", "L": "GRAY", "CMYK": "CMYK"}


def _space(profile) -> str:
    return profile.profile.xcolor_space.strip()


def _flatten(im):
    """RGB, L or CMYK without alpha: transparent pixels are composited on white paper."""
    from PIL import Image

    if im.mode in ("RGB", "L", "CMYK"):
        return im
    if im.mode == "P" or "transparency" in im.info:
        im = im.convert("RGBA")
    if im.mode in ("RGBA", "LA", "PA"):
        rgba = im.convert("RGBA")
        paper = Image.new("RGB", rgba.size, (255, 255, 255))
        paper.paste(rgba, mask=rgba.getchannel("A"))
        return paper
    if im.mode in ("I;16", "I", "F", "1"):
        return im.convert("L")
    return im.convert("RGB")
