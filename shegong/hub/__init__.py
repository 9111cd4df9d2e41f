"""The shared deployment: ``shegong hub`` runs the platform on JupyterHub on one Linux machine.

What runs (all started by ``shegong.hub.run.run_hub`` as root):

- PostgreSQL (an existing Debian cluster, started if down) holding the hub's database
  ``jupyterhub`` (role ``root``) and the records database ``shegong_records`` (role
  ``shegong-apps`` only), both reached over the Unix socket with ``peer`` authentication:
  there is no password, and PostgreSQL maps each connection to the Unix account that makes it.
- JupyterHub 5.5 with the Python configurable-http-proxy, PAM sign-in (each person is a Unix
  account made from the roster, ``shegong.hub.accounts``) and LocalProcessSpawner: each
  trainee's JupyterLab runs as that trainee's own Unix user.
- One nbgrader course service per supervising agency (user ``grader-<agency>``) and the Voila
  apps as one service ``/services/shegong-apps/`` (user ``shegong-apps``).

Threat model, in one place:

- *Who is who* comes from the hub only: a PAM sign-in, then hub cookies/OAuth. In the apps
  service, jhsingle-native-proxy signs the visitor in through hub OAuth, drops any
  ``X-CDSDASHBOARDS-JH-USER`` header the client sent and sets it to the hub's answer; Voila
  copies that header into the kernel's environment (``http_header_envs``), where
  ``shegong.widgets.forms.shell.resolve`` reads it. The roster role and the hub groups must
  agree, else the page refuses.
- *Who can reach the records*: only processes running as ``shegong-apps`` (PostgreSQL peer
  authentication; ``CONNECT`` revoked from everyone else). Trainees' servers get no records
  credential, and their own config is ignored (``Spawner.disable_user_config``).
- *Who can reach the apps' Voila and kernels*: only ``shegong-apps``. Voila's port is on
  loopback, which trainees' processes share, so ``shegong.hub.apps_server`` closes every
  connection whose other end (looked up in ``/proc/net/tcp``) is not its own uid, before a
  byte is read: a forged header sent straight to Voila gets nothing. The kernels use the ipc
  transport, their sockets files in Voila's 0700 connection folder (ipykernel's one TCP
  socket, a PULL pipe for subprocess output, never sends and drops messages without its
  key). jhsingle's port (the service's front) is open to all and signs everyone in through
  the hub first.
- *What a trainee's Lab shows*: no nbgrader instructor tools (``shegong.hub.hooks.spawn_hook``
  adds ``shegong.lab``'s trainee view unless the roster and the hub group both say
  supervisor). This is what the page shows, not a permission: the course's files and the
  gradebook are the ``grader-<agency>`` account's, out of a trainee's reach.
- *What a trainee can read of the operator's workspace*: nothing listable, and neither the
  lessons' supervisor edition (the answers), the demo course, exports, databases nor the
  roster (``content.close_workspace``: the folder 0711, those parts root-only). Lessons reach
  people as copies in their own 0700 homes: the trainee edition for trainees, the supervisor
  edition for supervisors.
- *Not covered yet*: subdomains per user (JupyterHub's advice on a shared domain); a trainee
  can still reach other trainees' servers' ports on loopback, where JupyterHub's own token
  check applies.
"""

from __future__ import annotations

from shegong.errors import ShegongError


class HubError(ShegongError):
    """``shegong hub`` cannot go on: not root, a program missing, a bad roster id, ..."""
