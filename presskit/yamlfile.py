"""YAML files read with the line of every key, and validated against the pydantic models: every problem
is collected with file, line and key path (film.yaml, presskit.yaml, the festival file)."""

from __future__ import annotations

import difflib
import functools
import json
import logging
import os
import re
import stat
import unicodedata
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from .errors import DataError, Problem

log = logging.getLogger("presskit")

MAX_BYTES = 2_000_000  # a film.yaml, presskit.yaml or layout file; a festival's file may be larger (festival.py)
MAX_DEPTH = 50  # mappings and lists inside one another
_ALIAS = "expected a value written out, got an alias (*name): YAML aliases are not allowed in presskit's data"
_TOO_DEEP = f"expected at most {MAX_DEPTH} levels of nesting, got more"


class _Refused(yaml.MarkedYAMLError):
    """Valid YAML that presskit's data may not hold (an alias, nesting too deep), at its mark and key."""

    def __init__(self, problem: str, mark: yaml.Mark, key: str):
        super().__init__(None, None, problem, mark)
        self.message = problem
        self.line = mark.line + 1
        self.key = key


class _Loader(yaml.SafeLoader):
    """SafeLoader that refuses duplicate keys (a later key silently replacing an earlier one loses data),
    aliases (a few lines of aliases to aliases expand to billions of values) and nesting deeper than
    MAX_DEPTH (each level a Python call), each at its line and key."""

    def __init__(self, stream):
        super().__init__(stream)
        self._path: list = []  # the key path of the node being composed (None for a mapping's key)
        self._depth = 0

    def compose_node(self, parent, index):
        part = index.value if isinstance(index, yaml.ScalarNode) else index if isinstance(index, int) else None
        self._path.append(part)
        try:
            event = self.peek_event()
            if isinstance(event, yaml.AliasEvent):
                raise _Refused(_ALIAS, event.start_mark, self._key())
            if not isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                return super().compose_node(parent, index)
            self._depth += 1
            try:
                if self._depth > MAX_DEPTH:
                    raise _Refused(_TOO_DEEP, event.start_mark, self._key())
                return super().compose_node(parent, index)
            finally:
                self._depth -= 1
        finally:
            self._path.pop()

    def _key(self) -> str:
        return format_key(tuple(p for p in self._path if p is not None))


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
    key: [
        (tag, regexp)
        for tag, regexp in resolvers
        if tag
        not in (
            "tag:yaml.org,2002:bool",
            "tag:yaml.org,2002:timestamp",
            "tag:yaml.org,2002:int",
            "tag:yaml.org,2002:float",
        )
    ]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_Loader.add_implicit_resolver("tag:yaml.org,2002:int", re.compile(r"^[-+]?[0-9]+$"), list("-+0123456789"))
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float", re.compile(r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)$"), list("-+0123456789.")
)


class _FastLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """_Loader's rules parsed by libyaml, in C, when it is there (catalogues load hundreds of films). A
    file it rejects is read again with _Loader, whose error messages the user sees."""


_FastLoader.yaml_constructors = dict(_Loader.yaml_constructors)
_FastLoader.yaml_implicit_resolvers = {k: list(v) for k, v in _Loader.yaml_implicit_resolvers.items()}


class _NotPlain(Exception):
    """The node tree holds an alias or is nested too deep (_Loader says where)."""


def _parse(text: str, loader_class) -> tuple[Any, dict[tuple, int]]:
    """One pass: the data and the line of each key path, from the node tree. The tree is checked (its
    line index made) before anything is constructed from it. _NotPlain: it holds what presskit refuses."""
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, {}
        lines = _line_index(node, seen=set() if "&" in text else None)  # (no anchor: no alias)
        return loader.construct_document(node), lines
    finally:
        loader.dispose()


def display_path(path: Path) -> str:
    """A path as the user will recognise it: relative to the working directory when possible, and as written
    (a symbolic link is not followed: its target is not the user's name for the file)."""
    for candidate, cwd in ((Path(os.path.abspath(path)), Path.cwd()), (path.resolve(), Path.cwd().resolve())):
        try:
            return str(candidate.relative_to(cwd))
        except ValueError:
            continue
    return str(path)


