"""privacy 保密: pseudonymisation helpers for teaching confidentiality (保密, MZ/T 094-2017).

What a station shares should be the minimum necessary, and what leaves the station should
not point back to a person. The helpers here do the usual steps, one at a time:

- ``alias`` / ``aliases``: the surname + 某 form used in case notes (李秀兰 -> 李某);
  readable, but not unique, so never a key.
- ``pseudonym_ids``: a keyed hash (HMAC-SHA256) of ids with a station secret: the same id
  always gets the same pseudonym, so tables still link, but nobody without the secret can
  recompute it (a plain hash of ``R0000001`` can be recomputed by anyone who guesses the form).
- ``age_bands``: ages as bands (``60–69岁``) instead of birth dates.
- ``drop_identifiers``: removes direct identifiers (``DIRECT_IDENTIFIERS``).
- ``group_sizes`` / ``k_anonymity`` / ``below_k``: how many rows share each combination of
  quasi-identifiers (village, sex, age band ...); a table is k-anonymous if every group has
  at least k rows.
- ``suppress_small_counts``: blanks small cells (1 to k-1) of a count table, with secondary
  suppression so a blank cannot be recovered from row and column totals.
- ``pseudonymise``: the steps together for a roster-like table.

These are teaching tools that follow common practice; they are no legal standard. The
threshold k (5 by default here) is a choice to agree with the supervising agency.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import secrets
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from shegong.errors import ShegongError
from shegong.messages import Lang, text

DIRECT_IDENTIFIERS = (
    "name_zh",  # 姓名
    "id_number",  # 身份证号
    "phone",  # 电话
    "address",  # 住址
    "birth_date",  # 出生日期（与村、性别合起来几乎可以认出一个人）
    "notes_zh",  # 个案记录正文：自由文字，什么都可能写进去
)
# Two-character surnames (复姓) and common Yi clan names; other names use their first character.
COMPOUND_SURNAMES = frozenset(
    {
        "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙",
        "宇文", "司徒", "夏侯", "令狐", "端木", "西门", "南宫", "独孤", "百里", "呼延",
        "阿约", "吉克", "沙马", "阿西", "曲比", "俄木", "马海", "吉伍", "阿苏", "勒格",
    }
)  # fmt: skip
SECRET_MIN = 16
LENGTH_RANGE = (6, 64)
AGE_EDGES = (0, 16, 60, 70, 80)


class PrivacyError(ShegongError):
    """A secret, band, threshold or column the privacy helpers cannot use."""


# ----------------------------------------------------------------- names
def alias(name: str, surname_chars: int | None = None) -> str:
    """The surname + 某 alias of one name: ``李秀兰`` -> ``李某``, ``欧阳明`` -> ``欧阳某``.

    ``surname_chars`` fixes how many leading characters to keep (0 gives ``某某``, the
    safe choice for names without a family name, such as most Tibetan names).
    """
    name = str(name).strip()
    if surname_chars is None:
        surname_chars = 2 if name[:2] in COMPOUND_SURNAMES and len(name) > 2 else 1
    if surname_chars <= 0 or not name:
        return "某某"
    return name[:surname_chars] + "某"


def aliases(names: pd.Series, surname_chars: int | None = None) -> pd.Series:
    """``alias`` of every name; missing names stay missing."""
    out = names.astype(object).map(
        lambda n: None if pd.isna(n) else alias(n, surname_chars), na_action=None
    )
    result = out.astype("string")
    result.name = names.name
    return result


# ----------------------------------------------------------------- ids
def new_secret() -> str:
    """A new random station secret (32 hex characters). Keep it at the station only."""
    return secrets.token_hex(16)


def _check_secret(secret: object) -> bytes:
    if not isinstance(secret, str) or len(secret) < SECRET_MIN:
        raise PrivacyError("error.privacy_secret", minimum=SECRET_MIN)
    return secret.encode("utf-8")


def pseudonym_ids(ids: pd.Series, secret: str, prefix: str = "P", length: int = 10) -> pd.Series:
    """Keyed pseudonyms of ``ids``: ``prefix`` + the first ``length`` hex digits of
    HMAC-SHA256(secret, id). Same id and secret, same pseudonym; missing ids stay missing.
    """
    key = _check_secret(secret)
    low, high = LENGTH_RANGE
    if not isinstance(length, int) or not low <= length <= high:
        raise PrivacyError("error.privacy_length", length=length, low=low, high=high)
    values = ids.astype(object)
    unique = pd.unique(values[values.notna()].astype(str))
    table = {
        v: prefix + hmac.new(key, v.encode("utf-8"), hashlib.sha256).hexdigest()[:length]
        for v in unique
    }
    if len(set(table.values())) < len(table):
        raise PrivacyError("error.privacy_collision", count=len(table) - len(set(table.values())))
    out = values.map(lambda v: None if pd.isna(v) else table[str(v)])
    result = out.astype("string")
    result.name = ids.name
    return result


# ----------------------------------------------------------------- ages
def age_band_labels(edges: Sequence[int] = AGE_EDGES, lang: Lang = "zh") -> list[str]:
    """Labels of the bands ``[edges[i], edges[i+1])`` and the open last band."""
    _check_edges(edges)
    labels = [
        text("privacy.age_band_from_to", lang, low=low, high=high - 1)
        for low, high in itertools.pairwise(edges)
    ]
    return [*labels, text("privacy.age_band_and_over", lang, low=edges[-1])]


def _check_edges(edges: Sequence[int]) -> None:
    ok = (
        len(edges) >= 1
        and all(isinstance(e, int | np.integer) and not isinstance(e, bool) for e in edges)
        and edges[0] >= 0
        and all(a < b for a, b in itertools.pairwise(edges))
    )
    if not ok:
        raise PrivacyError("error.privacy_edges", edges=list(edges))


def age_bands(ages: pd.Series, edges: Sequence[int] = AGE_EDGES, lang: Lang = "zh") -> pd.Series:
    """Ages as ordered bands (a categorical): with the default edges ``0–15岁``, ``16–59岁``,
    ``60–69岁``, ``70–79岁``, ``80岁及以上``. Ages below the first edge or missing give NA.
    """
    labels = age_band_labels(edges, lang)
    bins = [*edges, np.inf]
    numbers = pd.to_numeric(ages, errors="coerce").astype(float)
    out = pd.cut(numbers, bins=bins, right=False, labels=labels)
    out.name = ages.name
    return out


# ----------------------------------------------------------------- columns and groups
def drop_identifiers(frame: pd.DataFrame, extra: Iterable[str] = ()) -> pd.DataFrame:
    """A copy without the direct identifiers (``DIRECT_IDENTIFIERS`` plus ``extra``) it has."""
    drop = [c for c in (*DIRECT_IDENTIFIERS, *extra) if c in frame.columns]
    return frame.drop(columns=drop)


def _columns(frame: pd.DataFrame, quasi: Sequence[str]) -> list[str]:
    columns = [quasi] if isinstance(quasi, str) else list(quasi)
    for column in columns:
        if column not in frame.columns:
            have = ", ".join(map(str, frame.columns))
            raise PrivacyError("error.privacy_missing_column", column=column, have=have)
    return columns


def group_sizes(frame: pd.DataFrame, quasi: Sequence[str]) -> pd.DataFrame:
    """How many rows share each combination of the quasi-identifiers (column ``n``),
    smallest groups first. Missing values form their own group."""
    columns = _columns(frame, quasi)
    sizes = frame.groupby(columns, dropna=False, observed=True).size().rename("n")
    return sizes.reset_index().sort_values(["n", *columns], kind="stable", ignore_index=True)


def k_anonymity(frame: pd.DataFrame, quasi: Sequence[str]) -> int:
    """The k of the table: the size of its smallest quasi-identifier group (0 if empty)."""
    sizes = group_sizes(frame, quasi)
    return int(sizes["n"].min()) if len(sizes) else 0


def _check_k(k: object) -> int:
    if not isinstance(k, int | np.integer) or isinstance(k, bool) or k < 2:
        raise PrivacyError("error.privacy_k", k=k)
    return int(k)


def below_k(frame: pd.DataFrame, quasi: Sequence[str], k: int = 5) -> pd.Series:
    """True for the rows whose quasi-identifier group has fewer than ``k`` rows."""
    k = _check_k(k)
    columns = _columns(frame, quasi)
    sizes = frame.groupby(columns, dropna=False, observed=True)[columns[0]].transform("size")
    return (sizes < k).rename("below_k")


# ----------------------------------------------------------------- aggregated tables
def suppress_small_counts(table: pd.DataFrame, k: int = 5, secondary: bool = True) -> pd.DataFrame:
    """A count table with small cells blanked (NA): counts from 1 to ``k``-1.

    Zeros stay. With ``secondary`` (the default), a row or column that has exactly one blank
    gets a second one, its smallest other non-zero count, repeatedly, so that a blank cannot
    be worked out from the totals. Only numeric columns are touched; leave totals out of
    the table (add them after suppression, from the suppressed cells only, or not at all).
    """
    k = _check_k(k)
    numeric = [c for c in table.columns if pd.api.types.is_numeric_dtype(table[c])]
    values = table[numeric].to_numpy(dtype=float, na_value=np.nan)
    hidden = (values > 0) & (values < k)
    while secondary:
        added = _second_blanks(values, hidden) | _second_blanks(values.T, hidden.T).T
        if not added.any():
            break
        hidden |= added
    out = table.copy()
    for j, column in enumerate(numeric):
        kept = pd.Series(values[:, j], index=table.index).where(~hidden[:, j])
        whole = bool(np.all(np.isnan(values[:, j]) | (values[:, j] == np.round(values[:, j]))))
        out[column] = kept.round().astype("Int64") if whole else kept
    return out


def _second_blanks(values: np.ndarray, hidden: np.ndarray) -> np.ndarray:
    """For each row with exactly one blank, the cell of its smallest other positive count."""
    added = np.zeros_like(hidden)
    for i in np.flatnonzero(hidden.sum(axis=1) == 1):
        candidates = np.where(~hidden[i] & (values[i] > 0), values[i], np.inf)
        if np.isfinite(candidates.min()):
            added[i, int(np.argmin(candidates))] = True
    return added


# ----------------------------------------------------------------- all together
def pseudonymise(
    frame: pd.DataFrame,
    secret: str,
    *,
    id_columns: Sequence[str] = ("resident_id", "household_id"),
    name_column: str = "name_zh",
    age_column: str = "age",
    edges: Sequence[int] = AGE_EDGES,
    lang: Lang = "zh",
) -> pd.DataFrame:
    """A copy fit to share for supervision: keyed pseudonyms for the id columns it has, an
    ``alias`` column from the name, an ``age_band`` column instead of the age, and no direct
    identifiers. Other columns are kept; choose the minimum necessary before sharing.
    """
    out = frame.copy()
    for column in id_columns:
        if column in out.columns:
            out[column] = pseudonym_ids(out[column], secret)
    if name_column in out.columns:
        position = list(out.columns).index(name_column)
        out.insert(position, "alias", aliases(out[name_column]))
    if age_column in out.columns:
        position = list(out.columns).index(age_column)
        bands = age_bands(out[age_column], edges, lang)
        out = out.drop(columns=[age_column])
        out.insert(position, "age_band", bands)
    return drop_identifiers(out, extra=[name_column])
