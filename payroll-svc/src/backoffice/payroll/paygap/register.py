"""The pay register: for each job category and each pay concept (a pay rule's code, and the total), the average
and the median per hour paid of each sex. A group of fewer workers than the threshold shows no figures."""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from backoffice.payroll.events import emit
from backoffice.payroll.paygap.figures import ZERO, Worker, mean, median
from backoffice.payroll.paygap.people import PAID, categories, workers
from backoffice.payroll.paygap.schemas import PayRegister, RegisterFiled
from backoffice.payroll.payruns.models import PayRun, Payslip
from backoffice.payroll.rules.models import RuleSet
from backoffice.payroll.rules.schemas import HoursRule, ItemRule, SalaryRule
from backoffice.payroll.rules.service import RULES
from backoffice.shared.db import utcnow
from backoffice.shared.events import payroll as events
from backoffice.shared.events.hr import DeclaredSex
from backoffice.shared.ids import new_id
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

SEXES: tuple[DeclaredSex, ...] = ("female", "male", "another", "not_declared")
NO_CATEGORY = "No job category"


async def _amounts(
    session: AsyncSession, start: date, end: date, currency: str
) -> tuple[dict[str, dict[str, Decimal]], dict[str, tuple[str, str]]]:
    """Earnings by employee and rule code over the period, and each code's description and component (from the
    rule sets the runs used; a code no rule names, such as an old correction, is basic)."""
    rows = await session.execute(
        select(Payslip.employee_id, Payslip.lines, PayRun.rule_set_id)
        .join(PayRun, PayRun.id == Payslip.run_id)
        .where(
            PayRun.status.in_(PAID),
            Payslip.currency == currency,
            Payslip.pay_date >= start,
            Payslip.pay_date <= end,
        )
    )
    by_person: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    rule_set_ids: set[str | None] = set()
    described: dict[str, str] = {}
    for employee_id, lines, rule_set_id in rows:
        rule_set_ids.add(rule_set_id)
        for line in json.loads(lines):
            if line["category"] == "earning":
                by_person[employee_id][line["code"]] += Decimal(line["amount"])
                described.setdefault(line["code"], line["description"])
    concepts: dict[str, tuple[str, str]] = {}
    for rule_set in await session.scalars(
        select(RuleSet)
        .where(RuleSet.id.in_([i for i in rule_set_ids if i is not None]))
        .order_by(RuleSet.effective_from)
    ):
        for rule in RULES.validate_json(rule_set.rules):
            if isinstance(rule, HoursRule | SalaryRule | ItemRule) and rule.code in described:
                concepts[rule.code] = (rule.description, rule.component)
    for code, text in described.items():
        concepts.setdefault(code, (text, "basic"))
    return by_person, concepts


def _cells(people: Sequence[Worker], value: dict[str, Decimal], threshold: int) -> list[events.RegisterCell]:
    cells = []
    for sex in SEXES:
        values = [value[w.employee_id] for w in people if w.sex == sex]
        if len(values) < threshold:
            cells.append(events.RegisterCell(sex=sex, workers=len(values), suppressed=True))
        else:
            cells.append(events.RegisterCell(sex=sex, workers=len(values), average=mean(values), median=median(values)))
    return cells


async def pay_register(session: AsyncSession, start: date, end: date, *, currency: str, threshold: int) -> PayRegister:
    """The register of payslips paid from ``start`` to ``end`` (their pay date)."""
    people = await workers(session, start, end, currency)
    known = await categories(session)
    by_person, concepts = await _amounts(session, start, end, currency)
    groups: dict[str | None, list[Worker]] = defaultdict(list)
    for worker in people:
        groups[worker.category_id if worker.category_id in known else None].append(worker)
    order = sorted((c for c in groups if c is not None), key=lambda c: (known[c].name, known[c].code, c))
    rows: list[events.RegisterRow] = []
    for category_id in [*order, *([None] if None in groups else [])]:
        members = groups[category_id]
        name = known[category_id].name if category_id is not None else NO_CATEGORY
        for code, (description, component) in concepts.items():
            if not any(by_person[w.employee_id].get(code) for w in members):
                continue
            per_hour = {w.employee_id: by_person[w.employee_id].get(code, ZERO) / w.hours for w in members}
            rows.append(
                events.RegisterRow(
                    category_id=category_id,
                    category_name=name,
                    concept=code,
                    description=description,
                    component="complementary" if component == "complementary" else "basic",
                    cells=_cells(members, per_hour, threshold),
                )
            )
        total = {w.employee_id: w.hourly for w in members}
        rows.append(
            events.RegisterRow(
                category_id=category_id,
                category_name=name,
                concept="total",
                description="Total pay",
                component="total",
                cells=_cells(members, total, threshold),
            )
        )
    return PayRegister(
        period_start=start, period_end=end, currency=currency, threshold=threshold, rows=rows, generated_at=utcnow()
    )


def register_csv(register: PayRegister) -> str:
    """One line per category and concept; per sex: workers, average and median per hour (empty when suppressed).
    Text cells that a spreadsheet would run as a formula are written as text."""
    out = io.StringIO()
    writer = csv.writer(out)
    header = ["category_id", "category", "concept", "description", "component"]
    for sex in SEXES:
        header += [f"{sex}_workers", f"{sex}_average", f"{sex}_median"]
    writer.writerow(header)
    for row in register.rows:
        line = [row.category_id or "", _text(row.category_name), row.concept, _text(row.description), row.component]
        for cell in row.cells:
            line += [str(cell.workers), _figure(cell.average), _figure(cell.median)]
        writer.writerow(line)
    return out.getvalue()


def _figure(value: Decimal | None) -> str:
    return "" if value is None else str(value)


def _text(value: str) -> str:
    return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


async def file_register(
    session: AsyncSession, start: date, end: date, *, currency: str, threshold: int, user_id: str
) -> RegisterFiled:
    """The register of the period, sent to docs to be filed as a PDF (payroll.pay_register_filed)."""
    register = await pay_register(session, start, end, currency=currency, threshold=threshold)
    register_id = new_id()
    await emit(
        session,
        events.PayRegisterFiled(
            register_id=register_id,
            period_start=start,
            period_end=end,
            currency=currency,
            threshold=threshold,
            rows=register.rows,
            filed_by=user_id,
        ),
        subject=register_id,
    )
    return RegisterFiled(register_id=register_id, period_start=start, period_end=end, rows=len(register.rows))
