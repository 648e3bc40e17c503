"""Remembered page checks (preflight's page_cache, cache.State.pages): a rebuilt document reports exactly
what checking every page gives, and only its changed pages are checked again."""

from __future__ import annotations

import pytest
from pdf_factory import PdfBuilder, place
from pikepdf import Array, Dictionary, Name
from PIL import Image

from presskit import preflight as preflight_module
from presskit.cache import State
from presskit.preflight import preflight

SMALL_RGB_TEXT = b"BT /F1 6 Tf 1 0 0 rg 100 100 Td (small) Tj ET\n"
OVER_INKED = b"1 1 1 1 k 100 100 50 50 re f\n"
TO_THE_TRIM = b"0 0 0 1 k 0 0 100 100 re f\n"  # ink that stops at the trim, in the corner
RGB_FILL = b"1 0 0 rg 200 200 50 50 re f\n"
LINK = Dictionary(Type=Name.Annot, Subtype=Name.Link, Rect=Array([100, 100, 200, 120]), F=4)


def catalogue(path, changed: bytes | None = None, *, shift: int = 0):
    """A 12-page document whose pages find a bit of everything: some clean, some with errors, an unembedded
    font used on two pages (checked on its first page only), a shared image. `changed`: page 6's content.
    `shift`: that many unused objects made first, so that every object number differs."""
    b = PdfBuilder()
    for _ in range(shift):
        b.pdf.make_indirect(Dictionary(Unused=1))
    font, bare = b.embedded_font(), b.standard_font()
    rgb = b.image(Image.new("RGB", (30, 20), (200, 10, 10)))
    cmyk = b.image(Image.new("CMYK", (600, 400), (90, 90, 90, 90)))
    gs = b.pdf.make_indirect(Dictionary(Type=Name.ExtGState, ca=0.5))
    pages = [
        (b"", {}),
        (SMALL_RGB_TEXT, {"/Font": {"/F1": font}}),
        (place("Im1", 50, 50, 200, 150), {"/XObject": {"/Im1": rgb}}),
        (OVER_INKED + b"/G1 gs\n", {"/ExtGState": {"/G1": gs}}),
        (b"BT /F2 12 Tf 100 100 Td (bare) Tj ET\n", {"/Font": {"/F2": bare}}),
        (changed if changed is not None else b"0 0 0 1 k 100 100 50 50 re f\n", {}),
        (place("Im1", 50, 50, 20, 15) + place("Im2", 100, 100, 400, 300), {"/XObject": {"/Im1": rgb, "/Im2": cmyk}}),
        (TO_THE_TRIM, {}),
        (b"BT /F2 12 Tf 100 100 Td (bare again) Tj ET\n", {"/Font": {"/F2": bare}}),
        (b"", {}),
        (SMALL_RGB_TEXT, {"/Font": {"/F1": font}}),
        (b"0 0 0 0.5 k 100 100 50 50 re f\n", {}),
    ]
    for number, (content, resources) in enumerate(pages, 1):
        b.page(content, resources=resources, annots=[Dictionary(LINK)] if number in (3, 10) else None)
    return b.save(path)


@pytest.fixture
def checked_pages(monkeypatch):
    """The numbers of the pages checked (not taken from the remembered checks), in order."""
    numbers: list[int] = []
    check_page = preflight_module._Checker.check_page

    def counting(self, page, number):
        numbers.append(number)
        return check_page(self, page, number)

    monkeypatch.setattr(preflight_module._Checker, "check_page", counting)
    return numbers


def test_a_changed_page_gives_the_report_of_an_uncached_preflight(tmp_path, checked_pages):
    cache: dict = {}
    first = catalogue(tmp_path / "first.pdf")
    assert preflight(first, "catalogue", page_cache=cache).findings == preflight(first, "catalogue").findings
    assert cache  # (the pages were remembered)
    changed = catalogue(tmp_path / "changed.pdf", b"0.2 0.2 0.2 0.2 k 100 100 60 60 re f\n", shift=7)
    uncached = preflight(changed, "catalogue")
    checked_pages.clear()
    cached = preflight(changed, "catalogue", page_cache=cache)
    assert cached.findings == uncached.findings and cached.to_dict() == {**uncached.to_dict(), "path": str(changed)}
    assert cached.format_text() == uncached.format_text()
    # the changed page, and the pages that use the unembedded font (its finding is on its first page only)
    assert checked_pages == [5, 6, 9]
    assert {f.check for f in cached.findings} >= {"colour-space", "ink-coverage", "font-embedded", "bleed"}


