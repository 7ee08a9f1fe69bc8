"""The NATS JetStream connection of one service, and its stream."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Sequence

import nats
from backoffice.shared.nats_servers import describe_servers, parse_nats_servers, without_credentials
from nats.aio.client import Client as NatsClient
from nats.js import JetStreamContext
from nats.js.api import DiscardPolicy, RetentionPolicy, StorageType, StreamConfig
from nats.js.errors import BadRequestError, NotFoundError

log = logging.getLogger("backoffice.bus")

DLQ_STREAM = "DLQ"
DLQ_SUBJECTS = ["dlq.>"]


class NatsUnreachableError(RuntimeError):
    """NATS did not answer within the start-up timeout."""


class EventBus:
    """A NATS connection that reconnects forever once established, and the JetStream context.

    ``url`` is one server or the members of a cluster (a comma-separated string or a list): the client tries them in
    random order, learns the cluster's other members from the server it reaches, and moves to another member when
    its server goes away."""

    def __init__(self, url: str | Sequence[str], *, name: str):
        self.servers = parse_nats_servers(url)
        self.url = ",".join(self.servers)  # what a child process or another connection is given
        self.where = describe_servers(self.servers)  # what messages say: no credentials
        self.name = name
        self.nc: NatsClient | None = None
        self._js: JetStreamContext | None = None
        self._closing = False
        self._server = self.where  # the member the client is on, as messages name it

    @property
    def js(self) -> JetStreamContext:
        if self._js is None:
            raise RuntimeError("event bus not connected")
        return self._js

    @property
    def connected(self) -> bool:
        return self.nc is not None and self.nc.is_connected

    async def connect(self, timeout_s: float, *, announce: Callable[[str], None] | None = None) -> None:
        """Connect, waiting (and saying so once) while the server is not up yet."""
        deadline = time.monotonic() + timeout_s
        said = False

        async def on_disconnect() -> None:
            if not self._closing:
                log.warning("disconnected from NATS %s; reconnecting", self._server)

        async def on_reconnect() -> None:
            self._server = self._current()
            log.info("reconnected to NATS %s", self._server)

        async def on_error(exc: Exception) -> None:
            log.debug("NATS client error: %s", without_credentials(str(exc)))

        while True:
            try:
                # nats-py retries the first connection forever when reconnects are unlimited: bound it.
                self.nc = await asyncio.wait_for(
                    nats.connect(
                        self.servers,
                        name=self.name,
                        connect_timeout=2,
                        allow_reconnect=True,
                        max_reconnect_attempts=-1,
                        reconnect_time_wait=0.5,
                        disconnected_cb=on_disconnect,
                        reconnected_cb=on_reconnect,
                        error_cb=on_error,
                    ),
                    timeout=max(0.5, min(2.0, deadline - time.monotonic())),
                )
                break
            except Exception as exc:
                reason = without_credentials(f"{type(exc).__name__}: {exc}".rstrip(": "))
                if time.monotonic() >= deadline:
                    raise NatsUnreachableError(
                        f"NATS at {self.where} unreachable after {timeout_s:.0f}s ({reason})"
                    ) from None
                if not said and announce:
                    announce(f"waiting for NATS at {self.where} ({reason})")
                    said = True
                await asyncio.sleep(0.5)
        self._server = self._current()
        if said and announce:
            announce(f"NATS at {self.where} is reachable")
        self._js = self.nc.jetstream(timeout=5.0)

    async def ensure_stream(
        self, name: str, subjects: list[str], *, duplicate_window_s: float, replicas: int = 1
    ) -> None:
        """Create the stream, or bring its configuration up to date (safe to run at every start)."""
        config = StreamConfig(
            name=name,
            subjects=subjects,
            storage=StorageType.FILE,
            retention=RetentionPolicy.LIMITS,
            discard=DiscardPolicy.OLD,
            duplicate_window=duplicate_window_s,
            num_replicas=replicas,
        )
        try:
            await self.js.stream_info(name)
        except NotFoundError:
            try:
                await self.js.add_stream(config)
                log.info("created stream %s (%s)", name, ", ".join(subjects))
                return
            except BadRequestError:
                pass  # another replica created it at the same moment
        await self.js.update_stream(config)

    def _current(self) -> str:
        """The server the client is on (or trying), without credentials."""
        server = self.nc.connected_url if self.nc is not None else None
        return without_credentials(server.geturl()) if server is not None else self.where

    async def ping(self) -> None:
        if not self.connected or self.nc is None:
            raise ConnectionError(f"not connected to NATS at {self.where}")
        await self.nc.flush(timeout=2)

    async def close(self) -> None:
        self._closing = True
        if self.nc is not None and not self.nc.is_closed:
            try:
                await self.nc.drain()
            except Exception:
                # NATS is unreachable (reconnecting): nothing can be drained, and nats-py's close may then fail on
                # its dead transport; the service must shut down all the same.
                try:
                    await self.nc.close()
                except Exception as exc:
                    log.warning("closing the NATS connection failed: %s: %s", type(exc).__name__, exc)
