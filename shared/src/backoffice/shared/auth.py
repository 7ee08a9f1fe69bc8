"""Access tokens: verification with the gateway's keys, the current user, and access rules.

The gateway signs short-lived JWTs with EdDSA (Ed25519) and publishes its public keys at
``/.well-known/jwks.json``. Every service verifies every token itself: keys are fetched once,
cached, and fetched again only when a token names a key id the cache does not know.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any

import httpx
import jwt
from backoffice.shared.errors import Problem
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

log = logging.getLogger("backoffice.auth")

ROLES = ("employee", "manager", "hr", "payroll", "it_agent", "office", "pay_auditor", "admin", "service")
# Roles a person's login may hold; ``service`` is only for the services' own calls.
PERSON_ROLES = tuple(r for r in ROLES if r != "service")
# Who may give which role to a person: HR the everyday ones, an admin every person role.
GRANTS: dict[str, frozenset[str]] = {
    "hr": frozenset({"employee", "manager"}),
    "admin": frozenset(PERSON_ROLES),
}
ISSUER = "backoffice-gateway"
AUDIENCE = "backoffice"
ALGORITHM = "EdDSA"

KeySource = Callable[[str], Awaitable[Any | None]]


@dataclass(frozen=True)
class Principal:
    """Who is calling: the user (or service), their roles and the employee they are."""

    user_id: str
    roles: frozenset[str]
    employee_id: str | None
    token_id: str
    expires_at: datetime
    # The person's display name (the token's ``name`` claim); None in tokens issued before it was added.
    name: str | None = None

    def has_any(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def is_admin(self) -> bool:
        return "admin" in self.roles

    def is_employee(self, employee_id: str | None) -> bool:
        return employee_id is not None and self.employee_id == employee_id


def grantable_roles(granter_roles: Iterable[str]) -> frozenset[str]:
    """The roles someone holding ``granter_roles`` may give to a person (hire or login)."""
    allowed: frozenset[str] = frozenset()
    for role in granter_roles:
        allowed |= GRANTS.get(role, frozenset())
    return allowed


def roles_not_grantable(granter_roles: Iterable[str], wanted: Iterable[str]) -> list[str]:
    """The roles of ``wanted`` that someone holding ``granter_roles`` may not give, sorted."""
    return sorted(set(wanted) - grantable_roles(granter_roles))


def ensure_may_grant(granter_roles: Iterable[str], wanted: Iterable[str]) -> None:
    """403 problem naming the roles the caller may not give (HR: employee and manager; admin: every person role)."""
    refused = roles_not_grantable(granter_roles, wanted)
    if refused:
        allowed = sorted(grantable_roles(granter_roles)) or ["none"]
        raise Problem(
            403,
            f"you may not grant the roles {', '.join(refused)}: you may grant {', '.join(allowed)}"
            " (other roles come from an admin; 'service' is never a person's)",
            slug="role-not-grantable",
        )


def unauthenticated(detail: str) -> Problem:
    """The 401 problem with the ``WWW-Authenticate`` challenge a bearer-token API sends."""
    return Problem(401, detail, slug="unauthenticated", headers={"WWW-Authenticate": 'Bearer realm="backoffice"'})


class JwksCache:
    """Public keys from a JWKS URL, by key id, fetched lazily and refreshed on an unknown id."""

    def __init__(self, url: str, *, min_refresh_interval_s: float = 1.0, timeout_s: float = 3.0):
        self.url = url
        self.min_refresh_interval_s = min_refresh_interval_s
        self.timeout_s = timeout_s
        self._keys: dict[str, Any] = {}
        self._last_fetch = float("-inf")
        self._lock = asyncio.Lock()

    def load(self, jwks: dict[str, Any]) -> None:
        keys = {}
        for entry in jwks.get("keys", []):
            if entry.get("kty") == "OKP" and entry.get("crv") == "Ed25519" and entry.get("kid"):
                keys[entry["kid"]] = jwt.PyJWK(entry, algorithm=ALGORITHM).key
        self._keys = keys

    async def refresh(self) -> None:
        self._last_fetch = time.monotonic()
        async with httpx.AsyncClient(timeout=self.timeout_s) as client:
            response = await client.get(self.url)
            response.raise_for_status()
            self.load(response.json())

    async def key_for(self, kid: str) -> Any | None:
        key = self._keys.get(kid)
        if key is not None:
            return key
        async with self._lock:
            key = self._keys.get(kid)
            if key is None:
                # At most one fetch per interval, however many unknown key ids arrive; callers queue.
                wait = self._last_fetch + self.min_refresh_interval_s - time.monotonic()
                if wait > 0:
                    await asyncio.sleep(wait)
                try:
                    await self.refresh()
                except Exception as exc:
                    log.warning("cannot fetch signing keys from %s: %s", self.url, exc)
                    raise Problem(
                        503,
                        "the token cannot be checked now: the gateway's keys are unreachable",
                        slug="keys-unavailable",
                    ) from None
                key = self._keys.get(kid)
        return key


class TokenVerifier:
    """Checks an access token's algorithm, key, signature, issuer, audience and expiry."""

    def __init__(
        self,
        key_source: KeySource,
        *,
        max_lifetime_s: float | None = None,
        leeway_s: float = 5.0,
        cache_size: int = 10_000,
    ):
        self.key_source = key_source
        # The gateway issues tokens of ``access_token_ttl_s``: a longer-lived one was not made by it as configured.
        self.max_lifetime_s = max_lifetime_s
        self.leeway_s = leeway_s
        self.cache_size = cache_size
        # A token is immutable: once its signature checked, only its expiry can change the answer.
        self._verified: OrderedDict[str, Principal] = OrderedDict()

    async def verify(self, token: str) -> Principal:
        cached = self._verified.get(token)
        if cached is not None:
            if cached.expires_at.timestamp() + self.leeway_s > time.time():
                self._verified.move_to_end(token)
                return cached
            del self._verified[token]
        principal = await self._verify(token)
        self._verified[token] = principal
        if len(self._verified) > self.cache_size:
            self._verified.popitem(last=False)
        return principal

    async def _verify(self, token: str) -> Principal:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError:
            raise unauthenticated("the access token is malformed") from None
        if header.get("alg") != ALGORITHM:
            raise unauthenticated(f"tokens signed with {header.get('alg')!r} are not accepted")
        kid = header.get("kid")
        if not isinstance(kid, str) or not kid:
            raise unauthenticated("the access token names no signing key (kid)")
        key = await self.key_source(kid)
        if key is None:
            raise unauthenticated("the access token was signed with an unknown key")
        try:
            claims = jwt.decode(
                token,
                key,
                algorithms=[ALGORITHM],
                audience=AUDIENCE,
                issuer=ISSUER,
                leeway=self.leeway_s,
                options={"require": ["exp", "iat", "sub", "jti", "aud", "iss"]},
            )
        except jwt.ExpiredSignatureError:
            raise unauthenticated("the access token has expired: refresh it at /auth/refresh") from None
        except jwt.InvalidSignatureError:
            raise unauthenticated("the access token's signature is not valid") from None
        except jwt.PyJWTError as exc:
            raise unauthenticated(f"the access token is not valid: {exc}") from None
        if self.max_lifetime_s is not None:
            lifetime = _number(claims["exp"]) - _number(claims["iat"])
            if lifetime > self.max_lifetime_s + self.leeway_s:
                raise unauthenticated(
                    f"the access token lives {lifetime:.0f} s; at most {self.max_lifetime_s:.0f} s are accepted"
                )
        if claims.get("typ") != "access":
            raise unauthenticated("this is not an access token")
        roles = claims.get("roles") or []
        if not isinstance(roles, list):
            raise unauthenticated("the access token's roles are malformed")
        return Principal(
            user_id=str(claims["sub"]),
            roles=frozenset(str(r) for r in roles),
            employee_id=claims.get("employee_id"),
            token_id=str(claims["jti"]),
            expires_at=datetime.fromtimestamp(int(claims["exp"]), UTC),
            name=_text_claim(claims.get("name")),
        )


