"""The whole platform for real: `shegong hub` as root with PostgreSQL, Unix accounts, the hub,
the proxy, the apps service and one course service (one start shared by the module).

Skipped (with the reason) when not root, without a PostgreSQL cluster, or without a Python
every account can run. The tests run in file order; the last one stops the command with
SIGINT and checks nothing it started is left.
"""

from __future__ import annotations

import json
import os
import pwd
import re
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

pytestmark = [pytest.mark.hub, pytest.mark.slow]  # one real hub start: minutes

ROSTER = """\
- {person_id: u0004, display_name: 赵婷, role: supervisor, agency_id: A017}
- {person_id: w000019, display_name: 罗桂, role: trainee, station_id: S00579, agency_id: A017}
- {person_id: w000020, display_name: 唐勇, role: trainee, station_id: S00579, agency_id: A017}
- {person_id: e01, display_name: 陈晓梅, role: evaluator, lead: true}
- {person_id: m01, display_name: 张伟, role: manager}
"""
PEOPLE = ("u0004", "w000019", "w000020", "e01", "m01")
ACCOUNTS = (*PEOPLE, "shegong-apps", "grader-a017")
TIMEOUT = 300  # seconds for one HTTP answer (a cold server on a busy 2-core machine)


def _why_not() -> str:
    if os.geteuid() != 0:
        return "the hub test needs root (it creates Unix accounts and runs servers as them)"
    if shutil.which("pg_lsclusters") is None:
        return "PostgreSQL is not installed (apt-get install -y postgresql)"
    listing = subprocess.run(["pg_lsclusters", "--no-header"], capture_output=True, text=True)
    if not listing.stdout.strip():
        return "no PostgreSQL cluster (pg_lsclusters lists none)"
    from shegong.hub.runtime import reachable_by_others, site_packages

    if not reachable_by_others(site_packages()):
        return (
            f"the installed packages ({site_packages()}) sit behind a folder other users cannot "
            "enter (e.g. a checkout in a 0700 mktemp -d): the accounts could not run them"
        )
    return ""


@dataclass
class Hub:
    url: str
    process: subprocess.Popen[str]
    passwords: dict[str, str]
    output: list[str]
    home: Path


def _free_port() -> int:
    from shegong.hub.run import free_port

    return free_port()


def _set_passwords() -> dict[str, str]:
    """Known passwords for the test's people (their accounts exist once the hub prepared)."""
    passwords = {name: f"pw-{name}-e2e" for name in PEOPLE}
    lines = "".join(f"{n}:{p}\n" for n, p in passwords.items())
    subprocess.run(["chpasswd"], input=lines, text=True, check=True)
    return passwords


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hub]:
    reason = _why_not()
    if reason:
        pytest.skip(reason)
    from shegong.datasets.world.pipeline import build

    home = tmp_path_factory.mktemp("hubhome")
    build("county", 2022, home / "data" / "county-seed2022")
    (home / "people.yml").write_text(ROSTER, encoding="utf-8")
    port = _free_port()
    env = {**os.environ, "SHEGONG_HOME": str(home), "PYTHONUNBUFFERED": "1"}
    command = [sys.executable, "-m", "shegong", "hub", "--port", str(port)]
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    assert process.stdout is not None
    output: list[str] = []
    for line in process.stdout:  # the command itself gives up (and exits) if never ready
        output.append(line)
        if "平台已就绪" in line:
            break
    else:
        pytest.fail("shegong hub did not start:\n" + "".join(output))
    running = Hub(f"http://127.0.0.1:{port}", process, _set_passwords(), output, home)
    try:
        yield running
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            process.wait()
        process.stdout.close()  # else an unclosed-pipe warning fails the session