def test_a_page_changed_to_carry_rgb_is_caught_when_the_rest_is_remembered(tmp_path, checked_pages):
    cache: dict = {}
    report = preflight(catalogue(tmp_path / "first.pdf"), "catalogue", page_cache=cache)
    assert not [f for f in report.findings if f.page == 6]
    checked_pages.clear()
    report = preflight(catalogue(tmp_path / "rgb.pdf", RGB_FILL, shift=3), "catalogue", page_cache=cache)
    assert [(f.check, f.object) for f in report.findings if f.page == 6] == [("colour-space", "fill colour DeviceRGB")]
    assert 6 in checked_pages and len(checked_pages) == 3


def test_remembered_findings_move_with_their_page(tmp_path):
    cache: dict = {}
    b = PdfBuilder()
    b.page(RGB_FILL)
    b.page()
    preflight(b.save(tmp_path / "a.pdf"), page_cache=cache)
    b = PdfBuilder()
    b.page()
    b.page(RGB_FILL)
    report = preflight(b.save(tmp_path / "b.pdf"), page_cache=cache)
    assert [f.page for f in report.findings if f.check == "colour-space"] == [2]


def test_the_settings_are_part_of_the_key(tmp_path):
    """The same page under another ink limit is checked again."""
    cache: dict = {}
    b = PdfBuilder()
    b.page(b"0.9 0.9 0.9 0.5 k 100 100 50 50 re f\n")  # 320%
    path = b.save(tmp_path / "a.pdf")
    assert preflight(path, page_cache=cache, ink_limit=400).ok
    assert not preflight(path, page_cache=cache).ok
    assert preflight(path, page_cache=cache, ink_limit=400).findings == preflight(path, ink_limit=400).findings
    assert len(cache) == 2


def test_pages_checked_in_processes_and_remembered_agree(tmp_path, monkeypatch):
    monkeypatch.setattr(preflight_module, "PAGES_PER_PROCESS", 2)
    monkeypatch.setattr(preflight_module, "PAGES_PER_BLOCK", 2)
    first = catalogue(tmp_path / "first.pdf")
    cache: dict = {}
    assert (
        preflight(first, "catalogue", page_cache=cache, processes=2).findings == preflight(first, "catalogue").findings
    )
    changed = [catalogue(tmp_path / f"changed{i}.pdf", RGB_FILL * i, shift=i) for i in (1, 2)]
    for path in changed:
        expected = preflight(path, "catalogue").findings
        assert preflight(path, "catalogue", page_cache=cache, processes=2).findings == expected
        assert preflight(path, "catalogue", page_cache=dict(cache), processes=2).findings == expected


def test_a_page_that_could_not_be_rendered_is_not_remembered(tmp_path, monkeypatch):
    from presskit import trimedges

    def broken(*args):
        raise RuntimeError("no memory")

    monkeypatch.setattr(trimedges, "inked_edges", broken)
    b = PdfBuilder()
    b.page()
    path = b.save(tmp_path / "a.pdf")
    cache: dict = {}
    assert [f.check for f in preflight(path, page_cache=cache).findings if f.page == 1] == ["bleed"]
    assert cache == {}


def test_objects_that_refer_to_each_other_in_a_loop(tmp_path):
    """A page whose objects loop has no key: it is checked every time, and the rest still remembered."""
    b = PdfBuilder()
    form = b.pdf.make_indirect(b.form(b"", resources={}))
    form.Resources = Dictionary(XObject=Dictionary(Fm1=form))
    b.page(place("Fm1", 0, 0, 10, 10), resources={"/XObject": {"/Fm1": form}})
    b.page(RGB_FILL)
    path = b.save(tmp_path / "a.pdf")
    cache: dict = {}
    assert preflight(path, page_cache=cache).findings == preflight(path).findings
    assert len(cache) == 1


def test_the_state_file_keeps_the_page_checks(tmp_path):
    state = State(tmp_path)
    state.pages().update({"a": [["error", "colour-space", "fill colour DeviceRGB", "untagged"]], "b": []})
    state.save()
    assert State(tmp_path).pages() == {"a": [["error", "colour-space", "fill colour DeviceRGB", "untagged"]], "b": []}
    text = (tmp_path / "state.json").read_text(encoding="utf-8")
    assert '"pages"' in text


