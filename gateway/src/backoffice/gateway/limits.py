"""Rate limits and brute-force protection, in memory or in Redis (shared by gateway replicas)."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Annotated

from backoffice.gateway.settings import RateLimitRule
from backoffice.shared.deps import app_state
from backoffice.shared.errors import Problem
from fastapi import Depends, Request
from limits import RateLimitItem, RateLimitItemPerDay, parse
from limits.aio.storage import Storage
from limits.aio.strategies import MovingWindowRateLimiter
from limits.storage import storage_from_string
from starlette.types import Scope


def make_storage(uri: str, key_prefix: str = "backoffice") -> Storage:
    """The rate limits' counters: in memory, or in Redis (shared by the gateway's replicas) for a ``redis://`` URI."""
    if uri.startswith("memory://"):
        storage = storage_from_string("async+memory://")
    else:
        storage = storage_from_string(f"async+{uri}", implementation="redispy", key_prefix=key_prefix)
    assert isinstance(storage, Storage)
    return storage


def client_address(scope: Scope) -> str:
    """The address of the client that sent the request (``unknown`` when the server does not say)."""
    client = scope.get("client")
    return str(client[0]) if client else "unknown"


def too_many(detail: str, retry_after_s: float) -> Problem:
    """The 429 problem for a limit reached, with ``Retry-After`` in whole seconds."""
    seconds = max(1, math.ceil(retry_after_s))
    return Problem(
        429,
        f"{detail}; try again in {seconds} s",
        slug="rate-limited",
        headers={"Retry-After": str(seconds)},
        retry_after=seconds,
    )


class LoginGuard:
    """Counts failed sign-ins (and failed current-password checks); too many answer 429 with ``Retry-After``.

    Guessing is stopped without locking the owner out (docs/SECURITY.md, "Sign-in throttling"):

    * per (login, address): always applies, so whoever guesses stops at their own address;
    * per login from everywhere, and per address to any login: catch guessing spread over many addresses or many
      logins, but do not apply to an address the login signed in from successfully within ``known_days``: the
      owner keeps signing in from where they usually do, whatever an attacker elsewhere does.
    """

    def __init__(self, storage: Storage, per_account_address: str, per_account: str, per_address: str, known_days: int):
        self.limiter = MovingWindowRateLimiter(storage)
        self.per_account_address = parse(per_account_address)
        self.per_account = parse(per_account)
        self.per_address = parse(per_address)
        # One hit makes the (login, address) pair "known" for ``known_days``: the window is then full.
        self.known = RateLimitItemPerDay(1, known_days)

    async def _retry_after(self, item: RateLimitItem, *keys: str) -> float:
        stats = await self.limiter.get_window_stats(item, *keys)
        return max(0.0, stats.reset_time - time.time())

    async def _refuse_when_full(self, item: RateLimitItem, detail: str, *keys: str) -> None:
        if not await self.limiter.test(item, *keys):
            raise too_many(detail, await self._retry_after(item, *keys))

    async def known_address(self, login: str, address: str) -> bool:
        """Whether ``login`` signed in successfully from ``address`` lately."""
        return not await self.limiter.test(self.known, "login-known", _account(login), address)

    async def check(self, login: str, address: str) -> None:
        account = _account(login)
        await self._refuse_when_full(
            self.per_account_address,
            "too many failed sign-ins for this login from this address",
            "login-pair",
            account,
            address,
        )
        if await self.known_address(account, address):
            return
        await self._refuse_when_full(
            self.per_account, "too many failed sign-ins for this login", "login-account", account
        )
        await self._refuse_when_full(
            self.per_address, "too many failed sign-ins from this address", "login-address", address
        )

    async def failed(self, login: str, address: str) -> None:
        account = _account(login)
        await self.limiter.hit(self.per_account_address, "login-pair", account, address)
        await self.limiter.hit(self.per_account, "login-account", account)
        await self.limiter.hit(self.per_address, "login-address", address)

    async def succeeded(self, login: str, address: str) -> None:
        account = _account(login)
        await self.limiter.clear(self.per_account_address, "login-pair", account, address)
        await self.limiter.clear(self.known, "login-known", account, address)  # known from now on, for known_days
        await self.limiter.hit(self.known, "login-known", account, address)


def _account(login: str) -> str:
    return login.strip().lower()


@dataclass(frozen=True)
class _CompiledRule:
    prefix: str
    per_user: RateLimitItem | None
    per_address: RateLimitItem | None


class RequestLimiter:
    """Per-user and per-address request rates, by the longest matching path prefix."""

    def __init__(self, storage: Storage, rules: list[RateLimitRule]):
        self.limiter = MovingWindowRateLimiter(storage)
        self.rules = sorted(
            (
                _CompiledRule(
                    r.prefix, parse(r.per_user) if r.per_user else None, parse(r.per_address) if r.per_address else None
                )
                for r in rules
            ),
            key=lambda r: len(r.prefix),
            reverse=True,
        )

    def rule_for(self, path: str) -> _CompiledRule | None:
        for rule in self.rules:
            if path.startswith(rule.prefix):
                return rule
        return None

    async def enforce(self, path: str, address: str, user_id: str | None) -> None:
        """429 problem when the request exceeds its rule's per-address or per-user rate (counts it otherwise)."""
        rule = self.rule_for(path)
        if rule is None:
            return
        if rule.per_address is not None and not await self.limiter.hit(rule.per_address, rule.prefix, "addr", address):
            stats = await self.limiter.get_window_stats(rule.per_address, rule.prefix, "addr", address)
            raise too_many(f"too many requests from this address to {rule.prefix}", stats.reset_time - time.time())
        if (
            rule.per_user is not None
            and user_id is not None
            and not await self.limiter.hit(rule.per_user, rule.prefix, "user", user_id)
        ):
            stats = await self.limiter.get_window_stats(rule.per_user, rule.prefix, "user", user_id)
            raise too_many(f"too many requests from this user to {rule.prefix}", stats.reset_time - time.time())


LoginGuardDep = Annotated[LoginGuard, Depends(app_state("login_guard"))]
RequestLimiterDep = Annotated[RequestLimiter, Depends(app_state("request_limiter"))]


async def limit_auth_requests(request: Request, limiter: RequestLimiterDep) -> None:
    """The ``RATE_LIMITS`` rule for the gateway's own ``/auth/*`` routes (per address: nobody is known yet)."""
    await limiter.enforce(request.url.path, client_address(request.scope), None)
