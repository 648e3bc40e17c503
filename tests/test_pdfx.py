"""What a prepress operator's tools check beyond presskit's own preflight: PDF/X-1a that is PDF/X-1a (PDF 1.4,
no object streams, CFF font programs, device colour only), one subset tag per font program, valid padding
pages, the registered output condition of each paper family.

The slow tests build the whole demo as PDF/X-1a once on A4 and once on Letter, and check every print PDF
of it with pikepdf, qpdf and Ghostscript.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import pikepdf
import pytest
from pikepdf import Array, Dictionary, Name

from presskit.build import BuildOptions, build_project
from presskit.edition import output_condition, paper_family, print_edition
from presskit.errors import RenderError
from presskit.fontprograms import cid_keyed_cff, clean_font_name, embed_as_cff, retag_subsets, subset_tag
from presskit.model import PrintSettings
from presskit.pdfx1a import allowed, device_colour_spaces, save_options
from presskit.products.catalogue.merge import Metadata, PageLabel, merge_parts
from presskit.resources import builtin_assets

FONTS = builtin_assets() / "fonts"
NOTO_CJK = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
ICC = builtin_assets() / "icc"
REGISTRY = "http://www.color.org"


# --- font programs --------------------------------------------------------------------------------------


def subset(path: Path, text: str, number: int = 0) -> tuple[bytes, list[int]]:
    """An OpenType subset of `path` holding the glyphs of `text`, with their glyph ids kept (as WeasyPrint
    subsets: HarfBuzz's retain-gids), and those ids."""
    from fontTools import subset as ft_subset
    from fontTools.ttLib import TTFont

    font = TTFont(path, fontNumber=number)
    cmap = font.getBestCmap()
    gids = sorted({font.getGlyphID(cmap[ord(c)]) for c in text})
    options = ft_subset.Options(retain_gids=True, notdef_outline=True, desubroutinize=True)
    subsetter = ft_subset.Subsetter(options)
    subsetter.populate(gids=gids)
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue(), gids


def parsed_cff(data: bytes):
    from fontTools.cffLib import CFFFontSet

    cff = CFFFontSet()
    cff.decompile(io.BytesIO(data), None)
    return cff.topDictIndex[0]


def outlines(top, gids: list[int], names: list[str]) -> list[list]:
    """The decompiled Type 2 programs of the glyphs `gids`, named `names` in `top`'s charset."""
    programs = []
    for gid, name in zip(gids, names):
        charstring = top.CharStrings[name]
        charstring.decompile()
        programs.append((gid, charstring.program))
    return programs


def test_name_keyed_cff_becomes_cid_keyed_with_identity_cids():
    otf, gids = subset(FONTS / "inter" / "Inter-Regular.otf", "Red Rooms, 2023")
    original = parsed_cff(_cff_table(otf))
    top = parsed_cff(cid_keyed_cff(otf))
    assert top.ROS == ("Adobe", "Identity", 0)
    assert top.CIDCount == len(original.charset)
    assert top.charset == [".notdef"] + [f"cid{gid:05d}" for gid in range(1, len(original.charset))]
    assert set(top.FDSelect.gidArray) == {0} and len(top.FDArray) == 1
    assert top.FontMatrix == original.FontMatrix  # kept in the Top DICT (Poppler sizes glyphs from it)
    assert not hasattr(top, "Encoding") or top.rawDict.get("Encoding") is None
    # glyph n of the program is the glyph the content's code n (Identity-H) meant
    before = outlines(original, gids, [original.charset[g] for g in gids])
    after = outlines(top, gids, [top.charset[g] for g in gids])
    assert after == before


@pytest.mark.slow  # (no render, but subsetting a 65 000-glyph font takes seconds)
@pytest.mark.skipif(not NOTO_CJK.is_file(), reason="needs fonts-noto-cjk")
def test_cid_keyed_cjk_cff_keeps_its_font_dicts_and_gets_identity_cids():
    otf, gids = subset(NOTO_CJK, "赤い部屋 红房间 붉은 방")
    original = parsed_cff(_cff_table(otf))
    assert hasattr(original, "ROS")  # Noto Sans CJK is CID-keyed
    top = parsed_cff(cid_keyed_cff(otf))
    assert top.ROS == ("Adobe", "Identity", 0)
    assert [top.charset[g] for g in gids] == [f"cid{g:05d}" for g in gids]
    assert len(top.FDArray) == len(original.FDArray)
    assert [top.FDSelect.gidArray[g] for g in gids] == [original.FDSelect.gidArray[g] for g in gids]
    before = outlines(original, gids, [original.charset[g] for g in gids])
    assert outlines(top, gids, [top.charset[g] for g in gids]) == before


def _cff_table(otf: bytes) -> bytes:
    from fontTools.ttLib import TTFont

    return TTFont(io.BytesIO(otf)).reader["CFF "]


def test_subset_tag_and_clean_names():
    assert re.fullmatch(r"[A-Z]{6}", subset_tag(b"program"))
    assert subset_tag(b"program") == subset_tag(b"program") != subset_tag(b"other program")
    assert subset_tag(b"program", 1) != subset_tag(b"program")
    assert clean_font_name("/KAIRAE+PK-Condensed,") == "PK-Condensed"
    assert clean_font_name("/PK-Sans-Semi-Bold") == "PK-Sans-Semi-Bold"
    assert clean_font_name("/ABCDEF+PK Sans (Bold)") == "PKSansBold"


def _type0(pdf, name: str, program: bytes):
    stream = pdf.make_stream(program, Subtype=Name.OpenType)
    descriptor = pdf.make_indirect(Dictionary(Type=Name.FontDescriptor, FontName=Name(name), FontFile3=stream))
    cidfont = pdf.make_indirect(
        Dictionary(Type=Name.Font, Subtype=Name.CIDFontType0, BaseFont=Name(name), FontDescriptor=descriptor)
    )
    return pdf.make_indirect(
        Dictionary(Type=Name.Font, Subtype=Name.Type0, BaseFont=Name(name), DescendantFonts=Array([cidfont]))
    )


def test_every_font_program_gets_its_own_tag_from_its_bytes():
    pdf = pikepdf.new()
    a = _type0(pdf, "/KAIRAE+PK-Condensed,", b"program one")
    b = _type0(pdf, "/KAIRAE+PK-Condensed,", b"program two")  # another subset, the same name
    c = _type0(pdf, "/QQQQQQ+PK-Condensed,", b"program one")  # another part's copy of the first program
    assert retag_subsets(pdf) == 3
    names = [str(f.BaseFont) for f in (a, b, c)]
    assert names[0] == names[2] == f"/{subset_tag(b'program one')}+PK-Condensed"
    assert names[1] == f"/{subset_tag(b'program two')}+PK-Condensed"
    for font in (a, b, c):
        (cidfont,) = font.DescendantFonts
        assert cidfont.BaseFont == font.BaseFont == cidfont.FontDescriptor.FontName
    program = lambda font: font.DescendantFonts[0].FontDescriptor.FontFile3
    assert program(a).objgen == program(c).objgen != program(b).objgen  # the same bytes: one copy


def test_x1a_converts_opentype_programs_and_names_a_font_it_cannot_read():
    pdf = pikepdf.new()
    otf, _ = subset(FONTS / "bebas-neue" / "BebasNeue-Regular.otf", "RED ROOMS")
    good = _type0(pdf, "/AAAAAA+PK-Condensed", otf)
    good.DescendantFonts[0].CIDToGIDMap = Name.Identity
    assert embed_as_cff(pdf, "test") == 1
    (cidfont,) = good.DescendantFonts
    assert cidfont.FontDescriptor.FontFile3.Subtype == Name.CIDFontType0C and "/CIDToGIDMap" not in cidfont
    assert cidfont.FontDescriptor.FontFile3.read_bytes() == cid_keyed_cff(otf)
    _type0(pdf, "/BBBBBB+PK-Broken", b"not a font")
    with pytest.raises(RenderError, match=r"the test: the font /BBBBBB\+PK-Broken cannot be embedded as CFF"):
        embed_as_cff(pdf, "test")


# --- colour spaces and saving -------------------------------------------------------------------------


def _page_with(pdf, spaces: dict, content: bytes):
    page = pikepdf.Page(
        Dictionary(
            Type=Name.Page,
            MediaBox=Array([0, 0, 100, 100]),
            Resources=Dictionary(ColorSpace=Dictionary(spaces)),
            Contents=pdf.make_stream(content),
        )
    )
    pdf.pages.append(page)
    return pdf.pages[-1]


def test_only_device_colour_spaces_stay_in_resources():
    pdf = pikepdf.new()
    icc = pdf.make_stream(b"(profile)", N=4)
    lab = Array([Name.Lab, Dictionary(WhitePoint=Array([0.9642, 1, 0.8249]))])
    page = _page_with(
        pdf,
        {
            "/device-cmyk": Array([Name.ICCBased, icc]),
            "/lab-d50": lab,
            "/spot": Array(
                [Name.Separation, Name.Gold, Name.DeviceCMYK, Dictionary(FunctionType=2, Domain=[0, 1], N=1)]
            ),
        },
        b"/device-cmyk cs 0 0 0 1 sc 0 0 10 10 re f /spot CS 1 SCN",
    )
    assert device_colour_spaces(pdf, "test") == 2
    spaces = page.obj.Resources.ColorSpace
    assert spaces["/device-cmyk"] == Name.DeviceCMYK  # used: the device space it stands for
    assert "/lab-d50" not in spaces  # unused: gone
    assert all(allowed(space) for space in spaces.values())


def test_a_used_lab_space_fails_x1a():
    pdf = pikepdf.new()
    lab = Array([Name.Lab, Dictionary(WhitePoint=Array([0.9642, 1, 0.8249]))])
    _page_with(pdf, {"/lab-d50": lab}, b"/lab-d50 cs 50 0 0 sc 0 0 10 10 re f")
    with pytest.raises(RenderError, match=r"paints in a Lab colour space \(/lab-d50\), which PDF/X-1a forbids"):
        device_colour_spaces(pdf, "test")


def test_x1a_is_saved_as_pdf_14_without_object_streams():
    options = save_options("pdf/x-1a")
    assert options == {"object_stream_mode": pikepdf.ObjectStreamMode.disable, "force_version": "1.4"}
    assert save_options("pdf/x-4") == {}


# --- output conditions --------------------------------------------------------------------------------


def test_output_condition_follows_the_paper_family(tmp_path):
    assert paper_family("210mm 297mm") == paper_family("170mm 240mm") == "metric"
    assert paper_family("8.5in 11in") == "us"
    a4 = print_edition(PrintSettings(), "3mm", tmp_path, size="210mm 297mm").condition
    assert (a4.identifier, a4.registry, a4.info) == ("FOGRA39", REGISTRY, "Coated FOGRA39 (ISO 12647-2:2004)")
    assert a4.profile == ICC / "FOGRA39.icc"
    letter = print_edition(PrintSettings(), "0.125in", tmp_path, size="8.5in 11in")
    assert (letter.condition.identifier, letter.condition.registry) == ("CGATS TR 006", REGISTRY)
    assert letter.profile == letter.condition.profile == ICC / "GRACoL2006.icc"


def test_printers_profile_wins_as_a_custom_condition(tmp_path):
    (tmp_path / "press.icc").write_bytes((ICC / "GRACoL2006.icc").read_bytes())
    condition = output_condition(PrintSettings(profile="press.icc"), tmp_path, "metric")
    assert condition.identifier == "Custom" and condition.registry is None
    assert condition.profile == tmp_path / "press.icc"
    assert condition.info.startswith("presskit GRACoL 2006")  # the profile's own description


@pytest.mark.parametrize("name, reference", [("FOGRA39", "FOGRA39"), ("GRACoL2006", "CGATS TR 006")])
def test_shipped_profiles_are_cmyk_output_profiles_naming_their_data(name, reference):
    icc = (ICC / f"{name}.icc").read_bytes()
    assert icc[12:20] == b"prtrCMYK" and icc[20:24] == b"Lab " and icc[36:40] == b"acsp"
    assert icc[8] == 2  # ICC version 2: what PDF 1.4 (PDF/X-1a:2003) knows
    assert f"ICCHDAT {reference}".encode() in icc  # the registry's charTargetTag
    assert len(icc) < 500_000


# --- padding pages --------------------------------------------------------------------------------------


def test_padding_pages_are_valid_and_labelled_blank(tmp_path):
    part = tmp_path / "part.pdf"
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(200, 300))
    pdf.pages[0].obj.Contents = pdf.make_stream(b"0 0 0 1 k 10 10 50 50 re f")
    pdf.save(part)
    dest = tmp_path / "merged.pdf"
    labels = [PageLabel(0, prefix="Cover"), PageLabel(1, start=2)]
    assert merge_parts([part], [], labels, Metadata("Test"), dest, blank_label="Intentionally blank") == 3
    with pikepdf.open(dest) as merged:
        assert len(merged.pages) == 4
        assert all("/Contents" not in page.obj for page in merged.pages[1:])
        nums = list(merged.Root.PageLabels.Nums)
        assert nums[-2] == 1 and str(nums[-1].P) == "Intentionally blank"
    if shutil.which("gs"):
        gs = _nullpage(dest)
        assert gs.returncode == 0 and gs.stdout + gs.stderr == "", gs.stdout + gs.stderr


