"""Raw item answers for standardised instruments, drawn from a latent severity.

Each measure has a severity ``z`` in [0, 1] (1 = worst). Every item's answer leans towards its
"worse" end with probability ``z``: for a problem scale (PHQ-9) that is the high raw values,
for a strength scale (Barthel) the low ones, and reverse-keyed items flip. Totals, bands and
safety flags then come from the one scoring module, ``shegong.datasets.instruments``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from shegong.datasets.instruments import INSTRUMENTS, score_items

# Items whose "worse" answers are rarer than the scale's other items [A]: thoughts of
# self-harm (PHQ-9 item 9) are reported by far fewer people than low mood or poor sleep.
ITEM_LEAN_SHIFT = {("phq9", 9): -0.4}


def draw_answers(rng: np.random.Generator, instrument_id: str, severity: np.ndarray) -> np.ndarray:
    """A (measures x items) matrix of valid raw answers for one instrument."""
    instrument = INSTRUMENTS[instrument_id]
    n = severity.size
    answers = np.empty((n, len(instrument.items)), dtype=np.int64)
    for column, item in enumerate(instrument.items):
        values = np.asarray(item.values)
        worse_high = instrument.higher_is_worse != item.reverse
        lean = severity if worse_high else 1.0 - severity
        if worse_high:
            lean = lean + ITEM_LEAN_SHIFT.get((instrument_id, item.no), 0.0)
        else:
            lean = lean - ITEM_LEAN_SHIFT.get((instrument_id, item.no), 0.0)
        jitter = np.clip(lean + rng.normal(0, 0.12, n), 0.0, 1.0)
        index = rng.binomial(values.size - 1, jitter)
        answers[:, column] = values[index]
    return answers


def measure_frames(
    rng: np.random.Generator, plan: pd.DataFrame, first_id: int = 1
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Draw and score measures.

    ``plan`` has one row per measure with ``instrument`` and ``severity`` plus any context
    columns to keep (subject ids, timepoint, date). Returns ``(measures, measure_items)``:
    measures with ``measure_id``, the context, ``total``, ``band`` and ``flags``; items in long
    form (``measure_id``, ``instrument``, ``item``, ``answer``).
    """
    plan = plan.reset_index(drop=True)
    numbers_ = np.arange(first_id, first_id + len(plan)).astype(str)
    measure_id = np.char.add("M", np.char.zfill(numbers_, 7)).astype(object)
    item_frames = []
    for instrument_id, rows in plan.groupby("instrument", sort=True):
        instrument = INSTRUMENTS[str(instrument_id)]
        answers = draw_answers(rng, str(instrument_id), rows["severity"].to_numpy())
        numbers = np.array([item.no for item in instrument.items])
        item_frames.append(
            pd.DataFrame(
                {
                    "measure_id": np.repeat(measure_id[rows.index.to_numpy()], numbers.size),
                    "instrument": str(instrument_id),
                    "item": np.tile(numbers, len(rows)),
                    "answer": answers.ravel(),
                }
            )
        )
    items = pd.concat(item_frames, ignore_index=True)
    scores = score_items(items)
    measures = plan.drop(columns="severity").assign(measure_id=measure_id)
    measures = measures.merge(
        scores[["measure_id", "total", "band", "flags"]],
        on="measure_id",
        how="left",
        validate="one_to_one",
    )
    items = items.sort_values(["measure_id", "item"], kind="stable").reset_index(drop=True)
    first = ["measure_id"] + [c for c in measures.columns if c != "measure_id"]
    return measures[first], items
