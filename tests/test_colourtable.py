"""RGB to CMYK through colourtable's lookup table, held against the LittleCMS transform it is filled from."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageCms

from presskit import colourtable, images
from presskit.edition import Edition

GS_CMYK = Path("/usr/share/color/icc/ghostscript/default_cmyk.icc")
ADOBE_RGB = Path("/usr/share/color/icc/ghostscript/a98.icc")
DEMO_STILL = Path(__file__).resolve().parent.parent / "data" / "films" / "red-rooms" / "images" / "still-01.jpg"

pytestmark = [
    pytest.mark.skipif(not GS_CMYK.is_file(), reason="needs libgs-common's CMYK profile"),
    pytest.mark.skipif(not colourtable.available(), reason="little-endian machines only"),
]


def littlecms(source=None):
    transform = ImageCms.buildTransform(
        source or ImageCms.createProfile("sRGB"),
        ImageCms.getOpenProfile(str(GS_CMYK)),
        "RGB",
        "CMYK",
        renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC,
        flags=ImageCms.Flags.BLACKPOINTCOMPENSATION,
    )
    return lambda im: ImageCms.applyTransform(im, transform)


@pytest.fixture(scope="module")
def srgb_to_press():
    apply = littlecms()
    return apply, colourtable.fill(apply)


def difference(apply, table, pixels: np.ndarray) -> np.ndarray:
    im = Image.fromarray(pixels, "RGB")
    exact = np.asarray(apply(im)).astype(int)
    looked_up = np.asarray(colourtable.convert(table, im)).astype(int)
    assert looked_up.shape == exact.shape
    return np.abs(exact - looked_up)


def edges() -> np.ndarray:
    """Every level of the greys, of each primary and secondary, and of ramps along the cube's edges at 255."""
    levels = np.arange(256, dtype=np.uint8)
    full, zero = np.full(256, 255, np.uint8), np.zeros(256, np.uint8)
    rows = [
        (levels, levels, levels),
        (levels, zero, zero),
        (zero, levels, zero),
        (zero, zero, levels),
        (levels, levels, zero),
        (zero, levels, levels),
        (levels, zero, levels),
        (full, levels, zero),
        (levels, full, full),
        (full, full, levels),
        (full, levels, full),
    ]
    return np.stack([np.stack(row, axis=1) for row in rows])  # (11, 256, 3)


def test_white_and_black_are_exactly_littlecms(srgb_to_press):
    apply, table = srgb_to_press
    pixels = np.array([[[255, 255, 255], [0, 0, 0]]], np.uint8)
    assert difference(apply, table, pixels).max() == 0
    assert colourtable.convert(table, Image.new("RGB", (1, 1), "white")).getpixel((0, 0)) == (0, 0, 0, 0)


def test_nodes_are_exactly_littlecms(srgb_to_press):
    """Colours whose every channel is at an even level or at 255 are read from one entry, as filled."""
    apply, table = srgb_to_press
    nodes = np.minimum(np.arange(129) * 2, 255).astype(np.uint8)
    rng = np.random.default_rng(11)
    pixels = rng.choice(nodes, (300, 300, 3))
    pixels[0, :129] = np.stack([nodes, nodes, nodes], axis=1)
    pixels[1, :129] = np.stack([np.full(129, 255, np.uint8), nodes, np.zeros(129, np.uint8)], axis=1)
    assert difference(apply, table, pixels).max() == 0


def test_greys_primaries_and_edges_within_one_level(srgb_to_press):
    apply, table = srgb_to_press
    diff = difference(apply, table, edges())
    assert diff.max() <= 1
    assert diff.mean() < 0.1


def test_random_colours_within_two_levels(srgb_to_press):
    apply, table = srgb_to_press
    pixels = np.random.default_rng(2025).integers(0, 256, (500, 600, 3), dtype=np.uint8)
    diff = difference(apply, table, pixels)
    assert diff.max() <= 2
    assert diff.mean() < 0.2


def test_photo_within_one_level(srgb_to_press):
    apply, table = srgb_to_press
    with Image.open(DEMO_STILL) as im:
        pixels = np.asarray(im.convert("RGB").reduce(4))
    assert difference(apply, table, pixels).max() <= 1


def test_odd_sizes_and_bands(srgb_to_press, monkeypatch):
    """A picture larger than a band and not a whole number of them: every pixel converted, in place."""
    apply, table = srgb_to_press
    monkeypatch.setattr(colourtable, "_BAND", 1000)
    pixels = np.random.default_rng(7).integers(0, 256, (37, 61, 3), dtype=np.uint8)
    assert difference(apply, table, pixels).max() <= 2


def test_embedded_profile_table(tmp_path):
    """An image tagged Adobe RGB goes through a table of its own profile's transform."""
    source = ImageCms.getOpenProfile(str(ADOBE_RGB))
    apply = littlecms(source)
    table = colourtable.fill(apply)
    pixels = np.random.default_rng(3).integers(0, 256, (200, 300, 3), dtype=np.uint8)
    assert difference(apply, table, pixels).max() <= 2
    im = Image.fromarray(pixels, "RGB")  # and they are not sRGB's separations
    assert np.abs(np.asarray(littlecms()(im)).astype(int) - np.asarray(apply(im)).astype(int)).max() > 10


def test_images_keep_a_few_tables(monkeypatch):
    """images._to_press fills one table per source profile and keeps the last MAX_TABLES of them."""
    monkeypatch.setattr(images, "_TABLES", {})
    edition = Edition(name="print", pdf_variant="pdf/x-4", bleed="3mm", profile=GS_CMYK, ppi=300)
    im = Image.new("RGB", (8, 8), (200, 30, 40))
    profiles = [(None, None)]
    for name in ("a98.icc", "rommrgb.icc"):
        data = (GS_CMYK.parent / name).read_bytes()
        profiles.append(images._source_profile(_tagged(data)))
    results = [images._to_press(source, key, edition, im) for source, key in profiles]
    assert len(images._TABLES) == images.MAX_TABLES == 2
    assert [k[0] for k in images._TABLES] == [profiles[1][1], profiles[2][1]]
    assert len({r.getpixel((0, 0)) for r in results}) == 3  # three profiles, three separations of one RGB


def _tagged(icc: bytes) -> Image.Image:
    im = Image.new("RGB", (1, 1))
    im.info["icc_profile"] = icc
    return im
