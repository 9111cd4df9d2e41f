"""People and stations in the records store: the roster the rules and the pages work from.

``PeopleStore`` is the part of ``RecordsStore`` that writes the roster (only ``system`` or a
manager, ``rules.keeps_roster``) and answers who may see whom (``rules.visible_trainees``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from . import rules
from .models import Person, Role, Station
from .rows import assign_changed
from .validation import ValidationError, is_date, person_id, short_text
from .validation import choice as check_choice


@dataclass(frozen=True)
class PersonRecord:
    """A person as apps see them (read-only)."""

    person_id: str
    display_name: str
    role: str
    station_id: str | None
    agency_id: str | None
    started_on: dt.date | None
    active: bool
    lead: bool = False

    @classmethod
    def of(cls, p: Person) -> PersonRecord:
        return cls(
            p.person_id,
            p.display_name,
            p.role,
            p.station_id,
            p.agency_id,
            p.started_on,
            p.active,
            p.lead,
        )


class PeopleStore:
    """The roster methods of ``RecordsStore`` (which provides ``transaction``/``reading``)."""

    def transaction(self, actor: str) -> AbstractContextManager[Session]:
        raise NotImplementedError

    def reading(self) -> AbstractContextManager[Session]:
        raise NotImplementedError

    def save_person(
        self,
        actor: str,
        person: str,
        display_name: str,
        role: str,
        *,
        station_id: str | None = None,
        agency_id: str | None = None,
        started_on: dt.date | None = None,
        active: bool = True,
        lead: bool = False,
    ) -> None:
        """Create or update a person (a user of the platform) by id (``system`` or a manager)."""
        values = {
            "display_name": short_text(display_name, "display_name", 100),
            "role": check_choice(role, Role, "role"),
            "station_id": station_id or None,
            "agency_id": agency_id or None,
            "started_on": is_date(started_on, "started_on"),
            "active": bool(active),
            "lead": bool(lead),
        }
        if person == rules.SYSTEM:
            raise ValidationError("error.records_reserved_id", field="person_id", value=person)
        with self.transaction(actor) as session:
            rules.keeps_roster(session, actor)
            row = session.get(Person, person_id(person, "person_id"))
            if row is None:
                row = Person(person_id=person)
                session.add(row)
            assign_changed(row, values)

    def people(self, role: str | None = None, active_only: bool = True) -> list[PersonRecord]:
        query = sa.select(Person).order_by(Person.person_id)
        if role is not None:
            query = query.where(Person.role == role)
        if active_only:
            query = query.where(Person.active.is_(True))
        with self.reading() as session:
            return [PersonRecord.of(p) for p in session.scalars(query)]

    def person(self, person: str) -> PersonRecord | None:
        """One person (e.g. the signed-in user, to pick their role's app), or None."""
        with self.reading() as session:
            p = session.get(Person, person)
            return None if p is None else PersonRecord.of(p)

    def trainees_for(self, actor: str) -> list[PersonRecord]:
        """The active trainees ``actor`` may see (``rules.visible_trainees``)."""
        with self.reading() as session:
            return [PersonRecord.of(p) for p in rules.visible_trainees(session, actor)]

    def may_see(self, actor: str, trainee_id: str) -> bool:
        with self.reading() as session:
            viewer, trainee = session.get(Person, actor), session.get(Person, trainee_id)
            return viewer is not None and trainee is not None and rules.may_see(viewer, trainee)

    def save_stations(self, actor: str, stations: Mapping[str, str | None]) -> int:
        """Register the stations records may be about ({station_id: agency_id}); how many
        were new or changed."""
        changed = 0
        with self.transaction(actor) as session:
            rules.keeps_roster(session, actor)
            for station_id, agency_id in stations.items():
                row = session.get(Station, short_text(station_id, "station_id", 32))
                if row is None:
                    session.add(Station(station_id=station_id, agency_id=agency_id or None))
                    changed += 1
                elif row.agency_id != (agency_id or None):
                    row.agency_id = agency_id or None
                    changed += 1
        return changed

    def stations(self) -> dict[str, str | None]:
        with self.reading() as session:
            return {s.station_id: s.agency_id for s in session.scalars(sa.select(Station))}
