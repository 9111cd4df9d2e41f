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
- *Not covered yet*: Voila's port inside the machine is on loopback, which trainees' processes
  share; restricting it to uid ``shegong-apps`` (iptables owner match) or moving to an
  in-process HubOAuth identity provider is the next step before production.
"""

from __future__ import annotations

from shegong.errors import ShegongError


class HubError(ShegongError):
    """``shegong hub`` cannot go on: not root, a program missing, a bad roster id, ..."""
