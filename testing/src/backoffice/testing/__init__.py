"""Backoffice test helpers and pytest plugin: real NATS, real databases, services as processes, the whole suite.

The plugin (fixtures and hooks) is ``backoffice.testing.plugin``, registered as the pytest11 entry point
``backoffice``; the helpers live in one module per concern and are exported here:

* ``nats``: ``NatsServer``, ``NatsCluster`` (several clustered servers);
* ``databases``: ``DatabaseFactory``, ``pg_admin``;
* ``services``: ``RunningService``, ``ServiceStarter``, ``check_service_basics``;
* ``client``: ``ok``, ``problem``, ``GatewayClient``, ``create_admin``, ``connect_gateway``;
* ``events``: ``publish``, ``publish_event``, ``read_events``, ``events_about``;
* ``stack``: ``Stack``, ``local_stack``;
* ``waiting``: ``wait_for``, ``run_async``;
* ``mail``: ``MailServer``, a real SMTP server (imported from ``backoffice.testing.mail``: it needs aiosmtpd).
"""

from backoffice.suite.processes import free_port
from backoffice.testing.client import ADMIN_PASSWORD, GatewayClient, connect_gateway, create_admin, ok, problem
from backoffice.testing.databases import TEST_DB_ENV, DatabaseFactory, pg_admin
from backoffice.testing.events import events_about, publish, publish_event, read_events
from backoffice.testing.nats import ClusterNode, NatsCluster, NatsServer
from backoffice.testing.services import (
    TEST_RATE_LIMITS,
    RunningService,
    ServiceStarter,
    StartedServices,
    check_service_basics,
    new_operator_token,
)
from backoffice.testing.stack import Stack, local_stack
from backoffice.testing.waiting import run_async, wait_for

__all__ = [
    "ADMIN_PASSWORD",
    "TEST_DB_ENV",
    "TEST_RATE_LIMITS",
    "ClusterNode",
    "DatabaseFactory",
    "GatewayClient",
    "NatsCluster",
    "NatsServer",
    "RunningService",
    "ServiceStarter",
    "Stack",
    "StartedServices",
    "check_service_basics",
    "connect_gateway",
    "create_admin",
    "events_about",
    "free_port",
    "local_stack",
    "new_operator_token",
    "ok",
    "pg_admin",
    "problem",
    "publish",
    "publish_event",
    "read_events",
    "run_async",
    "wait_for",
]
