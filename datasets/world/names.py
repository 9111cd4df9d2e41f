"""Invented place and person names, drawn without per-row Python loops.

Every name here is made up from syllable pools; any match with a real place or person is chance.
Names are unique among siblings (the villages of one township, the townships of one county)
by construction: the k-th child of a parent takes pool index ``(offset + k * step) mod N`` with
``step`` coprime to ``N``.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

_FIRST = list("青白石桃柳松竹梅云溪岭坪坝湾林清安平兴和新福龙凤金双马鹿鹤花桥井田水红明")
_SECOND = list("山河坪沟坝湾岩林园泉塘堰垭坡溪口场台峰源岗滩湖冲井铺庙寺营坎池")
_PAIRS = np.array([a + b for a in _FIRST for b in _SECOND])

_SURNAMES = np.array(list("李王张刘陈杨黄周吴罗赵何蒋唐徐胡邓冯谢曾彭郭廖肖杜袁苏"))
_SURNAME_P = np.linspace(2.0, 0.6, _SURNAMES.size)
_SURNAME_P /= _SURNAME_P.sum()
_GIVEN_F = np.array(list("秀兰芳英华玉梅琴丽霞红燕桂珍淑敏静娟婷雪"))
_GIVEN_M = np.array(list("明国华建军强伟勇平志刚文斌林杰海波成龙福"))
# Ethnic-minority areas (Liangshan Yi, Ganzi and Aba Tibetan): invented names in common styles.
_YI_SURNAMES = np.array(["阿约", "吉克", "沙马", "阿西", "曲比", "俄木", "马海", "吉伍"])
_TIBETAN_NAMES = np.array(["扎西", "卓玛", "次仁", "央金", "格桑", "拉姆", "多吉", "泽仁"])


def _steps(rng: np.random.Generator, n: int, size: int) -> np.ndarray:
    candidates = np.array([s for s in range(7, size) if math.gcd(s, size) == 1][:200])
    return rng.choice(candidates, size=n)


def child_names(
    rng: np.random.Generator, parent_codes: np.ndarray, suffix: np.ndarray | str
) -> np.ndarray:
    """Names unique within each parent; the rows of one parent must be contiguous."""
    parents, starts, counts = np.unique(parent_codes, return_index=True, return_counts=True)
    order = np.argsort(starts)
    starts, counts = starts[order], counts[order]
    size = _PAIRS.size
    offset = np.repeat(rng.integers(0, size, parents.size), counts)
    step = np.repeat(_steps(rng, parents.size, size), counts)
    rank = np.arange(parent_codes.size) - np.repeat(starts, counts)
    stems = _PAIRS[(offset + rank * step) % size]
    return np.char.add(stems.astype(str), suffix)


def person_names(
    rng: np.random.Generator, female: np.ndarray, ethnic_area: np.ndarray | None = None
) -> np.ndarray:
    """Invented full names; two-character given names for about half of people."""
    n = female.size
    surname = rng.choice(_SURNAMES, size=n, p=_SURNAME_P)
    first = np.where(female, rng.choice(_GIVEN_F, n), rng.choice(_GIVEN_M, n))
    second = np.where(female, rng.choice(_GIVEN_F, n), rng.choice(_GIVEN_M, n))
    two = rng.random(n) < 0.5
    given = np.where(two, np.char.add(first, second), first)
    names = np.char.add(surname, given)
    if ethnic_area is not None and ethnic_area.any():
        yi = np.char.add(rng.choice(_YI_SURNAMES, n), given)
        tibetan = np.char.add(rng.choice(_TIBETAN_NAMES, n), first)
        style = rng.random(n)
        names = np.where(ethnic_area & (style < 0.35), yi, names)
        names = np.where(ethnic_area & (style >= 0.35) & (style < 0.6), tibetan, names)
    return names.astype(object)


def codes(prefix: str, n: int, width: int) -> pd.Series:
    """Stable ASCII ids such as ``T00001``."""
    return pd.Series(np.char.add(prefix, np.char.zfill(np.arange(1, n + 1).astype(str), width)))
