"""The typed film and project model: what a film.yaml and presskit.yaml may hold.

Every field is checked by pydantic; the custom validators below raise errors whose message says what
was expected, so that load.py can print `file:line: key: expected ..., got ...`.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import re
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError

from .units import MM_PER_UNIT

# The most characters of any one text (a limit of each field's own type is lower, see below): a text
# the size of a book is an error, not minutes of fitting it to its frame.
MAX_TEXT = 20000


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, str_max_length=MAX_TEXT, defer_build=True)


def _expected(what: str) -> PydanticCustomError:
    return PydanticCustomError("expected", "expected {what}", {"what": what})


def _expected_found(what: str, found: str) -> PydanticCustomError:
    """An error whose message says what was found (rather than the value itself)."""
    return PydanticCustomError("expected_found", "expected {what}, got {found}", {"what": what, "found": found})


def _too_long(what: str, limit: int, text: str, language: str = "*") -> PydanticCustomError:
    where = "" if language == "*" else f" (language '{language}')"
    return _expected_found(f"{what} of at most {limit:,} characters", f"{len(text):,}{where}")


# --- scalar types -----------------------------------------------------------------------------


# Characters at most: a title, a line (a name, a tagline, a caption), a text (a synopsis, a bio), a long
# text (a director's statement, production notes, a welcome).
TITLE_CHARS, LINE_CHARS, TEXT_CHARS, LONG_CHARS = 300, 1000, 10000, MAX_TEXT


def _text_of(limit: int, what: str):
    def check(value: Any) -> str:
        if isinstance(value, str) and value.strip():
            text = value.strip()
            if len(text) > limit:
                raise _too_long(what, limit, text)
            return text
        raise _expected("text")

    return check


def _text(value: Any) -> str:
    return _text_of(LINE_CHARS, "text")(value)


Text = Annotated[
    str, BeforeValidator(_text), WithJsonSchema({"type": "string", "minLength": 1, "maxLength": LINE_CHARS})
]
Title = Annotated[
    str,
    BeforeValidator(_text_of(TITLE_CHARS, "a title")),
    WithJsonSchema({"type": "string", "minLength": 1, "maxLength": TITLE_CHARS}),
]


def _whole(what: str, minimum: int, maximum: int):
    def check(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not minimum <= value <= maximum:
            raise _expected(what)
        return value

    return check


Minutes = Annotated[
    int,
    BeforeValidator(_whole("minutes as a whole number", 1, 1500)),
    WithJsonSchema({"type": "integer", "minimum": 1, "description": "running time in minutes"}),
]
Year = Annotated[
    int,
    BeforeValidator(_whole("a four-digit year", 1870, 2100)),
    WithJsonSchema({"type": "integer", "minimum": 1870, "maximum": 2100}),
]
Count = Annotated[
    int,
    BeforeValidator(_whole("a whole number from 1", 1, 100000)),
    WithJsonSchema({"type": "integer", "minimum": 1}),
]

_LANG_RE = re.compile(r"^[a-z]{2,3}(-[A-Z][a-z]{3})?(-[A-Z]{2})?$")  # en, fr-CA, zh-Hant, zh-Hant-TW


def _lang(value: Any) -> str:
    from .i18n import is_language

    if isinstance(value, str) and _LANG_RE.match(value) and is_language(value):
        return value
    raise _expected("an ISO 639 language code such as 'en' or 'fr'")


def _country(value: Any) -> str:
    from .i18n import is_country

    if isinstance(value, str) and is_country(value.upper()):
        return value.upper()
    raise _expected("an ISO 3166 country code such as 'CA' or 'FR'")


LanguageCode = Annotated[str, BeforeValidator(_lang), WithJsonSchema({"type": "string", "pattern": _LANG_RE.pattern})]
CountryCode = Annotated[str, BeforeValidator(_country), WithJsonSchema({"type": "string", "pattern": "^[A-Z]{2}$"})]


def _localized_of(limit: int, what: str):
    def check(value: Any) -> dict[str, str]:
        texts = _localized(value)
        for language, text in texts.items():
            if len(text) > limit:
                raise _too_long(what, limit, text, language)
        return texts

    return check


def _localized(value: Any) -> dict[str, str]:
    """A text given once (any language) or per language: {en: ..., fr: ...}."""
    if isinstance(value, str) and value.strip():
        return {"*": value.strip()}
    if isinstance(value, dict) and value:
        out = {}
        for key, text in value.items():
            try:
                _lang(key)
            except PydanticCustomError:  # name the key, not the whole mapping (a comma in a flow mapping)
                raise _expected_found(
                    "a mapping of language code to text, such as {en: ..., fr: ...}",
                    f"the key {str(key)[:40]!r}, which is no ISO 639 language code",
                ) from None
            if not isinstance(text, str) or not text.strip():
                raise _expected(f"text for language '{key}'")
            out[key] = text.strip()
        return out
    raise _expected("text, or a mapping of language code to text")


def _localized_schema(limit: int) -> dict:
    return {
        "anyOf": [
            {"type": "string", "maxLength": limit},
            {"type": "object", "additionalProperties": {"type": "string", "maxLength": limit}, "minProperties": 1},
        ]
    }


# a synopsis, a bio, a programme note
Localized = Annotated[
    dict[str, str], BeforeValidator(_localized_of(TEXT_CHARS, "a text")), WithJsonSchema(_localized_schema(TEXT_CHARS))
]
LocalizedTitle = Annotated[
    dict[str, str],
    BeforeValidator(_localized_of(TITLE_CHARS, "a title")),
    WithJsonSchema(_localized_schema(TITLE_CHARS)),
]
# a tagline, a caption, a note
LocalizedLine = Annotated[
    dict[str, str],
    BeforeValidator(_localized_of(LINE_CHARS, "a line of text")),
    WithJsonSchema(_localized_schema(LINE_CHARS)),
]
# a director's statement, production notes, a welcome
LocalizedLong = Annotated[
    dict[str, str], BeforeValidator(_localized_of(LONG_CHARS, "a text")), WithJsonSchema(_localized_schema(LONG_CHARS))
]


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise _expected("a date as YYYY-MM-DD")


Date = Annotated[dt.date, BeforeValidator(_date), WithJsonSchema({"type": "string", "format": "date"})]

_TIME_RE = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
_TIME_12H_RE = re.compile(r"^(0?[1-9]|1[0-2])(?:[:.]([0-5]\d))?\s*([ap])\.?\s*m\.?$", re.IGNORECASE)


def _time(value: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 24 * 60:
        # YAML 1.1 reads 19:30 as a sexagesimal number (1170).
        return f"{value // 60:02d}:{value % 60:02d}"
    if isinstance(value, str) and (m := _TIME_RE.match(value.strip())):
        return f"{int(m.group(1)):02d}:{m.group(2)}"
    if isinstance(value, str) and (m := _TIME_12H_RE.match(value.strip())):  # 5:30pm, 5:30 PM, 11 a.m.
        hour = int(m.group(1)) % 12 + (12 if m.group(3).lower() == "p" else 0)
        return f"{hour:02d}:{m.group(2) or '00'}"
    raise _expected("a time as HH:MM (24-hour) or h:mm AM/PM (12-hour)")


_TIME_PATTERN = "^(([01]?\\d|2[0-3]):[0-5]\\d|(0?[1-9]|1[0-2])([:.][0-5]\\d)?\\s*[AaPp]\\.?\\s*[Mm]\\.?)$"
Time = Annotated[
    str,
    BeforeValidator(_time),
    WithJsonSchema({"type": "string", "pattern": _TIME_PATTERN, "description": "17:30, or 5:30 PM"}),
]

_SLUG_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def _slug(value: Any) -> str:
    if isinstance(value, str) and _SLUG_RE.match(value):
        return value
    raise _expected("a slug of lower-case letters, digits and hyphens, such as 'red-rooms'")


Slug = Annotated[str, BeforeValidator(_slug), WithJsonSchema({"type": "string", "pattern": _SLUG_RE.pattern})]


# Host names that name no public site: this machine, the local network, reserved test names.
_LOCAL_TLDS = {
    "localhost",
    "local",
    "internal",
    "lan",
    "home",
    "corp",
    "intranet",
    "private",
    "arpa",
    "test",
    "invalid",
}
_LABEL_RE = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_TLD_RE = re.compile(r"^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$")
_PUBLIC = "a public web address with a host name such as https://example.com"


def _url_host_problem(host: str) -> str | None:
    """Why `host` (lower case) names no public site, or None."""
    try:
        ipaddress.ip_address(host.strip("[]"))
        return "an IP address"
    except ValueError:
        pass
    host = host.rstrip(".")
    labels = host.split(".")
    if len(labels) < 2:
        return "a name of one word (a local name)"
    if labels[-1] in _LOCAL_TLDS:
        return f"a local name (.{labels[-1]})"
    try:
        ascii_labels = [label.encode("idna").decode("ascii") for label in labels]
    except UnicodeError:
        return "not a valid host name"
    if not all(_LABEL_RE.match(label) for label in ascii_labels) or not _TLD_RE.match(ascii_labels[-1]):
        return "not a valid host name"
    return None


def _valid_port(parts) -> bool:
    try:
        return parts.port is None or parts.port >= 0
    except ValueError:  # not a number, or out of range
        return False


def _url(value: Any) -> str:
    """A public http(s) address: no other scheme, no user name or password, no IP address and no local name
    (a screener link is printed and turned into a QR code: it must work for the reader)."""
    text = value.strip() if isinstance(value, str) else ""
    if not re.match(r"^https?://[^\s\\]+$", text) or len(text) > 2000:
        raise _expected("a web address starting with https://")
    parts = urlsplit(text)
    shown = repr(text) if len(text) <= 60 else repr(text[:57] + "...")
    if "@" in parts.netloc:
        raise _expected_found(_PUBLIC, "an address with a user name or password before its host (user@)")
    if not _valid_port(parts):
        raise _expected_found(_PUBLIC, f"{shown}, whose port is not a number from 0 to 65535")
    why = _url_host_problem(parts.hostname or "")
    if why:
        raise _expected_found(_PUBLIC, f"{shown}, whose host is {why}")
    return text


Url = Annotated[str, BeforeValidator(_url), WithJsonSchema({"type": "string", "format": "uri"})]


def _email(value: Any) -> str:
    if isinstance(value, str) and re.match(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", value.strip()):
        return value.strip()
    raise _expected("an e-mail address")


Email = Annotated[str, BeforeValidator(_email), WithJsonSchema({"type": "string", "format": "email"})]


# --- images -----------------------------------------------------------------------------------


class Image(Strict):
    """An image file inside the film folder, with the credit that travels with it."""

    file: Text = Field(description="path relative to the film folder")
    credit: Text | None = Field(None, description="photo credit, printed with the image")
    caption: LocalizedLine | None = None
    people: list[Text] = Field(default_factory=list, description="people shown, left to right")
    placeholder: bool = Field(False, description="true for generated stand-in images")


class Images(Strict):
    key_art: Image | None = None
    stills: list[Image] = Field(default_factory=list)
    logos: list[Image] = Field(default_factory=list)


# --- people ------------------------------------------------------------------------------------


class CastMember(Strict):
    name: Text
    character: LocalizedLine | None = None
    bio: Localized | None = None
    principal: bool = Field(False, description="billed on the cover and in the billing block")


FilmKind = Literal["feature", "short", "documentary", "series", "medium-length"]


class FilmographyEntry(Strict):
    year: Year
    title: Title
    original_title: Title | None = None
    kind: FilmKind = "feature"
    note: Text | None = Field(None, description="e.g. a festival or award: 'Slamdance 2019'")


class Director(Strict):
    name: Text
    index_name: Text | None = Field(
        None,
        description="the name as indexes sort and print it: 'Plante, Pascal' (default from the last "
        "word of name), or 'Wong Kar-wai' for a name whose family name comes first",
    )
    bio: Localized | None = None
    headshot: Image | None = None
    filmography: list[FilmographyEntry] = Field(default_factory=list)


class Crew(Strict):
    """Crew by role, in the conventional order of a credit list."""

    screenplay: list[Text] = Field(default_factory=list)
    producers: list[Text] = Field(default_factory=list)
    co_producers: list[Text] = Field(default_factory=list)
    executive_producers: list[Text] = Field(default_factory=list)
    cinematography: list[Text] = Field(default_factory=list)
    editing: list[Text] = Field(default_factory=list)
    production_design: list[Text] = Field(default_factory=list)
    art_direction: list[Text] = Field(default_factory=list)
    costumes: list[Text] = Field(default_factory=list)
    makeup: list[Text] = Field(default_factory=list)
    sound: list[Text] = Field(default_factory=list)
    music: list[Text] = Field(default_factory=list)
    casting: list[Text] = Field(default_factory=list)
    visual_effects: list[Text] = Field(default_factory=list)


class Companies(Strict):
    presenting: list[Text] = Field(default_factory=list, description="'X presents'")
    in_association_with: list[Text] = Field(default_factory=list)
    production: list[Text] = Field(default_factory=list)
    co_production: list[Text] = Field(default_factory=list, description="co-producing companies")


class Distributor(Strict):
    territory: CountryCode | Literal["world"]
    company: Text


ContactRole = Literal["world-sales", "distribution", "press", "festivals", "production"]


class Contact(Strict):
    role: ContactRole
    company: Text
    name: Text | None = None
    email: Email | None = None
    phone: Text | None = None
    website: Url | None = None
    territory: CountryCode | None = None


# --- texts -------------------------------------------------------------------------------------


class Texts(Strict):
    tagline: LocalizedLine | None = None
    logline: LocalizedLine | None = None
    synopsis_short: Localized | None = None
    synopsis_long: Localized | None = None
    directors_statement: LocalizedLong | None = None
    production_notes: LocalizedLong | None = None


class Quote(Strict):
    text: Localized
    outlet: Text
    critic: Text | None = None
    rank: Count | None = Field(None, description="1 = best; unranked quotes come after ranked ones")


# --- festival life -----------------------------------------------------------------------------

Premiere = Literal["world", "international", "north-american", "european", "national", "regional"]
Result = Literal["winner", "nominee", "special-mention"]


class Award(Strict):
    name: Text = Field(description="the award, e.g. 'Best Film'")
    result: Result = "winner"
    prize: Text | None = Field(None, description="the competition or prize family, e.g. 'Cheval Noir'")
    recipient: Text | None = None


class Screening(Strict):
    """A screening at one festival of the film's life. Only the project's own festival's screenings must
    fall within its dates (festival.py); another festival's are entered as its page gives them."""

    date: Date
    time: Time | None = None
    venue: Text | None = None
    screen: Text | None = Field(None, description="the hall or screen, e.g. 'Screen 4'")
    city: Text | None = Field(None, description="e.g. 'Chicago'")
    code: Text | None = None
    qa: LocalizedLine | None = Field(None, description="Q&A or guests at this screening")


