"""YAML files read with the line of every key, and validated against the pydantic models: every problem
is collected with file, line and key path (film.yaml, presskit.yaml, the festival file)."""
from __future__ import annotations

import difflib
import json
import re
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from .errors import DataError, Problem


class _Loader(yaml.SafeLoader):
    """SafeLoader that refuses duplicate keys (a later key silently replacing an earlier one loses data)."""


def _construct_mapping(loader: _Loader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen: dict[Any, int] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key '{key}' (first at line {seen[key] + 1})", key_node.start_mark
            )
        seen[key] = key_node.start_mark.line
    return yaml.SafeLoader.construct_mapping(loader, node, deep=deep)


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)

# YAML 1.2-like scalars: `NO` (Norway) stays a string, `2023-13-01` reaches the date validator as text,
# `19:30` is not read as the base-60 number 1170. Only true/false are booleans; ints and floats are decimal.
_Loader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers
          if tag not in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp",
                         "tag:yaml.org,2002:int", "tag:yaml.org,2002:float")]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
                              list("tTfF"))
_Loader.add_implicit_resolver("tag:yaml.org,2002:int", re.compile(r"^[-+]?[0-9]+$"), list("-+0123456789"))
_Loader.add_implicit_resolver("tag:yaml.org,2002:float", re.compile(r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)$"),
                              list("-+0123456789."))


class _FastLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """_Loader's rules parsed by libyaml when it is there (about 5x faster: catalogues load hundreds of
    films). A file it rejects is read again with _Loader, whose error messages the user sees."""


_FastLoader.yaml_constructors = dict(_Loader.yaml_constructors)
_FastLoader.yaml_implicit_resolvers = {k: list(v) for k, v in _Loader.yaml_implicit_resolvers.items()}


def _parse(text: str, loader_class) -> tuple[Any, yaml.Node | None]:
    """One pass: the node tree (for line numbers) and the data constructed from it."""
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        return (loader.construct_document(node) if node is not None else None), node
    finally:
        loader.dispose()


def display_path(path: Path) -> str:
    """A path as the user will recognise it: relative to the working directory when possible."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _line_index(node: yaml.Node, prefix: tuple = (), index: dict | None = None) -> dict[tuple, int]:
    """Map each key path to the 1-based line where its value (or key) stands."""
    index = {} if index is None else index
    index.setdefault(prefix, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            path = prefix + (str(key_node.value),)
            index[path] = key_node.start_mark.line + 1
            _line_index(value_node, path, index)
            index[path] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _line_index(item, prefix + (i,), index)
    return index


def read_yaml(path: Path) -> tuple[Any, dict[tuple, int]]:
    """Read one YAML file; a syntax error becomes a DataError with its line."""
    shown = display_path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataError(f"{shown}: file not found") from None
    except UnicodeDecodeError as exc:
        raise DataError(f"{shown}: expected UTF-8 text, got undecodable bytes at offset {exc.start}") from None
    try:
        try:
            data, node = _parse(text, _FastLoader)
        except yaml.MarkedYAMLError:
            data, node = _parse(text, _Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        what = exc.problem or str(exc)
        raise DataError(
            "invalid YAML", [Problem(shown, line, "", f"YAML syntax: {what}")]
        ) from None
    return data, (_line_index(node) if node is not None else {})


def format_key(loc: tuple) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _allowed_keys(model: type[BaseModel], loc: tuple) -> list[str]:
    """The field names of the model reached by `loc`, for a did-you-mean hint."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        fields = getattr(current, "model_fields", None)
        if not fields or part not in fields:
            return []
        current = _inner_model(fields[part].annotation)
    return list(getattr(current, "model_fields", {}))


