"""``BACKOFFICE_NATS_URL`` as one server or a cluster's members: parsed and checked in one line, never showing a
password; the event bus moves between members; a replica count NATS refuses stops a service in one line."""

from __future__ import annotations

import asyncio
import logging
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from backoffice.shared.bus import EventBus
from backoffice.shared.nats_servers import parse_nats_servers, without_credentials
from backoffice.suite.processes import free_port
from backoffice.testing import NatsCluster, NatsServer
from nats.js.api import PubAck


def run_service(name: str, env: dict[str, str], timeout: float = 60) -> tuple[int, str, float]:
    """``python -m backoffice.<name>`` with ``env`` added: its exit code, its stderr and how long it ran."""
    start = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", f"backoffice.{name}"],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    return proc.returncode, proc.stderr, time.monotonic() - start


def test_a_list_of_servers_is_split_on_commas_with_spaces_allowed() -> None:
    assert parse_nats_servers(" nats://n1:4222 , tls://n2:4443,nats://user:pw@n3:4222 ") == [
        "nats://n1:4222",
        "tls://n2:4443",
        "nats://user:pw@n3:4222",
    ]
    assert parse_nats_servers("nats://127.0.0.1:4223") == ["nats://127.0.0.1:4223"]


@pytest.mark.parametrize(
    ("value", "said"),
    [
        ("", "give at least one NATS server"),
        ("http://n1:4222", "'http://n1:4222' must start with nats:// or tls://"),
        ("nats://n1", "'nats://n1' needs a host and a port"),
        ("nats://n1:port", "'nats://n1:port' needs a host and a port"),
        ("nats://n1:4222 nats://n2:4222", "needs a host and a port"),
        ("nats://n1:4222/x", "must be only scheme://host:port"),
        ("nats://n1:4222,nats://n1:4222", "a server is listed twice"),
        ("nats://ann:secret@n1:4222,n2:4222", "'n2:4222' must start with nats:// or tls://"),
    ],
)
def test_a_server_that_is_not_nats_host_and_port_is_named(value: str, said: str) -> None:
    with pytest.raises(ValueError, match=re.escape(said)) as caught:
        parse_nats_servers(value)
    assert "secret" not in str(caught.value)


def test_credentials_are_hidden_in_every_url_of_a_message() -> None:
    text = "NATS at nats://ann:secret@n1:4222, tls://bob@n2:4443, nats://n3:4222 unreachable"
    assert without_credentials(text) == "NATS at nats://***@n1:4222, tls://***@n2:4443, nats://n3:4222 unreachable"


def test_a_bad_server_in_the_list_stops_a_service_with_one_line_naming_the_setting(tmp_path: Path) -> None:
    env = {"BACKOFFICE_VAR_DIR": str(tmp_path), "BACKOFFICE_NATS_URL": "nats://ann:secret@n1:4222, http://n2:8222"}
    code, stderr, took = run_service("hr", env)
    assert code != 0
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("hr: invalid setting: BACKOFFICE_HR_NATS_URL (or BACKOFFICE_NATS_URL): ")
    assert "'http://n2:8222' must start with nats:// or tls://" in lines[0]
    assert "secret" not in stderr
    assert took < 20


def test_unreachable_servers_are_named_without_their_password(tmp_path: Path) -> None:
    first, second = free_port(), free_port()
    env = {
        "BACKOFFICE_VAR_DIR": str(tmp_path),
        "BACKOFFICE_NATS_URL": f"nats://ann:secret@127.0.0.1:{first},nats://127.0.0.1:{second}",
        "BACKOFFICE_DOCS_NATS_CONNECT_TIMEOUT_S": "3",
        "BACKOFFICE_DOCS_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/docs.db",
        "BACKOFFICE_LOG_JSON": "false",
    }
    code, stderr, _ = run_service("docs", env)
    assert code == 3
    assert f"waiting for NATS at nats://***@127.0.0.1:{first}, nats://127.0.0.1:{second}" in stderr
    last = stderr.strip().splitlines()[-1]
    assert last.startswith(f"docs: NATS at nats://***@127.0.0.1:{first}, nats://127.0.0.1:{second} unreachable")
    assert "secret" not in stderr
    assert "Traceback" not in stderr