def sign_in(hub: Hub, name: str) -> requests.Session:
    """The login form as a browser sends it (with the page's _xsrf)."""
    session = requests.Session()
    page = session.get(f"{hub.url}/hub/login", timeout=TIMEOUT)
    xsrf = re.search(r'name="_xsrf" value="([^"]+)"', page.text)
    assert xsrf, page.text[:500]
    form = {"username": name, "password": hub.passwords[name], "_xsrf": xsrf.group(1)}
    answer = session.post(f"{hub.url}/hub/login", data=form, allow_redirects=False, timeout=TIMEOUT)
    assert answer.status_code == 302, answer.text[:500]
    return session


def open_lab(hub: Hub, session: requests.Session, name: str) -> requests.Response:
    """Spawn (if needed) and open the person's JupyterLab, through the hub's OAuth."""
    session.get(f"{hub.url}/hub/spawn", timeout=TIMEOUT)  # waits while the server starts
    session.get(f"{hub.url}/hub/api/users/{name}/server/progress", timeout=TIMEOUT)
    return session.get(f"{hub.url}/user/{name}/lab", timeout=TIMEOUT)


def page_config(page: requests.Response) -> dict[str, object]:
    """The JupyterLab page's ``jupyter-config-data`` (what the Lab's front end loads)."""
    found = re.search(
        r'<script id="jupyter-config-data" type="application/json">(.*?)</script>',
        page.text,
        re.S,
    )
    assert found, page.text[:500]
    data: dict[str, object] = json.loads(found.group(1))
    return data


