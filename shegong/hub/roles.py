"""Hub groups and roles from the roster (hub-design.md §6).

The roster role is authoritative; the hub mirrors it so the hub itself enforces who may open
which service:

- trainee: groups ``role-trainee``, ``nbgrader-<agency>``; the apps, ``list:services`` and
  ``read:services!service=<agency>`` (nbgrader's Lab extensions find the course);
- supervisor: ``role-supervisor``, ``formgrade-<agency>``; the apps and
  ``access:services!service=<agency>`` (the course's formgrader);
- evaluator, manager: ``role-evaluator`` / ``role-manager``; the apps only (no Lab: a spawn
  is refused).

The apps service then checks again, in the page, that the roster role and these groups agree
(``shegong.widgets.forms.shell``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from shegong.hub.accounts import agency_name, grader_account
from shegong.records.roster import Member

APPS_SERVICE = "shegong-apps"
ROLE_GROUP = "role-{role}"
LAB_ROLES = ("trainee", "supervisor")  # who gets a JupyterLab server


def role_group(role: str) -> str:
    return ROLE_GROUP.format(role=role)


def groups_of(member: Member) -> list[str]:
    """The hub groups a roster person belongs to."""
    groups = [role_group(member.role)]
    if member.agency_id and member.role == "trainee":
        groups.append(f"nbgrader-{agency_name(member.agency_id)}")
    if member.agency_id and member.role == "supervisor":
        groups.append(f"formgrade-{agency_name(member.agency_id)}")
    return groups


def load_groups(members: Iterable[Member]) -> dict[str, dict[str, Any]]:
    """``JupyterHub.load_groups``: every group with its members (sorted, stable)."""
    groups: dict[str, list[str]] = {}
    for member in members:
        for group in groups_of(member):
            groups.setdefault(group, []).append(member.person_id)
    return {name: {"users": sorted(users)} for name, users in sorted(groups.items())}


def load_roles(members: Sequence[Member], courses: Sequence[str]) -> list[dict[str, Any]]:
    """``JupyterHub.load_roles``: apps access for every role group, one pair per course, the
    course services' and the apps service's own tokens, and servers inheriting their owner's
    rights (so nbgrader's Lab extensions can ask the hub for the user's courses)."""
    role_groups = sorted({role_group(m.role) for m in members})
    roles: list[dict[str, Any]] = [
        {
            "name": "shegong-apps-users",
            "description": "every roster person may open the record apps",
            "scopes": [f"access:services!service={APPS_SERVICE}"],
            "groups": role_groups,
        },
        {"name": "server", "scopes": ["inherit"]},
        {
            "name": "shegong-apps-service",
            "description": "the apps service reads who is signed in and their groups",
            "scopes": ["read:users:name", "read:users:groups"],
            "services": [APPS_SERVICE],
        },
    ]
    for course in courses:
        roles += [
            {
                "name": f"formgrade-{course}",
                "scopes": [f"access:services!service={course}"],
                "groups": [f"formgrade-{course}"],
            },
            {
                "name": f"nbgrader-{course}",
                "scopes": ["list:services", f"read:services!service={course}"],
                "groups": [f"nbgrader-{course}"],
            },
            {
                "name": f"course-{course}",
                "description": f"the {course} course service looks up its students",
                "scopes": [
                    "list:users",
                    "read:users",
                    "read:users:groups",
                    "list:groups",
                    "read:groups",
                    "list:services",
                    "read:services",
                ],
                "services": [course],
            },
        ]
    return roles


def course_accounts(courses: Sequence[str]) -> dict[str, str]:
    """{course service name: the Unix account it runs as}."""
    return {course: grader_account(course) for course in courses}


def lab_refused(members: Iterable[Member]) -> list[str]:
    """People who land on the apps and get no JupyterLab (evaluators, the manager)."""
    return sorted(m.person_id for m in members if m.role not in LAB_ROLES)
