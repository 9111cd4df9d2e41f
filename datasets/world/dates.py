"""Date helpers for generators: uniform draws and clipping, as numpy datetime64[D]."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd


def as_day(value: dt.date | pd.Series | np.ndarray) -> np.ndarray:
    """Dates (a date, a Series of dates or an array) as ``datetime64[D]``."""
    if isinstance(value, dt.date):
        return np.array([np.datetime64(value, "D")])
    return pd.to_datetime(pd.Series(value)).to_numpy().astype("datetime64[D]")


def uniform_days(rng: np.random.Generator, start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """One uniform day in [start, end] per row (end before start gives start)."""
    span = np.maximum((end - start).astype(np.int64), 0)
    return start + (rng.random(span.size) * (span + 1)).astype(np.int64).astype("timedelta64[D]")


def to_date(days: np.ndarray) -> np.ndarray:
    """``datetime64[D]`` (NaT allowed) to Python dates / None, for date columns."""
    series = pd.Series(days.astype("datetime64[ns]"))
    return series.dt.date.where(series.notna(), None).to_numpy(dtype=object)


def or_none(mask: np.ndarray, values: np.ndarray) -> np.ndarray:
    """``values`` where ``mask`` holds, else None (an object array, for optional columns)."""
    return np.where(mask, values, np.array(None, dtype=object))
