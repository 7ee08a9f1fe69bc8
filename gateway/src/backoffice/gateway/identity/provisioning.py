"""Logins that follow HR's events: provisioned at hire, renamed with the employee, disabled at termination."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

from backoffice.gateway.events import emit
from backoffice.gateway.identity.models import User
from backoffice.gateway.identity.service import create_user, issue_activation, revoke_sessions, usable
from backoffice.gateway.settings import GatewaySettings
from backoffice.shared.auth import roles_not_grantable
from backoffice.shared.bus import Envelope, PermanentEventError
from backoffice.shared.db import utcnow
from backoffice.shared.events.gateway import UserDisabled, UserProvisioned
from backoffice.shared.events.hr import EmployeeHired, EmployeeTerminated, EmployeeUpdated
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

log = logging.getLogger("backoffice.gateway.identity")


async def provision_from_hire(
    session: AsyncSession, settings: GatewaySettings, envelope: Envelope, hired: EmployeeHired
) -> None:
    """``hr.employee_hired``: a login for the employee, waiting for activation; ``gateway.user_provisioned``."""
    existing = await session.scalar(select(User).where(User.employee_id == hired.employee_id))
    if existing is not None:
        return  # provisioned by an earlier event for the same employee
    login = (hired.login or str(hired.email)).strip().lower()
    if await session.scalar(select(User.id).where(User.login == login)):
        raise PermanentEventError(f"the login {login!r} is taken by another user")
    author_roles = await _hiring_author_roles(session, hired)
    refused = roles_not_grantable(author_roles, hired.roles)
    roles = [r for r in hired.roles if r not in refused] or ["employee"]
    if refused:
        log.warning(
            "hire of employee %s asked for roles %s that its author (user %s, roles %s) may not grant;"
            " the login gets %s only",
            hired.employee_id,
            " ".join(refused),
            hired.hired_by or "unknown",
            " ".join(sorted(author_roles)),
            " ".join(sorted(set(roles))),
        )
    user = await create_user(
        session,
        settings,
        login=login,
        email=str(hired.email),
        roles=roles,
        employee_id=hired.employee_id,
        actor=f"event:{envelope.id}",
        name=f"{hired.given_name} {hired.family_name}",
    )
    _token, expires_at = await issue_activation(session, settings, user)
    await emit(
        session,
        UserProvisioned(
            user_id=user.id,
            employee_id=user.employee_id,
            login=user.login,
            email=user.email,
            roles=user.role_list,
            activation_expires_at=expires_at,
            refused_roles=refused,
        ),
        subject=hired.employee_id,
        caused_by=envelope,
    )


async def _hiring_author_roles(session: AsyncSession, hired: EmployeeHired) -> frozenset[str]:
    """The roles of the login that hired, as this gateway knows them (never as the event says).

    A hire without a known, usable author is taken as HR's: only HR and admins may hire, and HR's grants are the
    smaller.
    """
    author = await session.get(User, hired.hired_by) if hired.hired_by else None
    if author is None or not usable(author, utcnow()):
        return frozenset({"hr"})
    return frozenset(author.role_list)


def start_of_day(day: object, zone: ZoneInfo) -> datetime:
    """The start of ``day`` in ``zone``, in UTC."""
    return datetime.combine(day, time.min, tzinfo=zone).astimezone(UTC)  # type: ignore[arg-type]


async def disable_from_termination(
    session: AsyncSession, zone: ZoneInfo, envelope: Envelope, terminated: EmployeeTerminated
) -> None:
    """``hr.employee_terminated``: the login stops working at the start of the effective date."""
    user = await session.scalar(select(User).where(User.employee_id == terminated.employee_id))
    if user is None:
        return  # the employee never had a login
    user.disable_at = start_of_day(terminated.effective_date, zone)
    user.disabled_reason = f"employment ended ({terminated.kind})"
    user.updated_at = utcnow()
    user.updated_by = f"event:{envelope.id}"
    await disable_due_users(session, caused_by=envelope)


async def rename_from_update(session: AsyncSession, envelope: Envelope, updated: EmployeeUpdated) -> None:
    """``hr.employee_updated``: the login's display name follows the employee's name (tokens issued from now on)."""
    user = await session.scalar(select(User).where(User.employee_id == updated.employee_id))
    name = f"{updated.given_name} {updated.family_name}"
    if user is None or user.name == name:
        return
    user.name = name
    user.updated_at = utcnow()
    user.updated_by = f"event:{envelope.id}"


async def disable_due_users(session: AsyncSession, *, caused_by: Envelope | None = None) -> int:
    """Disable every login whose disable date has come; revoke its sessions; emit ``gateway.user_disabled``."""
    now = utcnow()
    due = (
        await session.scalars(
            select(User).where(User.active.is_(True), User.disable_at.is_not(None), User.disable_at <= now)
        )
    ).all()
    for user in due:
        user.active = False
        user.updated_at = now
        await revoke_sessions(session, user.id)
        await emit(
            session,
            UserDisabled(
                user_id=user.id,
                employee_id=user.employee_id,
                reason=user.disabled_reason or "disabled",
                disabled_at=now,
            ),
            subject=user.employee_id or user.id,
            caused_by=caused_by,
        )
    return len(due)
