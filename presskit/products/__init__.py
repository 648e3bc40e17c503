"""The products presskit builds, each a module (or package) here holding one Product subclass:

    kit.py         the press kit (and the film's laurel files)
    onesheet.py    the one-page sell sheet, fitted to one page
    programme.py   a film's entry in a festival catalogue, as a page of its own
    catalogue/     the festival catalogue

A new product is a new module here with a subclass of base.Product: `all_products()` finds it.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from ..load import ProjectSource
from ..settings import BuildOptions, Settings
from .base import BuildState, FilmProduct, Product


@cache
def all_products() -> dict[str, type[Product]]:
    """Every product, by name, in build order (Product.order)."""
    found: list[type[Product]] = []
    for module in pkgutil.iter_modules(__path__):
        if module.name != "base":
            importlib.import_module(f"{__name__}.{module.name}")
    stack = list(Product.__subclasses__())
    while stack:
        cls = stack.pop()
        stack += cls.__subclasses__()
        if "name" in vars(cls):
            found.append(cls)
    return {cls.name: cls for cls in sorted(found, key=lambda c: (c.order, c.name))}


def product(name: str) -> type[Product]:
    return all_products()[name]


def make(name: str, project: ProjectSource, options: BuildOptions, **product_options) -> Product:
    """The product `name` of a loaded project, for one build with `options`."""
    return product(name)(BuildState(Settings.resolve(project, options)), **product_options)


__all__ = ["BuildState", "FilmProduct", "Product", "all_products", "make", "product"]
