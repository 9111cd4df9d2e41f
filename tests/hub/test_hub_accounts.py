"""Accounts from the roster: valid lowercase names only, service accounts added, idempotent."""

from __future__ import annotations

import pwd
from collections.abc import Sequence
from pathlib import Path

import pytest

from shegong.hub import HubError
from shegong.hub.accounts import (
    APPS_ACCOUNT,
    Account,
    ensure_accounts,
    plan_accounts,
    write_passwords,
)
from shegong.records.roster import Member

PEOPLE = [
    Member("u0001", "督导甲", "supervisor", agency_id="A001"),
    Member("w000123", "学员甲", "trainee", station_id="S00001", agency_id="A001"),
    Member("e01", "评估员", "evaluator"),
    Member("m01", "主管", "manager"),
]


def test_plan_has_one_account_per_person_plus_the_apps_and_one_grader_per_agency() -> None:
    names = [a.name for a in plan_accounts(PEOPLE)]
    assert names == ["u0001", "w000123", "e01", "m01", APPS_ACCOUNT, "grader-a001"]
    services = [a.name for a in plan_accounts(PEOPLE) if not a.person]
    assert services == [APPS_ACCOUNT, "grader-a001"]


@pytest.mark.parametrize("bad", ["U0001", "1abc", "w-000123!", "a" * 33, "e 01"])
def test_a_roster_id_that_is_no_unix_name_is_refused_naming_the_entry(bad: str) -> None:
    people = [*PEOPLE[:2], Member(bad, "某人", "trainee", agency_id="A001")]
    with pytest.raises(HubError) as caught:
        plan_accounts(people)
    assert caught.value.msg_id == "error.hub_bad_name"
    assert "第 3 项" in caught.value.message("zh") and bad in caught.value.message("en")


@pytest.mark.parametrize("reserved", [APPS_ACCOUNT, "grader-a001", "root", "postgres"])
def test_the_platforms_own_account_names_cannot_be_roster_ids(reserved: str) -> None:
    with pytest.raises(HubError) as caught:
        plan_accounts([Member(reserved, "某人", "trainee")])
    assert caught.value.msg_id == "error.hub_reserved_name"


class FakeSystem:
    """useradd/chpasswd recorded instead of run; accounts appear once 'created'."""

    def __init__(self, existing: dict[str, int] | None = None, home: Path | None = None) -> None:
        self.accounts = dict(existing or {})
        self.commands: list[tuple[list[str], str | None]] = []
        self.home = home

    def run(self, command: Sequence[str], stdin: str | None) -> str:
        self.commands.append((list(command), stdin))
        if command[0] == "useradd":
            self.accounts[command[-1]] = 1000 + len(self.accounts)
        return ""

    def lookup(self, name: str) -> pwd.struct_passwd | None:
        if name not in self.accounts:
            return None
        uid = self.accounts[name]
        home = str(self.home / name) if self.home else "/nonexistent"
        return pwd.struct_passwd((name, "x", uid, uid, "", home, "/bin/bash"))


def test_accounts_are_created_once_and_only_people_get_a_password(tmp_path: Path) -> None:
    system = FakeSystem(home=tmp_path)
    accounts = plan_accounts(PEOPLE)
    first = ensure_accounts(accounts, system.run, system.lookup)
    assert first.created == [a.name for a in accounts] and first.existing == []
    assert sorted(first.passwords) == ["e01", "m01", "u0001", "w000123"]
    useradds = [c for c, _ in system.commands if c[0] == "useradd"]
    assert ["useradd", "-m", "-U", "-s", "/usr/sbin/nologin", APPS_ACCOUNT] in useradds
    chpasswd = [stdin for c, stdin in system.commands if c[0] == "chpasswd"]
    assert f"w000123:{first.passwords['w000123']}\n" in chpasswd

    system.commands.clear()
    again = ensure_accounts(accounts, system.run, system.lookup)
    assert again.created == [] and again.passwords == {} and system.commands == []
    assert again.existing == [a.name for a in accounts]


def test_homes_are_closed_to_other_users(tmp_path: Path) -> None:
    (tmp_path / "w000123").mkdir(mode=0o755)
    system = FakeSystem({"w000123": 1500}, home=tmp_path)
    ensure_accounts([Account("w000123")], system.run, system.lookup)
    assert (tmp_path / "w000123").stat().st_mode & 0o777 == 0o700


def test_an_existing_system_account_is_never_taken_over() -> None:
    system = FakeSystem({"w000123": 100})
    with pytest.raises(HubError) as caught:
        ensure_accounts([Account("w000123")], system.run, system.lookup)
    assert caught.value.msg_id == "error.hub_system_account"
    assert system.commands == []


def test_initial_passwords_go_to_a_root_only_file(tmp_path: Path) -> None:
    path = write_passwords(tmp_path / "hub" / "initial-passwords.tsv", {"w000123": "s3cret"})
    assert path.stat().st_mode & 0o777 == 0o600
    assert path.read_text(encoding="utf-8") == "w000123\ts3cret\n"


def test_people_yml_refuses_capital_letters_in_ids(tmp_path: Path) -> None:
    from shegong.records.roster import IdentityError, read_roster

    path = tmp_path / "people.yml"
    path.write_text(
        "- {person_id: w000123, role: trainee}\n- {person_id: U0001, role: supervisor}\n"
    )
    with pytest.raises(IdentityError) as caught:
        read_roster(path)
    assert caught.value.msg_id == "error.apps_roster_lowercase"
    assert "第 2 项" in caught.value.message("zh") and "U0001" in caught.value.message("en")
