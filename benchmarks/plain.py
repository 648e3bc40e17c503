#!/usr/bin/env python3
"""The catalogue rendered the plain way, for comparison: one HTML document, one WeasyPrint process (no
parts, no cache, no workers), and the same document for headless Chromium.

    .venv/bin/python benchmarks/plain.py html PROJECT OUT WORK     # writes WORK/catalogue-weasyprint.html ...
    .venv/bin/python benchmarks/plain.py render WORK OUTPUT.pdf    # one WeasyPrint render of it (timed by run.py)
    .venv/bin/python benchmarks/plain.py images WORK               # the images' conversion in one process (timed)

`html` runs presskit's own catalogue build (presskit.products.catalogue.plan.build_catalogue) against the part
cache of a finished build in OUT, recording each part it plans: every part is a cache hit, so nothing is
rendered and the page numbers are the real ones (the merged copy goes to WORK/catalogue-presskit.pdf).
presskit.products.catalogue exposes no combined HTML, so the parts are joined here:
- each part's <body> becomes a <div> with the body's class, starting on the side the part asks for
  (`break-before: left|right`, as the part's own `html { break-before }` does);
- a stylesheet every part shares is used as it is; one that only some parts use (the film entries'
  stylesheet, one per section colour) is scoped to those parts by a class, so each section keeps its
  colour;
- the per-part `@page :first { counter-reset }` is dropped: the pages of one document number themselves.
Images are the build's prepared (CMYK, 300 ppi) files from OUT/.cache/images, served by presskit's own
URL fetcher, so the plain render does no image work: it measures layout and PDF writing only (no
image conversion, no print post-processing, no preflight). `images` does the image work a cold build does
and the plain render leaves out, in one process: each image the parts show, converted from its source
(presskit.images.Conversion.convert: decode, crop, resample, press colours, encode), once; run.py times it
to compare a cold build with the same work done the plain way (one process for the images, one for the
document).

Prepared images are named by their cache name in the parts; both copies name the cached files instead.
The Chromium copy inlines every stylesheet and turns `device-cmyk()` into the naive RGB equivalent
(Chromium has no device-cmyk()).
"""

from __future__ import annotations

import json
import pickle
import re
import sys
from pathlib import Path

_BODY = re.compile(r"<body([^>]*)>(.*)</body>", re.S | re.I)
_CLASS = re.compile(r'class="([^"]*)"')
_SIDE = re.compile(r"break-before:\s*(left|right)")
_HEAD = re.compile(r"<head>(.*?)</head>", re.S | re.I)
_PART_STYLE = re.compile(r"<style data-part>.*?</style>", re.S | re.I)
# A prepared image as the parts name it (by its cache name, so that the parts do not depend on the output
# folder): `presskit-image:<name>` or `file:///presskit-image-cache/<name>`, served from the image cache.
_IMAGE = re.compile(r"(?:presskit-image:|file:///presskit-image-cache/)([0-9a-f]{64}\.jpg)")
_CMYK = re.compile(r"device-cmyk\(\s*([\d.]+%?)\s+([\d.]+%?)\s+([\d.]+%?)\s+([\d.]+%?)\s*\)")


def collect_parts(project_dir: Path, out_dir: Path, target: Path, edition: str = "print"):
    """(the catalogue's parts in order, the build's settings) for the project, recorded while presskit's own
    build_catalogue plans and merges it from the part cache of a finished build in out_dir (so nothing
    is rendered when that cache is complete); the merged copy is written to `target`."""
    from presskit.build import BuildOptions
    from presskit.load import load_project
    from presskit.products import make
    from presskit.products.catalogue import plan

    project = load_project(project_dir)
    product = make("catalogue", project, BuildOptions(out_dir=out_dir, edition=edition))
    seen: dict[str, object] = {}
    order: list[str] = []
    base = plan.Renderer

    class Recorder(base):
        def submit(self, part):
            seen[part.name] = part
            return super().submit(part)

    plan.Renderer = Recorder
    try:
        result = plan.build_catalogue(product, product.settings.edition(edition), target)
    finally:
        plan.Renderer = base
    if result.rendered:
        print(f"note: {len(result.rendered)} part(s) were not in the cache and were rendered", file=sys.stderr)
    # Not the sizing renders (the build measures with them), the folio parts (their pages are laid over the
    # placed pages at the merge: "folios", and "folios-N" of builds before it) nor the figures' atlas.
    names = [
        n for n in seen if not n.endswith("-sizing") and not n.startswith("folios-") and n not in ("folios", "numbers")
    ]
    order = [n for n in ("cover", "front", "toc") if n in seen]
    order += [n for n in names if n not in order and n != "back"] + (["back"] if "back" in seen else [])
    return [seen[n] for n in order], product.settings


