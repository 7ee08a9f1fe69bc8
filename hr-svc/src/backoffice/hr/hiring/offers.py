"""Offers and the hire: an offer made at the 'offer' stage, sent, and answered; acceptance hires the
candidate exactly once, however often it is recorded."""

from __future__ import annotations

from decimal import Decimal
from zoneinfo import ZoneInfo

from backoffice.hr.employees import service as employees
from backoffice.hr.employees.models import Employee
from backoffice.hr.employees.schemas import EmployeeCreate, PayTermsCreate
from backoffice.hr.hiring.access import forbid, in_play, is_hr
from backoffice.hr.hiring.applications import HIRED, get_application, opening_of, record_move
from backoffice.hr.hiring.models import Candidate, JobOpening, Offer
from backoffice.hr.hiring.openings import get_opening
from backoffice.hr.hiring.schemas import OfferCreate, OfferPage, OfferRead
from backoffice.shared.auth import Principal
from backoffice.shared.db import get_or_404, utcnow
from backoffice.shared.decimals import in_currency, positional
from backoffice.shared.errors import Conflict, Unprocessable
from backoffice.shared.ids import new_id
from backoffice.shared.paging import fetch_page
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

PERIODS_PER_YEAR = {"weekly": 52, "biweekly": 26, "semimonthly": 24, "monthly": 12}
# An hourly offer is compared with an opening's (yearly) range at full time: 40 hours a week, 52 weeks.
FULL_TIME_HOURS_PER_YEAR = Decimal(2080)


def annual_pay(terms: PayTermsCreate) -> Decimal:
    """The pay of ``terms`` over a year: a salary by its frequency, an hourly rate at full time."""
    if terms.pay_type == "hourly":
        return in_currency(terms.rate * FULL_TIME_HOURS_PER_YEAR, terms.currency)
    return in_currency(terms.rate * PERIODS_PER_YEAR[terms.frequency], terms.currency)


def check_range(opening: JobOpening, body: OfferCreate) -> None:
    """An offer outside the opening's salary range (or in another currency) needs ``outside_range_reason``."""
    yearly = annual_pay(body.pay_terms)
    inside = body.pay_terms.currency == opening.currency and opening.salary_min <= yearly <= opening.salary_max
    if inside or body.outside_range_reason:
        return
    message = (
        f"the pay is {positional(yearly)} {body.pay_terms.currency} a year, outside the opening's range "
        f"{positional(opening.salary_min)} to {positional(opening.salary_max)} {opening.currency}: say why"
    )
    raise Unprocessable(
        f"outside_range_reason: {message}",
        slug="offer-outside-range",
        errors=[{"field": "body.outside_range_reason", "message": message, "type": "offer_outside_range"}],
    )


async def make_offer(session: AsyncSession, user: Principal, application_id: str, body: OfferCreate) -> Offer:
    """HR drafts an offer for an active application at the 'offer' stage, when none is still open."""
    if not is_hr(user):
        raise forbid("make offers (HR does)")
    application = await get_application(session, application_id, lock=True)
    opening = await get_opening(session, application.opening_id)
    in_play(opening, "no offers are made for it")
    if application.status != "active" or application.stage != "offer":
        raise Conflict(
            f"the application is {application.status} at stage {application.stage}: move it to 'offer' first",
            slug="application-stage",
        )
    pending = await session.scalar(
        select(Offer.id).where(Offer.application_id == application.id, Offer.status.in_(("draft", "sent")))
    )
    if pending is not None:
        raise Conflict(f"offer {pending} is still open for this application", slug="offer-open")
    check_range(opening, body)
    offer = Offer(
        id=new_id(),
        application_id=application.id,
        position=body.position,
        employment_type=body.employment_type,
        pay_terms=body.pay_terms.model_dump_json(),
        start_date=body.start_date,
        outside_range_reason=body.outside_range_reason,
        status="draft",
        created_by=user.user_id,
        created_at=utcnow(),
    )
    session.add(offer)
    await session.flush()
    return offer


async def list_offers(
    session: AsyncSession, user: Principal, application_id: str, limit: int, offset: int
) -> OfferPage:
    """An application's offers, newest first: for HR and the opening's hiring manager."""
    application = await get_application(session, application_id)
    await opening_of(session, user, application, "see this application's offers")
    query = (
        select(Offer).where(Offer.application_id == application.id).order_by(Offer.created_at.desc(), Offer.id.desc())
    )
    rows, total = await fetch_page(session, query, limit, offset)
    return OfferPage(items=[OfferRead.model_validate(o) for o in rows], total=total, limit=limit, offset=offset)


async def send_offer(session: AsyncSession, user: Principal, offer_id: str) -> Offer:
    """HR sends a draft offer of an opening still in play."""
    if not is_hr(user):
        raise forbid("send offers (HR does)")
    offer = await get_or_404(session, Offer, offer_id, lock=True)
    if offer.status != "draft":
        raise Conflict(f"the offer is {offer.status}: only a draft is sent", slug="offer-state")
    application = await get_application(session, offer.application_id)
    in_play(await get_opening(session, application.opening_id), "no offers are sent for it")
    offer.status, offer.sent_at = "sent", utcnow()
    return offer


async def decide_offer(session: AsyncSession, user: Principal, offer_id: str, accepted: bool, zone: ZoneInfo) -> Offer:
    """The candidate's answer. Acceptance hires them (``hr.employee_hired``), exactly once: a repeated
    acceptance finds the offer accepted and returns it unchanged."""
    if not is_hr(user):
        raise forbid("record the candidate's answer (HR does)")
    offer = await get_or_404(session, Offer, offer_id, lock=True)
    if offer.status == "accepted" and accepted:
        return offer
    if offer.status != "sent":
        raise Conflict(f"the offer is {offer.status}: only a sent offer is answered", slug="offer-state")
    offer.decided_at = utcnow()
    if not accepted:
        offer.status = "declined"
        return offer
    application = await get_application(session, offer.application_id, lock=True)
    if application.status != "active" or application.stage != "offer":
        raise Conflict(
            f"the application is {application.status} at stage {application.stage}: it cannot be hired from this offer",
            slug="application-stage",
        )
    opening = await get_opening(session, application.opening_id, lock=True)
    if opening.status in ("draft", "cancelled"):
        raise Conflict(f"the opening is {opening.status}: its offers cannot be accepted", slug="opening-closed")
    # on hold, an offer already sent may still be accepted: the company made it
    if opening.hires >= opening.headcount or opening.status not in ("open", "on_hold"):
        raise Conflict(
            f"the opening is {opening.status} with {opening.hires} of {opening.headcount} hired: no headcount is left",
            slug="no-headcount",
        )
    candidate = await session.get(Candidate, application.candidate_id)
    assert candidate is not None
    terms = PayTermsCreate.model_validate_json(offer.pay_terms)
    employee: Employee = await employees.hire(
        session,
        EmployeeCreate(
            given_name=candidate.given_name,
            family_name=candidate.family_name,
            email=candidate.email,
            phone=candidate.phone,
            department_id=opening.department_id,
            position=offer.position,
            manager_id=opening.hiring_manager_id,
            employment_type=offer.employment_type,
            start_date=offer.start_date,
            pay_terms=terms,
        ),
        user,
        zone,
    )
    offer.status, offer.employee_id = "accepted", employee.id
    await record_move(session, application, HIRED, user, None)
    application.stage, application.status, application.employee_id = HIRED, "hired", employee.id
    opening.hires += 1
    if opening.hires >= opening.headcount:
        opening.status, opening.filled_at = "filled", utcnow()
    opening.updated_at = utcnow()
    return offer
