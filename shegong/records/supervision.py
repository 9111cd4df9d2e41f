"""Supervision records 督导记录 (brief §3.4): draft, submit, acknowledge, carry actions forward.

A ``SessionDraft`` is the whole form as the supervisor sees it; ``save_draft`` makes the stored
draft equal to it (children are diffed, so the audit trail shows real changes only). Ids are
made when a draft or action is created (``new_id``), so repeated autosaves of the same objects
update the same rows. ``submit`` checks completeness and locks the record; the trainee then
acknowledges it (``acknowledge``), the electronic signature of brief §3.4.

Actions agreed in a session and still open are carried into the next one as copies linked to
the earlier item (``carried_from_id``); the copy's status is where the follow-up is recorded,
because the earlier session is locked.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.orm import Session

from . import rules
from . import validation as check
from .lifecycle import Lifecycle
from .models import (
    ActionItem,
    ActionStatus,
    DiscussedItem,
    DiscussedKind,
    Person,
    RecordStatus,
    RiskFlag,
    Role,
    SessionFunction,
    SessionMode,
    SessionRisk,
    SessionSupervisee,
    SupervisionFunction,
    SupervisionSession,
)
from .rows import Saved, assign_changed, bump, new_id, sync_children
from .validation import NotFoundError, ValidationError

KIND = "session"
MAX_DURATION_MIN = 480
LIFE = Lifecycle(SupervisionSession, KIND, "session_id", "supervisor_id")


class Discussed(NamedTuple):
    """A case or group discussed, by pseudonym or id: ``Discussed("case", "K000123")``."""

    kind: str
    ref: str


@dataclass(frozen=True)
class ActionDraft:
    """An agreed action 行动计划; give a carried-forward copy the earlier item's id."""

    description: str = ""
    owner_id: str | None = None
    due_date: dt.date | None = None
    status: str = ActionStatus.OPEN
    carried_from_id: str | None = None
    item_id: str = field(default_factory=new_id)


@dataclass(frozen=True)
class SessionDraft:
    """The supervision session form; every field but the supervisor may stay empty in a draft."""

    supervisor_id: str
    session_date: dt.date | None = None
    mode: str | None = None
    duration_min: int | None = None
    supervisee_ids: tuple[str, ...] = ()
    functions: tuple[str, ...] = ()
    discussed: tuple[Discussed, ...] = ()
    issues: str = ""
    risks: Mapping[str, str] = field(default_factory=dict)  # flag -> note
    guidance: str = ""
    actions: tuple[ActionDraft, ...] = ()
    session_id: str = field(default_factory=new_id)
    version: int | None = None  # the version the page last saw; None: a new record


@dataclass(frozen=True)
class SessionRecord:
    """A stored session: the form, its status, and who acknowledged it when."""

    draft: SessionDraft
    status: str
    created_at: dt.datetime
    updated_at: dt.datetime
    submitted_at: dt.datetime | None
    acknowledged: Mapping[str, dt.datetime | None]
    version: int = 0


def person(session: Session, person_id: str | None, field: str, roles: Iterable[str]) -> Person:
    """The person with that id, if they hold one of ``roles``."""
    found = session.get(Person, person_id) if person_id else None
    if found is None:
        raise NotFoundError("error.records_unknown_person", field=field, value=person_id)
    allowed = tuple(roles)
    if found.role not in allowed:
        raise ValidationError(
            "error.records_role",
            field=field,
            person=found.person_id,
            role=found.role,
            roles=allowed,
        )
    return found