def _inner_model(annotation: Any) -> Any:
    import typing

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def _message(err: dict, model: type[BaseModel], loc: tuple) -> str:
    kind = err["type"]
    given = err.get("input")
    if kind == "expected":
        return f"{err['msg']}, got {_short(given)}"
    if kind == "missing":
        return "required key is missing"
    if kind == "extra_forbidden":
        key = loc[-1]
        allowed = _allowed_keys(model, loc[:-1])
        hint = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.6)
        suffix = f"; did you mean '{hint[0]}'?" if hint else (
            f"; expected one of: {', '.join(allowed)}" if allowed else ""
        )
        return f"unknown key{suffix}"
    if kind == "literal_error":
        options = err.get("ctx", {}).get("expected", "")
        hint = difflib.get_close_matches(str(given), [o.strip(" '") for o in options.replace(" or ", ", ").split(",")], n=1)
        suffix = f"; did you mean '{hint[0]}'?" if hint else ""
        return f"expected one of {options}, got {_short(given)}{suffix}"
    if kind in ("list_type", "tuple_type"):
        return f"expected a list, got {_short(given)}"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"expected a mapping of keys to values, got {_short(given)}"
    if kind in ("bool_type", "bool_parsing"):
        return f"expected true or false, got {_short(given)}"
    if kind == "too_short":
        return "expected at least one entry, got none"
    if kind in ("string_type",):
        return f"expected text, got {_short(given)}"
    return f"{err['msg'][0].lower()}{err['msg'][1:]}, got {_short(given)}"


def _clean_loc(loc: tuple) -> tuple:
    """Drop pydantic's union/validator branch names ('literal['world']', 'function-before[...]')."""
    return tuple(p for p in loc if isinstance(p, int) or ("[" not in p and "-" not in p or p.isidentifier()))


def problems_from(exc: ValidationError, model: type[BaseModel], file: str, lines: dict) -> list[Problem]:
    problems: dict[tuple, Problem] = {}
    for err in exc.errors(include_url=False):
        loc = _clean_loc(tuple(err["loc"]))
        line = None
        probe = loc
        while probe and line is None:
            line = lines.get(probe)
            probe = probe[:-1]
        if line is None:
            line = lines.get((), None)
        problem = Problem(file, line, format_key(loc), _message(err, model, loc))
        # A union reports one error per branch; keep the first message for each key.
        problems.setdefault(loc, problem)
    return sorted(problems.values(), key=lambda p: (p.line or 0, p.key))


def validate(model: type[BaseModel], data: Any, file: str, lines: dict, context: dict | None = None):
    """Validate data against a model, returning (instance, problems)."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return None, [Problem(file, 1, "", f"expected a mapping of keys to values, got {_short(data)}")]
    try:
        return model.model_validate(data, context=context), []
    except ValidationError as exc:
        return None, problems_from(exc, model, file, lines)


def resolve_inside(base: Path, relative: str, root: Path) -> Path | None:
    """`base/relative` if it stays inside `root` (no ../ or absolute escapes), else None."""
    candidate = (base / relative).resolve()
    try:
        candidate.relative_to(_resolved(root))
    except ValueError:
        return None
    return candidate


_RESOLVED: dict[Path, Path] = {}  # a project root, resolved once (a catalogue checks thousands of paths in it)


def _resolved(root: Path) -> Path:
    if root not in _RESOLVED:
        if len(_RESOLVED) > 64:
            _RESOLVED.clear()
        _RESOLVED[root] = root.resolve()
    return _RESOLVED[root]


def read_yaml_remembered(path: Path, memo) -> tuple[Any, dict[tuple, int] | None]:
    """read_yaml, or the data it gave for the file as it stands (cache.Memo, by size and modification
    time): YAML parsing is most of the time of loading hundreds of films. Only data that JSON keeps as it
    is (string keys, no NaN) is remembered, without its line numbers (None: read the file again for them,
    which only a problem to report needs)."""
    if memo is None:
        return read_yaml(path)
    path = path.resolve()
    known = memo.get(path, "yaml")
    if known is not None:
        return known, None
    before = memo.stat(path)
    data, lines = read_yaml(path)
    try:
        if json.loads(json.dumps(data)) == data:
            memo.put(path, "yaml", data, before)
    except (TypeError, ValueError):
        pass
    return data, lines
