"""A calculated run beside the minimum pay: payslips under it, overtime paid under the premium, and overrides.

Nothing is stored at calculation: the findings are worked out from the run's payslips, the pay terms and the
minimum in force on the period's last day whenever the run is checked or approved, so a recalculation or a new
minimum version is taken into account at once.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from backoffice.payroll.events import emit
from backoffice.payroll.minimum import service
from backoffice.payroll.minimum.models import MinimumPayOverride, MinimumPayRule
from backoffice.payroll.minimum.schemas import BelowMinimum, OverrideCreate, OverridePage, OverrideRead
from backoffice.payroll.minimum.service import Place
from backoffice.payroll.payruns.calculation import CHUNK
from backoffice.payroll.payruns.engine import PERIODS_PER_YEAR
from backoffice.payroll.payruns.models import PayRun, Payslip
from backoffice.payroll.payruns.runs import get_run
from backoffice.payroll.payruns.schemas import PayRunFinding
from backoffice.payroll.profiles.models import PayTermsVersion
from backoffice.payroll.rules.models import RuleSet
from backoffice.payroll.rules.schemas import HoursRule
from backoffice.payroll.rules.service import RULES
from backoffice.shared.auth import Principal
from backoffice.shared.db import utcnow
from backoffice.shared.errors import Conflict, Forbidden, Unprocessable
from backoffice.shared.events import payroll as events
from backoffice.shared.ids import new_id
from backoffice.shared.paging import slice_page
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

HOURLY_PLACES = Decimal("0.0001")
WEEKS_PER_YEAR = Decimal(52)
HUNDRED = Decimal(100)


def hourly_pay(
    terms: PayTermsVersion, standard_hours_per_year: Decimal, regular_multiplier: Decimal = Decimal(1)
) -> Decimal:
    """Pay for one hour worked: an hourly rate as the run pays a regular hour; a salary over the contracted hours
    (weekly_hours x 52 a year, or the rule set's standard hours when the terms give none)."""
    if terms.pay_type == "hourly":
        return terms.rate * regular_multiplier
    yearly_hours = terms.weekly_hours * WEEKS_PER_YEAR if terms.weekly_hours else standard_hours_per_year
    return terms.rate * PERIODS_PER_YEAR[terms.frequency] / yearly_hours


async def _terms(session: AsyncSession, run: PayRun, ids: list[str]) -> dict[str, PayTermsVersion]:
    """Each person's terms in force on the period's last day."""
    latest: dict[str, PayTermsVersion] = {}
    for at in range(0, len(ids), CHUNK):
        rows = await session.scalars(
            select(PayTermsVersion)
            .where(
                PayTermsVersion.employee_id.in_(ids[at : at + CHUNK]), PayTermsVersion.effective_from <= run.period_end
            )
            .order_by(PayTermsVersion.effective_from)
        )
        latest.update({t.employee_id: t for t in rows})
    return latest


async def _hours_rules(session: AsyncSession, run: PayRun) -> tuple[Decimal, list[HoursRule]]:
    rule_set = await session.get(RuleSet, run.rule_set_id) if run.rule_set_id else None
    if rule_set is None:
        return Decimal(2080), []
    rules = [r for r in RULES.validate_json(rule_set.rules) if isinstance(r, HoursRule)]
    return rule_set.standard_hours_per_year, rules


async def _minimums(session: AsyncSession, run: PayRun, place: Place) -> list[MinimumPayRule]:
    found = await service.in_force(session, place.country, place.region, run.period_end)
    return [m for m in found if m.currency == run.currency]


async def below_minimum(session: AsyncSession, run: PayRun, place: Place) -> list[BelowMinimum]:
    """The payslips of a calculated run paying an hour worked under the highest minimum that applies to the person
    (the country's, the region's, their agreement group's), in the run's currency, by name."""
    minimums = await _minimums(session, run, place)
    if run.status != "calculated" or not minimums:
        return []
    standard, hours_rules = await _hours_rules(session, run)
    regular = next((r.multiplier for r in hours_rules if r.hours_kind == "regular" and "hourly" in r.pay_types), None)
    slips = (
        await session.execute(
            select(Payslip.id, Payslip.employee_id, Payslip.employee_name).where(Payslip.run_id == run.id)
        )
    ).all()
    terms = await _terms(session, run, sorted({s.employee_id for s in slips}))
    overridden = set(
        (await session.scalars(select(MinimumPayOverride.payslip_id).where(MinimumPayOverride.run_id == run.id))).all()
    )
    found: list[BelowMinimum] = []
    for slip_id, employee_id, name in slips:
        held = terms.get(employee_id)
        applying = [m for m in minimums if held is not None and m.agreement_group in (None, held.agreement_group)]
        if held is None or not applying:
            continue
        rule = max(applying, key=lambda m: m.hourly_minimum)
        pay = hourly_pay(held, standard, regular if regular is not None else Decimal(1))
        if pay < rule.hourly_minimum:
            shown = pay.quantize(HOURLY_PLACES, ROUND_HALF_UP)
            found.append(
                BelowMinimum(
                    payslip_id=slip_id,
                    employee_id=employee_id,
                    employee_name=name,
                    hourly_pay=shown,
                    minimum=rule.hourly_minimum,
                    shortfall=rule.hourly_minimum - shown,
                    minimum_rule_id=rule.id,
                    overridden=slip_id in overridden,
                )
            )
    found.sort(key=lambda b: (b.employee_name.casefold(), b.employee_id))
    return found


async def _overtime_below_premium(session: AsyncSession, run: PayRun, place: Place) -> PayRunFinding | None:
    """The rule set pays overtime under 1 + the premium (the highest of the minimums in force) and someone of the
    run was paid overtime hours by it. Not overridable: the fix is a new version of the rules."""
    premiums = [
        m.overtime_premium_percent
        for m in await _minimums(session, run, place)
        if m.overtime_premium_percent is not None
    ]
    if run.status != "calculated" or not premiums:
        return None
    least = 1 + max(premiums) / HUNDRED
    _, hours_rules = await _hours_rules(session, run)
    low = [r for r in hours_rules if r.hours_kind == "overtime" and r.multiplier < least]
    if not low:
        return None
    rows = await session.execute(select(Payslip.id, Payslip.hours).where(Payslip.run_id == run.id))
    paid = sorted(slip_id for slip_id, hours in rows if '"overtime"' in hours)
    if not paid:
        return None
    named = ", ".join(f"{r.code} at x{r.multiplier}" for r in low)
    return PayRunFinding(
        slug="overtime-below-premium",
        message=f"the rules pay overtime under the premium of {max(premiums)} % (at least x{least}): {named}. "
        "Add a version of the rules with a higher multiplier and calculate again",
        ids=paid[:100],
    )


async def findings(session: AsyncSession, run: PayRun, place: Place | None) -> list[PayRunFinding]:
    """The minimum-pay findings of a run's checks: payslips under the minimum not overridden, overtime."""
    if place is None:
        return []
    found: list[PayRunFinding] = []
    below = await below_minimum(session, run, place)
    open_ = [b for b in below if not b.overridden]
    if open_:
        found.append(
            PayRunFinding(
                slug="below-minimum-pay",
                message=f"{len(open_)} payslips pay an hour worked under the minimum: correct the pay terms and "
                "calculate again, or override each with a written reason",
                ids=[b.payslip_id for b in open_][:100],
                below_minimum=open_,
            )
        )
    overtime = await _overtime_below_premium(session, run, place)
    if overtime is not None:
        found.append(overtime)
    return found


async def refuse_unfair(session: AsyncSession, run: PayRun, place: Place | None) -> None:
    """Approval: 409 while a payslip is under the minimum without an override, or overtime under the premium."""
    for finding in await findings(session, run, place):
        ids = ", ".join(finding.ids[:20])
        if finding.slug == "below-minimum-pay":
            raise Conflict(f"{finding.message} ({ids})", slug="below-minimum-pay", payslip_ids=finding.ids)
        raise Conflict(f"{finding.message} ({ids})", slug="overtime-below-premium", payslip_ids=finding.ids)


async def create_override(
    session: AsyncSession, user: Principal, run_id: str, body: OverrideCreate, place: Place
) -> OverrideRead:
    """Let a payslip under the minimum stand, with the officer's reason; ``payroll.minimum_pay_overridden``."""
    run = await get_run(session, run_id, lock=True)
    if run.status != "calculated":
        raise Conflict(
            f"pay run {run.id} is {run.status}: only a calculated run's payslips are overridden",
            slug="run-not-calculated",
        )
    slip = await session.get(Payslip, body.payslip_id)
    if slip is None or slip.run_id != run.id:
        raise Unprocessable(f"payslip_id {body.payslip_id} is not a payslip of run {run.id}", slug="payslip-not-in-run")
    if user.employee_id is not None and user.employee_id == slip.employee_id:
        raise Forbidden(
            "you may not override the minimum on your own payslip: another payroll officer does", slug="own-override"
        )
    below = {b.payslip_id: b for b in await below_minimum(session, run, place)}
    shortfall = below.get(slip.id)
    if shortfall is None:
        raise Conflict(f"payslip {slip.id} is not under the minimum pay: nothing to override", slug="not-below-minimum")
    if shortfall.overridden:
        raise Conflict(f"payslip {slip.id} is overridden already", slug="already-overridden")
    row = MinimumPayOverride(
        id=new_id(),
        run_id=run.id,
        payslip_id=slip.id,
        employee_id=slip.employee_id,
        employee_name=slip.employee_name,
        hourly_pay=shortfall.hourly_pay,
        minimum=shortfall.minimum,
        reason=body.reason,
        created_at=utcnow(),
        created_by=user.user_id,
    )
    session.add(row)
    try:
        await session.flush()
    except IntegrityError:
        raise Conflict(f"payslip {slip.id} was overridden at the same moment", slug="already-overridden") from None
    data = events.MinimumPayOverridden(
        run_id=run.id,
        payslip_id=slip.id,
        employee_id=slip.employee_id,
        hourly_pay=row.hourly_pay,
        minimum=row.minimum,
        reason=row.reason,
        overridden_by=user.user_id,
    )
    await emit(session, data, subject=run.id)
    return OverrideRead.model_validate(row)


async def list_overrides(session: AsyncSession, run_id: str, limit: int = 1000, offset: int = 0) -> OverridePage:
    """Every override of a run, oldest first (those of an earlier calculation too: they are records)."""
    run = await get_run(session, run_id)
    rows = list(
        (
            await session.scalars(
                select(MinimumPayOverride)
                .where(MinimumPayOverride.run_id == run.id)
                .order_by(MinimumPayOverride.created_at, MinimumPayOverride.id)
            )
        ).all()
    )
    page, total = slice_page(rows, limit, offset)
    return OverridePage(items=[OverrideRead.model_validate(r) for r in page], total=total, limit=limit, offset=offset)