def _actions(session: Session, draft: SessionDraft) -> dict[str, dict[str, object]]:
    wanted: dict[str, dict[str, object]] = {}
    for position, action in enumerate(draft.actions):
        item_id = check.record_id(action.item_id, "item_id")
        existing = session.get(ActionItem, item_id)
        if existing is not None and existing.session_id != draft.session_id:
            raise ValidationError("error.records_id_taken", field="item_id", value=item_id)
        if action.owner_id:
            person(session, action.owner_id, "owner_id", [r.value for r in Role])
        if action.carried_from_id:
            _check_carry(session, action.carried_from_id, item_id, draft.session_id)
        wanted[item_id] = {
            "description": check.short_text(action.description, "description"),
            "owner_id": action.owner_id or None,
            "due_date": check.is_date(action.due_date, "due_date"),
            "status": check.choice(action.status, ActionStatus, "action_status"),
            "carried_from_id": action.carried_from_id or None,
            "position": position,
        }
    return wanted


def _check_carry(session: Session, original_id: str, item_id: str, session_id: str) -> None:
    """An action may carry forward an item of another session, once."""
    original = session.get(ActionItem, original_id)
    if original is None or original.session_id == session_id:
        raise ValidationError(
            "error.records_carried_from", field="carried_from_id", value=original_id
        )
    other = session.scalar(
        sa.select(ActionItem.item_id).where(
            ActionItem.carried_from_id == original_id, ActionItem.item_id != item_id
        )
    )
    if other is not None:
        raise ValidationError(
            "error.records_already_carried", field="carried_from_id", value=original_id
        )


def save_draft(session: Session, draft: SessionDraft, today: dt.date, actor: Person) -> Saved:
    """Create or update the draft with ``draft.session_id``; a submitted session is locked.

    The actor writes in their own name about trainees they may see; ``draft.version`` must be
    the stored version (ConflictError otherwise).
    """
    session_id, row = LIFE.open_draft(session, draft.session_id, draft.version, actor)
    mode = check.choice(draft.mode, SessionMode, "mode")
    supervisor_roles = [Role.SUPERVISOR] + ([Role.TRAINEE] if mode == SessionMode.PEER else [])
    supervisor = person(session, draft.supervisor_id, "supervisor_id", supervisor_roles)
    rules.as_self(actor, supervisor.person_id, "supervisor_id")
    supervisees = list(dict.fromkeys(draft.supervisee_ids))
    for pid in supervisees:
        rules.about_trainee(actor, person(session, pid, "supervisee_ids", [Role.TRAINEE]))
    if draft.supervisor_id in supervisees:
        raise ValidationError("error.records_self_supervision", field="supervisee_ids")
    values = {
        "supervisor_id": draft.supervisor_id,
        "session_date": check.not_future(draft.session_date, "session_date", today),
        "mode": mode,
        "duration_min": check.in_range(draft.duration_min, "duration_min", 1, MAX_DURATION_MIN),
        "issues": check.short_text(draft.issues, "issues"),
        "guidance": check.short_text(draft.guidance, "guidance"),
    }
    functions = check.choices(draft.functions, SupervisionFunction, "functions")
    discussed: dict[tuple[str, str], dict[str, object]] = {}
    for kind, ref in (Discussed(*item) for item in draft.discussed):
        check.choice(kind, DiscussedKind, "discussed")
        if ref := check.reference(ref, "discussed"):
            discussed[(str(kind), ref)] = {}
    risks = {
        str(check.choice(flag, RiskFlag, "risks")): {"note": check.short_text(note, "risk_note")}
        for flag, note in draft.risks.items()
    }
    actions = _actions(session, draft)

    if row is None:
        row = SupervisionSession(session_id=session_id)
        session.add(row)
    assign_changed(row, values)
    sync_children(
        session,
        row.supervisees,
        {p: {} for p in supervisees},
        lambda c: c.person_id,
        lambda k: SessionSupervisee(person_id=k),
    )
    sync_children(
        session,
        row.functions,
        {f: {} for f in functions},
        lambda c: c.function,
        lambda k: SessionFunction(function=k),
    )
    sync_children(
        session,
        row.discussed,
        discussed,
        lambda c: (c.kind, c.ref),
        lambda k: DiscussedItem(kind=k[0], ref=k[1]),
    )
    sync_children(session, row.risks, risks, lambda c: c.flag, lambda k: SessionRisk(flag=k))
    sync_children(
        session, row.actions, actions, lambda c: c.item_id, lambda k: ActionItem(item_id=k)
    )
    return Saved(session_id, bump(session, row))


