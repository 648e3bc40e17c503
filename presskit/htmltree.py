"""The element tree of a document's HTML, parsed by lexbor (selectolax) for WeasyPrint to lay out (one of
patches.py's patches, used only there).

WeasyPrint parses HTML with tinyhtml5, an HTML5 parser in pure Python. Lexbor is an HTML5 parser in C
that follows the same WHATWG tree-construction rules, much faster (benchmarks/README.md); `parse` copies
its tree into the xml.etree elements WeasyPrint works on (tinyhtml5's output: no namespaces on HTML
elements, comments as ElementTree.Comment, the doctype dropped).

Only markup made of the elements in KNOWN is parsed here; anything else (inline SVG and MathML, which
need namespaces; <template>, <noscript>, frames, raw-text oddities; CDATA and processing instructions)
returns None and the caller lets tinyhtml5 parse it. tests/test_htmltree.py checks that both parsers
give the same tree for every document presskit renders and for the HTML5 parsing rules that matter here
(implied end tags, implied <tbody>, entities, whitespace, comments, attributes without a value).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any

KNOWN = frozenset(
    """
html head body title meta link style base
header footer main nav section article aside h1 h2 h3 h4 h5 h6 hgroup address
p div span a b i em strong small s u sub sup mark q cite abbr dfn time code kbd samp var br wbr hr pre
blockquote bdi bdo ruby rt rp data ins del
ul ol li dl dt dd menu figure figcaption img picture source
table caption colgroup col thead tbody tfoot tr th td details summary
""".split()
)

_TAG = re.compile(r"<(/?)([A-Za-z][^\s/>]*)|<([!?])(-{0,2})")


def handles(html: str) -> bool:
    """Whether `parse` gives this markup the tree tinyhtml5 would: only KNOWN elements, and no markup
    declarations but comments and the doctype."""
    for match in _TAG.finditer(html):
        closing, name, bang, dashes = match.groups()
        if name is not None:
            if name.lower() not in KNOWN:
                return False
        elif bang == "?" or (dashes != "--" and html[match.end() : match.end() + 7].lower() != "doctype"):
            return False
    return True


def parse(html: str) -> ET.Element | None:
    """The document's root <html> element as tinyhtml5 builds it, or None when `handles` says no."""
    if not handles(html):
        return None
    from selectolax.lexbor import LexborHTMLParser

    root = LexborHTMLParser(html).root
    if root is None or root.tag != "html":
        return None
    return _copy(root)


def _copy(node) -> ET.Element:
    element = ET.Element(node.tag, {k: "" if v is None else v for k, v in node.attributes.items()})
    last: ET.Element[Any] | None = None  # the last child element made: text after it is its tail
    child = node.child
    while child is not None:
        tag = child.tag
        if tag == "-text":
            text = child.text_content
            if last is None:
                element.text = (element.text or "") + text
            else:
                last.tail = (last.tail or "") + text
        elif tag == "-comment":
            comment = ET.Comment(child.html[4:-3])  # (comment_content strips the spaces: "<!--" data "-->")
            element.append(comment)
            last = comment
        elif tag[0] != "-":  # (not the doctype)
            copy = _copy(child)
            element.append(copy)
            last = copy
        child = child.next
    return element
