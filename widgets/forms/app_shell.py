"""AppShell: the frame every record app shares (title, language switch, who-am-I bar, body)."""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from urllib.parse import urlencode

import ipywidgets as w

from shegong.errors import ShegongError
from shegong.messages import Lang, text
from shegong.records.roster import Member
from shegong.widgets.forms.error_page import error_html, log
from shegong.widgets.forms.fields import banner, title_block
from shegong.widgets.forms.shell import Identity, UserBar, request_query, resolve


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
        self.user_slot = w.Box()
        self.notice = w.HTML("")
        self.body = w.VBox()
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

    @property
    def actor(self) -> str:
        """The person id of whoever uses the page (only asked once ``start`` knows them)."""
        if self.identity is None:
            raise RuntimeError("the app has not started: nobody is signed in yet")
        return self.identity.person_id

    def switch_user(self, identity: Identity) -> None:
        self.identity = identity
        self._refresh_header()
        self.notice.value = ""
        self.show_for(identity)

    def show_for(self, identity: Identity) -> None:  # pragma: no cover - every app overrides it
        raise NotImplementedError
