"""One typed settings object, loaded once and passed down.

Order of precedence: defaults < ``shegong.toml`` (or ``[tool.shegong]`` in ``pyproject.toml``)
< environment variables ``SHEGONG_<NAME>`` < CLI flags. Each option is declared once below,
with its type, default and the catalogue id of its help text.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from shegong.errors import SettingsError
from shegong.messages import LANGS, Lang

SCALES = ("county", "prefecture", "province")


def _opt(default: Any, help_id: str) -> Any:
    return field(default=default, metadata={"help": help_id})


@dataclass(frozen=True)
class Settings:
    """Platform settings. ``home`` is the workspace folder that holds all runtime state."""

    home: Path = _opt(Path("workspace"), "settings.home")
    lang: Lang = _opt("zh", "settings.lang")
    seed: int = _opt(2022, "settings.seed")
    scale: str = _opt("county", "settings.scale")
    host: str = _opt("127.0.0.1", "settings.host")
    port: int = _opt(8888, "settings.port")

    def __post_init__(self) -> None:
        if self.lang not in LANGS:
            raise SettingsError(
                "error.settings_choice", name="lang", value=self.lang, choices=", ".join(LANGS)
            )
        if self.scale not in SCALES:
            raise SettingsError(
                "error.settings_choice", name="scale", value=self.scale, choices=", ".join(SCALES)
            )
        if not 0 <= self.port < 65536:
            raise SettingsError(
                "error.settings_range", name="port", value=self.port, low=0, high=65535
            )
        if self.seed < 0:
            raise SettingsError(
                "error.settings_range", name="seed", value=self.seed, low=0, high="∞"
            )


def options() -> list[dataclasses.Field[Any]]:
    """The declared options, for help texts and docs."""
    return list(dataclasses.fields(Settings))


def _coerce(name: str, raw: Any) -> Any:
    target = {f.name: f for f in dataclasses.fields(Settings)}[name]
    kind = type(target.default)
    try:
        if kind is bool or isinstance(raw, kind):
            return raw
        if isinstance(target.default, Path):
            return Path(raw)
        return cast(Any, kind)(raw)
    except (TypeError, ValueError):
        raise SettingsError(
            "error.settings_type", name=name, value=raw, kind=kind.__name__
        ) from None


# Tables of the settings file that belong to other parts: ``[grade]`` (shegong.grading.config).
SECTIONS = ("grade",)


def file_section(cwd: Path, section: str) -> dict[str, Any]:
    """The ``[section]`` table of the settings file found from ``cwd`` (empty if none)."""
    found = _file_values(cwd).get(section, {})
    return dict(found) if isinstance(found, dict) else {}


def _file_values(cwd: Path) -> dict[str, Any]:
    own = cwd / "shegong.toml"
    if own.is_file():
        return tomllib.loads(own.read_text(encoding="utf-8"))
    project = cwd / "pyproject.toml"
    if project.is_file():
        data = tomllib.loads(project.read_text(encoding="utf-8"))
        return dict(data.get("tool", {}).get("shegong", {}))
    return {}


def load(
    overrides: Mapping[str, Any] | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    cwd: Path | None = None,
) -> Settings:
    """Build the settings from defaults, the settings file, the environment and overrides."""
    cwd = Path.cwd() if cwd is None else cwd
    environ = os.environ if environ is None else environ
    names = [f.name for f in dataclasses.fields(Settings)]
    values: dict[str, Any] = {}
    for name, raw in _file_values(cwd).items():
        if name in SECTIONS:  # tables of other parts, read by those parts
            continue
        if name not in names:
            raise SettingsError("error.settings_unknown", name=name, choices=", ".join(names))
        values[name] = raw
    for name in names:
        env = environ.get(f"SHEGONG_{name.upper()}")
        if env is not None and env != "":
            values[name] = env
    for name, raw in (overrides or {}).items():
        if raw is not None:
            values[name] = raw
    coerced = {name: _coerce(name, raw) for name, raw in values.items()}
    settings = Settings(**coerced)
    if not settings.home.is_absolute():
        settings = dataclasses.replace(settings, home=(cwd / settings.home).resolve())
    return settings
