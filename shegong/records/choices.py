"""Closed sets of stored values (roles, modes, statuses ...) with bilingual labels.

Each member is stored as its string value; ``member.label(lang)`` reads the catalogue entry
``records.<group>.<value>``, so widgets can fill a dropdown with
``[(m.label(lang), m.value) for m in SessionMode]``.
"""

from __future__ import annotations

import enum

from shegong.messages import Lang, text


class Choice(enum.StrEnum):
    """A closed set of stored values with bilingual labels ``records.<group>.<value>``."""

    @property
    def group(self) -> str:
        return LABEL_GROUPS[type(self)]

    def label(self, lang: Lang = "zh") -> str:
        return text(f"records.{self.group}.{self.value}", lang)


class Role(Choice):
    TRAINEE = "trainee"
    SUPERVISOR = "supervisor"
    EVALUATOR = "evaluator"
    MANAGER = "manager"


class SessionMode(Choice):
    INDIVIDUAL = "individual"
    GROUP = "group"
    PEER = "peer"
    ONSITE = "onsite"
    ONLINE = "online"


class SupervisionFunction(Choice):
    """Kadushin's three functions plus the two Chinese practice adds (brief §3.2)."""

    ADMINISTRATIVE = "administrative"
    EDUCATIONAL = "educational"
    SUPPORTIVE = "supportive"
    PROJECT_PLANNING = "project_planning"
    RESOURCE_LINKING = "resource_linking"


class RiskFlag(Choice):
    SUICIDE_RISK = "suicide_risk"
    ABUSE = "abuse"
    CONFIDENTIALITY_BREACH = "confidentiality_breach"
    OTHER = "other"


class DiscussedKind(Choice):
    CASE = "case"
    GROUP = "group"


class RecordStatus(Choice):
    """Life of a form: a draft is editable; submitted (and moderated) records are locked."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    MODERATED = "moderated"


class ActionStatus(Choice):
    OPEN = "open"
    DONE = "done"
    DROPPED = "dropped"


class AuditAction(Choice):
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"


LABEL_GROUPS: dict[type[Choice], str] = {
    Role: "role",
    SessionMode: "mode",
    SupervisionFunction: "function",
    RiskFlag: "risk",
    DiscussedKind: "discussed",
    RecordStatus: "status",
    ActionStatus: "action_status",
    AuditAction: "audit_action",
}