def _age(value: Any) -> int:
    return _whole("an age in whole years from 0 to 21", 0, 21)(value)


Age = Annotated[int, BeforeValidator(_age), WithJsonSchema({"type": "integer", "minimum": 0, "maximum": 21})]


class Rating(Strict):
    """An age rating, always with whose it is: a territory's classification body, or a festival's own."""

    rating: Text | None = Field(None, description="the rating as given, e.g. 'PG12' or '18+'")
    territory: CountryCode | None = Field(None, description="the country whose rating it is")
    authority: Text | None = Field(None, description="the body that gave it, e.g. 'BBFC' or a festival")
    legal_age: Age | None = Field(None, description="the legal minimum age")
    suggested_age: Age | None = Field(None, description="the age the body recommends, where it gives one")

    @model_validator(mode="after")
    def _says_something(self) -> Rating:
        if self.rating is None and self.legal_age is None and self.suggested_age is None:
            raise _expected("a rating, a legal_age or a suggested_age")
        return self


class VenueRating(Rating):
    """A rating a festival entry gives: at one of its venues, or as that festival's (or its country's)."""

    venue: Text | None = None


class CompanionShort(Strict):
    title: Title
    director: Text | None = None
    runtime: Minutes | None = None
    film: Slug | None = Field(None, description="slug of the short's own film folder, if any")
    summary: Localized | None = None


