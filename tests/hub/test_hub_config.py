"""The generated hub configuration: roles from the roster, the servers' hardening, services."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from shegong.hub.hubconfig import (
    USER_HEADER,
    HubPlan,
    Ports,
    hub_config,
    render,
    trainee_arguments,
    write_config,
)
from shegong.hub.roles import groups_of, load_groups, load_roles
from shegong.records.roster import Member

PEOPLE = [
    Member("u0004", "督导", "supervisor", agency_id="A017"),
    Member("w000019", "学员甲", "trainee", station_id="S00579", agency_id="A017"),
    Member("w000020", "学员乙", "trainee", station_id="S00579", agency_id="A017"),
    Member("e01", "评估员", "evaluator"),
    Member("m01", "主管", "manager"),
]


def plan(tmp_path: Path) -> HubPlan:
    return HubPlan(
        folder=tmp_path / "hub",
        members=PEOPLE,
        courses=["a017"],
        ports=Ports(public=8000, api=8001, hub=8081, apps=9100, courses={"a017": 9201}),
        db_url="postgresql+psycopg://root@/jupyterhub?host=%2Fvar%2Frun%2Fpostgresql&port=5432",
        records_url="postgresql+psycopg://shegong-apps@/shegong_records?port=5432",
        apps_home=tmp_path / "apps" / "workspace",
        python=Path("/srv/shegong/python/bin/python"),
    )


def test_groups_follow_the_roster_role_and_agency() -> None:
    assert groups_of(PEOPLE[0]) == ["role-supervisor", "formgrade-a017"]
    assert groups_of(PEOPLE[1]) == ["role-trainee", "nbgrader-a017"]
    assert groups_of(PEOPLE[3]) == ["role-evaluator"]
    groups = load_groups(PEOPLE)
    assert groups["nbgrader-a017"] == {"users": ["w000019", "w000020"]}
    assert groups["formgrade-a017"] == {"users": ["u0004"]}


def test_only_graders_reach_a_course_and_every_role_reaches_the_apps() -> None:
    roles = {r["name"]: r for r in load_roles(PEOPLE, ["a017"])}
    assert roles["formgrade-a017"]["scopes"] == ["access:services!service=a017"]
    assert roles["formgrade-a017"]["groups"] == ["formgrade-a017"]
    # students see the course (nbgrader's Lab extensions) but cannot open its server
    assert roles["nbgrader-a017"]["scopes"] == ["list:services", "read:services!service=a017"]
    apps = roles["shegong-apps-users"]
    assert apps["scopes"] == ["access:services!service=shegong-apps"]
    assert set(apps["groups"]) == {
        f"role-{r}" for r in ("supervisor", "trainee", "evaluator", "manager")
    }
    granted = [s for r in roles.values() for s in r["scopes"] if "service=a017" in s]
    assert "access:services!service=a017" in granted
    assert all("admin" not in s for r in roles.values() for s in r["scopes"])


def test_user_servers_are_hardened_and_the_hub_db_is_postgresql(tmp_path: Path) -> None:
    config = hub_config(plan(tmp_path))
    spawner = config["Spawner"]
    assert spawner["disable_user_config"] is True
    assert "--KernelManager.transport=ipc" in spawner["args"]
    assert "--ServerApp.tornado_settings=compress_response=True" in spawner["args"]
    assert spawner["cmd"] == ["/srv/shegong/python/bin/python", "-m", "jupyterhub.singleuser"]
    assert "SHEGONG_RECORDS_URL" not in spawner["environment"]  # no records credential
    hub = config["JupyterHub"]
    assert hub["db_url"].startswith("postgresql+psycopg://root@/jupyterhub")
    assert hub["authenticator_class"] == "pam" and hub["spawner_class"] == "localprocess"
    assert Path(hub["template_paths"][0], "login.html").is_file()
    assert config["Authenticator"]["allowed_users"] == sorted(m.person_id for m in PEOPLE)
    assert config["Authenticator"]["admin_users"] == []


def test_the_apps_service_signs_in_through_the_hub_and_forwards_the_user(tmp_path: Path) -> None:
    services = {s["name"]: s for s in hub_config(plan(tmp_path))["JupyterHub"]["services"]}
    apps = services["shegong-apps"]
    assert apps["user"] == "shegong-apps" and apps["url"] == "http://127.0.0.1:9100"
    command = apps["command"]
    assert command[:3] == ["/srv/shegong/python/bin/python", "-m", "jhsingle_native_proxy.main"]
    assert "--authtype=oauth" in command and "--forward-user-info" in command
    config_arg = next(a for a in command if a.startswith("--config-json="))
    # jhsingle formats each argument: doubled braces become the JSON Voila reads
    voila = json.loads(config_arg.removeprefix("--config-json=").format())
    # Voila answers only its own uid (jhsingle's), its kernels have no TCP ports
    assert "shegong.hub.apps_server" in command
    assert voila["KernelManager"]["transport"] == "ipc"
    assert voila["Voila"]["connection_dir_root"] == str(tmp_path / "apps" / "runtime")
    assert voila["VoilaConfiguration"]["http_header_envs"] == [USER_HEADER]
    assert voila["Voila"]["base_url"] == "/services/shegong-apps/"
    assert apps["environment"]["SHEGONG_DEMO"] == "off"
    assert apps["environment"]["SHEGONG_RECORDS_URL"].startswith(
        "postgresql+psycopg://shegong-apps@"
    )
    course = services["a017"]
    assert course["user"] == "grader-a017" and course["url"] == "http://127.0.0.1:9201"
    assert "SHEGONG_RECORDS_URL" not in course["environment"]


def test_the_rendered_file_is_python_that_sets_hooks(tmp_path: Path) -> None:
    text = render(plan(tmp_path))
    compile(text, "jupyterhub_config.py", "exec")
    assert "c.Spawner.pre_spawn_hook = spawn_hook(" in text
    assert "--LabApp.app_settings_dir=/srv/nbgrader/lab-settings/trainee" in text
    assert "c.JupyterHub.default_url = landing(['e01', 'm01'], '/services/shegong-apps/'" in text


class FakeSpawner:
    """What the hook reads of JupyterHub's Spawner: the user, their groups, the args."""

    def __init__(self, name: str, *groups: str) -> None:
        group_objects = [type("G", (), {"name": g})() for g in groups]
        self.user = type("U", (), {"name": name, "groups": group_objects})()
        self.args = ["--KernelManager.transport=ipc"]


