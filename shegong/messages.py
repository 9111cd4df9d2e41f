"""The message catalogue: every string a person reads, in Chinese (zh) and English (en).

Ids are stable ASCII keys in ``catalogue/*.yml`` (one file per part, ids unique across
files); each id has both languages with the same ``{placeholders}``. ``text`` gives one
language, ``bilingual`` gives Chinese first, then English.
"""

from __future__ import annotations

import string
from functools import cache
from importlib import resources
from typing import Any, Literal

import yaml

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")


@cache
def catalogue() -> dict[str, dict[str, str]]:
    """Load the catalogue once: ``{id: {"zh": ..., "en": ...}}`` merged from every part file."""
    merged: dict[str, dict[str, str]] = {}
    folder = resources.files("shegong").joinpath("catalogue")
    for part in sorted(folder.iterdir(), key=lambda p: p.name):
        if not part.name.endswith(".yml"):
            continue
        data = yaml.safe_load(part.read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            raise ValueError(f"catalogue/{part.name} must map id -> {{zh, en}}")
        for msg_id, entry in data.items():
            if msg_id in merged:
                raise ValueError(f"message id {msg_id!r} is defined twice ({part.name})")
            merged[msg_id] = entry
    return merged


def placeholders(template: str) -> set[str]:
    """Names of the ``{fields}`` a template uses."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def text(msg_id: str, lang: Lang = "zh", /, **values: Any) -> str:
    """One message in one language, with its placeholders filled."""
    entry = catalogue().get(msg_id)
    if entry is None:
        raise KeyError(f"unknown message id {msg_id!r}")
    return entry[lang].format(**values)


def bilingual(msg_id: str, /, sep: str = "\n", **values: Any) -> str:
    """Chinese first, then English, joined by ``sep``."""
    return sep.join(text(msg_id, lang, **values) for lang in LANGS)


def label(msg_id: str, /, **values: Any) -> str:
    """A short bilingual label such as ``数据 / data`` for help texts and headers."""
    return bilingual(msg_id, sep=" / ", **values)
