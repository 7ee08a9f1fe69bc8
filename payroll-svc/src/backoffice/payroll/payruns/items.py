"""One-off pay items for the next run: a bonus, or a correction naming the run it corrects."""

from __future__ import annotations

from datetime import date

from backoffice.payroll.money import quantum, round_money
from backoffice.payroll.payruns.models import PayItem as PayItemRow
from backoffice.payroll.payruns.models import PayRun, Payslip
from backoffice.payroll.payruns.schemas import (
    PayItemCreate,
    PayItemPage,
    PayItemRead,
)
from backoffice.payroll.profiles.models import PayProfile
from backoffice.payroll.profiles.service import terms_on
from backoffice.shared.auth import Principal
from backoffice.shared.db import get_or_404, utcnow
from backoffice.shared.errors import Conflict, Forbidden, Unprocessable
from backoffice.shared.ids import new_id
from backoffice.shared.paging import fetch_page
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession


# -- pay items ----------------------------------------------------------------------------------
async def create_item(session: AsyncSession, user: Principal, body: PayItemCreate, today: date) -> PayItemRow:
    """Add a bonus or a correction for the next run (not for oneself), in the employee's currency."""
    if user.is_employee(body.employee_id):
        raise Forbidden("you may not add pay for yourself: another clerk does", slug="own-pay")
    profile = await session.get(PayProfile, body.employee_id)
    if profile is None:
        raise Unprocessable(f"employee {body.employee_id} is not known to payroll", slug="unknown-employee")
    terms = await terms_on(session, body.employee_id, min(today, profile.end_date or today))
    if terms is None:
        raise Unprocessable(f"employee {body.employee_id} has no pay terms yet", slug="no-pay-terms")
    if body.amount == 0:
        raise Unprocessable("amount: give a non-zero amount", slug="amount")
    if body.amount != round_money(body.amount, terms.currency):
        raise Unprocessable(
            f"amount: {terms.currency} has no amounts finer than {quantum(terms.currency)}", slug="amount"
        )
    if body.kind == "bonus":
        if body.amount < 0:
            raise Unprocessable("amount: a bonus is positive; recover an overpayment with a correction", slug="amount")
        if body.corrects_run_id is not None:
            raise Unprocessable("corrects_run_id: only a correction names the run it corrects", slug="corrects")
    else:
        if body.corrects_run_id is None:
            raise Unprocessable("corrects_run_id: a correction names the approved run it corrects", slug="corrects")
        corrected = await session.get(PayRun, body.corrects_run_id)
        if corrected is None or corrected.status not in ("approved", "paid"):
            raise Unprocessable(f"corrects_run_id: {body.corrects_run_id} is not an approved pay run", slug="corrects")
        paid = await session.scalar(
            select(Payslip.id).where(Payslip.run_id == corrected.id, Payslip.employee_id == body.employee_id)
        )
        if paid is None:
            raise Unprocessable(
                f"corrects_run_id: pay run {corrected.id} has no payslip for {body.employee_id}", slug="corrects"
            )
    now = utcnow()
    item = PayItemRow(
        id=new_id(),
        employee_id=body.employee_id,
        kind=body.kind,
        amount=body.amount,
        currency=terms.currency,
        description=body.description,
        corrects_run_id=body.corrects_run_id,
        status="pending",
        created_at=now,
        created_by=user.user_id,
        updated_at=now,
    )
    session.add(item)
    await session.flush()
    return item


async def cancel_item(session: AsyncSession, user: Principal, item_id: str) -> PayItemRow:
    """Cancel a pending pay item (not one's own)."""
    item = await get_or_404(session, PayItemRow, item_id)
    # Cancelling a correction that recovers an overpayment raises the pay as surely as adding a bonus.
    if user.is_employee(item.employee_id):
        raise Forbidden("you may not cancel pay items of your own: another clerk does", slug="own-pay")
    if item.status != "pending":
        raise Conflict(f"pay item {item_id} is {item.status}: only a pending item can be cancelled", slug="item")
    item.status, item.updated_at = "cancelled", utcnow()
    return item


async def search_items(
    session: AsyncSession, *, employee_id: str | None, status: str | None, limit: int, offset: int
) -> PayItemPage:
    """Pay items, newest first."""
    query = select(PayItemRow)
    if employee_id is not None:
        query = query.where(PayItemRow.employee_id == employee_id)
    if status is not None:
        query = query.where(PayItemRow.status == status)
    query = query.order_by(PayItemRow.created_at.desc(), PayItemRow.id.desc())
    rows, total = await fetch_page(session, query, limit, offset)
    return PayItemPage(items=[PayItemRead.model_validate(i) for i in rows], total=total, limit=limit, offset=offset)
