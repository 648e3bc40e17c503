"""stamps.py: the page numbers a placed catalogue page lists, taken out of its HTML and written in by the
merge. The whole path (atlas render, merge, text read back by position) is tested in test_catalogue.py."""

from __future__ import annotations

import re

import pytest

from presskit.errors import RenderError
from presskit.products.catalogue import stamps


def test_the_numbers_come_out_of_the_html_in_order_and_leave_a_placeholder():
    html = (
        '<p>A <span class="index-pages" data-pn>12, 45</span></p>'
        '<p>p.&nbsp;<span class="s-page" data-pn>7</span> <span class="toc-page">9</span></p>'
    )
    out, numbers = stamps.split_numbers(html)
    assert numbers == ["12, 45", "7"]
    assert 'data-pn="0">0</span>' in out and 'data-pn="1">0</span>' in out
    assert '<span class="toc-page">9</span>' in out  # (not a slot: left as it is)
    again, _ = stamps.split_numbers(html.replace("12, 45", "13, 46").replace(">7<", ">8<"))
    assert again == out  # the part's HTML does not depend on the numbers


def test_a_slot_holding_markup_is_not_taken_out():
    html = '<span class="toc-page" data-pn><a href="presskit-page:4">4</a></span>'
    assert stamps.split_numbers(html) == (html, [])


def _atlas() -> stamps.AtlasStyle:
    # WeasyPrint's transformation: y down, CSS px to points; the text matrix flips the glyphs back
    ctm = (0.75, 0.0, 0.0, -0.75, 0.0, 680.0)
    glyphs = {figure: (bytes([0, 19 + i]), 0.5) for i, figure in enumerate("0123456789")}
    glyphs |= {",": (b"\x00\x0f", 0.25), "\u00a0": (b"\x00\x03", 0.25)}
    return stamps.AtlasStyle("/F1", 10.0, ctm, (1.0, 0.0, 0.0, -1.0, 20.0, 30.0), "0 0 0 1 k", glyphs, (20.0, 20.0))


def _moves(content: bytes) -> list[tuple[float, float]]:
    return [(float(x), float(y)) for x, y in re.findall(rb"q 1 0 0 1 (\S+) (\S+) cm", content)]


@pytest.mark.parametrize(("align", "expected_x"), [("left", 0.0), ("right", 30.0), ("center", 15.0), ("end", 30.0)])
def test_a_number_is_moved_to_its_slot_and_aligned_in_it(align, expected_x):
    atlas, style = _atlas(), "s"
    # a slot 40 px wide at (60, 120); "12" is 2 x 0.5 x 10 px = 10 px wide (in points 7.5 / 0.75)
    slot = (0, 60.0, 120.0, 40.0, 12.0, style, align)
    content = stamps.overlay([slot], ["12"], [atlas], [style], 0.0)
    [(tx, ty)] = _moves(content)
    assert tx == pytest.approx((60 - 20 + expected_x) * 0.75)
    assert ty == pytest.approx(-(120 - 20) * 0.75)
    assert b"<00140015> Tj" in content and b"/PnF0 10 Tf" in content and b"0 0 0 1 k" in content


def test_a_left_hand_page_moves_its_numbers_with_its_content():
    atlas, style = _atlas(), "s"
    slot = (0, 60.0, 120.0, 40.0, 12.0, style, "left")
    [(plain, _)] = _moves(stamps.overlay([slot], ["3"], [atlas], [style], 0.0))
    [(shifted, _)] = _moves(stamps.overlay([slot], ["3"], [atlas], [style], -11.3386))
    assert shifted - plain == pytest.approx(-11.3386)


def test_a_list_of_numbers_too_wide_for_its_slot_runs_on_to_lines_below():
    atlas, style = _atlas(), "s"
    # "12, 45, 210": figures 5 px wide, the comma and the space 2.5 px; the slot takes 30 px a line
    slot = (0, 60.0, 120.0, 30.0, 12.0, style, "right")
    content = stamps.overlay([slot], ["12, 45, 210"], [atlas], [style], 0.0)
    moves = _moves(content)
    assert len(moves) == 2 and moves[1][1] - moves[0][1] == pytest.approx(-12 * 0.75)  # a line below
    assert b"<00140015000f000300170018000f> Tj" in content and b"<001500140013> Tj" in content  # "12, 45," "210"
    assert moves[0][0] == pytest.approx((60 + 30 - 27.5 - 20) * 0.75)  # each line aligned on its own


def test_a_number_the_figures_cannot_write_is_an_error_not_a_wrong_page():
    slot = (0, 0.0, 0.0, 40.0, 12.0, "s", "left")
    with pytest.raises(RenderError, match="a page number 'iv' has a character the figures do not"):
        stamps.overlay([slot], ["iv"], [_atlas()], ["s"], 0.0)