def _line_index(
    node: yaml.Node, prefix: tuple = (), index: dict | None = None, seen: set | None = None, depth: int = 0
) -> dict[tuple, int]:
    """Map each key path to the 1-based line where its value (or key) stands. _NotPlain when collections
    nest deeper than MAX_DEPTH or, with `seen` (the ids of the nodes met so far), when a node is reached
    twice (an alias: libyaml's tree shares the node)."""
    index = {} if index is None else index
    if seen is not None:
        if id(node) in seen:
            raise _NotPlain
        seen.add(id(node))
    index.setdefault(prefix, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        if depth >= MAX_DEPTH:
            raise _NotPlain
        for key_node, value_node in node.value:
            if seen is not None:
                _line_index(key_node, (), {}, seen)
            path = prefix + (str(key_node.value),)
            line = key_node.start_mark.line + 1
            index[path] = line
            _line_index(value_node, path, index, seen, depth + 1)
            index[path] = line
    elif isinstance(node, yaml.SequenceNode):
        if depth >= MAX_DEPTH:
            raise _NotPlain
        for i, item in enumerate(node.value):
            _line_index(item, prefix + (i,), index, seen, depth + 1)
    return index


def _file_error(shown: str, message: str, line: int | None = None) -> DataError:
    return DataError(f"cannot read {shown}", [Problem(shown, line, "", message)])


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


def _read_bytes(path: Path, shown: str, max_bytes: int, root: Path | None) -> bytes:
    """The file's bytes, when it is a regular file (inside `root`, when given) of at most max_bytes: its size
    is looked at before anything is read, and no more than the limit is read whatever it says."""
    if root is not None and resolve_inside(path.parent, path.name, root) is None:
        linked = _lexically_inside(path, root)  # then a symbolic link on the way leads out
        raise _file_error(
            shown,
            f"expected a file inside the project, got {'a symbolic link leading' if linked else 'a path'} outside it",
        )
    try:
        status = path.stat()
    except FileNotFoundError:
        raise DataError(f"{shown}: file not found") from None
    except OSError as exc:  # a symbolic link loop, a name too long, a folder that cannot be entered
        raise _file_error(shown, f"expected a readable file, got an error: {exc.strerror or exc}") from None
    if stat.S_ISDIR(status.st_mode):
        raise _file_error(shown, "expected a file, got a folder")
    if not stat.S_ISREG(status.st_mode):
        raise _file_error(shown, "expected a file, got a special file (a pipe, a socket or a device)")
    limit = f"expected a file of at most {max_bytes / 1_000_000:g} MB"
    if status.st_size > max_bytes:
        raise _file_error(shown, f"{limit}, got {_megabytes(status.st_size)}")
    try:
        with path.open("rb") as f:
            raw = f.read(max_bytes + 1)
    except OSError as exc:
        raise _file_error(shown, f"expected a readable file, got an error: {exc.strerror or exc}") from None
    if len(raw) > max_bytes:  # it grew since its size was looked at
        raise _file_error(shown, f"{limit}, got more")
    return raw


def _lexically_inside(path: Path, root: Path) -> bool:
    """Whether `path` is inside `root` as written (no symbolic link followed)."""
    try:
        Path(os.path.abspath(path)).relative_to(os.path.abspath(root))
    except ValueError:
        return False
    return True


def _decode(raw: bytes, shown: str) -> str:
    """UTF-8 text with universal newlines (as Path.read_text gives it)."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise _file_error(shown, f"expected UTF-8 text, got undecodable bytes at offset {exc.start}", line) from None
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def read_yaml(path: Path, max_bytes: int = MAX_BYTES, root: Path | None = None) -> tuple[Any, dict[tuple, int]]:
    """Read one YAML file; a syntax error becomes a DataError with its line. Refused, each with its line
    and key where it has one: a file larger than `max_bytes`, not a regular file, or (with `root`) leading
    outside the project; a character YAML does not accept; an alias; nesting deeper than MAX_DEPTH."""
    shown = display_path(path)
    text = _decode(_read_bytes(Path(path), shown, max_bytes, root), shown)
    try:
        try:
            return _parse(text, _FastLoader)
        except (yaml.MarkedYAMLError, _NotPlain):
            return _parse(text, _Loader)
    except _Refused as exc:
        raise DataError("invalid YAML", [Problem(shown, exc.line, exc.key, exc.message)]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        what = exc.problem or str(exc)
        raise DataError("invalid YAML", [Problem(shown, line, "", f"YAML syntax: {what}")]) from None
    except yaml.reader.ReaderError:
        raise DataError("invalid YAML", [_unacceptable_character(text, shown)]) from None
    except _NotPlain:  # libyaml's tree held an alias or was too deep, and _Loader did not say where
        raise DataError("invalid YAML", [Problem(shown, None, "", f"{_ALIAS}, or {_TOO_DEEP}")]) from None


_NOT_YAML = yaml.reader.Reader.NON_PRINTABLE  # the characters YAML does not accept anywhere in a file


def _unacceptable_character(text: str, shown: str) -> Problem:
    """The first character of `text` YAML refuses, at its line and (when the rest parses) key."""
    found = _NOT_YAML.search(text)
    if found is None:  # libyaml refused what PyYAML's reader accepts: no line to name
        return Problem(shown, None, "", "expected text YAML can read, got a character it does not accept")
    line = text.count("\n", 0, found.start()) + 1
    try:
        _, lines = _parse(_NOT_YAML.sub("\ufffd", text), _FastLoader)
    except (yaml.YAMLError, _NotPlain):
        lines = {}
    return Problem(shown, line, format_key(_key_at(lines, line)), _bad_character(found.group()))


def _key_at(lines: dict[tuple, int], line: int) -> tuple:
    """The key path whose value stands at (or, for a value of several lines, before) `line`: the last key
    path starting there, the deepest of those."""
    best: tuple = ()
    best_line = 0
    for path, start in lines.items():
        if best_line <= start <= line and (start > best_line or len(path) > len(best)):
            best, best_line = path, start
    return best


def format_key(loc: tuple) -> str:
    """('festivals', 0, 'id') -> festivals[0].id; a key holding characters that do not print, escaped."""
    out = ""
    for part in loc:
        if not isinstance(part, int):
            part = str(part)
            part = part if part.isprintable() else repr(part)[1:-1]
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out if len(out) <= 120 else out[:117] + "..."


# Characters refused in any text of the data: C0 controls but tab and newline, DEL and C1 controls,
# the noncharacters U+FFFE and U+FFFF and lone surrogates (a \ud800 escape in a quoted string).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")
# Bidirectional overrides and isolates: allowed (a title may need one), but they reorder the text around them.
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
_ODD = re.compile(f"{_CONTROL.pattern}|{_BIDI.pattern}")


def _bad_character(char: str) -> str:
    code = ord(char)
    kind = (
        "a lone surrogate"
        if 0xD800 <= code <= 0xDFFF
        else "a noncharacter"
        if code in (0xFFFE, 0xFFFF)
        else "a control character"
    )
    return f"expected text without control characters, got U+{code:04X} ({kind})"


def strings(data: Any, path: tuple = ()):
    """(key path, text) of every string in parsed data: each mapping key (at its own path) and value."""
    if isinstance(data, str):
        yield path, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield path + (key,), key if isinstance(key, str) else ""
            yield from strings(value, path + (key,))
    elif isinstance(data, list):
        for i, item in enumerate(data):
            yield from strings(item, path + (i,))


def line_of(lines: dict, loc: tuple) -> int | None:
    probe = tuple(p if isinstance(p, int) else str(p) for p in loc)
    while probe:
        if probe in lines:
            return lines[probe]
        probe = probe[:-1]
    return lines.get(())


def check_text(data: Any, file: str, lines: dict, printable=None, warnings: list[str] | None = None) -> list[Problem]:
    """Control characters in any text of the data (keys too) are problems; bidirectional overrides and
    isolates are warned about (logged, or added to `warnings` for the caller to log), and printed as typed.
    `printable(loc, text)` (glyphs.problem), when given, is asked about every text that is not ASCII in the
    same walk: what it says is wrong is a problem."""
    problems: list[Problem] = []
    for loc, text in strings(data):
        if printable is not None and not text.isascii() and (message := printable(loc, text)):
            problems.append(Problem(file, line_of(lines, loc), format_key(loc), message))
        if not _ODD.search(text):  # (one scan of most texts)
            continue
        if bad := _CONTROL.search(text):
            problems.append(Problem(file, line_of(lines, loc), format_key(loc), _bad_character(bad.group())))
        elif bidi := _BIDI.search(text):
            char = bidi.group()
            warning = Problem(
                file,
                line_of(lines, loc),
                format_key(loc),
                f"U+{ord(char):04X} ({unicodedata.name(char)}) reorders the text around it; it is printed as typed",
            )
            if warnings is None:
                log.warning(f"warning: {warning}")
            else:
                warnings.append(f"warning: {warning}")
    return problems


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
    if kind == "expected_found":  # the message says what was found itself
        return err["msg"]
    if kind == "string_too_long":
        limit = err.get("ctx", {}).get("max_length")
        return f"expected at most {limit} characters, got {len(given) if isinstance(given, str) else _short(given)}"
    if kind == "missing":
        return "required key is missing"
    if kind == "extra_forbidden":
        key = loc[-1]
        allowed = _allowed_keys(model, loc[:-1])
        hint = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.6)
        suffix = (
            f"; did you mean '{hint[0]}'?" if hint else (f"; expected one of: {', '.join(allowed)}" if allowed else "")
        )
        return f"unknown key{suffix}"
    if kind == "literal_error":
        options = err.get("ctx", {}).get("expected", "")
        hint = difflib.get_close_matches(
            str(given), [o.strip(" '") for o in options.replace(" or ", ", ").split(",")], n=1
        )
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
            line = lines.get(())
        problem = Problem(file, line, format_key(loc), _message(dict(err), model, loc))
        # A union reports one error per branch; keep the first message for each key.
        problems.setdefault(loc, problem)
    return sorted(problems.values(), key=lambda p: (p.line or 0, p.key))


def validate(
    model: type[BaseModel],
    data: Any,
    file: str,
    lines: dict,
    context: dict | None = None,
    printable=None,
    warnings: list[str] | None = None,
):
    """Validate data against a model, returning (instance, problems); `printable`, `warnings`: see
    check_text."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return None, [Problem(file, 1, "", f"expected a mapping of keys to values, got {_short(data)}")]
    text_problems = check_text(data, file, lines, printable, warnings)
    try:
        instance, problems = model.model_validate(data, context=context), []
    except ValidationError as exc:
        instance, problems = None, problems_from(exc, model, file, lines)
    if not text_problems:
        return instance, problems
    refused = {p.key for p in text_problems}  # the schema's complaint about the same text says less
    problems = text_problems + [p for p in problems if p.key not in refused]
    return None, sorted(problems, key=lambda p: (p.line or 0, p.key))


def resolve_inside(base: Path, relative: str, root: Path, folders: dict[str, str] | None = None) -> Path | None:
    """`base/relative` if it stays inside `root` (no ../ or absolute escapes), else None. `folders`: the
    folders resolved so far by the caller, for many paths in few folders (a film's images)."""
    if folders is not None:  # (in strings: a catalogue resolves thousands of paths)
        real, inside = _real_path(os.path.join(base, relative), folders), str(_resolved(root))
        if real == inside or real.startswith(inside if inside.endswith(os.sep) else inside + os.sep):
            return Path(real)
        return None
    candidate = (base / relative).resolve()
    try:
        candidate.relative_to(_resolved(root))
    except ValueError:
        return None
    return candidate


def _real_path(path: str, folders: dict[str, str]) -> str:
    """os.path.realpath(path), its folder's taken from (or added to) `folders`: only its last part is
    looked at when the folder is known."""
    folder, name = os.path.split(path)
    if not name or name in (".", "..") or not folder or folder == path:
        return os.path.realpath(path)
    real_folder = folders.get(folder)
    if real_folder is None:
        real_folder = folders[folder] = _real_path(folder, folders)
    real = os.path.join(real_folder, name)
    return os.path.realpath(real) if os.path.islink(real) else real


_RESOLVED: dict[Path, Path] = {}  # a project root, resolved once (a catalogue checks thousands of paths in it)


def _resolved(root: Path) -> Path:
    if not root.is_absolute():  # relative to the working directory, which may change
        return root.resolve()
    if root not in _RESOLVED:
        if len(_RESOLVED) > 64:
            _RESOLVED.clear()
        _RESOLVED[root] = root.resolve()
    return _RESOLVED[root]


def read_yaml_remembered(
    path: Path, memo, max_bytes: int = MAX_BYTES, root: Path | None = None
) -> tuple[Any, dict[tuple, int] | None]:
    """read_yaml, or the data it gave for the file as it stands (cache.Memo, by size and modification
    time): YAML parsing is most of the time of loading hundreds of films. Only data that JSON keeps as it
    is (string keys, no NaN) is remembered, without its line numbers (None: read the file again for them,
    which only a problem to report needs)."""
    if memo is None:
        return read_yaml(path, max_bytes, root)
    if root is not None and resolve_inside(path.parent, path.name, root) is None:
        return read_yaml(path, max_bytes, root)  # refused, as a file leading outside the project
    path = path.resolve()
    known = memo.get(path, "yaml")
    if known is not None:
        return known, None
    before = memo.stat(path)
    data, lines = read_yaml(path, max_bytes, root)
    try:
        if json.loads(json.dumps(data)) == data:
            memo.put(path, "yaml", data, before)
    except (TypeError, ValueError):
        pass
    return data, lines


# --- validated data remembered ----------------------------------------------------------------------
# A model instance as JSON (what cache.Memo keeps) and back, without validating it again: for data that
# validated once, from the same file content, under the same code (load.py's film memo).


_Model = TypeVar("_Model", bound=BaseModel)


def remembered_form(instance: BaseModel) -> dict:
    """The JSON form of a validated instance, for rebuilt()."""
    return instance.model_dump(mode="json", exclude_defaults=True)


def rebuilt(model: type[_Model], data: dict) -> _Model:
    """The instance whose remembered_form is `data`, built without validation (the values are the
    validated ones; a date is turned back from its ISO text), as pydantic's model_construct builds one,
    at a fraction of its cost: a fresh default for each field left out."""
    defaults, factories, converters = _plan(model)
    values = dict(defaults)
    for name, factory in factories.items():
        if name not in data:
            values[name] = factory()
    for name, value in data.items():
        convert = converters.get(name)
        values[name] = convert(value) if convert is not None and value is not None else value
    if len(values) != len(defaults):
        raise ValueError(f"unknown keys for {model.__name__}: {sorted(set(values) - set(defaults))}")
    instance = model.__new__(model)
    object.__setattr__(instance, "__dict__", values)
    object.__setattr__(instance, "__pydantic_fields_set__", set(data))
    object.__setattr__(instance, "__pydantic_extra__", None)
    object.__setattr__(instance, "__pydantic_private__", None)
    return instance


def rebuildable(model: type[BaseModel]) -> bool:
    """Whether rebuilt() knows every type of the model's fields (an unknown one: validate each time)."""
    try:
        _plan(model)
    except TypeError:
        return False
    return True


@functools.cache
def _plan(model: type[BaseModel]) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """The model's fields in order with their default when it is a constant (None, a number, a text;
    else None, replaced), the default factories of the others, and the converters (_converter) of those
    whose JSON form is not the value."""
    if model.__private_attributes__ or model.__pydantic_root_model__:
        raise TypeError(f"{model.__name__} has private attributes or is a root model")
    defaults: dict[str, Any] = {}
    factories: dict[str, Any] = {}
    converters: dict[str, Any] = {}
    for name, field in model.model_fields.items():
        defaults[name] = None
        if field.default_factory is not None:
            factories[name] = field.default_factory
        elif isinstance(field.default, (str, int, float, type(None))):
            defaults[name] = field.default
        elif field.is_required():
            factories[name] = functools.partial(_missing, model, name)
        else:
            raise TypeError(f"{model.__name__}.{name}: a default that is not a constant")
        if (convert := _converter(field.annotation)) is not None:
            converters[name] = convert
    return defaults, factories, converters


def _missing(model: type[BaseModel], name: str):
    raise ValueError(f"{model.__name__}.{name}: a required value is missing")


def _converter(annotation: Any):
    """A function from the JSON form of a value of type `annotation` back to the value, or None when the
    JSON form is the value (text, numbers, booleans, literals). TypeError: a type it does not know."""
    import datetime as dt
    import types
    import typing

    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Annotated:
        return _converter(args[0])
    if annotation in (str, int, bool, type(None)) or origin is typing.Literal:
        return None
    if annotation is dt.date:
        return dt.date.fromisoformat
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        _plan(annotation)
        return functools.partial(rebuilt, annotation)
    if origin is list:
        item = _converter(args[0])
        return None if item is None else (lambda values: [item(v) for v in values])
    if origin is dict and args[0] is str:
        item = _converter(args[1])
        return None if item is None else (lambda values: {k: item(v) for k, v in values.items()})
    if origin in (typing.Union, types.UnionType):
        branches = [c for c in map(_converter, args) if c is not None]
        if not branches:
            return None
        if len(branches) == 1:  # (with None, or types whose JSON form is the value)
            return branches[0]
    raise TypeError(f"no JSON form known for {annotation!r}")
