"""What the grading pipeline passes around: small frozen records, no behaviour beyond labels.

Statuses (one per submission, the most serious wins; the supervisor reads an explanation for
each, ``shegong.grading.status``):

======================  =====================================================================
``graded``              executed and scored; nothing unusual
``repaired``            scored after broken nbgrader metadata (a split cell, an answer cell
                        marked as a grade cell) was repaired from the release's own metadata
``cells_restored``      scored, but nbgrader put back test cells the trainee deleted or edited
``suspicious``          scored by the checker kernel (trustworthy), but the trainee's code hooked
                        into how cells run or replaced the checks: a supervisor should look
``timed_out``           a cell ran past the per-cell limit (infinite loop?); later cells ran on
``kernel_died``         the kernel crashed or was killed (memory, ``os._exit``); cells after it
                        scored 0 and say so
``tampered``            the answer's values for some tests were never saved or were forged (e.g.
                        an input transformer rewrote the cells): those tests scored 0; a
                        supervisor must look
``corrupt``             the notebook could not be read (broken JSON, broken nbgrader metadata)
``rejected``            intake refused the file (checksum, duplicate, unknown trainee, late)
======================  =====================================================================
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Literal

CellKind = Literal["prose", "given", "answer", "test", "written", "setup", "code", "markdown"]


class Status(StrEnum):
    """A submission's grading status (see the module docstring)."""

    GRADED = "graded"
    REPAIRED = "repaired"
    CELLS_RESTORED = "cells_restored"
    SUSPICIOUS = "suspicious"
    TIMED_OUT = "timed_out"
    KERNEL_DIED = "kernel_died"
    TAMPERED = "tampered"
    CORRUPT = "corrupt"
    REJECTED = "rejected"

    @property
    def severity(self) -> int:
        """Higher is more serious; a submission's status is its most serious finding."""
        return list(Status).index(self)


def worst(statuses: list[Status]) -> Status:
    """The most serious of ``statuses`` (``graded`` for none)."""
    return max(statuses, key=lambda s: s.severity, default=Status.GRADED)


@dataclass(frozen=True)
class GradedCell:
    """A cell that carries points: an autograded test or a rubric-graded written answer."""

    grade_id: str
    kind: str
    points: float
    cell_type: str


@dataclass(frozen=True)
class AssignmentInfo:
    """One assignment master: ids, titles and where its files are."""

    id: str
    notebook: str
    order: int
    title_zh: str
    title_en: str
    folder: Path
    safety_gates: tuple[str, ...] = ()  # test cells a pass needs at full marks (``gates``)
    pass_percent: float = 60.0  # of the maximum, once the gates are met

    @property
    def master(self) -> Path:
        return self.folder / f"{self.notebook}.py"

    @property
    def rubric_path(self) -> Path:
        return self.folder / "rubric.yml"

    def title(self, lang: str) -> str:
        return self.title_zh if lang == "zh" else self.title_en


@dataclass(frozen=True)
class Note:
    """One finding about a submission: a catalogue code (``grading.note.<code>``) and values."""

    code: str
    cell: str = ""
    detail: str = ""


@dataclass(frozen=True)
class SubmissionResult:
    """The outcome of autograding one trainee's submission of one assignment."""

    assignment: str
    student: str
    status: Status
    notes: tuple[Note, ...] = ()
    auto_score: float = 0.0
    auto_max: float = 0.0
    seconds: float = 0.0
    content_hash: str = ""


@dataclass(frozen=True)
class ManifestFile:
    """One file in a submission zip."""

    name: str
    sha256: str
    size: int


@dataclass(frozen=True)
class Manifest:
    """What a trainee's submission zip says about itself (``manifest.json``)."""

    trainee: str
    assignment: str
    course: str
    packed_at: str  # ISO 8601 with offset, the trainee's clock
    files: tuple[ManifestFile, ...]
    lang: str = "zh"
    scale: str = "county"
    seed: int = 2022
    tool: str = "shegong"
    version: int = 1


@dataclass(frozen=True)
class IntakeDecision:
    """What intake did with one zip: accepted into ``submitted/`` or rejected, and why."""

    file: str
    accepted: bool
    reason: str  # a catalogue code: grading.intake.<reason>
    trainee: str = ""
    assignment: str = ""
    receipt: str = ""
    notes: tuple[str, ...] = field(default_factory=tuple)
    detail: str = ""  # the value of the reason's {detail}
    ignored: tuple[str, ...] = ()  # members not extracted (undeclared, unsafe names)
    converted: tuple[str, ...] = ()  # notebooks read from an older nbformat
