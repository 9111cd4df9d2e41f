"""The roster: the people who use the records and their roles, and how it reaches the store.

The roster is ``<workspace>/people.yml`` when it exists (a hub's real users: ``person_id``
is the hub user name), otherwise a demo roster made from the simulated data (supervisors,
township station workers as trainees) plus three evaluators and a programme manager.
``seed_people`` writes the roster into the records store, where every saved record points
to a person; ``seed_stations`` registers the stations records may be about.

``people.yml`` is read through a pydantic model (``RosterEntry``); a problem is reported by
the entry's number and field, in the catalogue's words (``error.apps_roster_*``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, ClassVar

import pandas as pd
import pydantic
import yaml
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from shegong.datasets import load
from shegong.errors import Labels, ShegongError
from shegong.messages import Lang, text

from .choices import Role
from .store import RecordsStore
from .validation import PERSON_ID

ROSTER_FILE = "people.yml"
SYSTEM_ACTOR = "system"
# The store's own rule for a person id, lowercase only in people.yml: a person id is the hub
# user name, which JupyterHub lowercases, and the Unix account, which Debian wants lowercase.
PERSON_ID_PATTERN = f"^{PERSON_ID.pattern.replace('A-Za-z', 'a-z')}$"
# The demo's evaluators and manager: invented people, as the data's names are.
DEMO_STAFF: tuple[tuple[str, str, str, bool], ...] = (
    ("e01", "陈晓梅", Role.EVALUATOR, True),
    ("e02", "刘建国", Role.EVALUATOR, False),
    ("e03", "何丽", Role.EVALUATOR, False),
    ("m01", "张伟", Role.MANAGER, False),
)


class IdentityError(ShegongError):
    """A roster file or signed-in user the apps cannot use."""

    labels: ClassVar[Labels] = {"role": ("records.role.",), "roles": ("records.role.",)}


def role_label(role: str, lang: Lang) -> str:
    roles = [r.value for r in Role]
    return text(f"records.role.{role}", lang) if role in roles else role


@dataclass(frozen=True)
class Member:
    """A person of the roster: id, name, role and, for trainees, station and start date."""

    person_id: str
    display_name: str
    role: str
    station_id: str | None = None
    agency_id: str | None = None
    started_on: dt.date | None = None
    lead: bool = False  # a lead evaluator 评估组长 sets a station's final score

    def label(self, lang: Lang, stations: Mapping[str, str] | None = None) -> str:
        """``陈晓梅（评估员）`` or, for a trainee, ``李红（新井乡社会工作服务站）``."""
        role = text(f"records.role.{self.role}", lang)
        if self.station_id and stations and self.station_id in stations:
            where = stations[self.station_id]
        elif self.lead:
            where = text("apps.identity.lead", lang)
        else:
            where = role
        open_, close = ("（", "）") if lang == "zh" else (" (", ")")
        return f"{self.display_name}{open_}{where}{close}"


def _text_or_none(value: object) -> object:
    return None if value is None else str(value)


def _date_or_none(value: object) -> dt.date | None:
    # YAML gives a date for an unquoted 2024-03-01; anything else means "not known".
    return value if isinstance(value, dt.date) else None


class RosterEntry(BaseModel):
    """One entry of ``people.yml`` (fields in the order they are checked)."""

    model_config = ConfigDict(extra="ignore")

    person_id: Annotated[
        str,
        BeforeValidator(str),
        Field(default="", pattern=PERSON_ID_PATTERN, validate_default=True),
    ]
    role: Role
    display_name: Annotated[str | None, BeforeValidator(_text_or_none)] = None
    station_id: Annotated[str | None, BeforeValidator(_text_or_none)] = None
    agency_id: Annotated[str | None, BeforeValidator(_text_or_none)] = None
    started_on: Annotated[dt.date | None, BeforeValidator(_date_or_none)] = None
    lead: Annotated[bool, BeforeValidator(bool)] = False

    def member(self) -> Member:
        return Member(
            self.person_id,
            self.display_name or self.person_id,
            self.role.value,
            station_id=self.station_id,
            agency_id=self.agency_id,
            started_on=self.started_on,
            lead=self.lead,
        )


ROSTER = pydantic.TypeAdapter(list[RosterEntry])


def _roster_error(path: Path, data: list[object], error: pydantic.ValidationError) -> IdentityError:
    """The catalogue message for the first problem pydantic found (by entry and field)."""
    first = error.errors()[0]
    loc = first["loc"]
    if len(loc) < 2 or not isinstance(loc[0], int):
        return IdentityError("error.apps_roster_shape", path=path)
    number, field = loc[0] + 1, loc[1]
    entry = data[loc[0]]
    raw = entry.get(str(field)) if isinstance(entry, dict) else None
    if field == "person_id":
        value = str(raw or "")
        if value != value.lower() and PERSON_ID.fullmatch(value):
            return IdentityError(
                "error.apps_roster_lowercase", path=path, number=number, value=value
            )
        return IdentityError("error.apps_roster_id", path=path, number=number, value=value)
    if field == "role":
        roles = tuple(r.value for r in Role)
        return IdentityError(
            "error.apps_roster_role", path=path, number=number, value=raw, roles=roles
        )
    return IdentityError("error.apps_roster_shape", path=path)


def read_roster(path: Path) -> list[Member]:
    """The people of a roster file: a YAML list of ``{person_id, display_name, role, ...}``."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise IdentityError("error.apps_roster_read", path=path, detail=str(exc)[:200]) from None
    if not isinstance(data, list):
        raise IdentityError("error.apps_roster_shape", path=path)
    try:
        entries = ROSTER.validate_python(data)
    except pydantic.ValidationError as exc:
        raise _roster_error(path, data, exc) from None
    return [entry.member() for entry in entries]


