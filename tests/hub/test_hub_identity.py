"""The apps as the hub's service: who is at the page comes from the forwarded header only."""

from __future__ import annotations

import json

import pytest

from shegong.records.roster import IdentityError, Member
from shegong.widgets.forms.shell import HEADER_ENV, SERVICE_ENV, resolve

PEOPLE = [
    Member("u0004", "督导", "supervisor", agency_id="A017"),
    Member("w000019", "学员甲", "trainee", station_id="S00579", agency_id="A017"),
    Member("e01", "评估员", "evaluator"),
]
ROLES = ("supervisor", "evaluator")


def service_env(header: object | None, **extra: str) -> dict[str, str]:
    env = {SERVICE_ENV: "shegong-apps", "JUPYTERHUB_USER": "shegong-apps", **extra}
    if header is not None:
        env[HEADER_ENV] = header if isinstance(header, str) else json.dumps(header)
    return env


def user(name: str, *groups: str) -> dict[str, object]:
    return {"kind": "user", "name": name, "admin": False, "groups": list(groups)}


def test_the_forwarded_user_is_the_person_and_the_page_is_fixed() -> None:
    env = service_env(user("u0004", "role-supervisor", "formgrade-a017"))
    identity = resolve(PEOPLE, ROLES, environ=env, query={"user": "e01"})
    assert identity.person_id == "u0004" and identity.source == "hub-service"
    assert identity.fixed  # no demo picker


def test_without_the_header_the_service_refuses_even_with_hub_and_configured_users() -> None:
    env = service_env(None, SHEGONG_USER="e01")
    with pytest.raises(IdentityError) as caught:
        resolve(PEOPLE, ROLES, environ=env, query={"user": "e01"})
    assert caught.value.msg_id == "error.apps_hub_no_user"


@pytest.mark.parametrize(
    "header",
    ["not json", json.dumps(["u0004"]), json.dumps({"kind": "service", "name": "x"}), "{}"],
)
def test_an_unreadable_header_is_refused(header: str) -> None:
    with pytest.raises(IdentityError) as caught:
        resolve(PEOPLE, ROLES, environ=service_env(header))
    assert caught.value.msg_id == "error.apps_hub_bad_header"


@pytest.mark.parametrize(
    "groups",
    [
        (),  # the hub lost the person's groups
        ("role-evaluator",),  # the hub says evaluator, the roster supervisor
        ("role-supervisor", "role-evaluator", "formgrade-a017"),  # two roles
        ("role-supervisor", "formgrade-a001"),  # another agency's course
    ],
)
def test_roster_and_hub_groups_must_agree_else_the_page_refuses(groups: tuple[str, ...]) -> None:
    with pytest.raises(IdentityError) as caught:
        resolve(PEOPLE, ROLES, environ=service_env(user("u0004", *groups)))
    assert caught.value.msg_id == "error.apps_hub_groups"
    assert "u0004" in caught.value.message("zh") and "u0004" in caught.value.message("en")


def test_a_trainee_is_refused_an_app_for_supervisors_and_evaluators() -> None:
    env = service_env(user("w000019", "role-trainee", "nbgrader-a017"))
    with pytest.raises(IdentityError) as caught:
        resolve(PEOPLE, ROLES, environ=env)
    assert caught.value.msg_id == "error.apps_wrong_role"


def test_outside_a_service_the_header_means_nothing() -> None:
    env = {HEADER_ENV: json.dumps(user("u0004", "role-supervisor", "formgrade-a017"))}
    identity = resolve(PEOPLE, ROLES, environ=env, query={"user": "e01"})
    assert identity.source == "demo" and identity.person_id == "e01"
