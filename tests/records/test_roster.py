"""Is people.yml read strictly, each problem named by its entry and field?"""

from __future__ import annotations

from pathlib import Path

import pytest

from shegong.records.roster import IdentityError, read_roster


def roster_error(tmp_path: Path, body: str) -> IdentityError:
    path = tmp_path / "people.yml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(IdentityError) as error:
        read_roster(path)
    return error.value


def test_the_first_bad_entry_is_named_by_its_number(tmp_path: Path) -> None:
    """Does a bad role in the second entry say entry 2 and list the roles?"""
    error = roster_error(
        tmp_path,
        "- {person_id: a1, role: trainee}\n- {person_id: b2, role: boss}\n- 7\n",
    )
    assert error.msg_id == "error.apps_roster_role"
    assert error.values["number"] == 2 and error.values["value"] == "boss"


def test_a_missing_id_or_role_and_a_wrong_shape_each_have_their_message(tmp_path: Path) -> None:
    """Are a missing person_id, a missing role, a scalar entry and a mapping file explained?"""
    assert roster_error(tmp_path, "- {role: trainee}\n").msg_id == "error.apps_roster_id"
    missing_role = roster_error(tmp_path, "- {person_id: a1}\n")
    assert (missing_role.msg_id, missing_role.values["value"]) == ("error.apps_roster_role", None)
    assert roster_error(tmp_path, "- just a name\n").msg_id == "error.apps_roster_shape"
    assert roster_error(tmp_path, "people: []\n").msg_id == "error.apps_roster_shape"


def test_optional_details_keep_their_lenient_reading(tmp_path: Path) -> None:
    """Is a quoted start date 'not known', and a missing name the person id?"""
    path = tmp_path / "people.yml"
    path.write_text("- {person_id: a1, role: trainee, started_on: 'soon'}\n", encoding="utf-8")
    (member,) = read_roster(path)
    assert (member.display_name, member.started_on, member.lead) == ("a1", None, False)
