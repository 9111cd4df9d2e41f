"""Checked-in YAML validated by pydantic models, with errors a course author can act on.

Each kind of file (a rubric, the data card, a ``course.yml``, a quiz) has pydantic models
describing its layout. ``validate`` runs them and turns the first error of a
``ValidationError`` into a ``Problem``: a code, the path of the bad node written the way a
person points at it in the file (``dimensions[1].indicators[0].levels.4.zh``) and the values
its message needs. The reader of that kind of file maps the problem to its own catalogue
message (``make``), naming the file, so every kind says the same rule the same way:

- ``missing``: a required key is absent (``key``; ``path`` is the mapping that lacks it)
- ``unknown``: a key the layout does not define, often a typo (``key``, ``choices``)
- ``type``: a value of the wrong type (``kind``: mapping, list, string, number, integer, boolean)
- ``choice``: a value outside a fixed set (``value``, ``choices``)
- ``value``: any other value pydantic refuses (``detail``)
- any code a model raises itself with ``fail`` (``empty``, ``id``, ``range`` ...), with its values

Models check cross-references (sums, ids used before they are defined) in validators that
call ``fail(code, where=(...), **values)``; ``where`` is the path below the node validated.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, NoReturn, TypeVar, Union, get_args, get_origin

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError
from pydantic_core import ErrorDetails, PydanticCustomError

from shegong.errors import ShegongError

Loc = tuple[int | str, ...]
KIND_LABELS = ("validation.kind.",)  # ``labels`` prefixes of an error's ``{kind}``
Model = TypeVar("Model", bound=BaseModel)

KINDS = {
    "dict_type": "mapping",
    "model_type": "mapping",
    "model_attributes_type": "mapping",
    "list_type": "list",
    "tuple_type": "list",
    "string_type": "string",
    "float_type": "number",
    "float_parsing": "number",
    "int_type": "integer",
    "int_parsing": "integer",
    "int_from_float": "integer",
    "bool_type": "boolean",
    "bool_parsing": "boolean",
}


class Strict(BaseModel):
    """A node of a checked-in file: strict types, no keys beyond the declared ones, frozen."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


@dataclass(frozen=True)
class Problem:
    """The first thing wrong with a file: a code, the node's path and the message's values."""

    code: str
    path: str
    values: dict[str, object] = field(default_factory=dict)


def fail(code: str, where: Loc = (), **values: object) -> NoReturn:
    """Refuse a value from inside a validator, ``where`` below the node being validated."""
    raise PydanticCustomError(code, code, {"where": where, **values})


def _unwrap(annotation: object) -> object:
    """The type inside ``Annotated[...]`` and ``X | None`` (a union of values stays whole)."""
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            annotation = next(a for a in get_args(annotation) if a is not type(None))
        else:
            return annotation


def _field(model: type[BaseModel], name: str) -> object:
    for key, info in model.model_fields.items():
        if name in (key, info.alias):
            return info.annotation
    return None


def _keys(model: type[BaseModel]) -> list[str]:
    return [info.alias or key for key, info in model.model_fields.items()]


def walk(root: type[BaseModel], loc: Loc) -> tuple[str, object]:
    """The path of ``loc`` as written (``a[0].b.4``) and the type expected there."""
    path, current = "", _unwrap(root)
    for part in loc:
        origin = get_origin(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            path, current = (f"{path}.{part}" if path else str(part)), _field(current, str(part))
        elif origin in (list, tuple) or origin is typing.get_origin(Sequence[int]):
            path, current = f"{path}[{part}]", get_args(current)[0]
        elif origin in (dict, typing.get_origin(Mapping[str, int])):
            if part == "[key]":
                continue
            path, current = (f"{path}.{part}" if path else str(part)), get_args(current)[1]
        else:
            path, current = (f"{path}.{part}" if path else str(part)), None
        current = _unwrap(current)
    return path, current


def problem(root: type[BaseModel], error: ErrorDetails) -> Problem:
    """One pydantic error as a located ``Problem`` (see the module docstring)."""
    kind, loc = error["type"], tuple(error["loc"])
    if kind == "missing":
        return Problem("missing", walk(root, loc[:-1])[0], {"key": loc[-1]})
    if kind == "extra_forbidden":
        path, _ = walk(root, loc)
        _, parent = walk(root, loc[:-1])
        known = _keys(parent) if isinstance(parent, type) and issubclass(parent, BaseModel) else []
        return Problem("unknown", path, {"key": loc[-1], "choices": ", ".join(known)})
    if kind == "literal_error":
        path, expected = walk(root, loc)
        choices = ", ".join(map(str, get_args(expected)))
        return Problem("choice", path, {"value": error["input"], "choices": choices})
    if kind in KINDS:
        return Problem("type", walk(root, loc)[0], {"kind": KINDS[kind]})
    ctx = dict(error.get("ctx") or {})
    if "where" in ctx:  # raised by ``fail``: its own code and values
        where = tuple(ctx.pop("where"))
        return Problem(kind, walk(root, (*loc, *where))[0], ctx)
    return Problem("value", walk(root, loc)[0], {"detail": error["msg"]})


def validate(model: type[Model], data: object, make: Callable[[Problem], ShegongError]) -> Model:
    """``data`` as ``model``, or the error ``make`` builds from the first problem."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise make(problem(model, first(error.errors()))) from None


def first(errors: Sequence[ErrorDetails]) -> ErrorDetails:
    """The error to report: the first, unless an unknown key sits beside a missing one there
    (a typo explains the missing key, so the typo is named)."""
    chosen = errors[0]
    if chosen["type"] == "missing":
        for error in errors:
            if error["type"] == "extra_forbidden" and error["loc"][:-1] == chosen["loc"][:-1]:
                return error
    return chosen


def read_yaml(path: Path, make: Callable[[Problem], ShegongError]) -> object:
    """A YAML file parsed, or ``read`` (``detail``) / ``yaml`` (``line``, ``detail``) problems."""
    try:
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise make(Problem("read", "", {"detail": type(error).__name__})) from None
    return parse_yaml(raw, make)


def parse_yaml(raw: str, make: Callable[[Problem], ShegongError]) -> object:
    """YAML text parsed, or a ``yaml`` problem naming the line."""
    try:
        data: object = yaml.safe_load(raw)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else "?"
        detail = getattr(error, "problem", None) or type(error).__name__
        raise make(Problem("yaml", "", {"line": line, "detail": detail})) from None
    return data
