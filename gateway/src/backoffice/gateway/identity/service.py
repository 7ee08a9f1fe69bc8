"""Logins, tokens and their life-cycle: the identity domain of the gateway."""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from datetime import UTC, datetime, timedelta

import jwt
from backoffice.gateway.events import emit
from backoffice.gateway.identity.models import RefreshToken, User
from backoffice.gateway.identity.passwords import hash_password, verify_password
from backoffice.gateway.identity.schemas import TokenPair, UserPage, UserRead
from backoffice.gateway.keys.service import KeyRing
from backoffice.gateway.settings import GatewaySettings
from backoffice.shared.auth import AUDIENCE, ISSUER, PERSON_ROLES, ROLES, Principal, roles_not_grantable
from backoffice.shared.bus import Envelope
from backoffice.shared.db import get_or_404, utcnow
from backoffice.shared.errors import Conflict, Forbidden, Problem, Unprocessable
from backoffice.shared.events.gateway import PasswordResetIssued, UserDisabled
from backoffice.shared.ids import new_id
from sqlalchemy import ColumnElement, func, literal, select, update
from sqlalchemy.ext.asyncio import AsyncSession

log = logging.getLogger("backoffice.gateway.identity")

WRONG_CREDENTIALS = "the login or the password is wrong"


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def usable(user: User, now: datetime) -> bool:
    """Whether the login may sign in at ``now``: active and not past its scheduled disabling."""
    return user.active and (user.disable_at is None or user.disable_at > now)


def to_read(user: User) -> UserRead:
    """The API's view of a login."""
    return UserRead(
        id=user.id,
        login=user.login,
        email=user.email,
        name=user.display_name,
        roles=user.role_list,
        employee_id=user.employee_id,
        active=usable(user, utcnow()),
        activated=user.password_hash is not None,
        disable_at=user.disable_at,
        disabled_reason=None if usable(user, utcnow()) else (user.disabled_reason or "disabled"),
        created_at=user.created_at,
    )


def check_password_policy(password: str, settings: GatewaySettings, *, login: str) -> None:
    """Refuse (422 ``weak-password``) a password that is too short or the login itself."""
    if len(password) < settings.password_min_length:
        raise Unprocessable(
            f"the password needs at least {settings.password_min_length} characters", slug="weak-password"
        )
    if password.lower() == login.lower():
        raise Unprocessable("the password must not be the login", slug="weak-password")


async def create_user(
    session: AsyncSession,
    settings: GatewaySettings,
    *,
    login: str,
    email: str,
    roles: list[str],
    employee_id: str | None = None,
    password: str | None = None,
    actor: str | None = None,
    name: str | None = None,
) -> User:
    """Create a login; without a password it waits for activation."""
    unknown = set(roles) - set(ROLES)
    if unknown or not roles:
        raise Unprocessable(f"unknown roles: {', '.join(sorted(unknown)) or 'none given'}", slug="invalid-roles")
    if not set(roles) <= set(PERSON_ROLES):
        raise Unprocessable("the role 'service' is for the services' own calls, never a person's", slug="invalid-roles")
    login = login.strip().lower()
    if await session.scalar(select(User.id).where(User.login == login)):
        raise Conflict(f"the login {login!r} is taken", slug="login-taken")
    if employee_id and await session.scalar(select(User.id).where(User.employee_id == employee_id)):
        raise Conflict(f"employee {employee_id} already has a login", slug="employee-has-login")
    if password is not None:
        check_password_policy(password, settings, login=login)
    now = utcnow()
    user = User(
        id=new_id(),
        login=login,
        email=email,
        name=name.strip() if name and name.strip() else None,
        password_hash=await hash_password(password) if password else None,
        roles=" ".join(sorted(set(roles))),
        employee_id=employee_id,
        active=True,
        created_at=now,
        updated_at=now,
        updated_by=actor,
    )
    session.add(user)
    await session.flush()
    return user


async def get_user(session: AsyncSession, user_id: str) -> User:
    """The login ``user_id``, or 404."""
    return await get_or_404(session, User, user_id)


async def list_users(
    session: AsyncSession, *, query: str | None, role: str | None, active: bool | None, limit: int, offset: int
) -> UserPage:
    """One page of logins, filtered by text (login or e-mail), role and whether they are active."""
    conditions: list[ColumnElement[bool]] = []
    if query:
        like = f"%{query.lower()}%"
        conditions.append(func.lower(User.login).like(like) | func.lower(User.email).like(like))
    if role:
        conditions.append((literal(" ") + User.roles + literal(" ")).like(f"% {role} %"))
    if active is not None:
        conditions.append(User.active.is_(active))
    total = await session.scalar(select(func.count()).select_from(User).where(*conditions))
    users = (
        await session.scalars(select(User).where(*conditions).order_by(User.login).limit(limit).offset(offset))
    ).all()
    return UserPage(items=[to_read(u) for u in users], total=int(total or 0), limit=limit, offset=offset)


