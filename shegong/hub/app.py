"""``python -m shegong.hub.app -f jupyterhub_config.py``: JupyterHub, waiting longer for its
managed services.

JupyterHub 5.5 gives a managed service ten one-second tries to answer and exits otherwise.
A course service (``jupyterhub-singleuser`` with nbgrader) needs 10-25 s to start on a busy
2-core machine, so this subclass keeps waiting (``service_ready_timeout``) while the
service's process is alive; a service that exits still stops the hub, as upstream does.
"""

from __future__ import annotations

import ssl

from jupyterhub.app import JupyterHub
from jupyterhub.objects import Server
from jupyterhub.services.service import Service
from jupyterhub.utils import AnyTimeoutError
from traitlets import Integer


class ShegongHub(JupyterHub):
    service_ready_timeout = Integer(
        300, config=True, help="seconds a managed service may take to answer"
    )

    async def start_service(
        self,
        service_name: str,
        service: Service,
        ssl_context: ssl.SSLContext | None = None,
    ) -> bool:
        if await super().start_service(service_name, service, ssl_context):
            return True
        if not service.managed or not service.url or await service.spawner.poll() is not None:
            return False
        self.log.info(
            "Still waiting for service %s (up to %ss)", service_name, self.service_ready_timeout
        )
        server = Server.from_orm(service.orm.server)
        try:
            await server.wait_up(http=True, timeout=self.service_ready_timeout)
        except AnyTimeoutError:
            return False
        self.log.info("Service %s is up", service_name)
        return True


main = ShegongHub.launch_instance

if __name__ == "__main__":
    main()