class Guest(Strict):
    name: Text
    role: Text | None = None


class FestivalEntry(Strict):
    """One festival in the film's life, with that festival's own programme texts."""

    id: Slug
    festival: Text
    short_name: Text | None = None
    year: Year
    edition: Text | None = Field(None, description="e.g. '64th' or '27'")
    tier: Literal[1, 2, 3] = Field(2, description="1 = major (A-list), 2 = established, 3 = other")
    section: Text | None = None
    slot: Text | None = Field(None, description="e.g. 'Opening Film'")
    premiere: Premiere | None = None
    premiere_label: Text | None = Field(None, description="e.g. 'Greek Premiere' for a national premiere")
    official_selection: bool = Field(
        False,
        description="true where the festival's page says 'Official Selection': only then an OFFICIAL "
        "SELECTION laurel (a section does not imply it)",
    )
    awards: list[Award] = Field(default_factory=list)
    laurel_artwork: Text | None = Field(None, description="official laurel SVG supplied by the festival")
    genres: list[Text] = Field(default_factory=list, description="genres as this festival lists them")
    synopsis: Localized | None = None
    programme_note: Localized | None = None
    programme_note_by: Text | None = None
    screenings: list[Screening] = Field(default_factory=list)
    screenings_note: LocalizedLine | None = None
    guests: list[Guest] = Field(default_factory=list)
    ratings: list[VenueRating] = Field(default_factory=list)
    content_warnings: list[Text] = Field(default_factory=list)
    presented_by: list[Text] = Field(default_factory=list)
    screens_with: CompanionShort | None = None