def as_account(name: str, *command: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """Run ``command`` as the Unix account ``name`` (root drops to it with runuser)."""
    return subprocess.run(
        ["runuser", "-u", name, "--", *command],
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
        cwd="/",
    )


def listening_ports(uid: int) -> dict[int, str]:
    """{TCP port: socket inode} of what a process of ``uid`` listens on (state 0A)."""
    ports = {}
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for row in Path(table).read_text(encoding="ascii").splitlines()[1:]:
            fields = row.split()
            if fields[3] == "0A" and int(fields[7]) == uid:
                ports[int(fields[1].rsplit(":", 1)[1], 16)] = fields[9]
    return ports


def command_of_socket(inode: str) -> list[str]:
    """The command line of the process holding socket ``inode`` (root reads every /proc)."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            links = [os.readlink(fd) for fd in (entry / "fd").iterdir()]
            if f"socket:[{inode}]" in links:
                return (entry / "cmdline").read_bytes().decode("utf-8", "replace").split("\0")
        except OSError:
            continue
    return []


def test_the_login_page_is_chinese_first(hub: Hub) -> None:
    page = requests.get(f"{hub.url}/hub/login", timeout=TIMEOUT)
    page.encoding = "utf-8"
    assert page.status_code == 200
    assert page.text.index("登录") < page.text.index("Sign in")
    assert "密码" in page.text


def test_an_anonymous_visitor_is_sent_to_the_login_page(hub: Hub) -> None:
    answer = requests.get(f"{hub.url}/hub/home", timeout=TIMEOUT)
    assert answer.url.startswith(f"{hub.url}/hub/login")
    apps = requests.get(f"{hub.url}/services/shegong-apps/", timeout=TIMEOUT)
    assert "/hub/login" in apps.url


def test_a_wrong_password_is_refused(hub: Hub) -> None:
    session = requests.Session()
    page = session.get(f"{hub.url}/hub/login", timeout=TIMEOUT)
    xsrf = re.search(r'name="_xsrf" value="([^"]+)"', page.text)
    assert xsrf
    form = {"username": "w000019", "password": "wrong", "_xsrf": xsrf.group(1)}
    answer = session.post(f"{hub.url}/hub/login", data=form, allow_redirects=False)
    assert answer.status_code == 403
    assert "用户名或密码不正确" in answer.content.decode("utf-8")


def test_a_trainee_signs_in_and_gets_their_own_lab_as_their_unix_user(hub: Hub) -> None:
    session = sign_in(hub, "w000019")
    lab = open_lab(hub, session, "w000019")
    assert lab.status_code == 200 and lab.url == f"{hub.url}/user/w000019/lab"
    assert lab.headers.get("Content-Encoding") == "gzip" or "gzip" in lab.request.headers.get(
        "Accept-Encoding", ""
    )
    status = session.get(f"{hub.url}/user/w000019/api/status", timeout=TIMEOUT)
    assert status.status_code == 200
    contents = session.get(f"{hub.url}/user/w000019/api/contents", timeout=TIMEOUT).json()
    assert contents["path"] == ""  # the trainee's home, owned by the trainee
    home = Path(pwd.getpwnam("w000019").pw_dir)
    assert home.stat().st_uid == pwd.getpwnam("w000019").pw_uid
    assert home.stat().st_mode & 0o077 == 0  # nobody else may enter


def test_a_trainees_lab_shows_no_instructor_tools(hub: Hub) -> None:
    from shegong.lab import INSTRUCTOR_PLUGINS

    session = sign_in(hub, "w000019")
    lab = open_lab(hub, session, "w000019")
    assert lab.status_code == 200
    disabled = page_config(lab)["disabledExtensions"]
    assert isinstance(disabled, list)
    assert set(INSTRUCTOR_PLUGINS) <= set(disabled)  # no Nbgrader menu, Create Assignment, ...
    for handler in ("formgrader", "assignments"):  # nbgrader's server side is off too
        answer = session.get(f"{hub.url}/user/w000019/{handler}", timeout=TIMEOUT)
        assert answer.status_code == 404, handler


def test_a_supervisors_lab_keeps_the_instructor_tools(hub: Hub) -> None:
    session = sign_in(hub, "u0004")
    lab = open_lab(hub, session, "u0004")
    assert lab.status_code == 200 and lab.url == f"{hub.url}/user/u0004/lab"
    disabled = page_config(lab)["disabledExtensions"]
    assert isinstance(disabled, list)
    assert "@jupyter/nbgrader:formgrader" not in disabled
    assert "@jupyter/nbgrader:create-assignment" not in disabled
    formgrader = session.get(f"{hub.url}/user/u0004/formgrader", timeout=TIMEOUT)
    assert formgrader.status_code != 404


def test_a_trainee_cannot_read_another_trainees_home(hub: Hub) -> None:
    refused = as_account("w000020", "ls", "-a", "/home/w000019")
    assert refused.returncode != 0 and "Permission denied" in refused.stderr
    assert as_account("w000020", "ls", "-a", "/home/w000020").returncode == 0


def test_another_trainee_cannot_open_the_first_trainees_server(hub: Hub) -> None:
    other = sign_in(hub, "w000020")
    answer = other.get(f"{hub.url}/user/w000019/api/contents", timeout=TIMEOUT)
    assert answer.status_code == 403 or "/user/w000019/" not in answer.url
    assert '"path": ""' not in answer.text


def test_a_trainee_is_refused_the_course_service_and_a_supervisor_reaches_it(hub: Hub) -> None:
    # a page (not the API) goes through the hub's OAuth, where the course's scope is checked
    trainee = sign_in(hub, "w000019")
    refused = trainee.get(f"{hub.url}/services/a017/tree", timeout=TIMEOUT)
    assert refused.status_code == 403
    assert trainee.get(f"{hub.url}/services/a017/api/status", timeout=TIMEOUT).status_code == 403
    supervisor = sign_in(hub, "u0004")
    page = supervisor.get(f"{hub.url}/services/a017/tree", timeout=TIMEOUT)
    assert page.status_code == 200 and page.url.startswith(f"{hub.url}/services/a017/")
    reached = supervisor.get(f"{hub.url}/services/a017/api/status", timeout=TIMEOUT)
    assert reached.status_code == 200 and "started" in reached.json()


def test_an_evaluator_lands_on_the_apps_and_gets_no_lab(hub: Hub) -> None:
    evaluator = sign_in(hub, "e01")
    refused = evaluator.post(
        f"{hub.url}/hub/api/users/e01/server",
        headers={"X-XSRFToken": evaluator.cookies.get("_xsrf", path="/hub/") or ""},
        timeout=TIMEOUT,
    )
    assert refused.status_code in (400, 403, 500)
    landing = evaluator.get(f"{hub.url}/hub/", allow_redirects=False, timeout=TIMEOUT)
    assert landing.headers["Location"].endswith("/services/shegong-apps/")


def _user_bar(page: object) -> str:
    locator = page.locator(".sg-app .widget-hbox").first  # type: ignore[attr-defined]
    locator.wait_for(timeout=TIMEOUT * 1000)
    return str(locator.inner_text())


def test_the_apps_show_the_signed_in_person_and_ignore_a_forged_header(
    hub: Hub, browser: object
) -> None:
    forged = json.dumps({"kind": "user", "name": "e01", "groups": ["role-evaluator"]})
    context = browser.new_context(  # type: ignore[attr-defined]
        extra_http_headers={"X-CDSDASHBOARDS-JH-USER": forged}
    )
    page = context.new_page()
    page.set_default_timeout(TIMEOUT * 1000)
    page.goto(f"{hub.url}/hub/login")
    page.fill("#username_input", "u0004")
    page.fill("#password_input", hub.passwords["u0004"])
    page.click("#login_submit")
    page.wait_for_load_state()
    page.goto(f"{hub.url}/services/shegong-apps/voila/render/zh/supervision_log.ipynb")
    page.get_by_text("赵婷").first.wait_for()
    assert page.locator(".sg-user-picker").count() == 0
    assert page.get_by_text("陈晓梅").count() == 0
    Path("/work/notes/shots").mkdir(parents=True, exist_ok=True)
    page.screenshot(path="/work/notes/shots/hub-apps-supervisor.png", full_page=True)
    context.close()


# connect to 127.0.0.1:PORT, send a request with a forged user header, print what came back
FORGED_REQUEST = """
import socket, sys
port = int(sys.argv[1])
forged = '{"kind": "user", "name": "u0004", "groups": ["role-supervisor"]}'
request = (
    f"GET /services/shegong-apps/voila/render/zh/supervision_log.ipynb HTTP/1.1\\r\\n"
    f"Host: 127.0.0.1:{port}\\r\\nX-CDSDASHBOARDS-JH-USER: {forged}\\r\\n"
    "Connection: close\\r\\n\\r\\n"
)
with socket.create_connection(("127.0.0.1", port)) as conn:
    try:
        conn.sendall(request.encode())
        answer = b""
        while chunk := conn.recv(65536):
            answer += chunk
    except (ConnectionResetError, BrokenPipeError):
        answer = b""
print(repr(answer[:600]))
"""


# ZMTP 3.0: greet a ZeroMQ socket as a PUSH peer and print what it says of itself
ZMTP_PROBE = """
import socket, sys
greeting = b"\\xff" + bytes(8) + b"\\x7f\\x03\\x00" + b"NULL".ljust(20, b"\\0") + bytes(32)
ready = b"\\x05READY\\x0bSocket-Type" + (4).to_bytes(4, "big") + b"PUSH"
with socket.create_connection(("127.0.0.1", int(sys.argv[1]))) as conn:
    conn.sendall(greeting + b"\\x04" + bytes([len(ready)]) + ready)
    answer = b""
    while b"Socket-Type" not in answer or len(answer) < answer.index(b"Socket-Type") + 19:
        chunk = conn.recv(4096)
        if not chunk:
            break
        answer += chunk
print(repr(answer))
"""


def _voila_port() -> int:
    """The apps' Voila port, from its command line (``shegong.hub.apps_server --port=N``)."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            argv = (entry / "cmdline").read_bytes().decode("utf-8", "replace").split("\0")
        except OSError:
            continue
        if argv[1:3] == ["-m", "shegong.hub.apps_server"]:  # Voila itself, not jhsingle
            return int(next(a for a in argv if a.startswith("--port=")).split("=", 1)[1])
    raise AssertionError("the apps' Voila is not running")


def test_only_the_apps_account_reaches_voila_and_its_kernels(hub: Hub) -> None:
    apps = pwd.getpwnam("shegong-apps")
    voila = _voila_port()
    ports = listening_ports(apps.pw_uid)
    commands = {port: command_of_socket(inode) for port, inode in ports.items()}
    (front,) = [p for p, argv in commands.items() if "jhsingle_native_proxy.main" in argv]
    assert voila in ports
    # every other port is a kernel's: ipykernel binds one ZeroMQ PULL socket on TCP for its
    # subprocesses' output (it never sends, and drops messages without its random key);
    # the kernel's own channels are ipc files (below)
    kernels = {p: argv for p, argv in commands.items() if p not in (front, voila)}
    for port, argv in kernels.items():
        assert "ipykernel_launcher" in argv, argv
        said = as_account("w000019", "/usr/bin/python3", "-c", ZMTP_PROBE, str(port))
        assert said.stdout.rstrip().endswith("Socket-Type\\x00\\x00\\x00\\x04PULL'"), said
    straight = as_account("w000019", "/usr/bin/python3", "-c", FORGED_REQUEST, str(voila))
    assert straight.returncode == 0, straight.stderr
    assert straight.stdout.strip() == "b''"  # closed unanswered: no page, no kernel id
    through = as_account("w000019", "/usr/bin/python3", "-c", FORGED_REQUEST, str(front))
    assert through.returncode == 0, through.stderr
    assert "302" in through.stdout and "oauth2/authorize" in through.stdout  # sign in first
    # the kernels' sockets are files in Voila's own 0700 folder
    runtime = Path(apps.pw_dir) / "runtime"
    assert runtime.stat().st_mode & 0o077 == 0 and runtime.stat().st_uid == apps.pw_uid
    connections = sorted(runtime.glob("voila_*/kernel-*.json"))
    assert connections, list(runtime.iterdir())
    for connection in connections:
        assert json.loads(connection.read_text(encoding="utf-8"))["transport"] == "ipc"
        assert connection.parent.stat().st_mode & 0o077 == 0
    sockets = [str(p) for p in connections[0].parent.iterdir() if p.is_socket()]
    assert sockets
    probe = "import socket, sys\nsocket.socket(socket.AF_UNIX).connect(sys.argv[1])"
    refused = as_account("w000019", "/usr/bin/python3", "-c", probe, sockets[0])
    assert refused.returncode != 0 and "PermissionError" in refused.stderr


def test_a_trainee_cannot_reach_the_records_database(hub: Hub) -> None:
    from shegong.hub.database import SOCKET_DIR, ensure_cluster

    port = str(ensure_cluster().port)
    base = ["psql", "-X", "-h", SOCKET_DIR, "-p", port, "-d", "shegong_records", "-c", "SELECT 1"]
    own = as_account("w000019", *base)
    assert own.returncode != 0 and 'role "w000019" does not exist' in own.stderr
    borrowed = as_account("w000019", *base, "-U", "shegong-apps")
    assert borrowed.returncode != 0 and "Peer authentication failed" in borrowed.stderr
    # the apps' account does reach it (the refusals above are not a broken database)
    assert as_account("shegong-apps", *base).returncode == 0


def test_ctrl_c_stops_everything(hub: Hub) -> None:
    from shegong.hub.run import processes_of

    hub.process.send_signal(signal.SIGINT)
    assert hub.process.wait() == 0
    rest = hub.process.stdout.read() if hub.process.stdout else ""
    assert "已停止" in rest
    uids = {pwd.getpwnam(name).pw_uid for name in ACCOUNTS}
    assert processes_of(uids) == []
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{hub.url}/hub/login", timeout=TIMEOUT)