def _nullpage(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["gs", "-q", "-dNOPAUSE", "-dBATCH", "-o", "/dev/null", "-sDEVICE=nullpage", str(path)],
        capture_output=True,
        text=True,
    )


# --- the demo as PDF/X-1a, A4 and Letter -----------------------------------------------------------------


@pytest.fixture(scope="module")
def x1a_builds(demo_copy, tmp_path_factory) -> dict[str, Path]:
    """The whole demo, print editions as PDF/X-1a: {'a4': out folder, 'letter': out folder}."""
    outs = {}
    for paper in ("a4", "letter"):
        out = tmp_path_factory.mktemp(f"x1a-{paper}")
        build_project(demo_copy, BuildOptions(out_dir=out, paper=paper, pdfx="x-1a", edition="print"))
        outs[paper] = out
    return outs


def print_pdfs(out: Path) -> list[Path]:
    found = sorted(p for p in out.rglob("*.pdf") if ".cache" not in p.relative_to(out).parts)
    assert any(p.name == "catalogue.pdf" for p in found) and any(p.name == "onesheet.pdf" for p in found)
    return found


def every_x1a_pdf(x1a_builds) -> list[Path]:
    return [pdf for out in x1a_builds.values() for pdf in print_pdfs(out)]


def _objects(pdf):
    for obj in pdf.objects:
        if isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream)):
            yield obj


