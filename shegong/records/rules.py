"""The rule book: who may write which record, and whom each person may see.

The store calls these checks inside every write transaction (so a page, a notebook cell or
a script calling the store gets the same answer), and the apps call ``may_see`` /
``visible_trainees`` to build the lists they show, so the page and the store never disagree.

Threat model (what each check stops; each has a test in ``tests/records/test_rules.py``):

- An unknown or deactivated person id as ``actor`` (a stale link, a removed account): every
  write needs an active person on the roster (``acting``). The reserved ``system`` actor
  (roster seeding) may only write the roster and the stations list.
- The wrong role: a trainee writing a supervision record as supervisor, a supervisor writing
  a station evaluation, anyone but a manager or ``system`` changing the roster.
- Writing in someone else's name: a draft whose ``supervisor_id`` / ``evaluator_id`` /
  ``assessor_id`` is not the actor, or submitting / deleting someone else's draft.
- Another agency's trainee: a supervisor may only write (and see) records about trainees of
  their own agency (``agency_id`` equal; a person with no agency only matches no agency).
  Evaluators and managers work across agencies.
- Moderation by an evaluator who is not a lead evaluator 评估组长.
- A trainee acknowledging a session they were not a supervisee of (``supervision.acknowledge``
  checks membership; here: only an active trainee acknowledges).
- Editing a submitted record: the lock guard in ``database.guard_locks`` refuses any flush.

Not covered here: who the actor *is*. The store trusts the ``actor`` argument; the apps take
it from JupyterHub (or the configured user), never from the page (``widgets.identity``).
"""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.orm import Session

from .choices import Role
from .models import Person, Station
from .validation import PermissionDenied, ValidationError

SYSTEM = "system"  # the roster seeder; not a person, may only write people and stations
ACROSS_AGENCIES = (Role.EVALUATOR, Role.MANAGER)


def acting(session: Session, actor: str, roles: Iterable[str] | None = None) -> Person:
    """The active person behind ``actor`` (holding one of ``roles`` when given)."""
    person = session.get(Person, actor) if actor != SYSTEM else None
    if person is None:
        raise PermissionDenied("error.records_forbidden_unknown_actor", actor=actor)
    if not person.active:
        raise PermissionDenied("error.records_forbidden_inactive_actor", actor=actor)
    if roles is not None:
        allowed = tuple(str(r) for r in roles)
        if person.role not in allowed:
            raise PermissionDenied(
                "error.records_forbidden_role", actor=actor, role=person.role, roles=allowed
            )
    return person


def as_self(actor: Person, person_id: str | None, field: str) -> None:
    """The record is written in the actor's own name (``field`` names who it claims)."""
    if person_id != actor.person_id:
        raise PermissionDenied(
            "error.records_forbidden_other_person",
            actor=actor.person_id,
            person=person_id,
            field=field,
        )


def may_see(actor: Person, trainee: Person) -> bool:
    """Whether ``actor`` may see (and, with the right role, write about) ``trainee``."""
    if not actor.active:
        return False
    if actor.role in ACROSS_AGENCIES:
        return True
    if actor.role == Role.TRAINEE:
        return actor.person_id == trainee.person_id
    return actor.role == Role.SUPERVISOR and actor.agency_id == trainee.agency_id


def about_trainee(actor: Person, trainee: Person) -> None:
    """PermissionDenied unless ``actor`` may write about ``trainee``.

    A trainee leading peer supervision may write about trainees of their own agency.
    """
    peer = actor.role == Role.TRAINEE and actor.agency_id == trainee.agency_id
    if not (may_see(actor, trainee) or peer):
        raise PermissionDenied(
            "error.records_forbidden_scope", actor=actor.person_id, person=trainee.person_id
        )


def lead(actor: Person) -> None:
    if actor.role != Role.EVALUATOR or not actor.lead:
        raise PermissionDenied("error.records_forbidden_not_lead", actor=actor.person_id)


def keeps_roster(session: Session, actor: str) -> None:
    """Only ``system`` (seeding the roster) or an active manager changes people and stations."""
    if actor == SYSTEM:
        return
    person = session.get(Person, actor)
    if person is None or not person.active or person.role != Role.MANAGER:
        raise PermissionDenied("error.records_forbidden_people", actor=actor)


def known_station(session: Session, station_id: str, field: str = "station_id") -> str:
    if session.get(Station, station_id) is None:
        raise ValidationError("error.records_unknown_station", field=field, value=station_id)
    return station_id


def visible_trainees(session: Session, actor: str) -> list[Person]:
    """The active trainees ``actor`` may see: themselves, their agency's, or all."""
    person = session.get(Person, actor)
    if person is None or not person.active:
        return []
    query = sa.select(Person).where(Person.role == Role.TRAINEE, Person.active.is_(True))
    if person.role == Role.TRAINEE:
        query = query.where(Person.person_id == person.person_id)
    elif person.role == Role.SUPERVISOR:
        query = query.where(
            Person.agency_id.is_(None)
            if person.agency_id is None
            else Person.agency_id == person.agency_id
        )
    elif person.role not in ACROSS_AGENCIES:
        return []
    return list(session.scalars(query.order_by(Person.person_id)))


def visible_ids(session: Session, actor: str) -> set[str]:
    return {p.person_id for p in visible_trainees(session, actor)}


def check_sees(session: Session, actor: str, trainee_id: str) -> None:
    """PermissionDenied unless ``actor`` may see ``trainee_id``'s records (reads)."""
    viewer = session.get(Person, actor)
    trainee = session.get(Person, trainee_id)
    if viewer is None or trainee is None or not may_see(viewer, trainee):
        raise PermissionDenied("error.records_forbidden_scope", actor=actor, person=trainee_id)