RecognitionKind = Literal["academy-award-submission", "national-award", "critics-award", "guild-award", "other"]
RecognitionResult = Literal["won", "nominated", "submitted", "shortlisted", "special-mention"]


class Recognition(Strict):
    """A recognition that is not a festival's: a country's Academy Award submission, a national film
    award, a critics' prize."""

    kind: RecognitionKind
    body: Text = Field(description="who gives it: 'Academy Awards', 'Saudi Film Critics Association'")
    award: Text | None = Field(None, description="the award or category: 'Best International Feature Film'")
    year: Year
    result: RecognitionResult
    country: CountryCode | None = Field(None, description="for a submission: the submitting country")
    edition: Text | None = Field(None, description="e.g. '96th'")
    recipient: Text | None = None
    laurel: bool = Field(True, description="false: listed in the kit, but no laurel is made")
    short_name: Text | None = Field(None, description="drawn when the body's name does not fit the wreath")
    source: Url | None = Field(None, description="where it is stated")


class Links(Strict):
    trailer: Url | None = None
    screener: Url | None = None
    website: Url | None = None


class Technical(Strict):
    colour: Literal["colour", "black-and-white", "colour-and-black-and-white"] | None = None
    aspect_ratio: Text | None = None
    sound: Text | None = None
    shooting_format: Text | None = None
    exhibition_formats: list[Text] = Field(default_factory=list)
    captions: Literal["open", "closed", "none"] | None = None


