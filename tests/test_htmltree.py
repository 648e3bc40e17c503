"""presskit.htmltree: the tree lexbor gives is the one WeasyPrint's own parser (tinyhtml5) gives."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
import tinyhtml5

from presskit import htmltree


def canonical(element) -> tuple:
    """An element tree as nested tuples: tag (comments as 'COMMENT' and their text), attributes in
    order, text, tail, children."""
    tag = element.tag if isinstance(element.tag, str) else "COMMENT"
    return (tag, list(element.attrib.items()), element.text, element.tail, [canonical(c) for c in element])


def as_weasyprint_parses(html: str) -> tuple:
    return canonical(tinyhtml5.parse(html, namespace_html_elements=False))


RULES = {
    "implied end tags": "<!DOCTYPE html><html><body><p>one<p>two<div>three</div><li>a<li>b</body></html>",
    "implied tbody and cells": "<table><tr><td>a<td>b<tr><th>c</table><p>after",
    "entities": "<p title='&quot;x&quot; &amp; y'>caf&eacute; &amp; &lt;b&gt; &nbsp;&#8212;&#x2019;&copy</p>",
    "whitespace": "<!DOCTYPE html>\n<html>\n  <head>\n  <title> t </title>\n</head>\n<body>\n <p> a  b </p>\n\n</body>\n</html>\n",  # noqa: E501
    "comments": "<html><!-- head --><body><!--x-->text<!-- y --><p>p</p><!--z-->tail</body></html><!-- after -->",
    "valueless attributes": "<html><head><style data-part>p{}</style></head><body><img src=a.png alt>"
    "<details open><summary>s</summary></details></body></html>",
    "pre newline": "<pre>\nfirst line\n  second</pre><pre>\n\nkept</pre>",
    "void elements": "<p>a<br>b<br/>c<wbr>d<hr><img src=x.jpg></p>",
    "no html element": "<p>just a paragraph",
    "misnested inline": "<p><b>bold <i>both</b> italic</i> plain</p>",
    "head elements in body": "<body><meta charset=utf-8><title>late</title><p>x</p><style>p{}</style></body>",
    "attributes in order": "<p data-b=2 class=c id=i data-a=1>x</p>",
    "uppercase": "<P CLASS=A>x</P><DIV>y</DIV>",
    "unicode": "<p lang=ja>日本語のテキスト — ‘quotes’ – Łódź ﬁ</p>",
}


@pytest.mark.parametrize("name", RULES)
def test_the_html5_rules_give_tinyhtml5s_tree(name):
    html = RULES[name]
    tree = htmltree.parse(html)
    assert tree is not None, f"{name}: expected lexbor to handle this markup"
    assert canonical(tree) == as_weasyprint_parses(html)


@pytest.mark.parametrize(
    "html",
    [
        '<p>a QR code <svg viewBox="0 0 1 1"><path d="M0 0h1v1z"/></svg></p>',
        "<math><mi>x</mi></math>",
        "<template><p>x</p></template>",
        "<noscript><p>x</p></noscript>",
        "<p><![CDATA[x]]></p>",
        "<?xml version='1.0'?><p>x</p>",
        "<p>a <textarea>b</textarea></p>",
        "<p>a <custom-element>b</custom-element></p>",
    ],
)
def test_markup_it_does_not_handle_is_left_to_tinyhtml5(html):
    assert htmltree.handles(html) is False and htmltree.parse(html) is None


def test_comments_keep_their_text_and_tails():
    tree = htmltree.parse("<body><!--note-->after</body>")
    [comment] = tree.find("body")
    assert comment.tag is ET.Comment and comment.text == "note" and comment.tail == "after"


@pytest.mark.slow
def test_every_document_presskit_renders_gets_the_same_tree(demo_copy, tmp_path, monkeypatch):
    """The demo's press kit, one-sheet and programme page in both editions, and its catalogue's parts:
    the HTML each hands to WeasyPrint parses to tinyhtml5's tree, or is left to tinyhtml5."""
    from presskit.build import BuildOptions, build_kit, build_onesheet, build_programme
    from presskit.products.catalogue import build_catalogue_project

    seen: list[tuple[str, ET.Element | None]] = []
    parse = htmltree.parse

    def recording(html: str):
        tree = parse(html)
        seen.append((html, tree))
        return tree

    monkeypatch.setattr(htmltree, "parse", recording)
    film = demo_copy / "films" / "red-rooms"
    for edition in ("screen", "print"):
        options = BuildOptions(out_dir=tmp_path / "out", edition=edition)
        build_kit(film, options), build_onesheet(film, options), build_programme(film, options)
    build_catalogue_project(demo_copy, BuildOptions(out_dir=tmp_path / "out", edition="print", jobs=1))

    parsed = [(html, tree) for html, tree in seen if tree is not None]
    left = [html for html, tree in seen if tree is None]
    assert len(parsed) >= 10 and any("part-films" in html for html, _ in parsed)
    for html, tree in parsed:
        assert canonical(tree) == as_weasyprint_parses(html)
    for html in left:  # inline SVG (QR codes, laurels): namespaces lexbor's tag names do not carry
        assert "<svg" in html


def test_weasyprint_takes_the_tree_as_it_would_have_built_it(tmp_path):
    """The HTML object made around lexbor's tree holds what WeasyPrint's own constructor sets."""
    from weasyprint import HTML

    import presskit.patches

    html = "<!DOCTYPE html><html lang=en><head><base href='sub/'></head><body><p class=a>x</p></body></html>"
    base = tmp_path.as_uri() + "/"
    ours = presskit.patches.html_document(html, base, None)
    theirs = HTML(string=html, base_url=base)
    assert presskit.patches._can_take_a_tree()
    assert set(vars(ours)) == set(vars(theirs))
    assert ours.base_url == theirs.base_url == base + "sub/" and ours.media_type == theirs.media_type
    assert canonical(ours.etree_element) == canonical(theirs.etree_element)
