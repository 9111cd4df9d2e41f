"""Ecomap ties 生态图: who surrounds each client, how strong the tie is, which way support flows.

Drawn at assessment (预估) for every assessed case. The pattern follows the client group:
a left-behind elder's children work away (weak ties that send money), a left-behind child
lives with grandparents (strong, mutual) while the parents are away; public services and
the village committee appear for most clients [A].
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from shegong.datasets.world.context import World

# who -> tie type
WHO = {
    "spouse": "family",
    "son": "family",
    "daughter": "family",
    "grandchild": "family",
    "parent": "family",
    "grandparent": "family",
    "sibling": "family",
    "relative": "family",
    "neighbour": "community",
    "village_committee": "community",
    "village_doctor": "community",
    "teacher": "community",
    "volunteer": "community",
    "social_org": "community",
    "station_worker": "service",
    "civil_affairs_office": "service",
    "health_centre": "service",
    "disabled_persons_federation": "service",
    "school": "service",
}
# client group -> candidate ties with (probability present, strength weights for
# strong/moderate/weak/stressful, direction weights for to_client/from_client/mutual)
_PATTERNS: dict[str, list[tuple[str, float, tuple[float, ...], tuple[float, ...]]]] = {
    "elder": [
        ("spouse", 0.45, (0.6, 0.3, 0.05, 0.05), (0.2, 0.1, 0.7)),
        ("son", 0.8, (0.15, 0.3, 0.4, 0.15), (0.8, 0.05, 0.15)),
        ("daughter", 0.6, (0.25, 0.35, 0.3, 0.1), (0.7, 0.05, 0.25)),
        ("grandchild", 0.5, (0.4, 0.3, 0.2, 0.1), (0.1, 0.6, 0.3)),
        ("neighbour", 0.7, (0.3, 0.4, 0.25, 0.05), (0.3, 0.1, 0.6)),
        ("village_doctor", 0.6, (0.2, 0.5, 0.3, 0.0), (0.95, 0.0, 0.05)),
        ("village_committee", 0.7, (0.1, 0.4, 0.4, 0.1), (0.9, 0.0, 0.1)),
        ("station_worker", 1.0, (0.3, 0.5, 0.2, 0.0), (0.95, 0.0, 0.05)),
        ("volunteer", 0.35, (0.2, 0.5, 0.3, 0.0), (0.9, 0.0, 0.1)),
    ],
    "child": [
        ("parent", 0.95, (0.2, 0.3, 0.35, 0.15), (0.85, 0.0, 0.15)),
        ("grandparent", 0.9, (0.6, 0.25, 0.05, 0.1), (0.4, 0.1, 0.5)),
        ("sibling", 0.5, (0.4, 0.4, 0.15, 0.05), (0.1, 0.1, 0.8)),
        ("teacher", 0.85, (0.25, 0.45, 0.25, 0.05), (0.9, 0.0, 0.1)),
        ("school", 0.6, (0.2, 0.4, 0.3, 0.1), (0.9, 0.0, 0.1)),
        ("neighbour", 0.4, (0.2, 0.4, 0.35, 0.05), (0.5, 0.1, 0.4)),
        ("station_worker", 1.0, (0.3, 0.5, 0.2, 0.0), (0.95, 0.0, 0.05)),
        ("volunteer", 0.4, (0.3, 0.5, 0.2, 0.0), (0.9, 0.0, 0.1)),
    ],
    "disabled": [
        ("spouse", 0.4, (0.5, 0.3, 0.1, 0.1), (0.6, 0.1, 0.3)),
        ("parent", 0.5, (0.5, 0.3, 0.1, 0.1), (0.8, 0.0, 0.2)),
        ("sibling", 0.4, (0.2, 0.3, 0.4, 0.1), (0.5, 0.1, 0.4)),
        ("disabled_persons_federation", 0.8, (0.1, 0.4, 0.4, 0.1), (0.95, 0.0, 0.05)),
        ("health_centre", 0.7, (0.2, 0.4, 0.35, 0.05), (0.95, 0.0, 0.05)),
        ("civil_affairs_office", 0.6, (0.1, 0.4, 0.4, 0.1), (0.95, 0.0, 0.05)),
        ("station_worker", 1.0, (0.3, 0.5, 0.2, 0.0), (0.95, 0.0, 0.05)),
        ("social_org", 0.3, (0.2, 0.5, 0.3, 0.0), (0.5, 0.1, 0.4)),
    ],
    "woman": [
        ("spouse", 0.95, (0.2, 0.3, 0.3, 0.2), (0.5, 0.1, 0.4)),
        ("parent", 0.5, (0.3, 0.4, 0.25, 0.05), (0.5, 0.2, 0.3)),
        ("relative", 0.5, (0.2, 0.4, 0.3, 0.1), (0.3, 0.2, 0.5)),
        ("neighbour", 0.7, (0.3, 0.4, 0.25, 0.05), (0.3, 0.1, 0.6)),
        ("social_org", 0.4, (0.3, 0.5, 0.2, 0.0), (0.4, 0.1, 0.5)),
        ("station_worker", 1.0, (0.3, 0.5, 0.2, 0.0), (0.95, 0.0, 0.05)),
    ],
    "adult": [
        ("spouse", 0.6, (0.4, 0.3, 0.15, 0.15), (0.3, 0.2, 0.5)),
        ("sibling", 0.5, (0.2, 0.4, 0.3, 0.1), (0.4, 0.2, 0.4)),
        ("civil_affairs_office", 0.8, (0.1, 0.4, 0.4, 0.1), (0.95, 0.0, 0.05)),
        ("village_committee", 0.7, (0.1, 0.4, 0.4, 0.1), (0.9, 0.0, 0.1)),
        ("neighbour", 0.5, (0.2, 0.4, 0.35, 0.05), (0.4, 0.1, 0.5)),
        ("station_worker", 1.0, (0.3, 0.5, 0.2, 0.0), (0.95, 0.0, 0.05)),
    ],
}
STRENGTHS = ("strong", "moderate", "weak", "stressful")
DIRECTIONS = ("to_client", "from_client", "mutual")


def _choose(
    rng: np.random.Generator, n: int, weights: tuple[float, ...], options: tuple[str, ...]
) -> np.ndarray:
    p = np.asarray(weights, dtype=float)
    return rng.choice(options, n, p=p / p.sum())


def build_ties(world: World) -> None:
    """Add ``case_ties``: one row per tie of each assessed case's ecomap."""
    rng = world.rng("ties")
    cases = world["cases"]
    assessed = cases[cases["assessment_on"].notna()]
    parts = []
    for group, pattern in _PATTERNS.items():
        ids = assessed.loc[assessed["client_group"] == group, "case_id"].to_numpy()
        for who, p_present, strength_w, direction_w in pattern:
            present = ids[rng.random(ids.size) < p_present]
            if present.size == 0:
                continue
            parts.append(
                pd.DataFrame(
                    {
                        "case_id": present,
                        "who": who,
                        "tie_type": WHO[who],
                        "strength": _choose(rng, present.size, strength_w, STRENGTHS),
                        "direction": _choose(rng, present.size, direction_w, DIRECTIONS),
                    }
                )
            )
    ties = pd.concat(parts, ignore_index=True)
    order = {who: k for k, who in enumerate(WHO)}
    ties = ties.sort_values(
        ["case_id", "who"], key=lambda s: s.map(order) if s.name == "who" else s, kind="stable"
    ).reset_index(drop=True)
    ties.insert(1, "tie_no", ties.groupby("case_id").cumcount() + 1)
    world.add("case_ties", ties)
