"""The service ledger 服务台账, community activities and supervision received.

Every contact is one ledger row typed by one of the six services (六项服务): need assessment
(走访 home visits, the bulk), resource linking, social assistance, elder and child care,
community governance and industry development. The article's outputs are per-station rates
(brief §1 [D]); each station's share is drawn, so the province scale lands on the article:
assistance and care person-times, 10,400 community activities, 3,380 industry assists and
¥29.8 M of linked resources. Person-times of a service count every ledger row of it except
community activities, which the article counts on their own; so case contacts and group
sessions count toward their service, and individual contacts top each station up to its share.

The parts: ``codes`` (the six services, contact kinds, partners and the draws rows share),
``ledger`` (activities and every ledger row), ``supervision`` (supervision received) and
``build`` (``build_services``, the step the pipeline calls).
"""

from __future__ import annotations

from shegong.datasets.world.services.build import build_services
from shegong.datasets.world.services.codes import (
    ACTIVITY_KINDS,
    CASE_SERVICE,
    CONTACTS,
    END,
    PARTNERS,
    RESOURCE_SOURCES,
    SERVICE_ZH,
    SERVICES,
)

__all__ = [
    "ACTIVITY_KINDS",
    "CASE_SERVICE",
    "CONTACTS",
    "END",
    "PARTNERS",
    "RESOURCE_SOURCES",
    "SERVICES",
    "SERVICE_ZH",
    "build_services",
]
