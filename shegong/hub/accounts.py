"""One Unix account per person of the roster, plus the platform's service accounts.

LocalProcessSpawner runs each person's JupyterLab as their own Unix user, so each hub user
name (the roster's ``person_id``, lowercase) must be a valid Debian account name
(``^[a-z][-a-z0-9_]*$``, at most 32 characters, /etc/adduser.conf ``NAME_REGEX``). The
platform adds ``shegong-apps`` (the apps service, the only account that may reach the records
database) and one ``grader-<agency>`` per supervising agency (that agency's nbgrader course).

``ensure_accounts`` is idempotent: an existing account is kept (and its home closed to
others, mode 0700); a new person's account gets a random initial password, returned so the
command can write them to a root-only file for the manager. An id that names an existing
system account (uid below 1000) is refused rather than reused.
"""

from __future__ import annotations

import pwd
import re
import secrets
import subprocess
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from shegong.hub import HubError
from shegong.records.roster import Member

NAME = re.compile(r"[a-z][-a-z0-9_]{0,31}")
APPS_ACCOUNT = "shegong-apps"
GRADER_PREFIX = "grader-"
FIRST_UID = 1000  # Debian's UID_MIN: below it, system accounts
HOME_MODE = 0o700


def is_account_name(name: str) -> bool:
    return NAME.fullmatch(name) is not None


def agency_name(agency_id: str) -> str:
    """The lowercase form of an agency code used in account, group and course names."""
    return agency_id.strip().lower()


def grader_account(agency_id: str) -> str:
    return f"{GRADER_PREFIX}{agency_name(agency_id)}"


@dataclass(frozen=True)
class Account:
    """A Unix account the platform needs; ``person`` is False for service accounts."""

    name: str
    person: bool = True

    @property
    def shell(self) -> str:
        return "/bin/bash" if self.person else "/usr/sbin/nologin"


def supervising_agencies(members: Iterable[Member]) -> list[str]:
    """The agencies that have a supervisor on the roster (one course each), lowercase."""
    return sorted(
        {agency_name(m.agency_id) for m in members if m.role == "supervisor" and m.agency_id}
    )


def check_roster_names(members: Sequence[Member]) -> None:
    """HubError naming the first roster entry whose id cannot be (or must not be) an account."""
    for number, member in enumerate(members, start=1):
        name = member.person_id
        if not is_account_name(name):
            raise HubError("error.hub_bad_name", number=number, value=name)
        if name == APPS_ACCOUNT or name.startswith(GRADER_PREFIX) or name in ("root", "postgres"):
            reserved = f"{APPS_ACCOUNT}, {GRADER_PREFIX}*, root, postgres"
            raise HubError("error.hub_reserved_name", number=number, value=name, reserved=reserved)


def plan_accounts(members: Sequence[Member]) -> list[Account]:
    """Every account the platform needs for this roster, people first."""
    check_roster_names(members)
    accounts = [Account(m.person_id) for m in members]
    accounts.append(Account(APPS_ACCOUNT, person=False))
    accounts += [Account(grader_account(a), person=False) for a in supervising_agencies(members)]
    for account in accounts:  # agency codes make account names too
        if not is_account_name(account.name):
            raise HubError("error.hub_bad_name", number=0, value=account.name)
    return accounts


Runner = Callable[[Sequence[str], str | None], str]
Lookup = Callable[[str], "pwd.struct_passwd | None"]


def run_command(command: Sequence[str], stdin: str | None = None) -> str:
    """Run a system command; HubError (bilingual, with its output) when it fails."""
    done = subprocess.run(list(command), input=stdin, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip()[-400:]
        shown = " ".join(command)
        raise HubError(
            "error.hub_command_failed", command=shown, code=done.returncode, detail=detail
        )
    return done.stdout


def lookup_account(name: str) -> pwd.struct_passwd | None:
    try:
        return pwd.getpwnam(name)
    except KeyError:
        return None


@dataclass(frozen=True)
class AccountsResult:
    created: list[str]
    existing: list[str]
    passwords: dict[str, str]  # new people's initial passwords


def ensure_accounts(
    accounts: Iterable[Account],
    run: Runner = run_command,
    lookup: Lookup = lookup_account,
) -> AccountsResult:
    """Create the accounts that do not exist (``useradd -m``); keep the others."""
    created: list[str] = []
    existing: list[str] = []
    passwords: dict[str, str] = {}
    for account in accounts:
        found = lookup(account.name)
        if found is not None and found.pw_uid < FIRST_UID:
            raise HubError("error.hub_system_account", name=account.name, uid=found.pw_uid)
        if found is None:
            run(["useradd", "-m", "-U", "-s", account.shell, account.name], None)
            created.append(account.name)
            if account.person:
                password = secrets.token_urlsafe(9)
                run(["chpasswd"], f"{account.name}:{password}\n")
                passwords[account.name] = password
            found = lookup(account.name)
        else:
            existing.append(account.name)
        if found is not None:
            close_home(Path(found.pw_dir))
    return AccountsResult(created, existing, passwords)


def close_home(home: Path) -> None:
    """Only the owner may enter their home folder (Debian's default leaves it 0755)."""
    if home.is_dir() and home != Path("/"):
        home.chmod(HOME_MODE)


def write_passwords(path: Path, passwords: dict[str, str]) -> Path:
    """Append new initial passwords to a file only root can read (``person_id<TAB>password``)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600, exist_ok=True)
    path.chmod(0o600)
    with path.open("a", encoding="utf-8") as out:
        for name, password in passwords.items():
            out.write(f"{name}\t{password}\n")
    return path
