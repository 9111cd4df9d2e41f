"""Options, declared once: type, default, help text, choices and command-line group.

A settings class is a frozen dataclass whose fields are made by ``option``. From those
declarations alone:

- ``layered`` reads the values, in order of precedence: defaults < the settings file
  (``shegong.toml``, or ``[tool.shegong]`` in ``pyproject.toml``; a ``section`` table for a
  part such as ``[grade]``) < environment variables (``<prefix><NAME>``) < overrides (the
  command line);
- ``add_flags`` adds the ``--name`` flags of one group to an argparse parser, with the
  bilingual help from the catalogue, and ``flag_values`` reads them back.

``shegong.settings.Settings`` and ``shegong.grading.config.GradingOptions`` are declared this
way; neither CLI declares an option by hand.
"""

from __future__ import annotations

import argparse
import dataclasses
import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from shegong.messages import label

NO_FLAG = ""  # the group of an option that has no command-line flag


def option(default: Any, help_id: str, *, group: str = NO_FLAG, choices: Iterable[str] = ()) -> Any:
    """A dataclass field declared as an option (``group`` names the flags it belongs to)."""
    return field(
        default=default, metadata={"help": help_id, "group": group, "choices": tuple(choices)}
    )


def declared(cls: type) -> list[dataclasses.Field[Any]]:
    """The options of a settings dataclass, in declaration order."""
    return list(dataclasses.fields(cls))


@dataclass(frozen=True)
class Source:
    """Where one settings class is read from, and how it reports a bad value."""

    env_prefix: str  # "SHEGONG_" -> SHEGONG_HOME
    section: str | None  # None: the file's top table; "grade": its [grade] table
    unknown: Callable[[str, str], Exception]  # (name, choices) -> error
    bad_value: Callable[[str, Any, str], Exception]  # (name, value, kind) -> error
    other_sections: tuple[str, ...] = ()  # tables of the top level that other parts read


def file_values(cwd: Path) -> dict[str, Any]:
    """The settings file found in ``cwd``: ``shegong.toml``, else ``[tool.shegong]``."""
    own = cwd / "shegong.toml"
    if own.is_file():
        return tomllib.loads(own.read_text(encoding="utf-8"))
    project = cwd / "pyproject.toml"
    if project.is_file():
        data = tomllib.loads(project.read_text(encoding="utf-8"))
        return dict(data.get("tool", {}).get("shegong", {}))
    return {}


TRUE_WORDS = ("1", "true", "yes", "on")
FALSE_WORDS = ("0", "false", "no", "off")


def _coerce(spec: dataclasses.Field[Any], raw: Any, source: Source) -> Any:
    kind: Any = type(spec.default)
    try:
        if isinstance(raw, kind):
            return raw
        if kind is bool:  # from a variable or a file: words, never Python's truthiness
            word = str(raw).strip().lower()
            if word in TRUE_WORDS + FALSE_WORDS:
                return word in TRUE_WORDS
            raise ValueError(raw)
        if isinstance(spec.default, Path):
            return Path(raw)
        return kind(raw)
    except (TypeError, ValueError):
        raise source.bad_value(spec.name, raw, kind.__name__) from None


def layered(
    cls: type,
    source: Source,
    overrides: Mapping[str, Any] | None,
    environ: Mapping[str, str],
    cwd: Path,
) -> dict[str, Any]:
    """The typed values of ``cls``'s options that are set anywhere (defaults left out)."""
    specs = {spec.name: spec for spec in declared(cls)}
    found = file_values(cwd)
    table = found if source.section is None else found.get(source.section, {})
    values: dict[str, Any] = {}
    for name, raw in (table if isinstance(table, dict) else {}).items():
        if source.section is None and name in source.other_sections:
            continue
        if name not in specs:
            raise source.unknown(name, ", ".join(specs))
        values[name] = raw
    for name in specs:
        env = environ.get(f"{source.env_prefix}{name.upper()}")
        if env:
            values[name] = env
        if overrides and overrides.get(name) is not None:
            values[name] = overrides[name]
    return {name: _coerce(specs[name], raw, source) for name, raw in values.items()}


def flag(name: str) -> str:
    return "--" + name.replace("_", "-")


def add_flags(parser: argparse.ArgumentParser, cls: type, *groups: str) -> None:
    """Add the flags of the options in ``groups`` (help: the bilingual catalogue label)."""
    for spec in declared(cls):
        if spec.metadata["group"] == NO_FLAG or spec.metadata["group"] not in groups:
            continue
        extra: dict[str, Any] = {}
        if spec.metadata["choices"]:
            extra["choices"] = spec.metadata["choices"]
        elif type(spec.default) is int:
            extra["type"] = int
        elif type(spec.default) is bool:
            extra["action"] = "store_true"
            extra["default"] = None  # unset: the layers below decide
        parser.add_argument(
            flag(spec.name), dest=spec.name, help=label(spec.metadata["help"]), **extra
        )


def flag_values(args: argparse.Namespace, cls: type) -> dict[str, Any]:
    """``{name: value}`` of ``cls``'s options given on the command line (None when not)."""
    return {spec.name: getattr(args, spec.name, None) for spec in declared(cls)}