@pytest.mark.slow
def test_x1a_is_pdf_14_without_object_or_xref_streams(x1a_builds):
    for path in every_x1a_pdf(x1a_builds):
        assert path.read_bytes()[:8] == b"%PDF-1.4", path
        with pikepdf.open(path) as pdf:
            assert pdf.pdf_version == "1.4", path
            assert str(pdf.Root.get("/Version", "/1.4")) == "/1.4", path
            assert not [o for o in _objects(pdf) if o.get("/Type") in (Name.ObjStm, Name.XRef)], path
        xref = subprocess.run(["qpdf", "--show-xref", str(path)], capture_output=True, text=True, check=True)
        assert "compressed;" not in xref.stdout.replace("uncompressed;", ""), path


@pytest.mark.slow
def test_x1a_fonts_are_type1c_cidfonttype0c_or_truetype(x1a_builds):
    for path in every_x1a_pdf(x1a_builds):
        with pikepdf.open(path) as pdf:
            kinds = set()
            for obj in _objects(pdf):
                if obj.get("/Type") != Name.FontDescriptor:
                    continue
                if "/FontFile3" in obj:
                    kinds.add(str(obj.FontFile3.Subtype))
                elif "/FontFile2" in obj:
                    kinds.add("FontFile2")
                else:
                    kinds.add("other")
            assert kinds and kinds <= {"/CIDFontType0C", "/Type1C", "FontFile2"}, (path, kinds)
            for obj in _objects(pdf):  # a CFF CIDFont's program is CIDFontType0C, a simple font's Type1C
                if obj.get("/Type") == Name.Font and obj.get("/Subtype") == Name.CIDFontType0:
                    assert obj.FontDescriptor.FontFile3.Subtype == Name.CIDFontType0C, path
                    assert "/CIDToGIDMap" not in obj, path


