"""The package's shape: no import cycle, nothing imports the orchestrator back, every product behind the
same interface (presskit/products/base.py)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from presskit.products import all_products
from presskit.products.base import FilmProduct, Product

ROOT = Path(__file__).resolve().parent.parent


def _import_graph():
    spec = importlib.util.spec_from_file_location("import_cycles", ROOT / "tools" / "import_cycles.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module, module.graph()


def test_no_import_cycle_among_presskit_modules():
    module, graph = _import_graph()
    assert len(graph) > 30  # every module was read, imports inside functions included
    assert module.cycles(graph) == []


def test_nothing_but_the_command_line_imports_the_orchestrator():
    _, graph = _import_graph()
    assert sorted(name for name, imports in graph.items() if "presskit.build" in imports) == ["presskit.cli"]


def test_the_products_are_found_in_build_order():
    products = all_products()
    assert list(products) == ["kit", "onesheet", "programme", "catalogue"]
    assert {name: cls.scope for name, cls in products.items()} == {
        "kit": "film",
        "onesheet": "film",
        "programme": "film",
        "catalogue": "festival",
    }
    assert products["kit"].default_editions == ("screen", "print")
    assert all(cls.default_editions == ("print",) for name, cls in products.items() if name != "kit")


def test_every_product_implements_the_whole_interface():
    for name, cls in all_products().items():
        assert issubclass(cls, Product) and cls.name == name
        assert (ROOT / "layouts" / cls.layout / "manifest.yaml").is_file(), cls.layout
        for method in ("outputs", "context", "write"):
            assert getattr(cls, method) is not getattr(Product, method), f"{name} lacks {method}"
        assert issubclass(cls, FilmProduct) == (cls.scope == "film")


def test_one_paper_table():
    """The paper sizes the data may name are the ones presskit's table knows."""
    from typing import get_args

    from presskit.model import Paper
    from presskit.paper import PAPERS

    assert set(get_args(Paper)) == set(PAPERS)