def scope_css(css: str, scope: str) -> str:
    """Prefix every selector of `css` with `.scope ` (html/body/:root become `.scope`); at-rules stay."""
    import tinycss2

    out = []
    for rule in tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True):
        if rule.type == "qualified-rule":
            selectors = []
            for selector in tinycss2.serialize(rule.prelude).split(","):
                selector = selector.strip()
                head, _, rest = selector.partition(" ")
                if head in ("html", "body", ":root"):
                    selectors.append(f".{scope} {rest}".strip())
                else:
                    selectors.append(f".{scope} {selector}")
            out.append(", ".join(selectors) + " {" + tinycss2.serialize(rule.content) + "}")
        elif rule.type == "at-rule":
            out.append(tinycss2.serialize([rule]))
    return "\n".join(out)


def combine(parts) -> tuple[str, list[str]]:
    """(one HTML document, its stylesheets) from the catalogue's parts."""
    users: dict[str, list[int]] = {}
    for index, part in enumerate(parts):
        for css in part.css:
            users.setdefault(css, []).append(index)
    shared = [css for css, who in users.items() if len(who) == len(parts)]
    scoped = {css: f"css-{k}" for k, css in enumerate(c for c in users if c not in shared)}
    head = _PART_STYLE.sub("", _HEAD.search(parts[0].html).group(1))
    bodies = []
    for part in parts:
        match = _BODY.search(part.html)
        body_attrs, inner = match.group(1), match.group(2)
        classes = (_CLASS.search(body_attrs).group(1) if _CLASS.search(body_attrs) else "").split()
        side = _SIDE.search(part.html)
        side = side.group(1) if side else "page"
        classes += [f"starts-{side}" if side != "page" else "", *[scoped[c] for c in part.css if c in scoped]]
        bodies.append(
            f'<div class="{" ".join(c for c in classes if c)}" data-part="{part.name}" '
            f'style="break-before: {side}">{inner}</div>'
        )
    lang = re.search(r'<html[^>]*lang="([^"]*)"', parts[0].html)
    html = (
        f'<!DOCTYPE html>\n<html lang="{lang.group(1) if lang else "en"}">\n<head>{head}</head>\n<body>\n'
        + "\n".join(bodies)
        + "\n</body>\n</html>\n"
    )
    sheets = shared + [scope_css(css, scope) for css, scope in scoped.items()]
    return html, sheets


def for_chromium(html: str, sheets: list[str]) -> str:
    """The same document for a browser: stylesheets inlined, colours in RGB."""

    def rgb(match: re.Match) -> str:
        c, m, y, k = (float(v.rstrip("%")) / (100 if v.endswith("%") else 1) for v in match.groups())
        return "rgb({}, {}, {})".format(*(round(255 * (1 - v) * (1 - k)) for v in (c, m, y)))

    css = _CMYK.sub(rgb, "\n".join(sheets))
    css = re.sub(r"@color-profile[^{]*\{[^}]*\}", "", css)
    html = _CMYK.sub(rgb, html)
    return html.replace("</head>", f"<style>\n{css}\n</style>\n</head>", 1)


