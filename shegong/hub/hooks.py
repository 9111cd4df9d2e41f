"""Small callables the hub's own process runs (imported by the generated config).

``refuse_spawn``: evaluators and the manager have no JupyterLab; a spawn is refused with a
bilingual 403 page. ``landing``: where ``/hub/`` sends each person (the apps for them, their
own server for trainees and supervisors).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from shegong.messages import bilingual


def refuse_spawn(roles: Mapping[str, str], lab_roles: Iterable[str]) -> Callable[[Any], None]:
    """A ``Spawner.pre_spawn_hook`` refusing people whose roster role has no Lab."""
    allowed = set(lab_roles)
    known = dict(roles)

    def hook(spawner: Any) -> None:
        from tornado import web  # the hub's own dependency, present where this runs

        name = spawner.user.name
        role = known.get(name, "")
        if role not in allowed:
            raise web.HTTPError(
                403, bilingual("hub.spawn_refused", sep=" / ", user=name, role=role)
            )

    return hook


def landing(apps_only: Iterable[str], apps_url: str, lab_url: str) -> Callable[[Any], str]:
    """A ``JupyterHub.default_url`` callable: the apps for ``apps_only``, else the Lab."""
    chosen = set(apps_only)

    def default_url(handler: Any) -> str:
        user = handler.current_user
        if user is not None and user.name in chosen:
            return apps_url
        return lab_url

    return default_url
