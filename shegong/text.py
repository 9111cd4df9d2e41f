"""Bilingual: the one type for a text a person reads, in Chinese and English.

Rubrics, the data card, instruments, courses and grading all hold their labels as
``Bilingual``; ``get(lang)`` picks the language (Chinese unless ``"en"`` is asked for).
"""

from __future__ import annotations

from dataclasses import dataclass

from shegong.messages import Lang


@dataclass(frozen=True)
class Bilingual:
    """A label, descriptor or note in Chinese and English."""

    zh: str
    en: str

    def get(self, lang: Lang | str = "zh") -> str:
        return self.en if lang == "en" else self.zh
