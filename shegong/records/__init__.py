"""Records store: supervision logs, station evaluations, competency assessments, audit trail.

Apps open one ``RecordsStore`` (``RecordsStore.for_settings(settings)`` for the workspace's
SQLite file, or any SQLAlchemy URL), fill the draft dataclasses from their forms, and call
``save_*_draft`` on every change (autosave), ``submit_*`` when the user submits, and the
query methods for histories, hours, results and profiles. Errors are ``RecordsError`` (or
``shegong.evaluation`` errors for rubric problems), each a bilingual ``ShegongError``.
"""

from .chain import AuditCheck
from .choices import (
    ActionStatus,
    DiscussedKind,
    RecordStatus,
    RiskFlag,
    Role,
    SessionMode,
    SupervisionFunction,
)
from .competency import AssessmentDraft, AssessmentRecord, CompetencyRatingDraft
from .database import downgrade, upgrade
from .evaluations import EvaluationDraft, EvaluationRecord, RatingDraft
from .people import PersonRecord
from .queries import HoursRequirement
from .rows import Saved, new_id
from .store import RecordsStore
from .supervision import ActionDraft, Discussed, SessionDraft, SessionRecord, carry_forward
from .validation import (
    ConflictError,
    DatabaseDamaged,
    DuplicateEvaluationError,
    IncompleteError,
    LockedError,
    NotFoundError,
    PermissionDenied,
    RecordsError,
    SaveFailed,
    StoreError,
    ValidationError,
)

__all__ = [
    "ActionDraft",
    "ActionStatus",
    "AssessmentDraft",
    "AssessmentRecord",
    "AuditCheck",
    "CompetencyRatingDraft",
    "ConflictError",
    "DatabaseDamaged",
    "Discussed",
    "DiscussedKind",
    "DuplicateEvaluationError",
    "EvaluationDraft",
    "EvaluationRecord",
    "HoursRequirement",
    "IncompleteError",
    "LockedError",
    "NotFoundError",
    "PermissionDenied",
    "PersonRecord",
    "RatingDraft",
    "RecordStatus",
    "RecordsError",
    "RecordsStore",
    "RiskFlag",
    "Role",
    "SaveFailed",
    "Saved",
    "SessionDraft",
    "SessionMode",
    "SessionRecord",
    "StoreError",
    "SupervisionFunction",
    "ValidationError",
    "carry_forward",
    "downgrade",
    "new_id",
    "upgrade",
]
