"""One typed settings object, loaded once and passed down.

Order of precedence: defaults < ``shegong.toml`` (or ``[tool.shegong]`` in ``pyproject.toml``)
< environment variables ``SHEGONG_<NAME>`` < CLI flags. Each option is declared once below,
with its type, default, the catalogue id of its help text and its command-line group
(``shegong.options``: the one loader and the generated flags).
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from shegong.errors import SettingsError
from shegong.messages import LANGS, Lang
from shegong.options import Source, declared, file_values, layered, option

SCALES = ("county", "prefecture", "province")


@dataclass(frozen=True)
class Settings:
    """Platform settings. ``home`` is the workspace folder that holds all runtime state."""

    home: Path = option(Path("workspace"), "settings.home", group="common")
    lang: Lang = option("zh", "settings.lang", group="common", choices=LANGS)
    seed: int = option(2022, "settings.seed", group="data")
    scale: str = option("county", "settings.scale", group="data", choices=SCALES)
    host: str = option("127.0.0.1", "settings.host", group="serve")
    port: int = option(8888, "settings.port", group="serve")

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
    return declared(Settings)


# Tables of the settings file that belong to other parts: ``[grade]`` (shegong.grading.config).
SECTIONS = ("grade",)
SOURCE = Source(
    env_prefix="SHEGONG_",
    section=None,
    unknown=lambda name, choices: SettingsError(
        "error.settings_unknown", name=name, choices=choices
    ),
    bad_value=lambda name, value, kind: SettingsError(
        "error.settings_type", name=name, value=value, kind=kind
    ),
    other_sections=SECTIONS,
)


def file_section(cwd: Path, section: str) -> dict[str, Any]:
    """The ``[section]`` table of the settings file found from ``cwd`` (empty if none)."""
    found = file_values(cwd).get(section, {})
    return dict(found) if isinstance(found, dict) else {}


def load(
    overrides: Mapping[str, Any] | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    cwd: Path | None = None,
) -> Settings:
    """Build the settings from defaults, the settings file, the environment and overrides."""
    cwd = Path.cwd() if cwd is None else cwd
    environ = os.environ if environ is None else environ
    coerced = layered(Settings, SOURCE, overrides, environ, cwd)
    settings = Settings(**coerced)
    if not settings.home.is_absolute():
        settings = dataclasses.replace(settings, home=(cwd / settings.home).resolve())
    return settings