class Film(Strict):
    """One film: the single source of truth for every product."""

    slug: Slug | None = Field(None, description="defaults to the folder name")
    title: LocalizedTitle = Field(description="display title, per language")
    original_title: Title | None = None
    original_language: LanguageCode | None = None
    transliteration: Title | None = None
    year: Year | None = None
    countries: list[CountryCode] = Field(default_factory=list)
    runtime: Minutes | None = None
    languages: list[LanguageCode] = Field(default_factory=list)
    subtitles: list[LanguageCode] = Field(default_factory=list)
    genres: list[Text] = Field(default_factory=list)
    technical: Technical = Field(default_factory=Technical)
    ratings: list[Rating] = Field(default_factory=list)
    content_warnings: list[Text] = Field(default_factory=list)
    directors: list[Director] = Field(min_length=1)
    cast: list[CastMember] = Field(default_factory=list)
    crew: Crew = Field(default_factory=Crew)
    companies: Companies = Field(default_factory=Companies)
    distributors: list[Distributor] = Field(default_factory=list)
    contacts: list[Contact] = Field(default_factory=list)
    texts: Texts = Field(default_factory=Texts)
    quotes: list[Quote] = Field(default_factory=list)
    festivals: list[FestivalEntry] = Field(default_factory=list)
    recognitions: list[Recognition] = Field(default_factory=list)
    images: Images = Field(default_factory=Images)
    links: Links = Field(default_factory=Links)
    updated: Date | None = Field(None, description="when this material was last revised; the PDF's date")
    sources: list[Url] = Field(default_factory=list, description="the public pages these facts come from")

    @model_validator(mode="after")
    def _unique_festival_ids(self) -> Film:
        seen = set()
        for entry in self.festivals:
            if entry.id in seen:
                raise PydanticCustomError(
                    "expected", "expected each festival id once, got '{id}' twice", {"id": entry.id}
                )
            seen.add(entry.id)
        return self