def test_damaged_page_checks_are_dropped(tmp_path):
    from presskit.cache import Pages

    section = Pages(
        "tag", {"a": [["error", "x"]], "b": "nonsense", "c": [["info", "c", "o", "m"]], "d": [[1, 2, 3, 4]]}
    )
    assert section.values == {"c": [["info", "c", "o", "m"]]}


@pytest.mark.slow
def test_a_rebuilt_catalogue_checks_its_changed_pages_only(tmp_path, checked_pages):
    import shutil

    from test_catalogue import _factory

    from presskit.build import BuildOptions, build_catalogue

    root, out = _factory().write_project(tmp_path / "fest", films=8, sections=2, venues=2, days=2), tmp_path / "out"
    build_catalogue(root, BuildOptions(out_dir=out, jobs=2))
    pages = len(checked_pages)
    assert pages >= 8 and State(out / ".cache").pages()
    film = root / "films" / "film-005" / "film.yaml"
    film.write_text(
        film.read_text(encoding="utf-8").replace("returns to the family house", "comes back to the old family house"),
        encoding="utf-8",
    )
    checked_pages.clear()
    assert build_catalogue(root, BuildOptions(out_dir=out, jobs=2)).results[0].written
    assert 0 < len(checked_pages) < pages / 2
    cold = tmp_path / "cold"
    build_catalogue(root, BuildOptions(out_dir=cold, jobs=2))
    assert (out / "catalogue.pdf").read_bytes() == (cold / "catalogue.pdf").read_bytes()
    shutil.copy(out / "catalogue.pdf", tmp_path / "checked.pdf")  # (the report names its file)
    remembered = State(out / ".cache").pages()
    assert preflight(tmp_path / "checked.pdf", page_cache=remembered) == preflight(tmp_path / "checked.pdf")


def test_inherited_attributes_and_unreadable_objects(tmp_path):
    """A rotation the page inherits is part of its key; a content stream that cannot be decoded is reported
    the same."""
    cache: dict = {}
    b = PdfBuilder()
    b.page(TO_THE_TRIM)
    b.pdf.Root.Pages.Rotate = 90
    rotated = b.save(tmp_path / "rotated.pdf")
    assert preflight(rotated, page_cache=cache).findings == preflight(rotated).findings
    b = PdfBuilder()
    b.page(TO_THE_TRIM)
    upright = b.save(tmp_path / "upright.pdf")
    assert preflight(upright, page_cache=cache).findings == preflight(upright).findings
    assert len(cache) == 2 and {f.check for f in preflight(upright).findings if f.page == 1} == {"bleed"}
    b = PdfBuilder()
    b.page(RGB_FILL)
    b.pdf.pages[0].obj.Contents.Filter = Name.LZWDecode
    broken = b.save(tmp_path / "broken.pdf")
    cache.clear()
    assert preflight(broken, page_cache=cache).findings == preflight(broken).findings


@pytest.mark.parametrize("processes", [1, 2])
def test_the_pages_used_last_are_kept_longest(tmp_path, monkeypatch, processes):
    """Also when the pages are checked in runs, each in its process: what each used is kept."""
    from presskit import cache as cache_module

    monkeypatch.setattr(cache_module, "PAGES_LIMIT", 3)
    monkeypatch.setattr(preflight_module, "PAGES_PER_PROCESS", 1)
    monkeypatch.setattr(preflight_module, "PAGES_PER_BLOCK", 1)
    state = State(tmp_path)
    b = PdfBuilder()
    for content in (b"", RGB_FILL, OVER_INKED):
        b.page(content)
    path = b.save(tmp_path / "a.pdf")
    pages = state.pages()
    assert preflight(path, page_cache=pages, processes=processes).remembered == 0
    used = set(pages)
    pages.update({f"other{i}": [] for i in range(3)})  # (added after them: without their use, kept instead)
    assert preflight(path, page_cache=pages, processes=processes).remembered == 3
    state.save()
    assert set(State(tmp_path).pages()) == used


TO_THE_LEFT_TRIM = b"0 0 0 1 k 0 300 40 100 re f\n"  # ink that stops at the left trim: found unshifted only
STAMP = b"0 0 0 0.65 k 50 20 100 10 re f\n"  # a folio: the same on every page but its number (its colour here)


