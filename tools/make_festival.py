#!/usr/bin/env python3
"""Write a synthetic festival project (films, images, festival.yaml) for catalogue tests and timings.

    .venv/bin/python tools/make_festival.py /tmp/fest300 --films 300
    .venv/bin/presskit catalogue /tmp/fest300

Titles mix languages and leading articles, some films have original titles, directors have particles
("van der", "de"), co-productions list several countries; every film gets 2-3 screenings with unique
codes and its own still (a generated gradient, marked as a placeholder). Deterministic: the same
arguments write the same files.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
from pathlib import Path

WORDS = (
    "night river winter garden silence mother island border city fire letters summer house road "
    "light shadow daughter stranger harbour mountain sea dream glass wolves orchard"
).split()
TITLES = [  # (language, leading article or "", words)
    ("en", "The"),
    ("en", "A"),
    ("en", ""),
    ("en", "An"),
    ("fr", "Les"),
    ("fr", "La"),
    ("fr", "L’"),
    ("fr", "Le"),
    ("fr", "Une"),
    ("es", "El"),
    ("es", "Las"),
    ("it", "Il"),
    ("de", "Der"),
    ("pt", "O"),
    ("en", ""),
    ("fr", ""),
]
FIRST = "Ana Louis Mira Tomás Jan Léa Omar Ines Kenji Sara Pavel Nadia Hugo Zoé Ravi Elif".split()
LAST = [
    "Plante",
    "van der Berg",
    "de la Cruz",
    "Okafor",
    "Dupont",
    "Nakamura",
    "Ölçer",
    "Álvarez",
    "Novak",
    "Lindqvist",
    "Moreau",
    "Haddad",
    "Costa",
    "von Trier",
    "Kowalski",
    "Ibrahim",
    "Ødegaard",
    "Éluard",
]
COUNTRIES = "FR CA BE US DE ES IT JP SN TR MX BR NO PL GB".split()
LANGS = {
    "FR": "fr",
    "CA": "fr",
    "BE": "fr",
    "US": "en",
    "DE": "de",
    "ES": "es",
    "IT": "it",
    "JP": "ja",
    "SN": "fr",
    "TR": "tr",
    "MX": "es",
    "BR": "pt",
    "NO": "no",
    "PL": "pl",
    "GB": "en",
}
LOREM = (
    "As the winter closes in on the small harbour town, {who} returns to the family house to settle an "
    "old debt. What begins as a practical errand turns into a reckoning with the people who stayed, "
    "the ones who left, and the stories each of them has told about the night the {thing} burned."
)


def title_for(rng: random.Random, i: int) -> tuple[str, str]:
    lang, article = TITLES[i % len(TITLES)]
    words = " ".join(w.capitalize() if k == 0 else w for k, w in enumerate(rng.sample(WORDS, rng.randint(1, 3))))
    if not article:
        return lang, words
    return lang, f"{article}{'' if article.endswith('’') else ' '}{words}"


def make_image(path: Path, seed: int) -> None:
    from PIL import Image, ImageDraw

    rng = random.Random(seed)
    w, h = 1400, 875
    a = [rng.randint(10, 120) for _ in range(3)]
    b = [rng.randint(60, 230) for _ in range(3)]
    im = Image.new("RGB", (w, h))
    draw = ImageDraw.Draw(im)
    for y in range(0, h, 5):
        t = y / h
        draw.rectangle([0, y, w, y + 5], fill=tuple(int(a[k] + (b[k] - a[k]) * t) for k in range(3)))
    for _ in range(4):
        x, y, r = rng.randint(0, w), rng.randint(0, h), rng.randint(60, 260)
        draw.ellipse([x - r, y - r, x + r, y + r], fill=tuple(rng.randint(0, 255) for _ in range(3)))
    path.parent.mkdir(parents=True, exist_ok=True)
    im.save(path, quality=85)


def is_half(i: int, half_every: int = 6) -> bool:
    """Films 1 and 2 of every `half_every` get half-page entries (so that halves pair up on a page)."""
    return i % half_every in (1, 2)


def film_yaml(rng: random.Random, i: int, festival_id: str) -> tuple[str, str]:
    half = is_half(i)  # with the default half_every
    lang, title = title_for(rng, i)
    slug = f"film-{i:03d}"
    countries = rng.sample(COUNTRIES, rng.choice((1, 1, 1, 2, 3)))
    original = None
    olang = LANGS[countries[0]]
    if i % 3 == 0 and lang == "en":
        olang, original = title_for(rng, i + 4)
        original = f"{original} {i}"
    title = f"{title} {i}" if i >= len(TITLES) else title
    directors = [f"{rng.choice(FIRST)} {rng.choice(LAST)}" for _ in range(rng.choice((1, 1, 1, 2)))]
    who = rng.choice(FIRST)
    synopsis = LOREM.format(who=who, thing=rng.choice(WORDS))
    lines = [
        f"title: {{en: {title!r}}}".replace("'", '"'),
        f"original_title: {original!r}".replace("'", '"') if original else None,
        f"original_language: {olang}" if original else None,
        f"year: {rng.randint(2019, 2024)}",
        f"countries: [{', '.join(countries)}]",
        f"runtime: {rng.choice((12, 18, 75, 88, 94, 101, 112, 127))}",
        f"languages: [{LANGS[countries[0]]}]",
        "subtitles: [en]",
        "genres: [Drama]",
        "directors:",
        *[f"  - name: {d}" for d in directors],
        "cast:",
        *[
            f"  - {{name: {rng.choice(FIRST)} {rng.choice(LAST)}, character: {rng.choice(FIRST)}}}"
            for _ in range(1 if half else 3)
        ],
        "crew:",
        f"  screenplay: [{directors[0]}]",
        None if half else f"  cinematography: [{rng.choice(FIRST)} {rng.choice(LAST)}]",
        None if half else f"  editing: [{rng.choice(FIRST)} {rng.choice(LAST)}]",
        "texts:",
        f"  synopsis_short: {{en: {synopsis!r}}}".replace("'", '"'),
        "festivals:",
        f"  - id: {festival_id}",
        "    festival: Synthetic Film Festival",
        "    year: 2024",
        "images:",
        "  stills:",
        "    - {file: images/still.jpg, credit: Placeholder image, placeholder: true}",
    ]
    return slug, "\n".join(line for line in lines if line is not None) + "\n"


def write_project(
    root: Path, films: int = 300, sections: int = 8, venues: int = 6, days: int = 10, half_every: int = 6, seed: int = 7
) -> Path:
    rng = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    (root / "presskit.yaml").write_text(
        "name: synthetic festival\nlanguage: en\npaper: a4\nfilms: films\nfestival: festival.yaml\n", encoding="utf-8"
    )
    festival_id = "synthetic-2024"
    slugs = []
    for i in range(films):
        slug, text = film_yaml(rng, i, festival_id)
        folder = root / "films" / slug
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "film.yaml"
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        if not (folder / "images" / "still.jpg").is_file():
            make_image(folder / "images" / "still.jpg", seed * 1000 + i)
        slugs.append(slug)
    start = dt.date(2024, 9, 5)
    out = [
        f"id: {festival_id}",
        "name: {en: Synthetic Film Festival}",
        "short_name: SFF",
        "edition: 12th",
        "year: 2024",
        f"dates: {{start: {start}, end: {start + dt.timedelta(days=days - 1)}}}",
        "language: en",
        "trim: 170mm 240mm",
        "welcome:",
        '  text: {en: "Welcome to a festival made of generated data, for testing the catalogue."}',
        "  signature: Test Director",
        "venues:",
        *[
            f"  - {{id: venue-{v}, name: Venue {chr(65 + v)}, address: '{v + 1} Festival Street'}}"
            for v in range(venues)
        ],
        "sections:",
    ]
    per = -(-films // sections)
    for s in range(sections):
        out += [
            f"  - id: section-{s}",
            f"    title: {{en: Section {chr(65 + s)}}}",
            '    intro: {en: "A section of generated films, introduced in a few words."}',
            f"    sponsor: Sponsor {s}",
            "    films:",
        ]
        for k, slug in enumerate(slugs[s * per : (s + 1) * per], start=s * per):
            out.append(f"      - {{film: {slug}, page: {'half' if is_half(k, half_every) else 'full'}}}")
    out.append("screenings:")
    code = 0
    for i, slug in enumerate(slugs):
        for _ in range(2 if is_half(i, half_every) else 2 + i % 2):
            code += 1
            day = start + dt.timedelta(days=rng.randrange(days))
            time = f"{rng.choice((10, 13, 16, 18, 21))}:{rng.choice(('00', '15', '30'))}"
            qa = ", qa: {en: Q&A with the director}" if code % 5 == 0 else ""
            out.append(
                f'  - {{film: {slug}, date: {day}, time: "{time}", venue: venue-{rng.randrange(venues)}, '
                f"code: S{code:04d}{qa}}}"
            )
    out += [
        "sponsors:",
        "  - tier: {en: Main partners}",
        "    names: [Big Bank, City of Example]",
        "  - tier: {en: Partners}",
        "    names: [Coffee Co, Radio Example, Print Shop, Film School]",
        "staff:",
        "  - {role: {en: Festival director}, name: Test Director}",
        "  - {role: {en: Programmers}, name: Ana Example}",
        "  - {role: {en: Programmers}, name: Jan van der Berg}",
        "colophon:",
        "  publisher: Synthetic Film Festival",
        "  printer: Example Print Works",
        "  issn: 1234-5679",
        "  print_run: 5000",
    ]
    path = root / "festival.yaml"
    text = "\n".join(out) + "\n"
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")
    return root


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("--films", type=int, default=300)
    parser.add_argument("--sections", type=int, default=8)
    parser.add_argument("--venues", type=int, default=6)
    parser.add_argument("--days", type=int, default=10)
    args = parser.parse_args()
    write_project(args.root, args.films, args.sections, args.venues, args.days)


if __name__ == "__main__":
    main()
