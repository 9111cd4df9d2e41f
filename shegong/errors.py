"""Domain errors: what a user did wrong, said in Chinese and English, never a traceback."""

from __future__ import annotations

from typing import Any

from shegong.messages import Lang, text


class ShegongError(Exception):
    """A problem with the user's input or environment, carrying a catalogue message."""

    def __init__(self, msg_id: str, /, **values: Any) -> None:
        self.msg_id = msg_id
        self.values = values
        super().__init__(self.message("zh") + "\n" + self.message("en"))

    def message(self, lang: Lang) -> str:
        return text(self.msg_id, lang, **self.values)


class SettingsError(ShegongError):
    """A setting has a value we cannot use."""


class DataError(ShegongError):
    """Generated or loaded data breaks its schema, or is missing."""
