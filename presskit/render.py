"""The Jinja environment (layout search path, autoescape, StrictUndefined) and HTML rendering."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from .errors import LayoutError
from .resources import builtin_layouts


def layout_path(project_layouts: Path | None) -> list[Path]:
    """Project layouts first (to override any template by name), then the built-in ones."""
    paths = [builtin_layouts()]
    if project_layouts is not None and project_layouts.is_dir():
        paths.insert(0, project_layouts.resolve())
    return paths


@lru_cache(maxsize=8)
def environment(search_path: tuple[Path, ...]):
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

    env = Environment(
        loader=FileSystemLoader([str(p) for p in search_path]),
        autoescape=select_autoescape(enabled_extensions=("html", "j2", "svg"), default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    return env


def render_html(search_path: tuple[Path, ...], template: str, context: dict) -> str:
    from jinja2 import TemplateError, TemplateNotFound, UndefinedError

    env = environment(search_path)
    try:
        return env.get_template(template).render(**context)
    except TemplateNotFound as exc:
        raise LayoutError(f"template {exc.name} not found in {', '.join(map(str, search_path))}") from None
    except UndefinedError as exc:
        raise LayoutError(f"template {template}: {exc.message}") from None
    except TemplateError as exc:
        where = f"{getattr(exc, 'filename', None) or template}:{getattr(exc, 'lineno', '?')}"
        raise LayoutError(f"template {where}: {exc}") from None

