"""What other hr domains do in the transaction that hires or terminates an employee.

The employee record does not know who reacts to it: a domain (onboarding, training) exports its ``Reactions``
and app.py registers them here, so those domains depend on employees and never the other way round. The
reactions run in the same transaction as the hire or termination: what they make exists exactly when it does.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date

from backoffice.hr.employees.models import Employee
from sqlalchemy.ext.asyncio import AsyncSession

OnHired = Callable[[AsyncSession, Employee], Awaitable[None]]
OnTerminated = Callable[[AsyncSession, Employee, date], Awaitable[None]]


@dataclass(frozen=True)
class Reactions:
    """One domain's reactions: to a hire, and to a termination (with its effective date)."""

    hired: OnHired | None = None
    terminated: OnTerminated | None = None


_registered: list[Reactions] = []


def register(*reactions: Reactions) -> None:
    """Run these reactions on every hire and termination from now on, in the order given (again: no effect)."""
    _registered.extend(r for r in reactions if r not in _registered)


async def hired(session: AsyncSession, employee: Employee) -> None:
    """Let every registered domain react to ``employee``'s hire, in ``session``'s transaction."""
    for reactions in _registered:
        if reactions.hired is not None:
            await reactions.hired(session, employee)


async def terminated(session: AsyncSession, employee: Employee, effective_date: date) -> None:
    """Let every registered domain react to the end of ``employee``'s employment on ``effective_date``."""
    for reactions in _registered:
        if reactions.terminated is not None:
            await reactions.terminated(session, employee, effective_date)