def submit(
    session: Session,
    session_id: str,
    now: dt.datetime,
    actor: Person,
    version: int | None = None,
) -> None:
    """Check the record is complete, then lock it (status submitted)."""
    row = LIFE.open_for_submit(session, session_id, actor, version)
    required = {
        "session_date": row.session_date,
        "mode": row.mode,
        "duration_min": row.duration_min,
        "supervisee_ids": row.supervisees,
        "functions": row.functions,
        "guidance": row.guidance,
    }
    check.require([name for name, value in required.items() if not value], KIND, session_id)
    if row.mode == SessionMode.INDIVIDUAL and len(row.supervisees) != 1:
        raise ValidationError(
            "error.records_individual_count", field="supervisee_ids", count=len(row.supervisees)
        )
    for risk in row.risks:
        if not risk.note:
            raise check.IncompleteError("error.records_risk_note", flag=risk.flag)
    for number, action in enumerate(sorted(row.actions, key=lambda a: a.position), start=1):
        missing = [f for f in ("description", "owner_id", "due_date") if not getattr(action, f)]
        if missing:
            raise check.IncompleteError(
                "error.records_action_incomplete", number=number, fields=tuple(missing)
            )
    LIFE.lock(session, row, now)


def acknowledge(session: Session, session_id: str, person_id: str, now: dt.datetime) -> None:
    """The supervisee confirms the submitted record (idempotent: the first time is kept)."""
    row = LIFE.get(session, session_id)
    if row.status != RecordStatus.SUBMITTED:
        raise ValidationError("error.records_ack_draft", record=session_id)
    for link in row.supervisees:
        if link.person_id == person_id:
            if link.acknowledged_at is None:
                link.acknowledged_at = now
            return
    raise ValidationError("error.records_not_supervisee", person=person_id, record=session_id)


def load(session: Session, session_id: str) -> SessionRecord:
    row = LIFE.get(session, session_id)
    actions = sorted(row.actions, key=lambda a: a.position)
    draft = SessionDraft(
        session_id=row.session_id,
        supervisor_id=row.supervisor_id,
        session_date=row.session_date,
        mode=row.mode,
        duration_min=row.duration_min,
        supervisee_ids=tuple(sorted(s.person_id for s in row.supervisees)),
        functions=tuple(
            f.value for f in SupervisionFunction if f in {x.function for x in row.functions}
        ),
        discussed=tuple(sorted(Discussed(d.kind, d.ref) for d in row.discussed)),
        issues=row.issues,
        risks={r.flag: r.note for r in sorted(row.risks, key=lambda r: r.flag)},
        guidance=row.guidance,
        actions=tuple(
            ActionDraft(
                a.description, a.owner_id, a.due_date, a.status, a.carried_from_id, a.item_id
            )
            for a in actions
        ),
        version=row.version,
    )
    return SessionRecord(
        draft=draft,
        status=row.status,
        created_at=row.created_at,
        updated_at=row.updated_at,
        submitted_at=row.submitted_at,
        acknowledged={s.person_id: s.acknowledged_at for s in row.supervisees},
        version=row.version,
    )


def carry_forward(open_items: pd.DataFrame) -> tuple[ActionDraft, ...]:
    """Copies of open items (rows of ``queries.open_action_items``) for the next session."""
    return tuple(
        ActionDraft(
            description=str(row["description"]),
            owner_id=row["owner_id"] or None,
            due_date=row["due_date"] or None,
            status=ActionStatus.OPEN,
            carried_from_id=str(row["item_id"]),
        )
        for row in open_items.to_dict("records")
    )
