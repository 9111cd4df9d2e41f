"""The context a generator step receives: scale, seed, its own RNG and the tables made so far."""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from shegong.errors import DataError


@dataclass
class World:
    """A world being generated. Each step gets an RNG derived from (seed, step name), so adding
    or changing one step never shifts the random numbers of another."""

    scale: str
    seed: int
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)

    def rng(self, step: str) -> np.random.Generator:
        key = zlib.crc32(step.encode("utf-8"))
        return np.random.default_rng(np.random.SeedSequence([self.seed, key]))

    def __getitem__(self, name: str) -> pd.DataFrame:
        try:
            return self.tables[name]
        except KeyError:
            raise DataError("error.data_missing_table", table=name) from None

    def add(self, name: str, frame: pd.DataFrame) -> None:
        self.tables[name] = frame.reset_index(drop=True)
