"""The services step of the world: activities, the ledger and supervision, in that order."""

from __future__ import annotations

from shegong.datasets.world.context import World
from shegong.datasets.world.services.ledger import build_activities, build_ledger
from shegong.datasets.world.services.supervision import build_supervision


def build_services(world: World) -> None:
    """Add community activities, the service ledger and supervision sessions."""
    rng = world.rng("services")
    activities = build_activities(world, rng)
    world.add("activities", activities)
    world.add("ledger", build_ledger(world, rng, activities))
    sessions, attendees, discussed = build_supervision(world, rng)
    world.add("supervision_sessions", sessions)
    world.add("supervision_attendees", attendees)
    world.add("supervision_cases", discussed)
