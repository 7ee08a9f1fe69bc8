"""Rate limits and brute-force protection, in memory or in Redis (shared by gateway replicas)."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from backoffice.gateway.settings import RateLimitRule
from backoffice.shared.errors import Problem
from limits import RateLimitItem, parse
from limits.aio.storage import Storage
from limits.aio.strategies import MovingWindowRateLimiter
from limits.storage import storage_from_string
from starlette.types import Scope


def make_storage(uri: str, key_prefix: str = "backoffice") -> Storage:
    if uri.startswith("memory://"):
        storage = storage_from_string("async+memory://")
    else:
        storage = storage_from_string(f"async+{uri}", implementation="redispy", key_prefix=key_prefix)
    assert isinstance(storage, Storage)
    return storage


def client_address(scope: Scope) -> str:
    client = scope.get("client")
    return str(client[0]) if client else "unknown"


def too_many(detail: str, retry_after_s: float) -> Problem:
    seconds = max(1, math.ceil(retry_after_s))
    return Problem(
        429,
        f"{detail}; try again in {seconds} s",
        slug="rate-limited",
        headers={"Retry-After": str(seconds)},
        retry_after=seconds,
    )


class LoginGuard:
    """Counts failed sign-ins per account and per client address; too many answer 429."""

    def __init__(self, storage: Storage, per_account: str, per_address: str):
        self.limiter = MovingWindowRateLimiter(storage)
        self.per_account = parse(per_account)
        self.per_address = parse(per_address)

    async def _retry_after(self, item: RateLimitItem, *keys: str) -> float:
        stats = await self.limiter.get_window_stats(item, *keys)
        return max(0.0, stats.reset_time - time.time())

    async def check(self, login: str, address: str) -> None:
        account = login.strip().lower()
        if not await self.limiter.test(self.per_account, "login-account", account):
            raise too_many(
                "too many failed sign-ins for this login",
                await self._retry_after(self.per_account, "login-account", account),
            )
        if not await self.limiter.test(self.per_address, "login-address", address):
            raise too_many(
                "too many failed sign-ins from this address",
                await self._retry_after(self.per_address, "login-address", address),
            )

    async def failed(self, login: str, address: str) -> None:
        await self.limiter.hit(self.per_account, "login-account", login.strip().lower())
        await self.limiter.hit(self.per_address, "login-address", address)

    async def succeeded(self, login: str) -> None:
        await self.limiter.clear(self.per_account, "login-account", login.strip().lower())


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