def _text_claim(value: Any) -> str | None:
    return value.strip()[:200] or None if isinstance(value, str) else None


def _number(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        raise unauthenticated("the access token's exp or iat is not a number") from None


def authorization_header(request: Request) -> str | None:
    """The request's one ``Authorization`` header; 400 when it carries several.

    With two, a proxy and a service could each read a different one (and a different caller).
    """
    values = request.headers.getlist("authorization")
    if len(values) > 1:
        raise Problem(
            400,
            f"send one Authorization header; this request has {len(values)}",
            slug="several-authorization-headers",
        )
    return values[0] if values else None


_bearer = HTTPBearer(auto_error=False, description="An access token from POST /auth/login at the gateway")


async def current_user(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> Principal:
    """The verified caller; 401 problem+json without a valid bearer access token, 400 with several."""
    authorization_header(request)
    if credentials is None or credentials.scheme.lower() != "bearer" or not credentials.credentials:
        raise unauthenticated("send 'Authorization: Bearer <access token>' (get one from POST /auth/login)")
    cached = getattr(request.state, "principal", None)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    verifier: TokenVerifier = request.app.state.token_verifier
    principal = await verifier.verify(credentials.credentials)
    request.state.principal = principal
    return principal


CurrentUser = Annotated[Principal, Depends(current_user)]


def require_roles(*roles: str) -> Callable[[Principal], Awaitable[Principal]]:
    """A dependency that lets through callers with one of ``roles`` (admins always)."""
    unknown = set(roles) - set(ROLES)
    if unknown:
        raise ValueError(f"unknown roles {sorted(unknown)}")

    async def dependency(user: CurrentUser) -> Principal:
        if not (user.is_admin or user.has_any(*roles)):
            raise Problem(403, f"this needs one of the roles: {', '.join(roles)}", slug="forbidden")
        return user

    return dependency


def ensure_access(
    user: Principal,
    *,
    owner_employee_id: str | None = None,
    roles: Iterable[str] = (),
    manager_of: Iterable[str | None] = (),
    what: str = "this record",
) -> None:
    """Object-level rule: the caller is the record's employee, their manager, or holds a role.

    ``manager_of`` are the employee ids whose manager may see the record (for a record about an
    employee: ``[that employee's manager id]`` compared with the caller's employee id).
    """
    if user.is_admin or user.has_any(*roles):
        return
    if owner_employee_id is not None and user.is_employee(owner_employee_id):
        return
    if user.employee_id is not None and user.has_any("manager") and user.employee_id in set(manager_of):
        return
    raise Problem(403, f"you may not access {what}", slug="forbidden")
