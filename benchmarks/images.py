"""Time and check the print image conversion (presskit/images.py) on camera-size stills.

For each image: the time of `images.convert` as presskit runs it (decode at reduced DCT scale, resample,
CMYK, JPEG) and of each stage on its own, for each resampling filter and for both ways of converting the
colours (LittleCMS, and colourtable's table of it); the quality of each filter, as PSNR (dB) against
Lanczos from the full-size decode, beside the PSNR of the quality-92 JPEG encoding itself. Medians over the
images, in milliseconds of CPU time of this process.

    .venv/bin/python benchmarks/images.py [IMAGES...] [--width 1040] [--count 30]

Without IMAGES, the first still of the first films of the generated benchmark project
(benchmarks/work/project, see run.py) or, when there is none, the demo's stills.
"""

from __future__ import annotations

import argparse
import io
import math
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FILTERS = ("LANCZOS", "BICUBIC", "BILINEAR", "BOX")


def _cpu_ms(fn, items) -> float:
    times = []
    for item in items:
        start = time.process_time()
        fn(item)
        times.append(time.process_time() - start)
    return statistics.median(times) * 1000


def _psnr(a, b) -> float:
    from PIL import ImageChops, ImageStat

    diff = ImageChops.difference(a.convert("RGB"), b.convert("RGB"))
    mse = sum(v * v for v in ImageStat.Stat(diff).rms) / 3
    return float("inf") if mse == 0 else 10 * math.log10(255**2 / mse)


def default_images(count: int) -> list[Path]:
    project = ROOT / "benchmarks" / "work" / "project" / "films"
    found = sorted(project.glob("*/images/still-01.jpg"))[:count]
    return found or sorted((ROOT / "data" / "films").glob("*/images/still*.jpg"))[:count]


def main(argv: list[str] | None = None) -> int:
    from PIL import Image, ImageChops

    from presskit import colourtable, images
    from presskit.edition import print_edition
    from presskit.model import PrintSettings

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("images", nargs="*", type=Path)
    parser.add_argument(
        "--width",
        type=int,
        default=1040,
        help="target width in pixels (default: a full catalogue entry's still at 300 ppi)",
    )
    parser.add_argument("--count", type=int, default=30)
    args = parser.parse_args(argv)
    paths = args.images or default_images(args.count)
    if not paths:
        parser.error("no images given and none found")
    edition = print_edition(PrintSettings(), "3mm", ROOT / "data")
    datas = [p.read_bytes() for p in paths]
    width = args.width

    def decoded(data):
        im = Image.open(io.BytesIO(data))
        if im.format == "JPEG" and width < im.width:
            im.draft(im.mode, (math.ceil(width), math.ceil(im.height * width / im.width)))
        return im.convert("RGB")

    reduced = [decoded(d) for d in datas]
    size = lambda im: (width, max(1, round(im.height * width / im.width)))
    rows = [
        ("images.convert (as presskit runs it)", _cpu_ms(lambda d: images.convert(d, edition, width), datas), ""),
        ("decode at reduced scale", _cpu_ms(decoded, datas), f"{reduced[0].size[0]} px wide"),
    ]
    full = [Image.open(io.BytesIO(d)).convert("RGB") for d in datas[:6]]
    references = [im.resize(size(im), Image.Resampling.LANCZOS) for im in full]
    for name in FILTERS:
        flt = Image.Resampling[name]
        ms = _cpu_ms(lambda im: im.resize(size(im), flt), reduced)
        quality = statistics.median(
            _psnr(ref, small.resize(size(small), flt)) for ref, small in zip(references, reduced[:6])
        )
        rows.append(
            (
                f"resample {name.lower()}{' (used)' if name == images.RESAMPLE else ''}",
                ms,
                f"{quality:.1f} dB PSNR vs Lanczos from full size",
            )
        )
    small = [im.resize(size(im), Image.Resampling[images.RESAMPLE]) for im in reduced]
    transform = images._transform(
        images._srgb(), "srgb", images._profile(edition.profile), str(edition.profile), "RGB", "CMYK"
    )
    rows.append(("RGB -> CMYK (LittleCMS)", _cpu_ms(transform.apply, small), ""))
    cmyk = [transform.apply(im) for im in small]
    start = time.process_time()
    table = colourtable.fill(transform.apply)
    filled = (time.process_time() - start) * 1000
    tabled = [colourtable.convert(table, im) for im in small]
    worst = max(max(hi for lo, hi in ImageChops.difference(a, b).getextrema()) for a, b in zip(cmyk, tabled))
    rows.append(
        (
            "RGB -> CMYK (colourtable, used)",
            _cpu_ms(lambda im: colourtable.convert(table, im), small),
            f"filled once in {filled:.0f} ms; at most {worst} level(s) off LittleCMS",
        )
    )

    def encode(im, **options):
        out = io.BytesIO()
        im.save(out, "JPEG", quality=images.PRINT_QUALITY, **options)
        return out.getvalue()

    plain, optimized = [len(encode(im)) for im in cmyk], [len(encode(im, optimize=True)) for im in cmyk]
    rows.append(
        ("JPEG encode, baseline tables (used)", _cpu_ms(encode, cmyk), f"{statistics.mean(plain) / 1e3:.0f} KB")
    )
    rows.append(
        (
            "JPEG encode, optimised tables",
            _cpu_ms(lambda im: encode(im, optimize=True), cmyk),
            f"{statistics.mean(optimized) / 1e3:.0f} KB",
        )
    )
    jpeg_quality = statistics.median(_psnr(ref, Image.open(io.BytesIO(encode(ref)))) for ref in references)
    print(
        f"{len(paths)} image(s), {full[0].size[0]} x {full[0].size[1]} px first, to {width} px; median CPU ms per image"
    )
    print(f"{'step':44s} {'ms':>7s}  notes")
    for name, ms, note in rows:
        print(f"{name:44s} {ms:7.1f}  {note}")
    print(f"(JPEG quality {images.PRINT_QUALITY} encoding alone: {jpeg_quality:.1f} dB PSNR)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