def issue_access_token(keyring: KeyRing, settings: GatewaySettings, user: User) -> tuple[str, int]:
    """A signed access token for ``user`` and its lifetime in seconds."""
    kid, key = keyring.signing_key()
    now = datetime.now(UTC)
    claims = {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": user.id,
        "typ": "access",
        "roles": user.role_list,
        "employee_id": user.employee_id,
        "login": user.login,
        # Every service records who acted under this name, so no one has to look a login id up.
        "name": user.display_name,
        "iat": int(now.timestamp()),
        "exp": int((now + timedelta(seconds=settings.access_token_ttl_s)).timestamp()),
        "jti": new_id(),
    }
    return jwt.encode(claims, key, algorithm="EdDSA", headers={"kid": kid}), settings.access_token_ttl_s


async def issue_tokens(
    session: AsyncSession, keyring: KeyRing, settings: GatewaySettings, user: User, *, family_id: str | None = None
) -> TokenPair:
    """A new access token and a refresh token (a new family unless rotating within one)."""
    secret = secrets.token_urlsafe(32)
    now = utcnow()
    ttl = timedelta(days=settings.refresh_token_ttl_days)
    token = RefreshToken(
        id=new_id(),
        user_id=user.id,
        family_id=family_id or new_id(),
        secret_hash=_digest(secret),
        issued_at=now,
        expires_at=now + ttl,
    )
    session.add(token)
    access, expires_in = issue_access_token(keyring, settings, user)
    return TokenPair(
        access_token=access,
        expires_in=expires_in,
        refresh_token=f"{token.id}.{secret}",
        refresh_expires_in=int(ttl.total_seconds()),
    )


async def authenticate(session: AsyncSession, login: str, password: str) -> User:
    """The user for these credentials; 401 for a wrong login or password, 403 for a disabled login."""
    user = await session.scalar(select(User).where(User.login == login.strip().lower()))
    ok = await verify_password(user.password_hash if user else None, password)
    if user is None or not ok:
        raise Problem(401, WRONG_CREDENTIALS, slug="wrong-credentials")
    if not usable(user, utcnow()):
        raise Forbidden("this login is disabled", slug="login-disabled")
    return user