def _space_ok(space) -> bool:
    if isinstance(space, pikepdf.Name):
        return space in (Name.DeviceCMYK, Name.DeviceGray, Name.Pattern)
    family = space[0]
    if family in (Name.Separation, Name.DeviceN):
        return _space_ok(space[2])
    if family == Name.Indexed:
        return _space_ok(space[1])
    return False


@pytest.mark.slow
def test_x1a_has_no_colour_space_but_device_cmyk_gray_or_separation(x1a_builds):
    for path in every_x1a_pdf(x1a_builds):
        with pikepdf.open(path) as pdf:
            holders = list(_objects(pdf))
            holders += [p.obj.Resources for p in pdf.pages if "/Resources" in p.obj]
            for obj in holders:
                spaces = obj.get("/ColorSpace")
                if isinstance(spaces, pikepdf.Dictionary):
                    bad = {k: str(v) for k, v in spaces.items() if not _space_ok(v)}
                    assert not bad, (path, bad)
                elif spaces is not None:
                    assert _space_ok(spaces), (path, spaces)
                group = obj.get("/Group")
                assert group is None or group.get("/S") != Name.Transparency, path
                if obj.get("/Type") == Name.ExtGState:
                    assert float(obj.get("/CA", 1)) == 1 and float(obj.get("/ca", 1)) == 1, path
                    assert str(obj.get("/SMask", "/None")) == "/None", path
                    assert str(obj.get("/BM", "/Normal")) in ("/Normal", "/Compatible"), path
                if obj.get("/Subtype") == Name.Image:
                    assert "/SMask" not in obj, path


