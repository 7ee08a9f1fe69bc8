"""Narrow interfaces between the helpdesk's domains, so that their imports run one way.

A domain that others build on declares what it announces (a ``Signal``: "a calendar's hours changed") or what it
needs answered (a ``Provided``: "how many open tickets does each agent hold"); the domain above it, which imports
it anyway, connects its function when it is imported. Both run inside the caller's transaction, so a receiver
that raises (a 422 problem) refuses the whole change."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Generic, ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


class Signal(Generic[P]):
    """Something a domain announces to the domains above it; every connected receiver is awaited in order."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._receivers: list[Callable[P, Awaitable[None]]] = []

    def connect(self, receiver: Callable[P, Awaitable[None]]) -> Callable[P, Awaitable[None]]:
        """Adds ``receiver`` (once, however often its module is imported) and returns it, so it works as a
        decorator."""
        if receiver not in self._receivers:
            self._receivers.append(receiver)
        return receiver

    async def send(self, *args: P.args, **kwargs: P.kwargs) -> None:
        """Awaits every receiver with these arguments."""
        for receiver in self._receivers:
            await receiver(*args, **kwargs)


class Provided(Generic[P, R]):
    """A question a domain needs answered by a domain above it: exactly one implementation, connected by that
    domain; asking before it is connected is a programming error and says which answer is missing."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._implementation: Callable[P, Awaitable[R]] | None = None

    def connect(self, implementation: Callable[P, Awaitable[R]]) -> Callable[P, Awaitable[R]]:
        """Makes ``implementation`` the answer and returns it, so it works as a decorator."""
        self._implementation = implementation
        return implementation

    async def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R:
        if self._implementation is None:
            raise RuntimeError(f"nothing answers {self.name}: import the domain that provides it")
        return await self._implementation(*args, **kwargs)