def test_a_record_s_slots_and_heads_are_checked():
    good = [[[0, 1.0, 2.0, 3.0, 4.0, "s", "right"]], []]
    assert stamps.valid_slots(good, 2) and stamps.valid_heads(["A", ""], 2)
    assert not stamps.valid_slots(good, 3)
    assert not stamps.valid_slots([[[0, 1.0, 2.0, 3.0, 4.0, "s"]], []], 2)  # (an older record's shape)
    assert not stamps.valid_slots([[[True, 1.0, 2.0, 3.0, 4.0, "s", "right"]], []], 2)
    assert not stamps.valid_heads(["A", 1], 2)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("direction", "align", "expected"),
    [("ltr", "end", "right"), ("rtl", "end", "left"), ("rtl", "start", "right"), ("ltr", "right", "right")],
)
def test_a_slot_s_alignment_is_told_by_its_direction(direction, align, expected):
    from weasyprint import HTML

    html = (
        f'<p dir="{direction}">Title <span style="display: inline-block; width: 30px; text-align: {align}"'
        ' data-pn="0">0</span></p>'
    )
    [[slot]] = stamps.number_slots(HTML(string=html).render())
    assert slot[0] == 0 and slot[3] == pytest.approx(30) and slot[6] == expected


@pytest.mark.slow
def test_a_line_slot_stands_for_the_column_an_absolute_slot_would_take():
    """A LINE_SLOT (an empty inline at the start of its line, the index's in print) records the place of the
    column that a box positioned at the right of its line takes (the index's on screen): the same slot,
    without a box of its own to lay out."""
    from weasyprint import HTML

    css = (
        "@page { size: 120mm 80mm; margin: 10mm } body { margin: 0; font: 10px/1.3 sans-serif }"
        " .line { position: relative; padding: 0.4mm 13mm 0.4mm 0; margin: 0 0 2mm }"
        " .pages { width: 12mm; font-weight: 600; text-align: right }"
        " .abs .pages { position: absolute; top: 0.4mm; right: 0 }"
    )
    label = "A title long enough to run on to a second line of its column, and then some more words"
    positioned = f'<p class="line abs">{label} <span class="pages" data-pn>12, 45</span></p>'
    line = f'<p class="line"><span class="pages" {stamps.LINE_SLOT} data-pn>12, 45</span>{label}</p>'
    html = f"<style>{css}</style><p>before</p>" + positioned + line
    out, numbers = stamps.split_numbers(html)
    assert numbers == ["12, 45", "12, 45"]
    assert f'{stamps.LINE_SLOT} data-pn="1"></span>' in out  # (no placeholder: the line keeps its text)
    [[first, second]] = stamps.number_slots(HTML(string=out).render())
    assert first[0] == 0 and second[0] == 1
    height = 13.0  # the slot's line height, 1.3 x 10 px
    _, x, y, width, h, style, align = first
    assert (width, h, align) == (pytest.approx(12 * 96 / 25.4, abs=1e-3), height, "right")
    _, x2, y2, width2, h2, style2, align2 = second
    # the same column, at the same place in its line (the second paragraph is as tall as the first, below it)
    assert (x2, width2, h2, style2, align2) == (pytest.approx(x), pytest.approx(width), h, style, align)
    assert x + width == pytest.approx((120 - 10) * 96 / 25.4, abs=1e-3)  # the line's right edge (no padding box beyond)
    assert y2 - y == pytest.approx(2 * height + (0.8 + 2) * 96 / 25.4, abs=1e-3)


@pytest.mark.slow
def test_a_line_slot_inside_a_label_stands_for_the_column_a_float_beside_it_takes():
    """The contents' line (a number floated right, beside a label kept 12 mm clear of it) and its print
    form (an empty LINE_SLOT at the start of the label, its `right` the label's margin): the same slot, in
    the slot's own style (not the label's letter-spacing)."""
    from weasyprint import HTML

    css = (
        "@page { size: 120mm 80mm; margin: 10mm } body { margin: 0; font: 10px sans-serif }"
        " li { display: block; padding: 0.6mm 0 } .label { display: block; margin-right: 12mm;"
        " letter-spacing: 0.1em } .page { float: right; width: 10mm; text-align: right; font-weight: 600 }"
        " .page[data-pn-line] { float: none; right: -12mm; vertical-align: top; letter-spacing: normal }"
    )
    floated = '<li><span class="page" data-pn>7</span><span class="label">Contents</span></li>'
    line = f'<li><span class="label"><span class="page" {stamps.LINE_SLOT} data-pn>7</span>Contents</span></li>'
    out, _ = stamps.split_numbers(f"<style>{css}</style>" + floated + line)
    [[first, second]] = stamps.number_slots(HTML(string=out).render())
    assert first[1:3] == (pytest.approx(second[1]), pytest.approx(second[2] - (first[4] + 1.2 * 96 / 25.4)))
    assert (
        (first[3], first[5], first[6])
        == (pytest.approx(second[3]), second[5], second[6])
        == (
            pytest.approx(10 * 96 / 25.4),
            second[5],
            "right",
        )
    )
    assert "letter-spacing: normal" in second[5]
