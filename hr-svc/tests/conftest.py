"""Fixtures of the HR tests beyond the shared plugin's."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from backoffice.testing import NatsServer
from backoffice.testing.client import connect_gateway
from backoffice.testing.databases import DatabaseFactory
from backoffice.testing.services import StartedServices
from hrkit import HrStack


@pytest.fixture(scope="module")
def hr_stack(tmp_path_factory: pytest.TempPathFactory, nats_server: NatsServer) -> Iterator[HrStack]:
    """A gateway and an hr-svc started once for the tests of a module."""
    root = tmp_path_factory.mktemp("hr-stack")
    databases = DatabaseFactory(root)
    services = StartedServices(root, nats_server.url, databases)
    try:
        gateway = connect_gateway(services.start("gateway"))
        yield HrStack(gateway=gateway, hr=services.start("hr"))
        gateway.client.close()
    finally:
        services.stop_all()
        databases.cleanup()