def placed(path, pages: list[tuple[bytes, float, bytes]]):
    """A catalogue whose pages are placed as merge._place places them: each (content, shift, stamp) page's
    content wrapped in "q [1 0 0 1 shift 0 cm] ... Q" and its stamp (a form of its part's) drawn over it.
    Pages 1-2 and 3-4 make two parts: they share their resources, and each stamp is in them."""
    b = PdfBuilder()
    parts = [Dictionary(XObject=Dictionary()) for _ in range(0, len(pages), 2)]
    for number, (content, shift, stamp) in enumerate(pages):
        resources = parts[number // 2]
        page = b.page(content)
        page.Resources = b.pdf.make_indirect(resources) if not resources.is_indirect else resources
        parts[number // 2] = page.Resources
        name = f"/Folio{number % 2}"
        page.Resources.XObject[name] = b.pdf.make_indirect(b.form(stamp, resources={}))
        prefix = f"q 1 0 0 1 {shift:.4f} 0 cm\n" if shift else "q\n"
        page.Contents = Array(
            [b.pdf.make_stream(prefix.encode()), page.Contents, b.pdf.make_stream(f"\nQ\nq {name} Do Q\n".encode())]
        )
    return b.save(path)


def test_a_page_placed_under_another_stamp_and_shift_gives_the_report_of_an_uncached_preflight(tmp_path):
    """A film withdrawn: every later page gets the next one's stamp and shift, its content checks remembered;
    its edges are checked again (the shift moves its ink off the trim, or onto it)."""
    cache: dict = {}
    stamps = [STAMP + f"% folio {n}\n".encode() for n in range(1, 6)]
    contents = [RGB_FILL, TO_THE_LEFT_TRIM, OVER_INKED, RGB_FILL + b"0 0 0 1 k 1 1 1 1 re f\n", b""]
    shifts = [0.0, -11.3386, 0.0, -11.3386, 0.0]
    first = placed(tmp_path / "first.pdf", list(zip(contents, shifts, stamps)))
    report = preflight(first, "catalogue", page_cache=cache)
    assert report.findings == preflight(first, "catalogue").findings
    assert not [f for f in report.findings if f.check == "bleed"]  # (page 2's ink shifted into the bleed)
    withdrawn = placed(tmp_path / "withdrawn.pdf", list(zip(contents[1:], shifts, stamps)))
    uncached = preflight(withdrawn, "catalogue")
    cached = preflight(withdrawn, "catalogue", page_cache=cache)
    assert cached.findings == uncached.findings and cached.format_text() == uncached.format_text()
    assert cached.remembered == 4  # (each in another part, with other /FolioN forms)
    found = [(f.page, f.check) for f in cached.findings if f.page]
    assert found == [(1, "bleed"), (2, "ink-coverage"), (3, "colour-space")]


def test_an_rgb_colour_in_the_stamp_only_is_caught(tmp_path):
    cache: dict = {}
    stamps = [STAMP + f"% folio {n}\n".encode() for n in range(1, 5)]
    contents = [b"0 0 0 1 k 100 100 50 50 re f\n", OVER_INKED, b"0 0 0 0.5 k 100 100 50 50 re f\n", b""]
    first = placed(tmp_path / "first.pdf", list(zip(contents, [0.0, -11.3386] * 2, stamps)))
    preflight(first, "catalogue", page_cache=cache)
    stamps[2] = RGB_FILL + stamps[2]
    changed = placed(tmp_path / "changed.pdf", list(zip(contents, [0.0, -11.3386] * 2, stamps)))
    uncached = preflight(changed, "catalogue")
    cached = preflight(changed, "catalogue", page_cache=cache)
    assert cached.findings == uncached.findings
    assert [(f.page, f.object) for f in cached.findings if f.check == "colour-space"] == [(3, "fill colour DeviceRGB")]
    assert cached.remembered == 3


def test_a_stamp_whose_finding_its_page_had_already_is_not_remembered_clean(tmp_path):
    """An RGB stamp over RGB content finds nothing new on its page: it is not clean for all that."""
    cache: dict = {}
    rgb_stamp = RGB_FILL + STAMP
    first = placed(tmp_path / "first.pdf", [(RGB_FILL, 0.0, rgb_stamp), (b"", -11.3386, STAMP)])
    preflight(first, "catalogue", page_cache=cache)
    changed = placed(tmp_path / "changed.pdf", [(b"", 0.0, rgb_stamp), (RGB_FILL, -11.3386, STAMP)])
    cached = preflight(changed, "catalogue", page_cache=cache)
    assert cached.findings == preflight(changed, "catalogue").findings
    assert [f.page for f in cached.findings if f.check == "colour-space"] == [1, 2]


def test_a_stamp_whose_font_is_subset_anew_is_remembered_unless_no_longer_embedded(tmp_path):
    cache: dict = {}
    text = b"BT /F1 9 Tf 0 0 0 1 k 50 20 Td (12) Tj ET\n"

    def build(path, font):  # (each stamp with a font of its own)
        pages = [(b"0 0 0 1 k 100 100 50 50 re f\n", 0.0, text), (OVER_INKED, -11.3386, text)]
        placed_path = placed(path, pages)
        import pikepdf

        with pikepdf.open(placed_path, allow_overwriting_input=True) as pdf:
            for page in pdf.pages:
                for form in page.Resources.XObject.values():
                    form.Resources = Dictionary(Font=Dictionary(F1=font(pdf)))
            pdf.save(placed_path)
        return placed_path

    def embedded(program: bytes):
        def font(pdf):
            descriptor = Dictionary(Type=Name.FontDescriptor, FontName=Name("/ABCDEF+Test"), Flags=32)
            descriptor.FontFile3 = pdf.make_stream(program, Subtype=Name.Type1C)
            return pdf.make_indirect(Dictionary(Type=Name.Font, Subtype=Name.Type1, FontDescriptor=descriptor))

        return font

    first = build(tmp_path / "first.pdf", embedded(b"subset one"))
    preflight(first, "catalogue", page_cache=cache)
    again = build(tmp_path / "again.pdf", embedded(b"subset two"))
    report = preflight(again, "catalogue", page_cache=cache)
    assert report.findings == preflight(again, "catalogue").findings and report.remembered == 2
    bare = build(tmp_path / "bare.pdf", lambda pdf: pdf.make_indirect(Dictionary(Type=Name.Font, Subtype=Name.Type1)))
    report = preflight(bare, "catalogue", page_cache=cache)
    assert report.findings == preflight(bare, "catalogue").findings and report.remembered == 0
    assert [f.page for f in report.findings if f.check == "font-embedded"] == [1, 2]


@pytest.fixture
def rendered_edges(monkeypatch):
    """How many pages had their edges rendered (trimedges.inked_edges)."""
    from presskit import trimedges

    calls: list[int] = []
    inked_edges = trimedges.inked_edges

    def counting(page, *args):
        calls.append(1)
        return inked_edges(page, *args)

    monkeypatch.setattr(trimedges, "inked_edges", counting)
    return calls


NEAR_THE_LEFT_TRIM = b"0 0 0 1 k 11.3386 300 40 100 re f\n"  # clear of the edges unshifted; at the trim shifted


@pytest.mark.parametrize("processes", [1, 2])
def test_placed_pages_clear_of_their_edges_are_not_rendered_again(tmp_path, rendered_edges, monkeypatch, processes):
    """A film withdrawn, every later page on the other side: a page whose content and stamp draw nothing near
    its edges (the boxes pdfium gave their objects, remembered) is not rendered again; one whose content
    comes to the trim at its new shift is, and its finding is the uncached preflight's. Also when the pages
    are checked in runs (the first here, the other forked: its renderings not counted)."""
    monkeypatch.setattr(preflight_module, "PAGES_PER_PROCESS", 1)
    monkeypatch.setattr(preflight_module, "PLACED_CHECK", preflight_module.FULL_CHECK)  # (shared out too)
    monkeypatch.setattr(preflight_module, "PAGES_PER_BLOCK", 2)
    cache: dict = {}
    stamps = [STAMP + f"% folio {n}\n".encode() for n in range(1, 6)]
    contents = [RGB_FILL, OVER_INKED, NEAR_THE_LEFT_TRIM, RGB_FILL + b"% 4\n", b"0 0 0 1 k 100 100 50 50 re f\n"]
    shifts = [0.0, -11.3386, 0.0, -11.3386, 0.0]
    first = placed(tmp_path / "first.pdf", list(zip(contents, shifts, stamps)))
    report = preflight(first, "catalogue", page_cache=cache, processes=processes)
    assert report.findings == preflight(first, "catalogue").findings
    assert [k for k in cache if k.startswith("bounds:")]  # (the boxes of each content and stamp)
    withdrawn = placed(tmp_path / "withdrawn.pdf", list(zip(contents[1:], shifts, stamps)))
    uncached = preflight(withdrawn, "catalogue")
    rendered_edges.clear()
    cached = preflight(withdrawn, "catalogue", page_cache=cache, processes=processes)
    assert cached.findings == uncached.findings and cached.format_text() == uncached.format_text()
    assert [(f.page, f.object) for f in cached.findings if f.check == "bleed"] == [(2, "left edge")]
    assert cached.remembered == 4 and len(rendered_edges) == 1  # (page 2: its ink comes to the trim now)


def test_a_placed_page_with_annotations_is_rendered(tmp_path, rendered_edges):
    """pdfium draws an annotation's appearance besides the page's objects: such a page's edges are rendered."""
    import pikepdf

    def build(path, pages, annotated):
        built = placed(path, pages)
        with pikepdf.open(built, allow_overwriting_input=True) as pdf:
            pdf.pages[annotated].obj.Annots = Array([pdf.make_indirect(Dictionary(LINK))])
            pdf.save(built)
        return built

    cache: dict = {}
    contents, shifts = [OVER_INKED, RGB_FILL, b"0 0 0 1 k 100 100 50 50 re f\n"], [0.0, -11.3386, 0.0]
    stamps = [STAMP + f"% folio {n}\n".encode() for n in range(1, 4)]
    preflight(build(tmp_path / "first.pdf", list(zip(contents, shifts, stamps)), 1), "catalogue", page_cache=cache)
    withdrawn = build(tmp_path / "withdrawn.pdf", list(zip(contents[1:], shifts, stamps)), 0)
    uncached = preflight(withdrawn, "catalogue")
    rendered_edges.clear()
    cached = preflight(withdrawn, "catalogue", page_cache=cache)
    assert cached.findings == uncached.findings and cached.remembered == 2
    assert len(rendered_edges) == 1  # (page 1, its link's; page 2 is clear of its edges)


def test_pages_are_shared_out_by_what_checking_them_costs(monkeypatch):
    from presskit.preflight import _shares

    monkeypatch.setattr(preflight_module, "PAGES_PER_BLOCK", 2)
    assert _shares([10] * 4 + [1] * 6, 2) == [[0, 1, 4, 5, 8, 9], [2, 3, 6, 7]]
    assert _shares([1] * 6 + [10] * 4, 2) == [[0, 1, 4, 5, 8, 9], [2, 3, 6, 7]]
    assert _shares([100, 1, 1, 1, 1, 1], 2) == [[0, 1], [2, 3, 4, 5]]
    assert _shares([5] * 5, 3) == [[0, 1], [2, 3], [4]]
    assert _shares([1], 2) == [[0], []]


def test_a_content_that_leaves_its_placement_is_rendered_again(tmp_path, rendered_edges):
    """Content that closes the placement's q itself draws what follows unshifted: its boxes do not move with
    the shift, so they are not remembered (nor its checks), and its edges are rendered again."""
    escaping = b"Q 0 0 0 1 k 0 300 40 100 re f\n"  # (at the left trim whatever the shift)
    cache: dict = {}
    stamps = [STAMP + f"% folio {n}\n".encode() for n in range(1, 4)]
    contents, shifts = [OVER_INKED, escaping, RGB_FILL], [0.0, -11.3386, 0.0]
    first = placed(tmp_path / "first.pdf", list(zip(contents, shifts, stamps)))
    assert preflight(first, "catalogue", page_cache=cache).findings == preflight(first, "catalogue").findings
    withdrawn = placed(tmp_path / "withdrawn.pdf", list(zip(contents[1:], shifts, stamps)))
    uncached = preflight(withdrawn, "catalogue")
    rendered_edges.clear()
    cached = preflight(withdrawn, "catalogue", page_cache=cache)
    assert cached.findings == uncached.findings
    assert [(f.page, f.object) for f in cached.findings if f.check == "bleed"] == [(1, "left edge")]
    assert len(rendered_edges) == 1
