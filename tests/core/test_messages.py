"""Does every message exist in Chinese and English with the same placeholders?"""

from __future__ import annotations

import re

import pytest

from shegong.errors import ShegongError
from shegong.messages import bilingual, catalogue, placeholders, text

HAN = re.compile(r"[\u4e00-\u9fff]")


def test_every_id_has_zh_and_en_with_same_placeholders() -> None:
    """Has each id exactly zh and en, non-empty, with identical {placeholders}?"""
    entries = catalogue()
    assert len(entries) > 20
    for msg_id, entry in entries.items():
        assert set(entry) == {"zh", "en"}, msg_id
        assert entry["zh"].strip() and entry["en"].strip(), msg_id
        assert placeholders(entry["zh"]) == placeholders(entry["en"]), msg_id


def test_chinese_is_chinese_and_english_is_not() -> None:
    """Is the zh text written in Chinese, and the en text free of Chinese characters?"""
    for msg_id, entry in catalogue().items():
        assert HAN.search(entry["zh"]), msg_id
        assert not HAN.search(entry["en"]), msg_id


def test_ids_are_stable_ascii() -> None:
    """Are message ids lowercase ASCII dotted names?"""
    for msg_id in catalogue():
        assert re.fullmatch(r"[a-z0-9_]+(\.[a-z0-9_]+)+", msg_id), msg_id


def test_bilingual_puts_chinese_first() -> None:
    """Does a bilingual message show Chinese first, English second, placeholders filled?"""
    message = bilingual("cli.built", tables=3, rows="10", path="/x")
    zh, en = message.split("\n")
    assert zh.startswith("已生成 3 张表") and en.startswith("Built 3 tables")


def test_unknown_id_is_an_error() -> None:
    """Is a typo in a message id caught instead of printing nothing?"""
    with pytest.raises(KeyError):
        text("no.such.message")


def test_domain_error_carries_both_languages() -> None:
    """Does a ShegongError read in Chinese, then English?"""
    error = ShegongError("error.settings_choice", name="scale", value="x", choices="a, b")
    zh, en = str(error).split("\n")
    assert "scale" in zh and HAN.search(zh)
    assert en.startswith("Setting scale")
