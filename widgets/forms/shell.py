"""Who is using an app, and in what role: from JupyterHub, a configured user, or a demo pick.

Order, first that applies:

0. ``JUPYTERHUB_SERVICE_NAME`` set: the apps run as the hub's ``shegong-apps`` service
   (``shegong hub``), one server for everyone. There ``JUPYTERHUB_USER`` names the service's
   own account, so it is never used, and the demo picker never appears. The person comes only
   from ``HTTP_X_CDSDASHBOARDS_JH_USER``: jhsingle-native-proxy signs the visitor in through
   hub OAuth, drops any such header the browser sent and sets it to the hub's answer
   (``{"kind": "user", "name": ..., "groups": [...]}``); Voila copies it into the kernel's
   environment (``VoilaConfiguration.http_header_envs``; a preheated kernel gets it once the
   request arrives, which ``request_query`` waits for). Missing or unreadable: refused. The
   roster role must agree with the hub groups (``role-<role>``, and ``formgrade-<agency>`` /
   ``nbgrader-<agency>`` for supervisors and trainees), else the page refuses (fail closed).
   Threat model: whoever can send requests to Voila's own port without the proxy can set the
   header; that port is on loopback (``shegong.hub`` says what is left to close).
1. ``JUPYTERHUB_USER``: on JupyterHub each person has their own server, and the hub sets this
   variable for it; the apps run in that server, so this is the signed-in person. Nothing on
   the page can change it.
2. ``SHEGONG_USER``: one configured person for a machine that serves one person (a station
   laptop); fixed in the same way.
3. Otherwise the local demo, only when the server listens on 127.0.0.1 (``SHEGONG_DEMO`` is
   not ``off``; ``shegong.voila_config`` turns it off on any wider address): the page shows
   a "演示身份 / demo identity" picker over the roster, preselected from the link's
   ``?user=`` (so a link can open the page as a given evaluator) or the first person who may
   use the app.

The roster (who the people are, and their roles) is ``shegong.records.roster``; this module
is the page's side: who is at the page, the user bar, the frame every app shares
(``AppShell``) and what every app opens (``AppContext``).
"""

from __future__ import annotations

import html
import json
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode

import ipywidgets as w
import pandas as pd

from shegong.datasets import load
from shegong.errors import ShegongError
from shegong.messages import Lang, text
from shegong.records import RecordsStore
from shegong.records.roster import IdentityError, Member, load_roster, seed_people, seed_stations
from shegong.settings import load as load_settings
from shegong.widgets.forms.error_page import error_html, log
from shegong.widgets.forms.fields import banner, html_block, shared, title_block

HUB_ENV = "JUPYTERHUB_USER"
SERVICE_ENV = "JUPYTERHUB_SERVICE_NAME"  # set by the hub for a managed service
HEADER_ENV = "HTTP_X_CDSDASHBOARDS_JH_USER"  # the forwarded user (jhsingle-native-proxy)
USER_ENV = "SHEGONG_USER"
RECORDS_URL_ENV = "SHEGONG_RECORDS_URL"  # set by `shegong hub` for the apps service only
DEMO_ENV = "SHEGONG_DEMO"  # "off" when the apps are served beyond 127.0.0.1 (voila_config)


@dataclass(frozen=True)
class Identity:
    """The person using the page and how we know (``hub-service``, ``hub``, ``configured`` or
    ``demo``)."""

    member: Member
    source: str

    @property
    def person_id(self) -> str:
        return self.member.person_id

    @property
    def role(self) -> str:
        return self.member.role

    @property
    def fixed(self) -> bool:
        """True when the server says who this is (no demo picker)."""
        return self.source != "demo"


# --- the request -------------------------------------------------------------------------


