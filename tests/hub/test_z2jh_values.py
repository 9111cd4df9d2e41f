"""The Zero to JupyterHub files (deploy/z2jh) keep the design of ``shegong hub``.

No cluster runs here: these tests read the YAML and compare it with what ``shegong.hub``
itself builds (roles, groups, the apps service, the trainee's view), so the two cannot drift
apart without a failing test.
"""

from __future__ import annotations

import ipaddress
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from shegong.hub.hubconfig import EXCHANGE, USER_HEADER
from shegong.hub.roles import APPS_SERVICE, LAB_ROLES, load_groups, load_roles, role_group
from shegong.lab import INSTRUCTOR_PLUGINS, TRAINEE, view_folder_arguments
from shegong.records.roster import Member

DEPLOY = Path(__file__).resolve().parents[2] / "deploy" / "z2jh"
AGENCY = "A01"  # the example agency of values.yaml
COURSE = AGENCY.lower()
ROLES = ("trainee", "supervisor", "evaluator", "manager")
POSTGRES_PORT = 5432


def _members() -> list[Member]:
    """One person of each roster role, the trainee and supervisor in the example agency."""
    return [
        Member("u0001", "学员", "trainee", station_id="S01", agency_id=AGENCY),
        Member("s0001", "督导", "supervisor", agency_id=AGENCY),
        Member("e01", "评估员", "evaluator"),
        Member("m01", "管理员", "manager"),
    ]


