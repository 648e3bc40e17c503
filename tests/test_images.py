"""Image preparation: resolution checks, resampling, colour conversion to the press profile, the cache."""

from __future__ import annotations

import io
import logging
from pathlib import Path

import pytest
from PIL import Image, ImageCms

from presskit.edition import Edition
from presskit.errors import RenderError
from presskit.images import (
    CODE_VERSION,
    ImagePreparer,
    cache_key,
    cached_image,
    convert,
    digest_record,
    oriented_size,
    target_width,
    usable,
)

GS_CMYK = Path("/usr/share/color/icc/ghostscript/default_cmyk.icc")
ADOBE_RGB = Path("/usr/share/color/icc/ghostscript/a98.icc")
RED, BLUE = (200, 30, 40), (60, 90, 160)  # both inside the SWOP gamut

pytestmark = pytest.mark.skipif(not GS_CMYK.is_file(), reason="needs libgs-common's CMYK profile")


def print_edition(**changes) -> Edition:
    return Edition(
        **{"name": "print", "pdf_variant": "pdf/x-4", "bleed": "3mm", "profile": GS_CMYK, "ppi": 300, **changes}
    )


def photo(
    path: Path,
    size: tuple[int, int],
    *,
    icc: bytes | None = None,
    exif_orientation: int | None = None,
    colours=(RED, BLUE),
) -> Path:
    """A JPEG: left half one colour, right half another."""
    im = Image.new("RGB", size, colours[0])
    im.paste(colours[1], (size[0] // 2, 0, size[0], size[1]))
    options = {"quality": 90}
    if icc:
        options["icc_profile"] = icc
    if exif_orientation:
        exif = Image.Exif()
        exif[0x0112] = exif_orientation
        options["exif"] = exif.tobytes()
    path.parent.mkdir(parents=True, exist_ok=True)
    im.save(path, **options)
    return path


def back_to_srgb(cmyk: Image.Image) -> Image.Image:
    srgb = ImageCms.createProfile("sRGB")
    return ImageCms.profileToProfile(cmyk, str(GS_CMYK), srgb, outputMode="RGB")


def close(a, b, tolerance=28) -> bool:
    return all(abs(x - y) <= tolerance for x, y in zip(a, b))


@pytest.fixture
def preparer(tmp_path) -> ImagePreparer:
    return ImagePreparer(print_edition(), tmp_path / "out" / ".cache" / "images", "test-film press kit", tmp_path)


# --- print conversion ------------------------------------------------------------------------------


def test_print_image_is_cmyk_jpeg_at_300_ppi_of_its_placed_width(preparer, tmp_path):
    source = photo(tmp_path / "images" / "portrait.jpg", (1200, 1500))
    url = preparer(source, "headshot")  # placed 2.2 in wide
    assert url.startswith("presskit-image:") and url.endswith(".jpg")
    prepared = cached_image(url, [preparer.cache_dir])
    assert prepared is not None and prepared.parent == preparer.cache_dir
    with Image.open(prepared) as im:
        assert im.format == "JPEG" and im.mode == "CMYK"
        assert im.size == (660, 825)  # 2.2 in x 300 ppi, aspect kept
        assert "APP14" in im.app  # Adobe marker: WeasyPrint then writes the /Decode that un-inverts it
        # Pillow reads Adobe CMYK back un-inverted: the colours survive the round trip through the profile.
        rgb = back_to_srgb(im)
        assert close(rgb.getpixel((100, 400)), RED), rgb.getpixel((100, 400))
        assert close(rgb.getpixel((560, 400)), BLUE), rgb.getpixel((560, 400))
        assert im.info.get("dpi") and round(im.info["dpi"][0]) == 300
    assert preparer.problems == []


def test_never_upscaled_and_a_warning_below_300_ppi(preparer, tmp_path, caplog):
    source = photo(tmp_path / "images" / "small.jpg", (500, 625))  # 227 ppi at 2.2 in
    with caplog.at_level(logging.WARNING, logger="presskit"):
        url = preparer(source, "headshot")
    with Image.open(cached_image(url, [preparer.cache_dir])) as im:
        assert im.size == (500, 625)
    assert [p.severity for p in preparer.problems] == ["warning"]
    message = caplog.text
    assert "images/small.jpg" in message and "227 ppi" in message and "director's headshot" in message
    assert "660 px" in message  # what would be enough
    preparer.raise_errors()  # warnings do not fail the build


def test_below_150_ppi_is_an_error_naming_the_image_and_where_it_is_printed(preparer, tmp_path):
    small = photo(tmp_path / "images" / "key.jpg", (1000, 1800))  # key art placed 8.5 in: 118 ppi
    still = photo(tmp_path / "images" / "still.jpg", (900, 400))  # still placed 7 in: 129 ppi
    preparer(small, "key_art")
    preparer(still, "still")
    with pytest.raises(RenderError) as info:
        preparer.raise_errors()
    message = str(info.value)
    assert "2 image(s) too small to print in the test-film press kit" in message
    assert "images/key.jpg (test-film press kit, cover key art): 1000 px wide is 118 ppi" in message
    assert "images/still.jpg (test-film press kit, stills page): 900 px wide is 129 ppi" in message
    assert "at least 1275 px" in message  # 8.5 in x 150 ppi


def test_screen_edition_is_compact_rgb_and_has_no_resolution_checks(tmp_path):
    source = photo(tmp_path / "images" / "still.jpg", (2400, 1000))
    screen = ImagePreparer(Edition("screen"), tmp_path / "cache", "film press kit")
    prepared = cached_image(screen(source, "still"), [tmp_path / "cache"])
    with Image.open(prepared) as im:
        assert im.mode == "RGB" and im.size == (1050, 438)  # 7 in x 150 ppi
        assert close(im.getpixel((100, 200)), RED, 12)
    assert prepared.stat().st_size < source.stat().st_size / 2
    tiny = photo(tmp_path / "images" / "tiny.jpg", (300, 200))
    screen(tiny, "key_art")
    assert screen.problems == []


def test_embedded_profile_is_the_source_profile(tmp_path):
    """The same pixel values mean another colour in Adobe RGB than in sRGB, and convert differently."""
    green = ((40, 180, 60), (40, 180, 60))
    plain = photo(tmp_path / "plain.jpg", (400, 300), colours=green).read_bytes()
    tagged = photo(tmp_path / "tagged.jpg", (400, 300), colours=green, icc=ADOBE_RGB.read_bytes()).read_bytes()
    a = Image.open(io.BytesIO(convert(plain, print_edition(), 400))).getpixel((200, 150))
    b = Image.open(io.BytesIO(convert(tagged, print_edition(), 400))).getpixel((200, 150))
    assert a != b and max(abs(x - y) for x, y in zip(a, b)) > 15, (a, b)


def test_exif_orientation_is_applied(tmp_path):
    source = photo(tmp_path / "rotated.jpg", (1500, 1200), exif_orientation=6)  # shown 1200 x 1500
    with Image.open(source) as im:
        assert oriented_size(im) == (1200, 1500)
    out = Image.open(io.BytesIO(convert(source.read_bytes(), print_edition(), 660)))
    assert out.size == (660, 825)


def test_large_jpegs_are_decoded_at_reduced_scale(tmp_path, monkeypatch):
    source = photo(tmp_path / "big.jpg", (4000, 3000))
    requests = []
    original = Image.Image.draft

    def spy(self, mode, size):
        requests.append(size)
        return original(self, mode, size)

    monkeypatch.setattr(Image.Image, "draft", spy)
    from PIL import JpegImagePlugin

    monkeypatch.setattr(JpegImagePlugin.JpegImageFile, "draft", spy)
    out = Image.open(io.BytesIO(convert(source.read_bytes(), print_edition(), 900)))
    assert requests == [(900, 675)]
    assert out.size == (900, 675)


def test_a_framed_use_is_cropped_to_its_frame_centred(tmp_path):
    """A still that fills a 2:1 frame (object-fit: cover) is prepared as the frame shows it: the middle of a
    portrait picture, the middle of a wide one, at the frame's resolution."""
    tall = Image.new("RGB", (1200, 1800), RED)
    tall.paste(BLUE, (0, 600, 1200, 1200))  # a blue band across the middle third
    buffer = io.BytesIO()
    tall.save(buffer, "JPEG", quality=95)
    out = back_to_srgb(Image.open(io.BytesIO(convert(buffer.getvalue(), print_edition(), 600, aspect=2.0))))
    assert out.size == (600, 300)
    assert close(out.getpixel((300, 20)), BLUE) and close(out.getpixel((300, 280)), BLUE)

    wide = photo(tmp_path / "wide.jpg", (3000, 1000))  # red | blue, cut in the middle
    out = back_to_srgb(Image.open(io.BytesIO(convert(wide.read_bytes(), print_edition(), 800, aspect=2.0))))
    assert out.size == (800, 400)
    assert close(out.getpixel((10, 200)), RED) and close(out.getpixel((790, 200)), BLUE)


def test_a_framed_use_is_checked_and_sized_by_the_part_that_prints(preparer, tmp_path):
    """A 2.4:1 still in a 2:1 frame 3 in wide prints its middle 2000 px across those 3 in: resampled to
    900 px (300 ppi), the cache key names the crop; 800 px high is 1600 px across: below 600 ppi, fine."""
    preparer.placed_in["still"] = 3.0
    preparer.frames["still"] = 2.0
    source = photo(tmp_path / "images" / "scope.jpg", (2400, 1000))
    target = cached_image(preparer(source, "still"), [preparer.cache_dir])
    with Image.open(target) as im:
        assert im.size == (900, 450) and im.mode == "CMYK"
    whole = ImagePreparer(print_edition(), preparer.cache_dir, "test", tmp_path, placed_in={"still": 3.0})
    assert cached_image(whole(source, "still"), [preparer.cache_dir]) != target
    # a frame whose height is not a whole number of pixels at 300 ppi (the catalogue's half-page still:
    # 44 x 24.75 mm): rounded up, so the height reaches 300 ppi too
    half = ImagePreparer(
        print_edition(),
        preparer.cache_dir,
        "test",
        tmp_path,
        placed_in={"still": 44 / 25.4},
        frames={"still": 44 / 24.75},
    )
    with Image.open(cached_image(half(source, "still"), [preparer.cache_dir])) as im:
        assert im.size == (520, 293) and im.height / (24.75 / 25.4) >= 300
    narrow = photo(tmp_path / "images" / "narrow.jpg", (1200, 400))  # 3:1: 800 px across the frame
    preparer(narrow, "still")
    [problem] = preparer.problems
    assert problem.severity == "warning" and "800 px across its frame (of 1200) is 267 ppi" in problem.message


def test_transparent_png_is_flattened_on_white(tmp_path):
    im = Image.new("RGBA", (400, 200), (0, 0, 0, 0))
    im.paste((200, 30, 40, 255), (0, 0, 200, 200))
    buffer = io.BytesIO()
    im.save(buffer, "PNG")
    out = back_to_srgb(Image.open(io.BytesIO(convert(buffer.getvalue(), print_edition(), 400))))
    assert close(out.getpixel((300, 100)), (255, 255, 255), 12)
    assert close(out.getpixel((100, 100)), RED)


# --- the cache --------------------------------------------------------------------------------------


def test_second_call_is_a_cache_hit_without_decoding(preparer, tmp_path, monkeypatch):
    source = photo(tmp_path / "images" / "still.jpg", (2400, 1000))
    first = cached_image(preparer(source, "still"), [preparer.cache_dir])
    mtime = first.stat().st_mtime_ns

    def forbidden(*args, **kwargs):
        raise AssertionError("the cached image was converted again")

    monkeypatch.setattr("presskit.images.convert", forbidden)
    from PIL import ImageFile

    monkeypatch.setattr(ImageFile.ImageFile, "load", forbidden)  # no pixel is decoded on a hit
    again = ImagePreparer(print_edition(), preparer.cache_dir, "test-film press kit", tmp_path)
    second = cached_image(again(source, "still"), [preparer.cache_dir])
    assert second == first and second.stat().st_mtime_ns == mtime
    assert sorted(preparer.cache_dir.iterdir()) == [first, digest_record(first)]  # no temporary file left behind


def test_a_source_still_cut_short_is_an_error_even_where_weasyprint_is_loaded(preparer, tmp_path):
    """WeasyPrint's import has Pillow accept truncated images for the whole process: a still cut short by an
    interrupted copy would be printed with its missing rows grey. The conversion refuses it."""
    import weasyprint  # noqa: F401  (sets ImageFile.LOAD_TRUNCATED_IMAGES)
    from PIL import ImageFile

    assert ImageFile.LOAD_TRUNCATED_IMAGES
    source = photo(tmp_path / "images" / "still.jpg", (2400, 1000))
    source.write_bytes(source.read_bytes()[:6000])
    with pytest.raises(RenderError) as info:
        preparer(source, "still")
    assert info.value.message.startswith(f"{source}: the image's data is damaged (image file is truncated")
    assert info.value.message.endswith("); export or copy it again")
    assert ImageFile.LOAD_TRUNCATED_IMAGES  # restored for WeasyPrint
    assert not list(preparer.cache_dir.glob("*.jpg"))  # nothing prepared from it


@pytest.mark.parametrize("damage", ["cut short", "emptied", "not a JPEG"])
def test_a_damaged_prepared_image_is_prepared_again(preparer, tmp_path, damage, caplog):
    """A prepared image cut short in the cache (a full disk, an interrupted copy) is never used: WeasyPrint
    would leave the picture out of the page and the build would go on without it."""
    source = photo(tmp_path / "images" / "still.jpg", (2400, 1000))
    target = cached_image(preparer(source, "still"), [preparer.cache_dir])
    whole = target.read_bytes()
    target.write_bytes(
        {"cut short": whole[: len(whole) // 2], "emptied": b"", "not a JPEG": b"<html>" + whole[6:]}[damage]
    )
    assert not usable(target)
    with caplog.at_level(logging.INFO, logger="presskit"):
        again = cached_image(preparer(source, "still"), [preparer.cache_dir])
    assert again == target and target.read_bytes() == whole
    Image.open(target).load()  # decodes to its last row
    assert usable(target)
    if damage == "cut short":
        assert (
            f"the prepared image {target.name} in the cache is damaged (cut short): preparing it again" in caplog.text
        )


def test_cache_key_covers_everything_that_changes_the_result(tmp_path):
    data = photo(tmp_path / "a.jpg", (800, 600)).read_bytes()
    base = cache_key(data, print_edition(), 7.0)
    other_profile = tmp_path / "other.icc"
    other_profile.write_bytes(GS_CMYK.read_bytes()[:-1] + b"\x01")
    variants = [
        cache_key(data + b"\0", print_edition(), 7.0),
        cache_key(data, print_edition(ppi=350), 7.0),
        cache_key(data, print_edition(), 3.4),
        cache_key(data, print_edition(profile=other_profile), 7.0),
        cache_key(data, Edition("screen"), 7.0),
    ]
    assert len({base, *variants}) == 6
    assert base == cache_key(data, print_edition(), 7.0)
    assert CODE_VERSION  # part of the key: bumping it redoes every cached image


def test_cached_image_only_serves_content_names_inside_its_roots(tmp_path):
    name = "a" * 64 + ".jpg"
    (tmp_path / name).write_bytes(b"x")
    assert cached_image(f"presskit-image:{name}", [tmp_path / "elsewhere", tmp_path]) == tmp_path / name
    assert cached_image(f"presskit-image:{'b' * 64}.jpg", [tmp_path]) is None
    assert cached_image("presskit-image:../../etc/passwd", [tmp_path]) is None
    assert cached_image(f"file://{tmp_path / name}", [tmp_path]) is None


def test_target_width():
    assert target_width(4000, 7.0, 300) == 2100
    assert target_width(1000, 7.0, 300) == 1000  # never upscaled
    assert target_width(4000, 8.504, 300) == 2552  # rounded up: never below 300 ppi


def textured(path: Path, size: tuple[int, int], **options) -> Path:
    """A JPEG with detail in every block (so that every row decodes to something of its own)."""
    import os

    noise = Image.frombytes("RGB", (size[0] // 4, size[1] // 4), os.urandom(size[0] // 4 * (size[1] // 4) * 3))
    im = Image.linear_gradient("L").resize(size).convert("RGB")
    im = Image.blend(im, noise.resize(size, Image.Resampling.BILINEAR), 0.6)
    path.parent.mkdir(parents=True, exist_ok=True)
    im.save(path, quality=90, **options)
    return path


@pytest.mark.parametrize(
    "options",
    [{}, {"subsampling": 0}, {"subsampling": 1}, {"restart_marker_rows": 1}],
    ids=["4:2:0", "4:4:4", "4:2:2", "restart markers"],
)
@pytest.mark.parametrize("scale", [1, 2, 4])
def test_a_framed_jpeg_is_decoded_down_to_its_frame_only_with_the_same_pixels(tmp_path, options, scale):
    from presskit.images import ROWS_BEYOND, _centred_box, _rows_down_to

    data = textured(tmp_path / "still.jpg", (1600, 1067), **options).read_bytes()
    whole = Image.open(io.BytesIO(data))
    full = whole.size
    if scale > 1:
        whole.draft("RGB", (1600 // scale, 1067 // scale))
    box = _centred_box(whole.size, 2.2)
    cut = _rows_down_to(data, whole, full, box[3])
    assert cut is not None and cut.width == whole.width
    assert box[3] + ROWS_BEYOND // scale <= cut.height <= box[3] + ROWS_BEYOND // scale + 1 < whole.height
    kept = (0, 0, whole.width, box[3] + ROWS_BEYOND // scale - 1)
    assert cut.crop(kept).tobytes() == whole.crop(kept).tobytes()


def test_the_cut_decode_is_used_for_framed_jpegs_and_nearly_the_same_image(tmp_path, monkeypatch):
    import presskit.images as images

    data = textured(tmp_path / "still.jpg", (1600, 1067)).read_bytes()
    cut = convert(data, print_edition(), 400, 2.2)
    monkeypatch.setattr(images, "_rows_down_to", lambda *args: None)
    whole = convert(data, print_edition(), 400, 2.2)
    a, b = Image.open(io.BytesIO(cut)), Image.open(io.BytesIO(whole))
    assert a.size == b.size == (400, 182) and a.mode == "CMYK"
    from PIL import ImageChops, ImageStat

    assert max(ImageStat.Stat(ImageChops.difference(a, b)).mean) < 1  # a rounding of the resampling at most


def test_only_sequential_single_scan_jpegs_are_cut(tmp_path):
    from presskit.images import _declared_height

    baseline = textured(tmp_path / "b.jpg", (800, 600)).read_bytes()
    cut = _declared_height(baseline, 300)
    assert Image.open(io.BytesIO(cut)).size == (800, 300)
    assert _declared_height(baseline, 600) is None and _declared_height(baseline, 0) is None
    assert _declared_height(textured(tmp_path / "p.jpg", (800, 600), progressive=True).read_bytes(), 300) is None
    assert _declared_height(b"\x89PNG\r\n", 300) is None


def test_a_turned_jpeg_is_not_cut(tmp_path, monkeypatch):
    import presskit.images as images

    calls = []
    monkeypatch.setattr(images, "_rows_down_to", lambda *args: calls.append(args))
    source = photo(tmp_path / "turned.jpg", (1500, 1200), exif_orientation=6)
    convert(source.read_bytes(), print_edition(), 400, 2.2)
    assert calls == []
    convert(photo(tmp_path / "upright.jpg", (1500, 1200)).read_bytes(), print_edition(), 400, 2.2)
    assert len(calls) == 1