def request_query(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The page link's query (``?user=e02&station=S00577``) as a dict of first values.

    Under Voila with preheated kernels the kernel starts before anyone asks for the page;
    ``voila.utils.get_query_string`` then waits for the request and returns its query. Outside
    Voila (tests, JupyterLab) it is ``QUERY_STRING`` or nothing.
    """
    environ = os.environ if environ is None else environ
    query = environ.get("QUERY_STRING", "")
    if environ is os.environ and os.environ.get("VOILA_PREHEAT") == "True":
        from voila.utils import get_query_string  # only under Voila (a preheated kernel)

        query = get_query_string() or ""
    return {k: v[0] for k, v in parse_qs(query).items() if v}


def resolve(
    members: Sequence[Member],
    roles: Iterable[str],
    *,
    environ: Mapping[str, str] | None = None,
    query: Mapping[str, str] | None = None,
) -> Identity:
    """Who is using the page (see the module docstring for the order).

    IdentityError when the hub or configured user is not in the roster, or holds a role
    that does not use this app.
    """
    environ = os.environ if environ is None else environ
    allowed = [str(r) for r in roles]
    by_id = {m.person_id: m for m in members}
    if environ.get(SERVICE_ENV):  # the hub's apps service: the forwarded header, nothing else
        user, groups = forwarded_user(environ)
        member = _member(by_id, user, allowed)
        check_groups(member, groups)
        return Identity(member, "hub-service")
    for variable, source in ((HUB_ENV, "hub"), (USER_ENV, "configured")):
        user = environ.get(variable, "")
        if user:
            return Identity(_member(by_id, user, allowed), source)
    if environ.get(DEMO_ENV, "").lower() == "off":  # served beyond loopback: no demo picker
        raise IdentityError("error.apps_demo_off")
    candidates = [m for m in members if m.role in allowed]
    if not candidates:
        raise IdentityError("error.apps_no_people", roles=tuple(allowed))
    wanted = (query or {}).get("user", "")
    chosen = next((m for m in candidates if m.person_id == wanted), candidates[0])
    return Identity(chosen, "demo")


def _member(by_id: Mapping[str, Member], user: str, allowed: Sequence[str]) -> Member:
    member = by_id.get(user)
    if member is None:
        raise IdentityError("error.apps_unknown_user", user=user)
    if member.role not in allowed:
        raise IdentityError(
            "error.apps_wrong_role", user=user, role=member.role, roles=tuple(allowed)
        )
    return member


def forwarded_user(environ: Mapping[str, str]) -> tuple[str, list[str]]:
    """The signed-in hub user and their groups from the forwarded header (else refused)."""
    raw = environ.get(HEADER_ENV, "")
    if not raw:
        raise IdentityError("error.apps_hub_no_user")
    try:
        data = json.loads(raw)
    except ValueError:
        raise IdentityError("error.apps_hub_bad_header") from None
    if not isinstance(data, dict) or data.get("kind", "user") != "user":
        raise IdentityError("error.apps_hub_bad_header")
    name, groups = data.get("name"), data.get("groups", [])
    if not isinstance(name, str) or not name or not isinstance(groups, list):
        raise IdentityError("error.apps_hub_bad_header")
    return name, [str(g) for g in groups]


def expected_groups(member: Member) -> set[str]:
    """The hub groups a roster person must have (``shegong.hub.roles`` makes the same)."""
    groups = {f"role-{member.role}"}
    agency = (member.agency_id or "").strip().lower()
    if agency and member.role == "trainee":
        groups.add(f"nbgrader-{agency}")
    if agency and member.role == "supervisor":
        groups.add(f"formgrade-{agency}")
    return groups


def check_groups(member: Member, groups: Sequence[str]) -> None:
    """Fail closed unless the hub's groups hold the roster's role (and agency) and no other
    role or agency: a person moved on the roster but not on the hub (or the reverse)."""
    have = {g for g in groups if g.startswith(("role-", "formgrade-", "nbgrader-"))}
    if have != expected_groups(member):
        shown = ", ".join(sorted(have)) or "—"
        raise IdentityError(
            "error.apps_hub_groups", user=member.person_id, role=member.role, groups=shown
        )


class UserBar(w.HBox):
    """ "当前用户：陈晓梅（评估员）" — a fixed line, or in the demo a picker that calls back."""

    def __init__(
        self,
        identity: Identity,
        members: Sequence[Member],
        roles: Iterable[str],
        lang: Lang,
        on_change: Callable[[Identity], None],
        stations: Mapping[str, str] | None = None,
    ) -> None:
        self.lang = lang
        self.identity = identity
        self._on_change = on_change
        allowed = [str(r) for r in roles]
        self.candidates = {m.person_id: m for m in members if m.role in allowed}
        label = html_block(f"<b>{html.escape(text('apps.identity.current', lang))}</b>")
        if identity.fixed:
            self.picker: w.Dropdown | None = None
            shown = html_block(html.escape(identity.member.label(lang, stations)))
            super().__init__([label, shown], layout=shared(w.Layout))
            self.add_class("sg-center")
        else:
            self.picker = w.Dropdown(
                options=[(m.label(lang, stations), pid) for pid, m in self.candidates.items()],
                value=identity.person_id,
                layout={"width": "22em"},
            )
            self.picker.add_class("sg-user-picker")
            note = html_block(
                f'<span class="sg-demo-note">{html.escape(text("apps.identity.demo", lang))}</span>'
            )
            self.picker.observe(self._picked, names="value")
            super().__init__([label, self.picker, note], layout=shared(w.Layout))
            self.add_class("sg-center")

    def _picked(self, change: dict[str, Any]) -> None:
        member = self.candidates.get(change["new"])
        if member is not None:
            self.identity = replace(self.identity, member=member)
            self._on_change(self.identity)

    def pick(self, person_id: str) -> None:
        """Choose a demo identity as the picker does."""
        if self.picker is None:
            raise IdentityError("error.apps_identity_fixed", user=self.identity.person_id)
        self.picker.value = person_id


# --- the frame every record app shares ----------------------------------------------------


class AppShell(w.VBox):
    """Title, language switch, "who am I" bar, a banner and the app's body.

    Subclasses set ``app_name``, ``roles`` (who may use the app) and ``title_id``; build their
    controls in ``__init__`` (static things: rubric, station list) and load the person's own
    records in ``show_for(identity)``, which ``start`` calls once the person is known. Under
    Voila with preheated kernels everything before ``start`` runs before anyone opens the
    page, so nothing a person saved is read before ``start``.
    """

    app_name = "app"
    title_id = "apps.index.title"
    subtitle_id = "apps.index.intro"
    roles: tuple[str, ...] = ()

    def __init__(self, lang: Lang, members: Iterable[Member], stations: Mapping[str, str]) -> None:
        self.lang: Lang = lang
        self.members = list(members)
        self.station_names = dict(stations)
        self.identity: Identity | None = None
        self.query: dict[str, str] = {}
        self.header = title_block(
            text(self.title_id, lang), text(self.subtitle_id, lang), lang, self._switch_href()
        )
        self.user_slot = w.Box(layout=shared(w.Layout))
        self.notice = html_block()
        self.body = w.VBox(layout=shared(w.Layout))
        super().__init__([self.header, self.user_slot, self.notice, self.body])
        self.add_class("sg-app")
        self.add_class(f"sg-app-{self.app_name}")

    def _switch_href(self) -> str:
        other = "en" if self.lang == "zh" else "zh"
        query = dict(self.query)
        if self.identity is not None and not self.identity.fixed:
            query["user"] = self.identity.person_id
        suffix = f"?{urlencode(query)}" if query else ""
        return f"../{other}/{self.app_name}.ipynb{suffix}"

    def _refresh_header(self) -> None:
        self.header.value = title_block(
            text(self.title_id, self.lang),
            text(self.subtitle_id, self.lang),
            self.lang,
            self._switch_href(),
        ).value

    def start(
        self,
        query: Mapping[str, str] | None = None,
        environ: Mapping[str, str] | None = None,
    ) -> AppShell:
        """Find out who is using the page (waits for the request when preheated), then load."""
        self.query = dict(request_query(environ) if query is None else query)
        try:
            identity = resolve(self.members, self.roles, environ=environ, query=self.query)
        except ShegongError as error:
            self.notice.value = banner(html.escape(error.message(self.lang)), "error")
            self.body.children = ()
            return self
        self.user_bar = UserBar(
            identity, self.members, self.roles, self.lang, self.switch_user, self.station_names
        )
        self.user_slot.children = (self.user_bar,)
        self.switch_user(identity)
        return self

    def serve(self) -> None:
        """``start`` for the app notebook's last cell: the page shown by the cell before is
        filled in place, and nothing is displayed again.

        Showing the (still empty) page in the cell before puts its rendering in the preheated
        part, so a request only waits for who is asking and their records. When loading
        fails (a damaged or unreachable records database), the page says so in both
        languages instead of Voila's English cell error.
        """
        try:
            self.start()
        except Exception as error:  # every failure to open is shown in both languages
            if not isinstance(error, ShegongError):
                log.exception("an app could not load its records")
            self.notice.value = error_html(error)
            self.body.children = ()

    def who(self) -> Identity:
        """The person using the page; IdentityError before ``start`` has found them."""
        if self.identity is None:
            raise IdentityError("error.apps_not_signed_in")
        return self.identity

    def switch_user(self, identity: Identity) -> None:
        self.identity = identity
        self._refresh_header()
        self.notice.value = ""
        self.show_for(identity)

    def show_for(self, identity: Identity) -> None:  # pragma: no cover - every app overrides it
        raise NotImplementedError


# --- what every app opens --------------------------------------------------------------------


@dataclass
class AppContext:
    """The workspace an app works on: its records store, roster and stations."""

    home: Path
    store: RecordsStore
    members: list[Member]
    stations: pd.DataFrame  # the ``stations`` table

    @property
    def station_names(self) -> dict[str, str]:
        return dict(zip(self.stations["station_id"], self.stations["name_zh"], strict=True))


def open_context(home: Path | None = None) -> AppContext:
    """Settings (``SHEGONG_HOME`` …), the records store, the roster (seeded) and stations."""
    if home is None and not os.environ.get("SHEGONG_HOME"):
        home = built_app_home(Path.cwd())
    settings = load_settings({"home": home})
    # on the hub the records are in PostgreSQL, reachable only by the apps' account
    url = os.environ.get(RECORDS_URL_ENV, "")
    store = RecordsStore(url) if url else RecordsStore.for_settings(settings)
    members = load_roster(settings.home)
    seed_people(store, members)
    stations = load("stations", home=settings.home)
    seed_stations(store, stations)
    return AppContext(settings.home, store, members, stations)


def built_app_home(folder: Path) -> Path | None:
    """The workspace of an app notebook's folder ``<home>/build/apps/<lang>`` (else None).

    Voila starts an app's kernel in the notebook's folder; when the server did not pass
    ``SHEGONG_HOME`` on, this still finds the workspace the app was built into.
    """
    if folder.parent.name == "apps" and folder.parent.parent.name == "build":
        return folder.parents[2]
    return None