# --- the project -------------------------------------------------------------------------------

Paper = Literal["a4", "letter"]  # the keys of paper.PAPERS (tests/test_structure.py checks)


class PrintSettings(Strict):
    standard: Literal["pdf/x-4", "pdf/x-1a"] = "pdf/x-4"
    profile: Text | None = Field(
        None,
        description="the printer's CMYK ICC output profile, a path inside the project; "
        "default: presskit's FOGRA39 profile for A sizes and metric trims, GRACoL 2006 for US sizes",
    )
    bleed: Text | None = Field(None, description="CSS length; default 3mm for A sizes, 0.125in for US")
    crop_marks: bool = Field(
        False, description="crop marks (0.25 pt, 100 % K) outside the bleed; many printers prefer none"
    )
    ppi: Count = Field(300, description="resolution of photos at their placed size in the print edition")


class Project(Strict):
    """presskit.yaml at the root of a project."""

    name: Text = "presskit project"
    language: LanguageCode = "en"
    paper: Paper = "a4"
    films: Text = Field("films", description="folder holding one sub-folder per film")
    festival: Text | None = Field(None, description="festival edition file, for catalogues")
    layouts: Text | None = Field(None, description="project layouts folder, searched before the built-in ones")
    fonts: Text | None = Field(None, description="folder of the project's own fonts (default: fonts/ if present)")
    print: PrintSettings = Field(default_factory=PrintSettings)
    max_laurels: Count = 4


# --- the festival edition (festival.yaml) ------------------------------------------------------
# Cross-references (a screening's film and venue, a film listed in one section only) are checked in
# festival.py, where each problem can name its own line.

_PAGE_SIZE_RE = re.compile(r"^(\d+(?:\.\d+)?)(mm|cm|in|pt)\s+(\d+(?:\.\d+)?)(mm|cm|in|pt)$")


def page_size_mm(value: str) -> tuple[float, float]:
    """'170mm 240mm' -> (170.0, 240.0). The value must already be a valid PageSize."""
    m = _PAGE_SIZE_RE.match(value)
    if m is None:
        raise ValueError(f"not a page size: {value!r}")
    return float(m.group(1)) * MM_PER_UNIT[m.group(2)], float(m.group(3)) * MM_PER_UNIT[m.group(4)]


def _page_size(value: Any) -> str:
    if isinstance(value, str) and (m := _PAGE_SIZE_RE.match(" ".join(value.split()))):
        size = f"{m.group(1)}{m.group(2)} {m.group(3)}{m.group(4)}"
        if all(80 <= side <= 600 for side in page_size_mm(size)):
            return size
    raise _expected("a page size as width and height between 80mm and 600mm, such as '170mm 240mm'")


PageSize = Annotated[str, BeforeValidator(_page_size), WithJsonSchema({"type": "string", "examples": ["170mm 240mm"]})]


def _cmyk(value: Any) -> tuple[float, float, float, float]:
    if (
        isinstance(value, list)
        and len(value) == 4
        and all(isinstance(v, (int, float)) and not isinstance(v, bool) and 0 <= v <= 100 for v in value)
    ):
        c, m, y, k = (float(v) for v in value)
        return c, m, y, k
    raise _expected("a CMYK colour as four percentages, such as [5, 100, 90, 20]")


Cmyk = Annotated[
    tuple[float, float, float, float],
    BeforeValidator(_cmyk),
    WithJsonSchema(
        {"type": "array", "items": {"type": "number", "minimum": 0, "maximum": 100}, "minItems": 4, "maxItems": 4}
    ),
]


def _issn(value: Any) -> str:
    if isinstance(value, str) and re.match(r"^\d{4}-\d{3}[\dX]$", value.strip()):
        digits = value.strip().replace("-", "")
        total = sum(int(d) * w for d, w in zip(digits[:7], range(8, 1, -1)))
        check = (11 - total % 11) % 11
        if digits[7] == ("X" if check == 10 else str(check)):
            return value.strip()
    raise _expected("an ISSN such as '1234-5679' (four digits, hyphen, three digits and a check digit)")


Issn = Annotated[str, BeforeValidator(_issn), WithJsonSchema({"type": "string", "pattern": "^\\d{4}-\\d{3}[\\dX]$"})]