async def _revoke_family(session: AsyncSession, family_id: str) -> None:
    await session.execute(
        update(RefreshToken)
        .where(RefreshToken.family_id == family_id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


async def _find_refresh(session: AsyncSession, presented: str, *, lock: bool) -> RefreshToken:
    token_id, _, secret = presented.partition(".")
    query = select(RefreshToken).where(RefreshToken.id == token_id)
    if lock:
        query = query.with_for_update()
    row = await session.scalar(query)
    if row is None or not secret or not hmac.compare_digest(row.secret_hash, _digest(secret)):
        raise Problem(401, "the refresh token is not valid: sign in again", slug="invalid-refresh-token")
    return row


class RefreshReuse(Problem):
    def __init__(self) -> None:
        super().__init__(
            401,
            "this refresh token was already used: every session of its family is now signed out",
            slug="refresh-token-reused",
        )


async def rotate_refresh(
    session: AsyncSession, keyring: KeyRing, settings: GatewaySettings, presented: str
) -> TokenPair:
    """Exchange a refresh token for a new pair. Presenting a used token revokes its whole family.

    The caller must commit even when ``RefreshReuse`` is raised, so the revocation is kept.
    """
    row = await _find_refresh(session, presented, lock=True)
    now = utcnow()
    if row.revoked_at is not None:
        raise Problem(401, "this session was signed out: sign in again", slug="refresh-token-revoked")
    if row.used_at is not None:
        await _revoke_family(session, row.family_id)
        raise RefreshReuse()
    if row.expires_at <= now:
        raise Problem(401, "the refresh token has expired: sign in again", slug="refresh-token-expired")
    user = await get_user(session, row.user_id)
    if not usable(user, now):
        await _revoke_family(session, row.family_id)
        raise Forbidden("this login is disabled", slug="login-disabled")
    row.used_at = now
    return await issue_tokens(session, keyring, settings, user, family_id=row.family_id)


async def logout(session: AsyncSession, presented: str) -> None:
    """Sign out the session of the presented refresh token: its whole family is revoked."""
    row = await _find_refresh(session, presented, lock=False)
    await _revoke_family(session, row.family_id)


async def revoke_sessions(session: AsyncSession, user_id: str) -> None:
    """Sign out every session of a login: each of its refresh tokens is revoked."""
    await session.execute(
        update(RefreshToken)
        .where(RefreshToken.user_id == user_id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


async def change_password(
    session: AsyncSession, settings: GatewaySettings, user_id: str, current: str, new: str
) -> None:
    """Change a password; every session of the user is signed out (403 for a wrong current password)."""
    user = await get_user(session, user_id)
    if not await verify_password(user.password_hash, current):
        raise Forbidden("the current password is wrong", slug="wrong-credentials")
    check_password_policy(new, settings, login=user.login)
    user.password_hash = await hash_password(new)
    user.updated_at = utcnow()
    user.updated_by = user_id
    await revoke_sessions(session, user_id)


def ensure_may_manage(actor: Principal, user: User, what: str) -> None:
    """HR hands out tokens only for logins whose every role HR may grant; an admin for every login."""
    refused = roles_not_grantable(actor.roles, user.role_list)
    if refused:
        raise Forbidden(
            f"you may not {what} for this login: it holds the roles {', '.join(refused)}, which only an admin grants",
            slug="forbidden",
        )


def _new_password_token(user: User, ttl: timedelta) -> tuple[str, datetime]:
    """A one-time token that sets the login's password (its digest is kept; the token is shown once)."""
    token = secrets.token_urlsafe(32)
    user.activation_token_hash = _digest(token)
    user.activation_expires_at = utcnow() + ttl
    user.updated_at = utcnow()
    return token, user.activation_expires_at


async def issue_activation(
    session: AsyncSession, settings: GatewaySettings, user: User, *, actor: Principal | None = None
) -> tuple[str, datetime]:
    """A new one-time activation token for a login never activated (replacing any earlier one).

    ``actor`` is who asks (None: the gateway itself, at provisioning); 409 for an activated login, which
    gets a password reset instead.
    """
    if actor is not None:
        ensure_may_manage(actor, user, "issue an activation token")
    if not usable(user, utcnow()):
        raise Conflict("this login is disabled", slug="login-disabled")
    if user.password_hash is not None:
        raise Conflict(
            "this login was activated already: its owner changes the password, or HR or an admin issues a"
            " password reset (POST /auth/users/{id}/password-reset)",
            slug="already-activated",
        )
    if actor is not None:
        user.updated_by = actor.user_id
    return _new_password_token(user, timedelta(days=settings.activation_token_ttl_days))


async def issue_password_reset(
    session: AsyncSession, settings: GatewaySettings, user: User, *, actor: Principal, caused_by: Envelope | None = None
) -> tuple[str, datetime]:
    """A one-time token that sets a new password of an activated login; the owner is told by an event."""
    ensure_may_manage(actor, user, "reset the password")
    if not usable(user, utcnow()):
        raise Conflict("this login is disabled", slug="login-disabled")
    if user.password_hash is None:
        raise Conflict(
            "this login was never activated: issue an activation token (POST /auth/users/{id}/activation-token)",
            slug="not-activated",
        )
    token, expires_at = _new_password_token(user, timedelta(hours=settings.password_reset_ttl_hours))
    user.updated_by = actor.user_id
    await emit(
        session,
        PasswordResetIssued(
            user_id=user.id,
            employee_id=user.employee_id,
            login=user.login,
            email=user.email,
            issued_by=actor.user_id,
            issued_by_name=actor.name,
            issued_by_employee_id=actor.employee_id,
            expires_at=expires_at,
        ),
        subject=user.employee_id or user.id,
        caused_by=caused_by,
    )
    log.warning(
        "password reset issued for login %s (user %s) by user %s (roles %s)",
        user.login,
        user.id,
        actor.user_id,
        " ".join(sorted(actor.roles)),
    )
    return token, expires_at


async def _redeem(session: AsyncSession, token: str, *, activated: bool) -> User:
    user = await session.scalar(select(User).where(User.activation_token_hash == _digest(token)))
    now = utcnow()
    what = "password reset token" if activated else "activation token"
    if (
        user is None
        or user.activation_expires_at is None
        or user.activation_expires_at <= now
        or (user.password_hash is not None) != activated
    ):
        slug = "invalid-reset-token" if activated else "invalid-activation-token"
        raise Problem(400, f"the {what} is not valid or has expired: ask HR for a new one", slug=slug)
    if not usable(user, now):
        raise Forbidden("this login is disabled", slug="login-disabled")
    return user


async def _set_password_once(session: AsyncSession, settings: GatewaySettings, user: User, password: str) -> None:
    check_password_policy(password, settings, login=user.login)
    user.password_hash = await hash_password(password)
    user.activation_token_hash = None
    user.activation_expires_at = None
    user.updated_at = utcnow()
    user.updated_by = user.id
    await revoke_sessions(session, user.id)  # whoever held a session before the new password is signed out


async def activate(session: AsyncSession, settings: GatewaySettings, token: str, password: str) -> User:
    """Set the first password with a one-time activation token."""
    user = await _redeem(session, token, activated=False)
    await _set_password_once(session, settings, user, password)
    return user


async def reset_password(session: AsyncSession, settings: GatewaySettings, token: str, password: str) -> User:
    """Set a new password with a one-time reset token; every session of the login is signed out."""
    user = await _redeem(session, token, activated=True)
    await _set_password_once(session, settings, user, password)
    log.warning("password of login %s (user %s) was reset", user.login, user.id)
    return user


def _about(field: str, problem: Problem) -> Problem:
    """``problem`` naming the field of ``PATCH /auth/users/{id}`` it refuses, so the console shows it there."""
    problem.extra["errors"] = [{"field": f"body.{field}", "message": problem.detail}]
    return problem


async def _other_active_admins(session: AsyncSession, user: User) -> int:
    admins = (
        await session.scalars(
            select(User).where(User.id != user.id, (literal(" ") + User.roles + literal(" ")).like("% admin %"))
        )
    ).all()
    now = utcnow()
    return sum(1 for admin in admins if usable(admin, now))


async def _refuse_change(
    session: AsyncSession, actor: Principal, user: User, roles: list[str] | None, active: bool | None
) -> None:
    """409/422 naming the field, for a change that would lock the suite or its admin out."""
    now = utcnow()
    is_admin = "admin" in user.role_list and usable(user, now)
    if roles is not None:
        if not set(roles) <= set(PERSON_ROLES):
            raise _about("roles", Unprocessable("the role 'service' is never a person's", slug="invalid-roles"))
        if is_admin and "admin" not in roles:
            if user.id == actor.user_id:
                raise _about("roles", Conflict("you may not remove your own admin role", slug="own-admin-role"))
            if await _other_active_admins(session, user) == 0:
                raise _about(
                    "roles",
                    Conflict(
                        "this is the last active admin: give another login the admin role first", slug="last-admin"
                    ),
                )
    if active is False and usable(user, now):
        if user.id == actor.user_id:
            raise _about("active", Conflict("you may not disable your own login", slug="own-login"))
        if is_admin and await _other_active_admins(session, user) == 0:
            raise _about("active", Conflict("this is the last active admin: it cannot be disabled", slug="last-admin"))
    if active is True and user.disable_at is not None and user.disable_at <= now:
        raise _about(
            "active",
            Conflict(
                f"this login ended with the employment ({user.disabled_reason or 'terminated'}): HR rehires the person",
                slug="employment-ended",
            ),
        )


async def update_user(
    session: AsyncSession, actor: Principal, user: User, *, roles: list[str] | None, active: bool | None
) -> bool:
    """An admin changes a login's roles or disables/enables it; returns whether its sessions were revoked.

    Refused (409, naming the field): an admin removing their own admin role or disabling themselves, and
    anything that would leave the suite without an active admin. Changed roles or a disabled login end every
    session of the login (a new sign-in carries the new roles).
    """
    await _refuse_change(session, actor, user, roles, active)
    now = utcnow()
    revoke = False
    new_roles = " ".join(sorted(set(roles))) if roles is not None else user.roles
    if new_roles != user.roles:
        user.roles = new_roles
        revoke = True
    if active is False and user.active:
        user.active = False
        user.disabled_reason = f"disabled by {actor.name or actor.user_id}"
        revoke = True
        await emit(
            session,
            UserDisabled(user_id=user.id, employee_id=user.employee_id, reason=user.disabled_reason, disabled_at=now),
            subject=user.employee_id or user.id,
        )
    elif active is True and not user.active:
        user.active = True
        user.disabled_reason = None
    user.updated_at = now
    user.updated_by = actor.user_id
    if revoke:
        await revoke_sessions(session, user.id)
        log.warning(
            "login %s (user %s) changed by user %s: roles %s, active %s",
            user.login,
            user.id,
            actor.user_id,
            user.roles,
            user.active,
        )
    await session.flush()
    return revoke
