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
from nats.js.errors import APIError, BadRequestError, NotFoundError

log = logging.getLogger("backoffice.bus")

DLQ_STREAM = "DLQ"
DLQ_SUBJECTS = ["dlq.>"]


def _describe_limits(max_age_s: float, max_bytes: int) -> str:
    age = f"{max_age_s / 86400:g} days" if max_age_s else "no age limit"
    size = f"{max_bytes} bytes" if max_bytes >= 0 else "no size limit"
    return f" [{age}, {size}]"


# JetStream's error when the streams' max bytes, which it reserves, exceed its storage (max_file_store).
STORAGE_EXHAUSTED = 10047


class StreamRefusedError(RuntimeError):
    """NATS refused to create or update a stream with the configuration asked for (one line)."""

    def __init__(self, stream: str, exc: APIError, replicas: int = 1):
        super().__init__(f"NATS refused the stream {stream}: {exc.description} (error {exc.err_code})")
        self.stream = stream
        self.err_code = exc.err_code
        self.replicas = replicas


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
        self,
        name: str,
        subjects: list[str],
        *,
        duplicate_window_s: float,
        replicas: int = 1,
        max_age_s: float = 0,
        max_bytes: int = -1,
    ) -> None:
        """Create the stream, or bring its configuration up to date (safe to run at every start).

        ``max_age_s`` (0: none) and ``max_bytes`` (-1: none) bound what the stream keeps: past them JetStream
        drops the oldest events, whether consumers have read them or not.
        """
        config = StreamConfig(
            name=name,
            subjects=subjects,
            storage=StorageType.FILE,
            retention=RetentionPolicy.LIMITS,
            discard=DiscardPolicy.OLD,
            duplicate_window=duplicate_window_s,
            num_replicas=replicas,
            max_age=max_age_s,
            max_bytes=max_bytes,
        )
        try:
            await self._create_or_update(config, max_age_s, max_bytes)
        except APIError as exc:  # limits the server cannot hold, a change it does not allow
            raise StreamRefusedError(name, exc, replicas) from None

    async def _create_or_update(self, config: StreamConfig, max_age_s: float, max_bytes: int) -> None:
        name, subjects = config.name or "", config.subjects or []
        try:
            current = (await self.js.stream_info(name)).config
        except NotFoundError:
            try:
                await self.js.add_stream(config)
                log.info("created stream %s (%s)%s", name, ", ".join(subjects), _describe_limits(max_age_s, max_bytes))
                return
            except BadRequestError as refused:
                # Either another replica created it at the same moment, or NATS refused it (more replicas than
                # servers, storage): only the first case may go on to the update, the second keeps its reason.
                try:
                    await self.js.stream_info(name)
                except NotFoundError:
                    raise refused from None
                current = None
        await self.js.update_stream(config)
        if current is not None and (current.max_age or 0, current.max_bytes) != (max_age_s, max_bytes):
            log.info(
                "stream %s limits changed from%s to%s",
                name,
                _describe_limits(current.max_age or 0, current.max_bytes or -1),
                _describe_limits(max_age_s, max_bytes),
            )

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