class FestivalDates(Strict):
    start: Date
    end: Date


class Venue(Strict):
    id: Slug
    name: Text
    short_name: Text | None = None
    address: Text | None = None
    screens: list[Text] = Field(default_factory=list, description="halls; a screening may name one")


def _film_ref(value: Any) -> Any:
    """A section's film given as a bare slug is short for {film: slug}."""
    return {"film": value} if isinstance(value, str) else value


class SectionFilm(Strict):
    film: Slug = Field(description="the film's slug (its folder name)")
    festival_entry: Slug | None = Field(
        None, description="id of the film's own festivals[] entry whose texts to print; default: the festival id"
    )
    page: Literal["full", "half"] = Field("full", description="the size of the film's catalogue entry")
    texts: Literal["festival-entry", "film"] = Field(
        "festival-entry",
        description="where the entry's synopsis comes from: the film's festivals[] entry for this festival "
        "(else another entry or texts.synopsis_short, with a warning), or 'film': the film's own "
        "texts.synopsis_short, by choice (no warning)",
    )
    slot: LocalizedLine | None = Field(None, description="e.g. 'Opening Film'; replaces the film entry's slot")


class Section(Strict):
    id: Slug
    title: LocalizedTitle
    intro: Localized | None = None
    sponsor: Text | None = Field(None, description="'section presented by'")
    colour: Cmyk | None = None
    films: list[Annotated[SectionFilm, BeforeValidator(_film_ref)]] = Field(
        default_factory=list, description="in catalogue order; a film belongs to one section"
    )


class FestivalScreening(Strict):
    film: Slug
    date: Date
    time: Time
    venue: Slug = Field(description="a venue id from venues")
    screen: Text | None = Field(None, description="one of the venue's screens")
    code: Text = Field(description="the screening code printed on tickets")
    qa: LocalizedLine | None = Field(None, description="Q&A or introduction at this screening")
    guests: list[Guest] = Field(default_factory=list)
    rating: Text | None = Field(None, description="age rating at this venue, e.g. '18+'")
    warnings: LocalizedLine | None = Field(None, description="a content-warning note for this screening")
    note: LocalizedLine | None = Field(None, description="e.g. 'Free screening' or 'Relaxed screening'")


class SponsorTier(Strict):
    tier: LocalizedLine = Field(description="e.g. 'Presenting partners'")
    names: list[Text] = Field(min_length=1)


class StaffMember(Strict):
    role: LocalizedLine
    name: Text


class Colophon(Strict):
    publisher: Text | None = None
    printer: Text | None = None
    issn: Issn | None = None
    print_run: Count | None = None
    credits: LocalizedLong | None = Field(None, description="design, editing, photo credits, legal notice")


class Welcome(Strict):
    title: LocalizedTitle | None = None
    text: LocalizedLong
    signature: Text
    signature_role: LocalizedLine | None = None


class Festival(Strict):
    """festival.yaml: one edition of a festival, for programme pages and the catalogue."""

    id: Slug = Field(description="the id the films' own festivals[] entries use for this edition")
    name: LocalizedTitle
    short_name: Text | None = None
    edition: Text | None = Field(None, description="e.g. '27th'")
    year: Year
    dates: FestivalDates
    country: CountryCode | None = Field(None, description="where it takes place: whose age ratings apply")
    language: LanguageCode = "en"
    languages: list[LanguageCode] = Field(
        default_factory=list,
        max_length=2,
        description="two languages to print side by side or one after the other (e.g. [fr, en]); the first leads",
    )
    time_format: Literal["12h", "24h"] | None = Field(
        None, description="screening times in 12-hour (5:30 PM) or 24-hour (17:30) form; default: the language's"
    )
    website: Url | None = None
    trim: PageSize = Field("170mm 240mm", description="the catalogue's trimmed page size, width then height")
    welcome: Welcome | None = None
    venues: list[Venue] = Field(min_length=1)
    sections: list[Section] = Field(min_length=1)
    screenings: list[FestivalScreening] = Field(default_factory=list)
    sponsors: list[SponsorTier] = Field(default_factory=list)
    staff: list[StaffMember] = Field(default_factory=list)
    colophon: Colophon = Field(default_factory=Colophon)
