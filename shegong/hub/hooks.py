"""Small callables the hub's own process runs (imported by the generated config).

``spawn_hook``: evaluators and the manager have no JupyterLab; a spawn is refused with a
bilingual 403 page. Everyone else gets the trainee's Lab (nbgrader's instructor tools
switched off, ``shegong.lab.view_folder_arguments``) unless the roster says supervisor *and*
the hub has them in ``role-supervisor``: when the two disagree, fail closed.
``landing``: where ``/hub/`` sends each person (the apps for them, their own server for
trainees and supervisors).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from shegong.messages import bilingual


def spawn_hook(
    roles: Mapping[str, str],
    lab_roles: Iterable[str],
    trainee_args: Sequence[str] = (),
    instructor: tuple[str, str] = ("supervisor", "role-supervisor"),
) -> Callable[[Any], None]:
    """A ``Spawner.pre_spawn_hook``: refuse people whose roster role has no Lab, and give
    everyone but a supervisor (roster role and hub group ``instructor``) ``trainee_args``."""
    allowed = set(lab_roles)
    known = dict(roles)
    extra = list(trainee_args)
    role_name, group_name = instructor

    def hook(spawner: Any) -> None:
        from tornado import web  # the hub's own dependency, present where this runs

        name = spawner.user.name
        role = known.get(name, "")
        if role not in allowed:
            raise web.HTTPError(
                403, bilingual("hub.spawn_refused", sep=" / ", user=name, role=role)
            )
        groups = {getattr(g, "name", g) for g in getattr(spawner.user, "groups", ())}
        # the same Spawner object serves every later start: never stack the arguments twice
        args = [a for a in spawner.args if a not in extra]
        if not (role == role_name and group_name in groups):
            args += extra
        spawner.args = args

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
