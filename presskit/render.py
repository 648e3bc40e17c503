"""The Jinja environment and HTML rendering.

Layouts are data: they travel between people (a festival's designer, a distributor's house style), so they
run sandboxed (Jinja's SandboxedEnvironment: no attribute of Python's internals, nothing that runs code),
autoescaped, with StrictUndefined, and read only templates inside the layout folders (a template reached
through a symbolic link that leads elsewhere is refused)."""

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
    from jinja2 import FileSystemLoader, StrictUndefined, select_autoescape
    from jinja2.sandbox import SandboxedEnvironment

    from .textlang import lang_attrs, lang_span

    class ConfinedLoader(FileSystemLoader):
        """Templates from the layout folders only: their real paths (symbolic links resolved) inside one."""

        roots = tuple(Path(p).resolve() for p in search_path)

        def get_source(self, environment, template):
            source, filename, uptodate = super().get_source(environment, template)
            real = Path(filename).resolve()
            if not any(real.is_relative_to(root) for root in self.roots):
                raise LayoutError(
                    f"template {template}: {filename} leads outside the layout folders (to {real}); "
                    "a layout may only use files inside its folders"
                )
            return source, filename, uptodate

    env = SandboxedEnvironment(
        loader=ConfinedLoader([str(p) for p in search_path]),
        autoescape=select_autoescape(enabled_extensions=("html", "j2", "svg"), default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["lang_attrs"] = lang_attrs  # ' lang="ko"', ' lang="ar" dir="rtl"': textlang.py
    env.filters["lang_span"] = lang_span
    return env


def render_html(search_path: tuple[Path, ...], template: str, context: dict) -> str:
    from jinja2 import TemplateError, TemplateNotFound, TemplateSyntaxError

    env = environment(search_path)
    try:
        return env.get_template(template).render(**context)
    except TemplateNotFound as exc:
        raise LayoutError(f"template {exc.name} not found in {', '.join(map(str, search_path))}") from None
    except TemplateSyntaxError as exc:
        raise LayoutError(f"template {exc.filename or template}:{exc.lineno}: {exc.message}") from None
    except TemplateError as exc:  # raised while rendering: undefined values, the sandbox's refusals
        raise LayoutError(f"template {_where(exc, search_path, template)}: {exc.message or exc}") from None


def _where(exc: BaseException, search_path: tuple[Path, ...], template: str) -> str:
    """'name:line' of the innermost template frame of a rendering error (Jinja gives template frames their
    file and line), else the template asked for."""
    import traceback

    roots = [str(p) for p in search_path]
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        for root in roots:
            if frame.filename.startswith(root + "/"):
                return f"{frame.filename[len(root) + 1 :]}:{frame.lineno}"
    return template
