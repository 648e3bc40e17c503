"""The settings of one build, resolved once: paper, language and labels, the layout search path, editions,
where output goes. Every product reads them from here; the command line's options only feed them.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from .edition import Edition, print_edition, screen_edition
from .errors import DataError
from .load import ProjectSource
from .model import Project
from .paper import PAPERS, Paper
from .render import layout_path
from .resources import builtin_assets

log = logging.getLogger("presskit")


@dataclass
class BuildOptions:
    """What the command line (or a caller of the library) asks of a build; None: the project's own."""

    out_dir: Path = Path("out")
    lang: str | None = None
    paper: str | None = None
    edition: str | None = None  # "screen" or "print"; None = each product's default
    pdfx: str | None = None  # "x-4" or "x-1a": overrides print.standard
    max_laurels: int | None = None  # overrides the project's max_laurels on the one-sheet
    jobs: int | None = None  # worker processes; None = one per CPU


@dataclass
class Settings:
    """A project's settings for one build (see Settings.resolve)."""

    project: ProjectSource
    options: BuildOptions
    search_path: tuple[Path, ...]  # the project's layouts first, then presskit's own
    lang: str  # --lang, else the project's language
    paper: Paper  # --paper, else the project's
    labels: dict  # the printed labels in `lang`
    assets: Path = field(default_factory=builtin_assets)
    _labels: dict[str, dict] = field(default_factory=dict, repr=False)
    _conditions: set = field(default_factory=set, repr=False)  # the output conditions announced

    @classmethod
    def resolve(cls, project: ProjectSource, options: BuildOptions) -> Settings:
        config = project.config
        layouts = project_layouts(project.root, config) or project.root / "layouts"
        if layouts.exists() and not layouts.resolve().is_relative_to(project.root.resolve()):
            raise DataError(outside_message(layouts, config))
        search_path = tuple(layout_path(layouts))
        lang = languages(options.lang)[0] if options.lang else config.language
        settings = cls(project, options, search_path, lang, PAPERS[options.paper or config.paper], {})
        settings.labels = settings.labels_for(lang)
        return settings

    @property
    def config(self) -> Project:
        return self.project.config

    @property
    def root(self) -> Path:
        return self.project.root

    @property
    def out_dir(self) -> Path:
        return self.options.out_dir

    @property
    def cache_dir(self) -> Path:
        return self.options.out_dir / ".cache"

    @property
    def image_cache(self) -> Path:
        return self.cache_dir / "images"

    @property
    def festival_lang(self) -> str:
        """The language of the festival's products (programme pages, the catalogue): --lang, else the
        festival's, else the project's; the first of two (see festival_langs)."""
        return self.festival_langs[0]

    @property
    def festival_langs(self) -> list[str]:
        """The festival products' languages: one, or two for a bilingual festival (`--lang fr,en`, else
        festival.yaml `languages: [fr, en]`), the first leading."""
        if self.options.lang:
            return languages(self.options.lang)
        festival = self.project.festival
        if festival is None:
            return [self.lang]
        return list(festival.festival.languages) or [festival.festival.language]

    @property
    def max_laurels(self) -> int | None:
        """Laurels on a one-sheet or a kit's cover: --max-laurels, else the project's."""
        return self.config.max_laurels if self.options.max_laurels is None else self.options.max_laurels

    def labels_for(self, lang: str) -> dict:
        """The printed labels in `lang` (the layouts' label catalogues and labels.yaml), read once per build."""
        if lang not in self._labels:
            from .layoutconfig import load_labels  # (its models are built on import: only when a build needs them)

            self._labels[lang] = load_labels(self.search_path, lang)
        return self._labels[lang]

    def edition(self, name: str, size: str | None = None) -> Edition:
        """The screen or print edition settings for this project (print: presskit.yaml `print:`); `size`
        ("width height": the catalogue's trim), else the paper's, chooses the default output condition.
        The first print edition of each output condition says which it is (log)."""
        if name == "screen":
            return screen_edition()
        edition = print_edition(
            self.config.print, self.paper.bleed, self.root, self.options.pdfx, size or self.paper.css_size
        )
        if edition.condition is not None and edition.condition not in self._conditions:
            self._conditions.add(edition.condition)
            log.info("print: output condition %s", edition.condition.describe())
        return edition

    def editions(self, default: tuple[str, ...], size: str | None = None) -> list[Edition]:
        """--edition, else a product's default editions."""
        names = (self.options.edition,) if self.options.edition else default
        return [self.edition(n, size) for n in names]

    def roots(self) -> list[Path]:
        """The folders a render may read: the project, presskit's assets, the layouts."""
        return [self.root, self.assets, *self.search_path]

    def film_out_dir(self, slug: str) -> Path:
        return self.out_dir / "films" / slug


def languages(option: str) -> list[str]:
    """'fr,en' -> ['fr', 'en']: --lang names one language, or two for a bilingual festival's products."""
    langs = [part.strip() for part in option.split(",") if part.strip()]
    if not langs or len(langs) > 2 or len(set(langs)) != len(langs):
        raise DataError(f"--lang: expected a language code or two ('fr' or 'fr,en'), got '{option}'")
    return langs


def outside_message(layouts: Path, config: Project) -> str:
    if config.layouts:
        return f"presskit.yaml: layouts: expected a folder inside the project, got '{config.layouts}'"
    return f"{layouts}: expected a folder inside the project, got a symbolic link leading outside it"


def project_layouts(root: Path, config: Project) -> Path | None:
    """The project's own layouts folder when presskit.yaml names one (`layouts:`)."""
    return (root / config.layouts) if config.layouts else None