def test_more_replicas_than_servers_stops_a_service_with_one_line(own_nats: NatsServer, tmp_path: Path) -> None:
    env = {
        "BACKOFFICE_VAR_DIR": str(tmp_path),
        "BACKOFFICE_NATS_URL": own_nats.url,
        "BACKOFFICE_STREAM_REPLICAS": "3",
        "BACKOFFICE_LOG_JSON": "false",
    }
    code, stderr, _ = run_service("helpdesk", env)
    assert code != 0
    last = stderr.strip().splitlines()[-1]
    assert last.startswith("helpdesk: NATS refused the stream HELPDESK: "), stderr
    assert ", asked for 3 replicas: " in last
    assert "set BACKOFFICE_STREAM_REPLICAS to at most the number of JetStream servers" in last
    assert "Traceback" not in stderr


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[NatsCluster]:
    started = NatsCluster(tmp_path / "cluster", size=3)
    started.start()
    yield started
    started.stop()


async def test_the_bus_moves_to_a_member_it_learned_of_and_replicas_follow_the_setting(
    cluster: NatsCluster, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="backoffice.bus")
    # Given only the first member, the client learns the others from it and moves to one when the first dies.
    first = cluster.nodes[0]
    bus = EventBus(first.url, name="cluster-member-test")
    await bus.connect(10)
    try:
        await bus.ensure_stream("HR", ["hr.>"], duplicate_window_s=600, replicas=1)
        await bus.ensure_stream("HR", ["hr.>"], duplicate_window_s=600, replicas=3)  # applied on update too
        info = await bus.js.stream_info("HR")
        assert info.config.num_replicas == 3
        for _ in range(100):  # the two new replicas join in a moment
            peers = info.cluster.replicas or [] if info.cluster else []
            if info.cluster and info.cluster.leader and len(peers) == 2 and all(p.current for p in peers):
                break
            await asyncio.sleep(0.1)
            info = await bus.js.stream_info("HR")
        assert info.cluster is not None
        assert info.cluster.leader, info.cluster
        assert all(peer.current for peer in info.cluster.replicas or []), info.cluster
        assert len(info.cluster.replicas or []) == 2, info.cluster

        cluster.kill(first.name)
        for _ in range(100):
            now_on = bus.nc.connected_url if bus.connected and bus.nc is not None else None
            if now_on is not None and now_on.port != first.port:
                break
            await asyncio.sleep(0.1)
        assert bus.nc is not None
        assert bus.nc.connected_url is not None
        assert bus.nc.connected_url.port in {n.port for n in cluster.nodes[1:]}
        assert f"disconnected from NATS {first.url}; reconnecting" in caplog.text
        assert f"reconnected to NATS nats://127.0.0.1:{bus.nc.connected_url.port}" in caplog.text
        stored = await _publish_until_stored(bus)
        assert stored.stream == "HR"
    finally:
        await bus.close()


async def _publish_until_stored(bus: EventBus, msg_id: str = "probe-1") -> PubAck:
    """A publish retried, as the outbox relay retries, while the stream elects a new leader (a few seconds after its
    leader died) or the client moves to another member."""
    for _ in range(60):
        try:
            return await bus.js.publish("hr.probe", b"{}", headers={"Nats-Msg-Id": msg_id}, timeout=2)
        except Exception:
            await asyncio.sleep(0.5)
    raise AssertionError("the HR stream took no message within 30 s of its server dying")


async def test_a_member_stopped_for_a_rolling_restart_misses_nothing(cluster: NatsCluster) -> None:
    bus = EventBus(cluster.url, name="cluster-restart-test")
    await bus.connect(10)
    try:
        await bus.ensure_stream("HR", ["hr.>"], duplicate_window_s=600, replicas=3)
        leader = None
        for _ in range(100):  # a new stream elects its leader in a moment
            info = (await bus.js.stream_info("HR")).cluster
            if info is not None and info.leader:
                leader = info.leader
                break
            await asyncio.sleep(0.1)
        assert leader is not None
        follower = next(n for n in cluster.nodes if n.name != leader)
        cluster.stop_node(follower.name)
        for n in range(50):  # the leader and the other follower are a quorum: writes go on, none is lost or doubled
            await _publish_until_stored(bus, f"restart-{n}")
        await asyncio.to_thread(cluster.start_node, follower.name)
        for _ in range(100):
            state = await asyncio.to_thread(follower.stream_state, "HR")
            if state and state["last_seq"] == 50:
                break
            await asyncio.sleep(0.1)
        assert state is not None
        assert (state["messages"], state["last_seq"]) == (50, 50)
    finally:
        await bus.close()