def write_html(project_dir: Path, out_dir: Path, work: Path, edition: str = "print") -> dict:
    """Write WORK/catalogue-weasyprint.html, its stylesheets and settings, and WORK/catalogue-chromium.html."""
    work.mkdir(parents=True, exist_ok=True)
    parts, settings = collect_parts(project_dir, out_dir, work / "catalogue-presskit.pdf", edition)
    image_dir = settings.image_cache.resolve()
    html, sheets = combine(parts)
    html = _IMAGE.sub(lambda m: (image_dir / m.group(1)).as_uri(), html)
    sheets = [_IMAGE.sub(lambda m: (image_dir / m.group(1)).as_uri(), css) for css in sheets]
    (work / "catalogue-weasyprint.html").write_text(html, encoding="utf-8")
    conversions = {c.target.name: c for part in parts for c in part.images}  # (the build's own, pickled)
    (work / "images.pkl").write_bytes(pickle.dumps([c for _, c in sorted(conversions.items())]))
    first = parts[0]
    settings = {
        "base_url": first.base_url.as_uri() + "/",
        "roots": [str(r) for r in first.roots] + [str(image_dir)],
        "options": {k: v for k, v in first.options.items() if v is not None},
        "sheets": [],
        "parts": len(parts),
    }
    for k, css in enumerate(sheets):
        path = work / f"sheet-{k:02d}.css"
        path.write_text(css, encoding="utf-8")
        settings["sheets"].append(path.name)
    (work / "settings.json").write_text(json.dumps(settings, indent=1, default=str), encoding="utf-8")
    (work / "catalogue-chromium.html").write_text(for_chromium(html, sheets), encoding="utf-8")
    return settings


def render(work: Path, target: Path) -> int:
    """One WeasyPrint render of WORK/catalogue-weasyprint.html in this process; returns the page count."""
    from weasyprint import CSS, HTML

    from presskit.pdf import capture_weasyprint_log, font_configuration, make_fetcher

    settings = json.loads((work / "settings.json").read_text(encoding="utf-8"))
    fonts = font_configuration()
    profiles: dict = {}
    fetcher = make_fetcher([Path(r) for r in settings["roots"]])
    with capture_weasyprint_log() as messages:
        sheets = [
            CSS(
                string=(work / name).read_text(encoding="utf-8"),
                base_url=settings["base_url"],
                url_fetcher=fetcher,
                font_config=fonts,
                color_profiles=profiles,
            )
            for name in settings["sheets"]
        ]
        document = HTML(
            string=(work / "catalogue-weasyprint.html").read_text(encoding="utf-8"),
            base_url=settings["base_url"],
            url_fetcher=fetcher,
        ).render(stylesheets=sheets, font_config=fonts, color_profiles=profiles, **settings["options"])
        data = document.write_pdf(**settings["options"])
    if messages:
        print("WeasyPrint reported:\n  " + "\n  ".join(dict.fromkeys(messages)), file=sys.stderr)
    target.write_bytes(data)
    return len(document.pages)


def convert_images(work: Path) -> int:
    """Every image of WORK/images.pkl (the parts' conversions, written by `html`) converted from its source
    in this process, as a cold build's workers convert it (the result kept nowhere: only the work is
    measured); returns how many."""
    conversions = pickle.loads((work / "images.pkl").read_bytes())
    for conversion in conversions:
        conversion.convert()
    return len(conversions)


def main(argv: list[str]) -> None:
    if argv[:1] == ["html"] and len(argv) == 4:
        settings = write_html(Path(argv[1]), Path(argv[2]), Path(argv[3]))
        print(json.dumps({"parts": settings["parts"], "sheets": len(settings["sheets"])}))
    elif argv[:1] == ["render"] and len(argv) == 3:
        print(json.dumps({"pages": render(Path(argv[1]), Path(argv[2]))}))
    elif argv[:1] == ["images"] and len(argv) == 2:
        print(json.dumps({"images": convert_images(Path(argv[1]))}))
    else:
        sys.exit(__doc__.split("\n\n")[1])


if __name__ == "__main__":
    main(sys.argv[1:])