@pytest.fixture(scope="module")
def values() -> dict[str, Any]:
    loaded = yaml.safe_load((DEPLOY / "values.yaml").read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


@pytest.fixture(scope="module")
def manifests() -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for name in ("apps-deployment.yaml", "exchange-pvc.yaml"):
        docs = list(yaml.safe_load_all((DEPLOY / name).read_text(encoding="utf-8")))
        found += [d for d in docs if d is not None]
    return found


def _kind(manifests: list[dict[str, Any]], kind: str, name: str) -> dict[str, Any]:
    matches = [m for m in manifests if m["kind"] == kind and m["metadata"]["name"] == name]
    assert len(matches) == 1, f"{kind}/{name}"
    return matches[0]


def test_every_role_is_the_hubs_own(values: dict[str, Any]) -> None:
    expected = {role["name"]: role for role in load_roles(_members(), [COURSE])}
    written = values["hub"]["loadRoles"]
    assert set(written) == set(expected)
    for name, role in expected.items():
        got = written[name]
        assert got.get("scopes") == role["scopes"], name
        assert sorted(got.get("groups", [])) == sorted(role.get("groups", [])), name
        assert got.get("services", []) == role.get("services", []), name


def test_every_group_is_declared(values: dict[str, Any]) -> None:
    declared = values["hub"]["config"]["JupyterHub"]["load_groups"]
    assert set(declared) == set(load_groups(_members()))
    assert {role_group(r) for r in ROLES} <= set(declared)
    assert {f"nbgrader-{COURSE}", f"formgrade-{COURSE}"} <= set(declared)
    # the identity provider supplies the members, never a list committed here
    assert all(group["users"] == [] for group in declared.values())


def test_sign_in_is_limited_to_the_roster_roles(values: dict[str, Any]) -> None:
    config = values["hub"]["config"]
    assert config["JupyterHub"]["authenticator_class"] == "generic-oauth"
    assert config["Authenticator"]["manage_groups"] is True
    assert set(config["GenericOAuthenticator"]["allowed_groups"]) == {role_group(r) for r in ROLES}
    assert config["Authenticator"]["admin_users"] == []
    assert config["KubeSpawner"]["disable_user_config"] is True


def test_apps_service_name_and_prefix_match(
    values: dict[str, Any], manifests: list[dict[str, Any]]
) -> None:
    services = values["hub"]["services"]
    assert APPS_SERVICE in services and COURSE in services
    apps = services[APPS_SERVICE]
    service = _kind(manifests, "Service", APPS_SERVICE)
    port = service["spec"]["ports"][0]["port"]
    assert apps["url"] == f"http://{APPS_SERVICE}:{port}"
    assert apps["oauth_redirect_uri"] == f"/services/{APPS_SERVICE}/oauth_callback"
    assert "apiToken" not in apps  # the chart generates it into the hub Secret

    deployment = _kind(manifests, "Deployment", APPS_SERVICE)
    container = deployment["spec"]["template"]["spec"]["containers"][0]
    env = {e["name"]: e for e in container["env"]}
    prefix = f"/services/{APPS_SERVICE}/"
    assert env["JUPYTERHUB_SERVICE_NAME"]["value"] == APPS_SERVICE
    assert env["JUPYTERHUB_SERVICE_PREFIX"]["value"] == prefix
    assert env["JUPYTERHUB_CLIENT_ID"]["value"] == apps["oauth_client_id"]
    assert env["JUPYTERHUB_OAUTH_CALLBACK_URL"]["value"] == apps["oauth_redirect_uri"]
    token = env["JUPYTERHUB_API_TOKEN"]["valueFrom"]["secretKeyRef"]
    assert token == {"name": "hub", "key": f"hub.services.{APPS_SERVICE}.apiToken"}
    command = container["command"]
    assert "--authtype=oauth" in command and "--forward-user-info" in command
    config = next(a for a in command if a.startswith("--config-json="))
    assert f'"base_url": "{prefix}"' in config and USER_HEADER in config
    ports = [p["containerPort"] for p in container["ports"]]
    assert service["spec"]["ports"][0]["targetPort"] == "http" and 8888 in ports


def test_records_database_is_for_the_apps_only(
    values: dict[str, Any], manifests: list[dict[str, Any]]
) -> None:
    deployment = _kind(manifests, "Deployment", APPS_SERVICE)
    env = {e["name"]: e for e in deployment["spec"]["template"]["spec"]["containers"][0]["env"]}
    assert "secretKeyRef" in env["SHEGONG_RECORDS_URL"]["valueFrom"]
    # nobody else is given the records credential
    singleuser_env = values["singleuser"].get("extraEnv", {})
    assert "SHEGONG_RECORDS_URL" not in singleuser_env
    assert "SHEGONG_RECORDS_URL" not in values["hub"].get("extraEnv", {})
    policy = _kind(manifests, "NetworkPolicy", "shegong-postgres")["spec"]
    assert policy["policyTypes"] == ["Ingress"]
    (rule,) = policy["ingress"]
    assert [p["port"] for p in rule["ports"]] == [POSTGRES_PORT]
    sources = [peer["podSelector"]["matchLabels"] for peer in rule["from"]]
    assert sources == [{"app": "jupyterhub", "component": "hub"}, {"app": APPS_SERVICE}]
    assert all("singleuser-server" not in s.values() for s in sources)


def test_hub_database_is_postgres_without_a_password(values: dict[str, Any]) -> None:
    db = values["hub"]["db"]
    assert db["type"] == "postgres"
    assert db["url"].startswith("postgresql")
    assert "password" not in db
    assert re.search(r"//[^/@:]+@", db["url"]), "no password in the URL"
    password = values["hub"]["extraEnv"]["PGPASSWORD"]["valueFrom"]["secretKeyRef"]
    assert password["name"] and password["key"]


def _private(cidr: str) -> bool:
    return ipaddress.ip_network(cidr).is_private


def test_user_pods_cannot_reach_the_database(values: dict[str, Any]) -> None:
    policy = values["singleuser"]["networkPolicy"]
    assert policy["enabled"] is True
    assert policy["egressAllowRules"]["privateIPs"] is False
    assert policy["egressAllowRules"]["cloudMetadataServer"] is False
    # no extra egress rule opens a private range or the database port again
    for rule in policy.get("egress", []):
        for peer in rule.get("to", []):
            assert not _private(peer.get("ipBlock", {}).get("cidr", "0.0.0.0/0"))
        assert POSTGRES_PORT not in [p.get("port") for p in rule.get("ports", [])]
    assert values["hub"]["networkPolicy"]["enabled"] is True


def test_culling_is_on(values: dict[str, Any]) -> None:
    cull = values["cull"]
    assert cull["enabled"] is True
    assert 0 < cull["timeout"] <= 4 * 3600 and 0 < cull["every"] <= cull["timeout"]


def test_trainee_view_and_chinese_lab(values: dict[str, Any]) -> None:
    singleuser = values["singleuser"]
    files = singleuser["extraFiles"]
    page = files["trainee-page-config"]
    assert page["data"]["disabledExtensions"] == list(INSTRUCTOR_PLUGINS)
    folder = Path(page["mountPath"]).parent
    hooks = values["hub"]["extraConfig"]["shegong-hooks"]
    assert f'Path("{folder}")' in hooks
    # the hook computes its arguments with shegong.lab itself
    assert view_folder_arguments(folder, TRAINEE, write=False)[0].endswith(str(folder))
    assert "spawn_hook" in hooks and "LAB_ROLES" in hooks and "landing" in hooks
    overrides = files["lab-overrides"]["data"]
    assert overrides["@jupyterlab/translation-extension:plugin"]["locale"] == "zh_CN"
    nbgrader = files["nbgrader-config"]["stringData"]
    assert f'c.Exchange.root = "{EXCHANGE}"' in nbgrader
    assert singleuser["defaultUrl"] == "/lab"
    assert set(LAB_ROLES) == {"trainee", "supervisor"}


def test_exchange_is_one_shared_rwx_volume(
    values: dict[str, Any], manifests: list[dict[str, Any]]
) -> None:
    storage = values["singleuser"]["storage"]
    (volume,) = storage["extraVolumes"]
    (mount,) = storage["extraVolumeMounts"]
    claim = volume["persistentVolumeClaim"]["claimName"]
    pvc = _kind(manifests, "PersistentVolumeClaim", claim)
    assert pvc["spec"]["accessModes"] == ["ReadWriteMany"]
    assert mount["name"] == volume["name"] and mount["mountPath"] == str(EXCHANGE)


def test_memory_is_sized_from_the_measurements(
    values: dict[str, Any], manifests: list[dict[str, Any]]
) -> None:
    apps = _kind(manifests, "Deployment", APPS_SERVICE)["spec"]["template"]["spec"]
    resources = apps["containers"][0]["resources"]
    kernel_mib = 280  # measured per apps kernel
    request_mib = int(resources["requests"]["memory"].removesuffix("Gi")) * 1024
    limit_mib = int(resources["limits"]["memory"].removesuffix("Gi")) * 1024
    assert request_mib >= 10 * kernel_mib and limit_mib >= 20 * kernel_mib
    memory = values["singleuser"]["memory"]
    assert memory["guarantee"] == "512M" and memory["limit"] == "1G"


SECRET_KEYS = re.compile(r"(secret|password|token|cryptokey|keys)$", re.IGNORECASE)
LONG_RUN = re.compile(r"[A-Za-z0-9+/=_]{32,}")


def _random_looking(text: str) -> bool:
    """A long run of letters and digits mixed, as a generated token or key would be."""
    for run in LONG_RUN.findall(text):
        if sum(c.isdigit() for c in run) >= 6 and sum(c.isalpha() for c in run) >= 6:
            return True
    return False


def _walk(node: Any, path: str = "") -> list[tuple[str, Any]]:
    if isinstance(node, dict):
        return [pair for k, v in node.items() for pair in _walk(v, f"{path}.{k}")]
    if isinstance(node, list):
        return [pair for i, v in enumerate(node) for pair in _walk(v, f"{path}[{i}]")]
    return [(path, node)]


def test_no_secret_is_committed(values: dict[str, Any], manifests: list[dict[str, Any]]) -> None:
    for document in [values, *manifests]:
        for path, value in _walk(document):
            leaf = path.rsplit(".", 1)[-1]
            if SECRET_KEYS.search(leaf):
                assert value in (None, "", []), f"{path} holds a value"
            if isinstance(value, str) and "\n" not in value:
                assert not _random_looking(value), f"{path} looks like a secret"
    assert "cookieSecret" not in values["hub"] and "secretToken" not in values["proxy"]
    for name in ("values.yaml", "apps-deployment.yaml", "exchange-pvc.yaml"):
        text = (DEPLOY / name).read_text(encoding="utf-8")
        assert not re.search(r"BEGIN [A-Z ]*PRIVATE KEY", text)
        assert not re.search(r"://[^/\s:@]+:[^/\s@]+@", text), f"{name}: a password in a URL"
