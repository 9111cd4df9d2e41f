"""Domain errors: what a user did wrong, said in Chinese and English, never a traceback."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from shegong.messages import Lang, catalogue, text

LIST_SEPARATOR = {"zh": "、", "en": ", "}
Labels = dict[str, tuple[str, ...]]


def label(raw: object, prefixes: Iterable[str], lang: Lang) -> str:
    """The reader's name of an id: the first ``<prefix><id>`` in the catalogue, else the id."""
    for prefix in prefixes:
        if f"{prefix}{raw}" in catalogue():
            return text(f"{prefix}{raw}", lang)
    return str(raw)


class ShegongError(Exception):
    """A problem with the user's input or environment, carrying a catalogue message.

    ``labels`` is the one way an error shows ids (a field, a role, a kind) in the reader's
    words: each placeholder named there is looked up under its catalogue prefixes (a list or
    tuple value becomes a list of labels), and the raw id stays available as ``{<name>_id}``.
    """

    labels: ClassVar[Labels] = {}

    def __init__(self, msg_id: str, /, **values: Any) -> None:
        self.msg_id = msg_id
        self.values = values
        super().__init__(self.message("zh") + "\n" + self.message("en"))

    def message(self, lang: Lang) -> str:
        values = dict(self.values)
        for key, prefixes in self.labels.items():
            if key not in values:
                continue
            raw = values[key]
            if isinstance(raw, list | tuple):
                values.setdefault(f"{key}_id", ", ".join(str(r) for r in raw))
                values[key] = LIST_SEPARATOR[lang].join(label(r, prefixes, lang) for r in raw)
            else:
                values.setdefault(f"{key}_id", raw)
                values[key] = label(raw, prefixes, lang)
        return text(self.msg_id, lang, **values)


class SettingsError(ShegongError):
    """A setting has a value we cannot use."""


class DataError(ShegongError):
    """Generated or loaded data breaks its schema, or is missing."""