def test_evaluators_and_the_manager_are_refused_a_lab_and_land_on_the_apps() -> None:
    import pytest
    from tornado import web

    from shegong.hub.hooks import landing, spawn_hook

    hook = spawn_hook({"e01": "evaluator", "w000019": "trainee"}, ["trainee", "supervisor"])
    hook(FakeSpawner("w000019", "role-trainee"))
    with pytest.raises(web.HTTPError) as caught:
        hook(FakeSpawner("e01", "role-evaluator"))
    assert caught.value.status_code == 403 and "没有学习空间" in str(caught.value.log_message)
    where = landing(["e01"], "/services/shegong-apps/", "/hub/spawn")
    handler = type("H", (), {"current_user": type("U", (), {"name": "e01"})()})()
    assert where(handler) == "/services/shegong-apps/"
    handler.current_user.name = "w000019"
    assert where(handler) == "/hub/spawn"


def test_a_trainees_lab_hides_the_instructor_tools_and_a_supervisors_keeps_them(
    tmp_path: Path,
) -> None:
    from shegong.hub.hooks import spawn_hook
    from shegong.lab import INSTRUCTOR_PLUGINS

    hub_plan = dataclasses.replace(plan(tmp_path), exchange=tmp_path / "srv" / "exchange")
    write_config(hub_plan)
    args = trainee_arguments(hub_plan)
    folder = Path(args[0].removeprefix("--LabApp.app_settings_dir="))
    assert folder == tmp_path / "srv" / "lab-settings" / "trainee"
    page = json.loads((folder / "page_config.json").read_text(encoding="utf-8"))
    assert page["disabledExtensions"] == list(INSTRUCTOR_PLUGINS)
    assert folder.stat().st_mode & 0o777 == 0o755  # every trainee's server reads it
    assert "--ServerApp.jpserver_extensions=nbgrader.server_extensions.formgrader=False" in args
    roles = {m.person_id: m.role for m in PEOPLE}
    hook = spawn_hook(roles, ["trainee", "supervisor"], args)
    trainee = FakeSpawner("w000019", "role-trainee", "nbgrader-a017")
    hook(trainee)
    hook(trainee)  # a second start of the same server: the arguments are not stacked
    assert trainee.args == ["--KernelManager.transport=ipc", *args]
    supervisor = FakeSpawner("u0004", "role-supervisor", "formgrade-a017")
    hook(supervisor)
    assert supervisor.args == ["--KernelManager.transport=ipc"]
    # the roster says supervisor but the hub does not: fail closed, the trainee's view
    unconfirmed = FakeSpawner("u0004", "role-trainee")
    hook(unconfirmed)
    assert unconfirmed.args[1:] == args


def test_the_shared_exchange_option_keeps_courses_apart(tmp_path: Path) -> None:
    from shegong.grading.config import GradingOptions
    from shegong.grading.context import GradingContext
    from shegong.grading.nbconfig import nbgrader_config
    from shegong.settings import Settings

    settings = Settings(home=tmp_path)
    alone = nbgrader_config(GradingContext.open(settings, GradingOptions(), ensure=False))
    assert alone.Exchange.path_includes_course is False
    assert alone.Exchange.root == str(tmp_path / "exchange")
    shared = GradingOptions(course_id="a017", exchange_root="/srv/nbgrader/exchange")
    hub = nbgrader_config(GradingContext.open(settings, shared, ensure=False))
    assert hub.Exchange.path_includes_course is True
    assert hub.Exchange.root == "/srv/nbgrader/exchange"
