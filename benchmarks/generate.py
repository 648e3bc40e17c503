#!/usr/bin/env python3
"""Write a synthetic festival project of N films for benchmarks: festival.yaml, one film.yaml per film
and camera-size images.

    .venv/bin/python benchmarks/generate.py                    # 300 films into benchmarks/data/
    .venv/bin/python benchmarks/generate.py --films 20 --force

What it writes is meant to weigh what a real festival weighs:
- texts of realistic lengths: loglines of about 25 words, short synopses of 300-900 characters, long
  synopses, director's statements, production notes, programme notes of 600-1500 characters on the
  full-page entries (half-page entries, the shorts, carry a short synopsis only, as catalogues do);
- 3-12 cast members, every crew role, companies, distributors, contacts, quotes, earlier festivals;
- a key art (portrait) and 2-4 stills per film at camera size (4000 x 2667), mostly RGB JPEG, some
  PNG, some untagged CMYK JPEG, some portrait; a director's headshot; each image unique by content
  (a colour shift and drawn shapes from the film's seed), with film grain so that JPEGs weigh what
  camera JPEGs weigh;
- 8 sections, 6 venues with screens, 2-3 screenings per film over 10 days with unique codes, sponsors,
  staff, a colophon and a welcome text.

Deterministic: the same arguments write the same files (the images are generated with Pillow from
seeded random numbers only). The project is cached: it is regenerated only when it is missing, when
it was made by another version of this script or other arguments, or with --force. The project is
written to a temporary folder and renamed, so an interrupted run never leaves half a project.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import shutil
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

GENERATOR_VERSION = 4  # 3: photo credits are names (the layouts print "Photo:"); 4: no YAML aliases
IMAGE_VERSION = 1  # bump when render_image changes: every image is made anew
HERE = Path(__file__).resolve().parent
DEFAULT_DATA = HERE / "data"
FESTIVAL_ID = "benchmark-festival-2025"
FESTIVAL_START = dt.date(2025, 10, 2)
DAYS = 10
STAMP = ".generated.json"
IMAGES = ".images.json"  # what each image was made from: an image made the same way is reused

CAMERA = (4000, 2667)  # a 24 x 36 mm sensor's proportions: about 10.7 megapixels
HEADSHOT = (1200, 1500)

# --- words ----------------------------------------------------------------------------------------

FIRST = (
    "Ana Louis Mira Tomás Jan Léa Omar Inès Kenji Sara Pavel Nadia Hugo Zoé Ravi Elif Marta Joaquín "
    "Agnès Björn Chiara Dmitri Fatou Grégoire Hanna Ibrahim Jules Katarzyna Lucía Mathieu Noémie Oskar "
    "Priya Quentin Rosa Sébastien Tamsin Ulla Valérie Wojciech Xavier Yasmin Zofia Amadou Céline Dario "
    "Eszter Florian Greta Hélène"
).split()
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
    "von Arnim",
    "Kowalski",
    "Ibrahim",
    "Ødegaard",
    "Éluard",
    "Bergström",
    "Diallo",
    "Fernández",
    "Gagnon",
    "Hoffmann",
    "Iversen",
    "Jankowski",
    "Kovács",
    "Lefebvre",
    "Mendes",
    "Nowak",
    "Oliveira",
    "Petrović",
    "Quiroga",
    "Rossi",
    "Santos",
    "Tremblay",
    "Urbański",
    "Vasquez",
    "Wiśniewska",
    "Yılmaz",
    "Zielińska",
    "Brennan",
    "Castellanos",
    "Delacroix",
    "Esposito",
]
COUNTRIES = {  # country -> the language its films are mostly in
    "FR": "fr",
    "CA": "fr",
    "BE": "fr",
    "US": "en",
    "DE": "de",
    "ES": "es",
    "IT": "it",
    "SN": "fr",
    "TR": "tr",
    "MX": "es",
    "BR": "pt",
    "NO": "nb",
    "PL": "pl",
    "GB": "en",
    "AR": "es",
    "PT": "pt",
    "SE": "sv",
    "DK": "da",
    "NL": "nl",
    "HU": "hu",
    "CZ": "cs",
    "RO": "ro",
    "GR": "el",
    "IE": "en",
}
WORDS = (
    "night river winter garden silence mother island border city fire letters summer house road light "
    "shadow daughter stranger harbour mountain sea dream glass wolves orchard salt ashes bridge hours "
    "ghosts lake tide mirror sister father storm birds promise distance morning echo"
).split()
ARTICLES = {
    "en": ["The ", "A ", ""],
    "fr": ["Le ", "La ", "Les ", "L’", "Un ", ""],
    "es": ["El ", "La ", "Los ", ""],
    "it": ["Il ", "La ", ""],
    "de": ["Der ", "Die ", "Das ", ""],
    "pt": ["O ", "A ", "Os ", ""],
}
ORIGINAL_WORDS = {
    "fr": "nuit rivière hiver jardin silence mère île frontière ville feu lettres été maison route lumière".split(),
    "es": "noche río invierno jardín silencio madre isla frontera ciudad fuego cartas verano casa".split(),
    "it": "notte fiume inverno giardino silenzio madre isola confine città fuoco lettere estate casa".split(),
    "de": "Nacht Fluss Winter Garten Stille Mutter Insel Grenze Stadt Feuer Briefe Sommer Haus".split(),
    "pt": "noite rio inverno jardim silêncio mãe ilha fronteira cidade fogo cartas verão casa".split(),
}
ADJ = (
    "quiet restless young ageing stubborn gifted reluctant grieving ambitious exiled lonely fearless "
    "estranged tireless wary hopeful"
).split()
JOBS = (
    "nurse fisherman schoolteacher boxer translator taxi driver pianist cook photographer farmer "
    "lawyer midwife welder archivist dancer mechanic"
).split(" ")
PLACES = (
    "a harbour town in the north",
    "the outskirts of Lyon",
    "a border village",
    "Montreal in winter",
    "a fishing island",
    "the suburbs of Dakar",
    "a mining town",
    "an Alpine valley",
    "Mexico City",
    "a seaside resort out of season",
    "the Baltic coast",
    "a high-rise estate in Lisbon",
)
TEXT = {
    "open": [
        "{who}, a {adj} {job} from {place}, {event}.",
        "In {place}, {who} {event}.",
        "When {who} {event}, {pron} has one summer to decide what {pron} owes the family.",
    ],
    "event": [
        "returns home after twenty years to settle an old debt",
        "finds a box of letters that nobody was meant to read",
        "loses the job that held the family together",
        "agrees to look after a brother {pron} barely knows",
        "is asked to testify against a childhood friend",
        "inherits a house and the silence that comes with it",
    ],
    "middle": [
        "What begins as a practical errand turns into a reckoning with the people who stayed and the ones who left.",
        "Between long nights at work and longer mornings with {other}, the past keeps returning in small, stubborn ways.",  # noqa: E501
        "The town watches, gossips and waits, while {other} tries to keep a promise made long ago.",
        "Each visit to {other} opens another door {pron} had closed, and another question nobody wants to answer.",
        "As the season turns, {who} and {other} find that the truth is less a secret than a habit of not looking.",
        "Small lies pile up like snow against the door until one morning nobody can open it.",
        "A wedding, a funeral and a strike bring the whole street into the same room for the first time in years.",
        "Nothing is said outright: everything is in the pauses, the glances, the dishes washed twice.",
    ],
    "close": [
        "A tender, funny and unsentimental portrait of a family that talks about everything except what matters.",
        "It is a story about debts that cannot be paid back, and about the people who try anyway.",
        "By the time the {thing} burns, nobody remembers who lit it.",
        "The film ends where it began, but nothing is quite in the same place.",
    ],
    "note": [
        "{director} confirms here a rare gift for letting scenes breathe without losing their tension.",
        "Shot on location with a largely non-professional cast, the film has the texture of lived experience.",
        "The camera of {dop} stays close to faces and hands, and the film trusts its audience to read them.",
        "After a striking debut, {director} returns with a film that is both more intimate and more ambitious.",
        "There is humour here too, dry and unexpected, which keeps the melodrama at a healthy distance.",
        "The sound design, all wind and distant engines, does as much storytelling as the dialogue.",
        "Few films this year have captured with such precision the way a place shapes the people who live in it.",
        "{actor} gives a performance of remarkable restraint, carrying whole scenes with a single look.",
        "The editing by {editor} moves between past and present without ever announcing the shift.",
        "It is a film about work, about class and about the invisible threads that tie a community together.",
        "We are proud to present it at the festival, where it competes for the first time before an audience.",
    ],
}
GENRES = [
    "Drama",
    "Comedy",
    "Thriller",
    "Documentary",
    "Romance",
    "Crime",
    "Horror",
    "Animation",
    "Family",
    "Mystery",
    "Science fiction",
    "War",
]
OUTLETS = [
    "Variety",
    "The Hollywood Reporter",
    "Screen International",
    "IndieWire",
    "Cahiers du cinéma",
    "Le Monde",
    "The Guardian",
    "Sight and Sound",
    "Cineuropa",
    "Little White Lies",
]
PRAISE = [
    "A quietly devastating film",
    "Tender, funny and precise",
    "One of the great debuts of the year",
    "An extraordinary performance at its heart",
    "Cinema of rare honesty",
    "Unmissable",
    "A film that stays with you for days",
    "Bold, brilliant and deeply humane",
]
OTHER_FESTIVALS = [
    ("Berlin International Film Festival", "Berlinale", 1),
    ("Toronto International Film Festival", "TIFF", 1),
    ("Locarno Film Festival", "Locarno", 1),
    ("Rotterdam International Film Festival", "IFFR", 2),
    ("San Sebastián International Film Festival", "SSIFF", 1),
    ("Karlovy Vary International Film Festival", "KVIFF", 1),
    ("BFI London Film Festival", "LFF", 2),
    ("Sundance Film Festival", "Sundance", 1),
    ("Thessaloniki International Film Festival", "TIFF", 2),
]
SECTION_NAMES = [
    "Competition",
    "Horizons",
    "New Voices",
    "Nocturnes",
    "True Stories",
    "Shorts Programme",
    "Restorations",
    "Family",
    "Panorama",
    "Midnight",
]
VENUES = [
    ("grand-theatre", "Grand Theatre", "Grand", ["Main Hall", "Studio"]),
    ("cinema-lumiere", "Cinéma Lumière", "Lumière", ["Salle 1", "Salle 2", "Salle 3"]),
    ("harbour-arts-centre", "Harbour Arts Centre", "Harbour", []),
    ("university-auditorium", "University Auditorium", "University", []),
    ("the-rio", "The Rio", None, []),
    ("old-market-cinema", "Old Market Cinema", "Old Market", ["Screen A", "Screen B"]),
    ("palace", "Palace Cinema", "Palace", []),
    ("open-air", "Open-Air Square", "Open Air", []),
]
CREW_ROLES = [
    "screenplay",
    "producers",
    "co_producers",
    "executive_producers",
    "cinematography",
    "editing",
    "production_design",
    "art_direction",
    "costumes",
    "makeup",
    "sound",
    "music",
    "casting",
    "visual_effects",
]


DEFAULT_NAMES = {
    "who": "Ana",
    "other": "her brother",
    "pron": "she",
    "director": "the director",
    "dop": "the cinematographer",
    "actor": "the lead actor",
    "editor": "the editor",
}


def person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def people(rng: random.Random, low: int, high: int) -> list[str]:
    out: list[str] = []
    while len(out) < rng.randint(low, high):
        name = person(rng)
        if name not in out:
            out.append(name)
    return out


def prose(rng: random.Random, low: int, high: int, kinds: tuple[str, ...], names: dict) -> str:
    """Sentences from `kinds` of templates until the text is between `low` and `high` characters long."""
    names = {**DEFAULT_NAMES, **names}
    target = rng.randint(low, high)
    sentences: list[str] = []
    pool = [t for kind in kinds for t in TEXT[kind]]
    while True:
        template = pool[len(sentences) % len(pool)] if len(sentences) < len(pool) else rng.choice(pool)
        sentence = template.format(
            event=rng.choice(TEXT["event"]).format(**names),
            thing=rng.choice(WORDS),
            adj=rng.choice(ADJ),
            job=rng.choice(JOBS),
            place=rng.choice(PLACES),
            **names,
        )
        sentence = sentence[:1].upper() + sentence[1:]
        text = " ".join(sentences + [sentence])
        if len(text) > high:
            if len(" ".join(sentences)) >= low:
                return " ".join(sentences)
            return text[:high].rsplit(" ", 1)[0].rstrip(",;:") + "."
        sentences.append(sentence)
        if len(text) >= target:
            return text


def words(rng: random.Random, count: int, names: dict) -> str:
    """A logline of about `count` words."""
    text = prose(rng, count * 5, count * 7, ("open", "middle"), names)
    return " ".join(text.split()[:count]).rstrip(",;:.") + "."


def title(rng: random.Random, lang: str) -> str:
    pool = ORIGINAL_WORDS.get(lang, WORDS) if lang != "en" else WORDS
    article = rng.choice(ARTICLES.get(lang, [""]))
    chosen = rng.sample(pool, rng.choice((1, 1, 2, 2, 3)))
    sep = " " if lang != "en" else rng.choice((" ", " of the ", " and the "))
    text = sep.join(chosen) if len(chosen) < 3 else " ".join(chosen)
    text = text[:1].upper() + text[1:]
    return article + (text if article.endswith("’") else text)


# --- images ---------------------------------------------------------------------------------------


@dataclass
class ImageJob:
    path: str
    width: int
    height: int
    seed: int
    kind: str = "jpeg"  # jpeg | png | cmyk
    label: str = ""


_GRAIN: dict = {}


def _grain(size: tuple[int, int], rng: random.Random):
    """A crop of one big noise field per process (making noise is the slow part; cropping is cheap)."""
    from PIL import Image

    if "field" not in _GRAIN:
        field = Image.effect_noise((CAMERA[0] + 512, CAMERA[0] + 512), 7)
        _GRAIN["field"] = Image.merge(
            "RGB", (field, field.rotate(90), field.transpose(Image.Transpose.FLIP_LEFT_RIGHT))
        )
    field = _GRAIN["field"]
    x = rng.randrange(field.width - size[0] + 1)
    y = rng.randrange(field.height - size[1] + 1)
    return field.crop((x, y, x + size[0], y + size[1]))


def render_image(job: ImageJob) -> str:
    """A unique photo-like image: a seeded colour field with drawn shapes, upscaled, with film grain."""
    from PIL import Image, ImageChops, ImageDraw

    rng = random.Random(job.seed)
    size = (job.width, job.height)
    small = (max(8, job.width // 8), max(8, job.height // 8))
    gradient = Image.linear_gradient("L")
    channels = [gradient.rotate(rng.randrange(360)).resize(small) for _ in range(3)]
    base = Image.merge("RGB", channels)
    low = [rng.randint(0, 90) for _ in range(3)]
    high = [rng.randint(120, 255) for _ in range(3)]
    base = base.point([int(low[c] + (high[c] - low[c]) * v / 255) for c in range(3) for v in range(256)])
    draw = ImageDraw.Draw(base)
    for _ in range(rng.randint(4, 9)):
        x, y = rng.randrange(small[0]), rng.randrange(small[1])
        r = rng.randint(small[0] // 20, small[0] // 4)
        colour = tuple(rng.randint(0, 255) for _ in range(3))
        shape = rng.choice(("ellipse", "rectangle", "polygon"))
        if shape == "ellipse":
            draw.ellipse([x - r, y - r, x + r, y + r], fill=colour)
        elif shape == "rectangle":
            draw.rectangle([x - r, y - r // 2, x + r, y + r // 2], fill=colour)
        else:
            draw.polygon(
                [(x + rng.randint(-r, r), y + rng.randint(-r, r)) for _ in range(rng.randint(3, 6))], fill=colour
            )
    if job.label:
        draw.text((small[0] // 20, small[1] - small[1] // 10), job.label, fill=(255, 255, 255))
    image = base.resize(size, Image.Resampling.BILINEAR)
    image = ImageChops.add(image, _grain(size, rng), 1, -128)
    path = Path(job.path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if job.kind == "png":
        image.save(path, "PNG", compress_level=1)
    elif job.kind == "cmyk":
        image.convert("CMYK").save(path, "JPEG", quality=88)  # untagged CMYK (Adobe APP14, inverted)
    else:
        image.save(path, "JPEG", quality=88)
    return job.path


def render_images(jobs: list[ImageJob], workers: int | None = None) -> None:
    workers = max(1, workers or os.cpu_count() or 1)
    if workers == 1 or len(jobs) < 4:
        for job in jobs:
            render_image(job)
        return
    with ProcessPoolExecutor(workers) as pool:
        for done, _ in enumerate(pool.map(render_image, jobs, chunksize=4), start=1):
            if done % 100 == 0:
                print(f"  {done}/{len(jobs)} images", file=sys.stderr)


def replacement_still(path: Path, seed: int) -> None:
    """Write a new camera-size still (a different picture) to `path`, atomically: the benchmark's
    'one still replaced' step. The old file is unlinked, never overwritten in place (it may be a hard
    link into the cached project)."""
    tmp = path.with_name(f".{path.name}.new{path.suffix}")
    render_image(ImageJob(str(tmp), *CAMERA, seed=seed, label=f"replacement {seed}"))
    os.replace(tmp, path)


# --- films ----------------------------------------------------------------------------------------


@dataclass
class Plan:
    """Where each film stands in the festival (decided before its data is written)."""

    slug: str
    section: int
    half: bool  # a half-page catalogue entry: a short film with a short synopsis


def film_data(rng: random.Random, index: int, plan: Plan, seed: int) -> tuple[dict, list[ImageJob]]:
    slug = plan.slug
    countries = rng.sample(sorted(COUNTRIES), rng.choice((1, 1, 1, 2, 2, 3)))
    lang = COUNTRIES[countries[0]]
    en_title = title(rng, "en")
    directors = people(rng, 1, 1 if rng.random() < 0.8 else 2)
    cast_names = people(rng, 3, 12)
    crew = {role: people(rng, 1, 3 if role in ("producers", "sound") else 2) for role in CREW_ROLES}
    crew["screenplay"] = [directors[0]] + crew["screenplay"][:1]
    names = {
        "who": rng.choice(FIRST),
        "other": f"{rng.choice(('her', 'his'))} {rng.choice(('brother', 'mother', 'neighbour', 'old teacher', 'daughter'))}",  # noqa: E501
        "pron": rng.choice(("she", "he")),
        "director": directors[0],
        "dop": crew["cinematography"][0],
        "actor": cast_names[0],
        "editor": crew["editing"][0],
    }
    images: list[ImageJob] = []
    folder = f"films/{slug}/images"

    def image(name: str, size: tuple[int, int], kind: str = "jpeg") -> str:
        ext = "png" if kind == "png" else "jpg"
        rel = f"images/{name}.{ext}"
        images.append(
            ImageJob(
                f"{folder}/{name}.{ext}",
                *size,
                seed=seed * 100_000 + index * 100 + len(images),
                kind=kind,
                label=f"{slug} {name}",
            )
        )
        return rel

    portrait = (CAMERA[1], CAMERA[0])
    key_art = image("key-art", portrait, "cmyk" if index % 11 == 5 else "jpeg")
    stills = []
    shapes = random.Random(seed * 7919 + index)  # image choices: independent of the texts
    for s in range(shapes.randint(2, 4)):
        kind = "png" if (index % 13 == 3 and s == 1) else "cmyk" if (index % 9 == 4 and s == 0) else "jpeg"
        size = portrait if (s > 0 and shapes.random() < 0.15) else CAMERA
        people_shown = rng.sample(cast_names, min(len(cast_names), rng.randint(0, 2)))
        stills.append(
            {
                "file": image(f"still-{s + 1:02d}", size, kind),
                "caption": {"en": f"{' and '.join(people_shown) or 'The town'} in {en_title}"},
                **({"people": people_shown} if people_shown else {}),
                "credit": person(rng),
                "placeholder": True,
            }
        )
    headshot = image("director", HEADSHOT)

    half = plan.half
    runtime = rng.randint(8, 29) if half else rng.randint(74, 156)
    original = None
    if lang in ORIGINAL_WORDS and rng.random() < 0.6:
        original = title(rng, lang)
    data: dict = {
        "updated": (dt.date(2025, 6, 1) + dt.timedelta(days=index % 90)).isoformat(),
        "title": {"en": en_title} if rng.random() < 0.7 else {"en": en_title, "fr": title(rng, "fr")},
    }
    if original:
        data["original_title"] = original
        data["original_language"] = lang
    data.update(
        {
            "year": rng.choice((2024, 2025, 2025)),
            "countries": countries,
            "runtime": runtime,
            "languages": [lang] + (["en"] if lang != "en" and rng.random() < 0.3 else []),
            "subtitles": ["en"] if lang != "en" else ["fr"],
            "genres": rng.sample(GENRES, rng.choice((1, 2, 2))),
            "technical": {
                "colour": "colour" if rng.random() < 0.9 else "black-and-white",
                "aspect_ratio": rng.choice(("1.85:1", "2.39:1", "1.66:1", "1.33:1")),
                "sound": rng.choice(("5.1", "Dolby Atmos", "Stereo")),
                "shooting_format": rng.choice(("ARRI Alexa Mini", "16 mm", "35 mm", "Sony Venice")),
                "exhibition_formats": ["DCP"],
            },
        }
    )
    if rng.random() < 0.3:
        data["content_warnings"] = rng.sample(
            ["Violence", "Strong language", "Sexual content", "Flashing lights"], rng.randint(1, 2)
        )
    data["directors"] = [
        {
            "name": d,
            "bio": {"en": prose(rng, 350, 700, ("note",), {**names, "director": d})},
            **({"headshot": {"file": headshot, "credit": person(rng), "placeholder": True}} if k == 0 else {}),
            "filmography": [
                {
                    "year": 2010 + 2 * j + rng.randint(0, 1),
                    "title": title(rng, "en"),
                    "kind": rng.choice(("short", "feature", "documentary")),
                }
                for j in range(rng.randint(1, 6))
            ],
        }
        for k, d in enumerate(directors)
    ]
    principal = rng.randint(2, min(4, len(cast_names)))
    data["cast"] = [
        {"name": n, "character": rng.choice(FIRST), **({"principal": True} if k < principal else {})}
        for k, n in enumerate(cast_names)
    ]
    data["crew"] = crew
    production = [
        f"{rng.choice(LAST)} {rng.choice(('Films', 'Productions', 'Pictures', 'Studio'))}"
        for _ in range(rng.randint(1, 3))
    ]
    data["companies"] = {"presenting": production[:1], "production": production}
    data["distributors"] = [
        {"territory": c, "company": f"{rng.choice(LAST)} Distribution"}
        for c in rng.sample(sorted(COUNTRIES), rng.randint(1, 3))
    ]
    data["contacts"] = [
        {
            "role": "world-sales",
            "company": f"{rng.choice(LAST)} Sales",
            "name": person(rng),
            "email": f"sales{index}@example.com",
            "phone": f"+33 1 {index % 100:02d} 00 00 00",
            "website": f"https://sales{index}.example.com",
        },
        {
            "role": "press",
            "company": f"{rng.choice(LAST)} PR",
            "name": person(rng),
            "email": f"press{index}@example.com",
        },
    ]
    data["texts"] = {
        "tagline": {"en": rng.choice(TEXT["close"]).format(thing=rng.choice(WORDS))},
        "logline": {"en": words(rng, rng.randint(20, 30), names)},
        "synopsis_short": {
            "en": prose(rng, 300, 420, ("open", "middle", "close"), names)
            if half
            else prose(rng, 300, 900, ("open", "middle", "close"), names)
        },
        "synopsis_long": {"en": prose(rng, 1200, 2400, ("open", "middle", "close"), names)},
        "directors_statement": {"en": prose(rng, 600, 1400, ("note", "middle"), names)},
        "production_notes": {"en": prose(rng, 600, 1800, ("note",), names)},
    }
    data["quotes"] = [
        {"text": {"en": q}, "outlet": o, "rank": r + 1}
        for r, (q, o) in enumerate(zip(rng.sample(PRAISE, 4), rng.sample(OUTLETS, 4)))
    ][: rng.randint(0, 4)]
    own: dict = {
        "id": FESTIVAL_ID,
        "festival": "Benchmark Film Festival",
        "short_name": "BFF",
        "year": 2025,
        "tier": 2,
        "official_selection": True,
        "premiere": rng.choice(("world", "international", "national")),
        "genres": data["genres"],
    }
    if not half:
        synopsis_len = len(data["texts"]["synopsis_short"]["en"])
        own["programme_note"] = {"en": prose(rng, 600, max(650, min(1500, 1650 - synopsis_len)), ("note",), names)}
        own["programme_note_by"] = person(rng)
    if rng.random() < 0.25:
        own["presented_by"] = [f"{rng.choice(LAST)} Foundation"]
    festivals = [own]
    for name, short, tier in rng.sample(OTHER_FESTIVALS, rng.randint(0, 3)):
        entry = {
            "id": f"{short.lower()}-{2024 + (index % 2)}",
            "festival": name,
            "short_name": short,
            "year": 2024 + (index % 2),
            "tier": tier,
            "official_selection": True,
        }
        if rng.random() < 0.4:
            entry["awards"] = [
                {
                    "name": rng.choice(("Best Film", "Special Jury Prize", "Audience Award", "Best Director")),
                    "result": rng.choice(("winner", "nominee")),
                }
            ]
        if entry["id"] not in {f["id"] for f in festivals}:
            festivals.append(entry)
    data["festivals"] = festivals
    data["images"] = {
        "key_art": {"file": key_art, "credit": f"Design: {person(rng)}", "placeholder": True},
        "stills": stills,
    }
    data["links"] = {"website": f"https://www.example.com/films/{slug}"}
    return data, images


def festival_data(rng: random.Random, plans: list[Plan], sections: int) -> dict:
    venues = VENUES[:6]
    codes: dict[str, int] = {}
    screenings = []
    names = SECTION_NAMES[:sections] + [f"Section {k}" for k in range(len(SECTION_NAMES), sections)]
    prefixes = [n.replace(" ", "")[:3].upper() + str(k) for k, n in enumerate(names)]
    for plan in plans:
        days = sorted(rng.sample(range(DAYS), 2 if plan.half else rng.choice((2, 3))))
        for day in days:
            vid, _, _, screens = rng.choice(venues)
            date = FESTIVAL_START + dt.timedelta(days=day)
            codes[prefixes[plan.section]] = codes.get(prefixes[plan.section], 0) + 1
            show = {
                "film": plan.slug,
                "date": date.isoformat(),
                "time": f"{rng.choice((10, 12, 14, 16, 18, 19, 21, 22))}:{rng.choice(('00', '15', '30', '45'))}",
                "venue": vid,
                "code": f"{prefixes[plan.section]}{day + 1:02d}{codes[prefixes[plan.section]]:03d}",
            }
            if screens:
                show["screen"] = rng.choice(screens)
            roll = rng.random()
            if roll < 0.2:
                show["qa"] = {"en": "Q&A with the director"}
            elif roll < 0.25:
                show["note"] = {"en": rng.choice(("Free screening", "Relaxed screening", "Sold out"))}
            if vid == "the-rio":
                show["rating"] = "19+"
            screenings.append(show)
    section_list = []
    for k, name in enumerate(names):
        films = [{"film": p.slug, "page": "half" if p.half else "full"} for p in plans if p.section == k]
        if not films:
            continue
        if k == 0 and films:
            films[0]["slot"] = {"en": "Opening Film"}
        section_list.append(
            {
                "id": name.lower().replace(" ", "-"),
                "title": {"en": name},
                "intro": {
                    "en": prose(
                        rng,
                        300,
                        700,
                        ("note",),
                        {
                            "director": "each filmmaker",
                            "dop": "the camera",
                            "actor": "the cast",
                            "editor": "the cutting room",
                        },
                    )
                },
                "sponsor": f"{rng.choice(LAST)} Foundation",
                "films": films,
            }
        )
    return {
        "id": FESTIVAL_ID,
        "name": {"en": "Benchmark Film Festival", "fr": "Festival du film de référence"},
        "short_name": "BFF",
        "edition": "25th",
        "year": 2025,
        "dates": {
            "start": FESTIVAL_START.isoformat(),
            "end": (FESTIVAL_START + dt.timedelta(days=DAYS - 1)).isoformat(),
        },
        "language": "en",
        "website": "https://www.example.com/festival",
        "trim": "170mm 240mm",
        "welcome": {
            "title": {"en": "Welcome"},
            "text": {
                "en": "\n\n".join(
                    prose(
                        rng,
                        500,
                        900,
                        ("note", "middle"),
                        {
                            "director": "every filmmaker",
                            "dop": "our projectionists",
                            "actor": "every guest",
                            "editor": "our volunteers",
                            "who": "the festival",
                            "other": "its audience",
                            "pron": "it",
                        },
                    )
                    for _ in range(3)
                )
            },
            "signature": "Robin Example",
            "signature_role": {"en": "Festival director"},
        },
        "venues": [
            {
                "id": vid,
                "name": name,
                **({"short_name": short} if short else {}),
                "address": f"{k + 1} Festival Street",
                **({"screens": screens} if screens else {}),
            }
            for k, (vid, name, short, screens) in enumerate(venues)
        ],
        "sections": section_list,
        "screenings": screenings,
        "sponsors": [
            {"tier": {"en": "Presenting partners"}, "names": ["Example Bank", "City of Example"]},
            {"tier": {"en": "Section partners"}, "names": sorted({s["sponsor"] for s in section_list})},
            {
                "tier": {"en": "Friends of the festival"},
                "names": [
                    f"{rng.choice(LAST)} {rng.choice(('Bakery', 'Books', 'Records', 'Bikes', 'Café'))}"
                    for _ in range(9)
                ],
            },
        ],
        "staff": [
            {"role": {"en": role}, "name": person(rng)}
            for role in (
                "Festival director",
                "Artistic director",
                "Programmers",
                "Programmers",
                "Programmers",
                "Catalogue editor",
                "Guest relations",
                "Press office",
                "Press office",
                "Technical director",
                "Volunteers coordinator",
                "Box office",
            )
        ],
        "colophon": {
            "publisher": "Benchmark Film Festival",
            "printer": "Example Print Works",
            "issn": "1234-5679",
            "print_run": 5000,
            "credits": {"en": "Synthetic data written by benchmarks/generate.py for presskit's benchmarks."},
        },
    }


SECTION_SHARES = (0.2, 0.175, 0.16, 0.1, 0.1, 0.093, 0.086, 0.086)  # of the films, for 8 sections


def section_sizes(films: int, sections: int) -> list[int]:
    """Sections of uneven size, as festivals have them: for 300 films in 8 sections, three large ones
    (60, 52, 48) and five of 26-30. (The sizes keep clear of 31-44 films, which used to make a section
    intro run over the one page it was promised; intros are measured now, and the sizes stay as they
    were so that timings remain comparable.)"""
    shares = list(SECTION_SHARES[:sections]) + [0.09] * max(0, sections - len(SECTION_SHARES))
    total = sum(shares)
    sizes = [max(1, round(films * w / total)) for w in shares]
    while sum(sizes) > films:
        sizes[sizes.index(max(sizes))] -= 1
    while sum(sizes) < films:
        sizes[sizes.index(min(sizes))] += 1
    return sizes


def plan_films(rng: random.Random, films: int, sections: int) -> list[Plan]:
    """About one film in three a short with a half-page entry."""
    plans = []
    index = 0
    for section, size in enumerate(section_sizes(films, sections)):
        for _ in range(size):
            plans.append(Plan(f"film-{index + 1:03d}", section, half=rng.random() < 0.33))
            index += 1
    return plans


def dump(data) -> str:
    """YAML of `data`, every value written out: a list shared by two entries (a festival's genres) is not
    written as an anchor and an alias, which presskit refuses in its data."""
    import yaml

    class Dumper(yaml.SafeDumper):
        def ignore_aliases(self, data) -> bool:
            return True

    return yaml.dump(data, Dumper=Dumper, allow_unicode=True, sort_keys=False, width=110)


def params(films: int, sections: int, seed: int) -> dict:
    return {"generator": GENERATOR_VERSION, "films": films, "sections": sections, "seed": seed}


def project_dir(films: int, seed: int, data_dir: Path = DEFAULT_DATA) -> Path:
    return data_dir / f"festival-{films}-s{seed}"


def _job_record(root: Path, job: ImageJob) -> dict:
    return {
        "path": str(Path(job.path).relative_to(root)),
        "width": job.width,
        "height": job.height,
        "seed": job.seed,
        "kind": job.kind,
        "label": job.label,
        "version": IMAGE_VERSION,
    }


def reuse_images(old: Path, new: Path, jobs: list[ImageJob]) -> list[ImageJob]:
    """Hard-link the images of a previous project at `old` that were made exactly as `jobs` asks into
    `new` (text-only changes of this script then regenerate in seconds); the jobs left to render."""
    try:
        made = {json.dumps(r, sort_keys=True) for r in json.loads((old / IMAGES).read_text(encoding="utf-8"))}
    except (OSError, ValueError):
        return jobs
    todo = []
    for job in jobs:
        record = _job_record(new, job)
        source = old / record["path"]
        if json.dumps(record, sort_keys=True) in made and source.is_file():
            try:
                Path(job.path).parent.mkdir(parents=True, exist_ok=True)
                os.link(source, job.path)
                continue
            except OSError:
                pass
        todo.append(job)
    return todo


def is_current(root: Path, wanted: dict) -> bool:
    try:
        return json.loads((root / STAMP).read_text(encoding="utf-8")) == wanted
    except (OSError, ValueError):
        return False


def generate(
    root: Path | None = None,
    films: int = 300,
    sections: int = 8,
    seed: int = 2025,
    force: bool = False,
    workers: int | None = None,
) -> Path:
    """The project for these arguments, written when missing or stale (or with `force`); its folder."""
    root = Path(root) if root else project_dir(films, seed)
    wanted = params(films, sections, seed)
    if not force and is_current(root, wanted):
        return root
    start = time.perf_counter()
    tmp = root.with_name(f".{root.name}.tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    rng = random.Random(seed)
    plans = plan_films(rng, films, sections)
    jobs: list[ImageJob] = []
    for index, plan in enumerate(plans):
        data, images = film_data(random.Random(seed * 1_000_003 + index), index, plan, seed)
        folder = tmp / "films" / plan.slug
        folder.mkdir(parents=True)
        (folder / "film.yaml").write_text(
            f"# Synthetic benchmark film ({plan.slug}): not a real film.\n" + dump(data), encoding="utf-8"
        )
        jobs += [ImageJob(str(tmp / j.path), j.width, j.height, j.seed, j.kind, j.label) for j in images]
    (tmp / "festival.yaml").write_text(
        "# Synthetic benchmark festival: not a real festival.\n" + dump(festival_data(rng, plans, sections)),
        encoding="utf-8",
    )
    (tmp / "presskit.yaml").write_text(
        "# Synthetic benchmark project, written by benchmarks/generate.py.\n"
        + dump(
            {
                "name": "presskit benchmark festival",
                "language": "en",
                "paper": "a4",
                "films": "films",
                "festival": "festival.yaml",
            }
        ),
        encoding="utf-8",
    )
    todo = reuse_images(root, tmp, jobs)
    print(f"generating {len(todo)} images for {films} films ({len(jobs) - len(todo)} reused) ...", file=sys.stderr)
    render_images(todo, workers)
    (tmp / IMAGES).write_text(json.dumps([_job_record(tmp, j) for j in jobs]), encoding="utf-8")
    (tmp / STAMP).write_text(json.dumps(wanted), encoding="utf-8")
    if root.exists():
        shutil.rmtree(root)
    os.replace(tmp, root)
    print(f"wrote {root} ({films} films, {len(jobs)} images) in {time.perf_counter() - start:.0f} s", file=sys.stderr)
    return root


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("root", type=Path, nargs="?", help="output folder (default: benchmarks/data/festival-N-sSEED)")
    parser.add_argument("--films", type=int, default=300)
    parser.add_argument("--sections", type=int, default=8)
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--force", action="store_true", help="regenerate even when the cached project is current")
    parser.add_argument("--workers", type=int, help="processes for the images (default: all cores)")
    args = parser.parse_args(argv)
    print(generate(args.root, args.films, args.sections, args.seed, args.force, args.workers))


if __name__ == "__main__":
    main()