def _programs(pdf) -> dict[str, set[bytes]]:
    """{subset tag: the sha of every font program named with it}, from the font descriptors."""
    import hashlib

    tags: dict[str, set[bytes]] = {}
    for obj in _objects(pdf):
        if obj.get("/Type") == Name.FontDescriptor:
            program = obj.get("/FontFile3") or obj.get("/FontFile2")
            tag = str(obj.FontName)[1:7]
            tags.setdefault(tag, set()).add(hashlib.sha256(program.read_bytes()).digest())
    return tags


@pytest.mark.slow
def test_one_subset_tag_per_font_program_and_clean_base_fonts(x1a_builds):
    for path in every_x1a_pdf(x1a_builds):
        with pikepdf.open(path) as pdf:
            tags = _programs(pdf)
            assert tags and all(len(shas) == 1 for shas in tags.values()), path
            for obj in _objects(pdf):
                if obj.get("/Type") == Name.Font and "/BaseFont" in obj:
                    name = str(obj.BaseFont)
                    assert re.fullmatch(r"/[A-Z]{6}\+PK-[A-Za-z-]+", name), (path, name)
                    fonts = [obj, *obj.get("/DescendantFonts", [])]
                    descriptor = fonts[-1].FontDescriptor
                    assert {str(f.BaseFont) for f in fonts} == {str(descriptor.FontName)}, path


