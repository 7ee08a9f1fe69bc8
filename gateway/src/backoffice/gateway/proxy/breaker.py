"""A circuit breaker per upstream: fail fast while it is down, probe it, close when it answers."""

from __future__ import annotations

import time
from collections.abc import Callable
from enum import Enum

from prometheus_client import Gauge

BREAKER_STATE = Gauge("backoffice_gateway_breaker_open", "1 while the upstream's circuit breaker is open", ["upstream"])


class State(Enum):
    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half_open"


class CircuitBreaker:
    """Opens after ``failure_threshold`` consecutive failures; after ``reset_s`` lets one probe through."""

    def __init__(
        self,
        name: str,
        *,
        failure_threshold: int = 5,
        reset_s: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.name = name
        self.failure_threshold = failure_threshold
        self.reset_s = reset_s
        self.clock = clock
        self.state = State.CLOSED
        self.failures = 0
        self.opened_at = 0.0
        self._probing = False
        BREAKER_STATE.labels(name).set(0)

    def before_call(self) -> float | None:
        """``None`` to go ahead, or the seconds to wait before trying again."""
        if self.state is State.CLOSED:
            return None
        now = self.clock()
        remaining = self.opened_at + self.reset_s - now
        if self.state is State.OPEN and remaining <= 0:
            self.state = State.HALF_OPEN
            self._probing = False
        if self.state is State.HALF_OPEN and not self._probing:
            self._probing = True  # this request is the probe
            return None
        return max(remaining, 0.5)

    def record_success(self) -> None:
        if self.state is not State.CLOSED:
            BREAKER_STATE.labels(self.name).set(0)
        self.state = State.CLOSED
        self.failures = 0
        self._probing = False

    def record_failure(self) -> None:
        self.failures += 1
        if self.state is State.HALF_OPEN or self.failures >= self.failure_threshold:
            self.state = State.OPEN
            self.opened_at = self.clock()
            self._probing = False
            BREAKER_STATE.labels(self.name).set(1)
