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
def hr_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HrStack]:
    """A gateway and an hr-svc started once for the tests of a module, on a NATS of their own: the services other
    tests of the module start must not share their durable consumers (each would get part of the events)."""
    root = tmp_path_factory.mktemp("hr-stack")
    nats = NatsServer(root / "nats")
    nats.start()
    databases = DatabaseFactory(root)
    services = StartedServices(root, nats.url, databases)
    try:
        gateway = connect_gateway(services.start("gateway"))
        yield HrStack(gateway=gateway, hr=services.start("hr"), nats_url=nats.url)
        gateway.client.close()
    finally:
        services.stop_all()
        databases.cleanup()
        nats.stop()