@pytest.mark.slow
def test_x1a_rebuild_is_byte_identical(x1a_builds, demo_copy, tmp_path):
    again = tmp_path / "again"
    build_project(demo_copy, BuildOptions(out_dir=again, paper="a4", pdfx="x-1a", edition="print"))
    first = print_pdfs(x1a_builds["a4"])
    assert [p.relative_to(x1a_builds["a4"]) for p in first] == [p.relative_to(again) for p in print_pdfs(again)]
    for path in first:
        assert (again / path.relative_to(x1a_builds["a4"])).read_bytes() == path.read_bytes(), path


@pytest.mark.slow
def test_output_intent_names_the_condition_of_the_paper_family(x1a_builds):
    for paper, out in x1a_builds.items():
        for path in print_pdfs(out):
            metric = paper == "a4" or path.name == "catalogue.pdf"  # (the catalogue's trim: 170 x 240 mm)
            with pikepdf.open(path) as pdf:
                (intent,) = pdf.Root.OutputIntents
                assert intent.S == Name.GTS_PDFX
                assert str(intent.RegistryName) == REGISTRY
                if metric:
                    assert str(intent.OutputConditionIdentifier) == "FOGRA39", path
                    assert str(intent.Info) == "Coated FOGRA39 (ISO 12647-2:2004)"
                    assert intent.DestOutputProfile.read_bytes() == (ICC / "FOGRA39.icc").read_bytes()
                else:
                    assert str(intent.OutputConditionIdentifier) == "CGATS TR 006", path
                    assert str(intent.Info) == "Coated GRACoL 2006 (ISO 12647-2:2004)"
                    assert intent.DestOutputProfile.read_bytes() == (ICC / "GRACoL2006.icc").read_bytes()


@pytest.mark.slow
def test_qpdf_check_and_ghostscript_are_clean(x1a_builds):
    for path in every_x1a_pdf(x1a_builds):
        check = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
        assert check.returncode == 0 and "No syntax or stream encoding errors found" in check.stdout, path
        assert "WARNING" not in check.stdout + check.stderr, path
    for out in x1a_builds.values():
        gs = _nullpage(out / "catalogue.pdf")
        assert gs.returncode == 0 and gs.stdout + gs.stderr == "", gs.stdout + gs.stderr


@pytest.mark.slow
def test_the_catalogues_padding_page_says_it_is_blank(x1a_builds):
    with pikepdf.open(x1a_builds["a4"] / "catalogue.pdf") as pdf:
        blank = [i for i, page in enumerate(pdf.pages) if "/Contents" not in page.obj]
        nums = list(pdf.Root.PageLabels.Nums)
        if blank:  # the demo's catalogue needs one
            assert blank == list(range(blank[0], len(pdf.pages)))
            assert nums[-2] == blank[0] and str(nums[-1].P) == "Intentionally blank"


@pytest.mark.slow
@pytest.mark.parametrize("paper, profile", [("a4", "FOGRA39.icc"), ("letter", "GRACoL2006.icc")])
def test_photos_are_separated_for_the_output_condition(tmp_path, paper, profile):
    """A flat red and a flat blue photo area come out as the condition's own profile separates them."""
    from test_print import BLUE, RED, build_print, sharp_project

    from presskit.images import rgb_to_cmyk

    film = sharp_project(tmp_path / "p", f"paper: {paper}\n")
    with pikepdf.open(build_print(film, tmp_path / "out")) as pdf:
        images = [x for page in pdf.pages for x in page.get_images().values()]
        key_art = pikepdf.PdfImage(max(images, key=lambda x: int(x.Width) * int(x.Height))).as_pil_image()
    assert key_art.mode == "CMYK"
    w, h = key_art.size
    for colour, y in ((RED, h // 8), (BLUE, h - h // 8)):
        expected = [round(v * 255) for v in rgb_to_cmyk([colour], ICC / profile)[0]]
        other = [
            round(v * 255)
            for v in rgb_to_cmyk([colour], ICC / ({"FOGRA39.icc", "GRACoL2006.icc"} - {profile}).pop())[0]
        ]
        got = list(key_art.getpixel((w // 2, y)))
        assert all(abs(a - b) <= 4 for a, b in zip(got, expected)), (colour, got, expected)
        assert got != other or expected == other