def load_roster(home: Path) -> list[Member]:
    """``<home>/people.yml`` if present, else the demo roster."""
    path = Path(home) / ROSTER_FILE
    return read_roster(path) if path.is_file() else demo_roster(home)


def demo_roster(home: Path | None = None) -> list[Member]:
    """Demo people from the simulated world: supervisors, township station workers, staff."""
    stations = load("stations", home=home)
    township = set(stations.loc[stations["level"] == "township_station", "station_id"])
    agency_of = station_agencies(stations)
    workers = load("workers", home=home)
    trainees = workers[
        workers["station_id"].isin(township) & workers["employment"].isin(["full_time"])
    ].sort_values(["station_id", "worker_id"])
    supervisors = load("supervisors", home=home).sort_values("supervisor_id")
    members = [Member(pid, name, str(role), lead=lead) for pid, name, role, lead in DEMO_STAFF[:3]]
    members += [
        Member(str(r.supervisor_id), str(r.name_zh), Role.SUPERVISOR, agency_id=str(r.agency_id))
        for r in supervisors.itertuples()
    ]
    members += [
        Member(
            str(r["worker_id"]),
            str(r["name_zh"]),
            Role.TRAINEE,
            station_id=str(r["station_id"]),
            agency_id=agency_of.get(str(r["station_id"])),
            started_on=pd.Timestamp(r["hired_on"]).date(),
        )
        for r in trainees.to_dict("records")
    ]
    pid, name, role, lead = DEMO_STAFF[3]
    members.append(Member(pid, name, str(role), lead=lead))
    return members


def station_agencies(stations: pd.DataFrame) -> dict[str, str | None]:
    """{station_id: the agency that runs it} from the ``stations`` table (None if unknown).

    A trainee belongs to the agency that runs their station; a supervisor sees (and writes
    about) only the trainees of their own agency (``shegong.records.rules``).
    """
    column = "operator_agency_id" if "operator_agency_id" in stations else None
    return {
        str(row["station_id"]): (str(row[column]) if column and pd.notna(row[column]) else None)
        for row in stations.to_dict("records")
    }


def seed_people(store: RecordsStore, members: Iterable[Member]) -> int:
    """Write the roster into the store (new people and changed details); returns how many."""
    known = {p.person_id: p for p in store.people(active_only=False)}
    changed = 0
    for m in members:
        old = known.get(m.person_id)
        if old is not None and (
            old.display_name,
            old.role,
            old.station_id,
            old.agency_id,
            old.started_on,
            old.active,
            old.lead,
        ) == (m.display_name, m.role, m.station_id, m.agency_id, m.started_on, True, m.lead):
            continue
        store.save_person(
            SYSTEM_ACTOR,
            m.person_id,
            m.display_name,
            m.role,
            station_id=m.station_id,
            agency_id=m.agency_id,
            started_on=m.started_on,
            lead=m.lead,
        )
        changed += 1
    return changed


def seed_stations(store: RecordsStore, stations: pd.DataFrame) -> int:
    """Register the stations records may be about (with the agency running each)."""
    return store.save_stations(SYSTEM_ACTOR, station_agencies(stations))
