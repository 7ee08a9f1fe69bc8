"""Benchmark of a pay run: calculate and persist the payslips of N employees, SQLite and PostgreSQL side by side.

For each N (1,000 and 10,000; 100,000 with --large) a fresh database is migrated and filled, with
bulk inserts, with N employees of one monthly pay group: 70% hourly with four approved weeks of
October (20 days, some overtime), 30% salaried, a few starting or leaving inside the month and a
raise in the middle of it for some. The rule set has the usual lines: regular, overtime, salary,
pension (pre-tax), bracketed income tax, a capped social contribution and an employer contribution.

Timed, in one transaction each and through the service's own functions (no HTTP):
  * calculate: read every input, compute every payslip, write them (what POST /payruns/{id}/calculate does);
  * recalculate: the same again on the calculated run (old drafts deleted, new ones written);
  * approve: recompute and compare, mark hours paid, year-to-date, one payroll.payslip_issued per payslip.

Prints a table, writes bench/results/payrun.json and the table into docs/PERFORMANCE.md.
Settings: BENCH_POSTGRES_URL (default the local server). Flags: --large (adds 100,000), --postgres-only.
"""

from __future__ import annotations

import asyncio
import random
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from backoffice.payroll.app import MIGRATIONS_DIR
from backoffice.payroll.hours.models import PayableHours, SubmittedTimesheet
from backoffice.payroll.payruns import approval, calculation, runs
from backoffice.payroll.payruns.schemas import PayRunCreate
from backoffice.payroll.profiles.models import PayProfile, PayTermsVersion, PlacementVersion
from backoffice.payroll.rules import service as rules
from backoffice.payroll.rules.example import EXAMPLE_RULES
from backoffice.payroll.rules.schemas import PayGroupCreate, RuleSetCreate
from backoffice.shared.auth import Principal
from backoffice.shared.db import Database, utcnow
from backoffice.shared.migrations import upgrade
from report import publish, scratch_postgres
from sqlalchemy import insert, text

ROOT = Path(__file__).resolve().parents[1]
CLERK = Principal("bench", frozenset({"payroll"}), None, "bench", datetime(2100, 1, 1, tzinfo=UTC))
WEEKS = [date(2026, 10, 5) + timedelta(days=7 * n) for n in range(4)]
RULES = EXAMPLE_RULES


async def chunked_insert(db: Database, table: Any, rows: list[dict[str, Any]], size: int = 5000) -> None:
    async with db.session() as session:
        for start in range(0, len(rows), size):
            await session.execute(insert(table), rows[start : start + size])


async def seed(db: Database, n: int) -> None:
    rnd = random.Random(n)
    now = utcnow()
    profiles, terms, sheets, hours = [], [], [], []
    for i in range(n):
        employee_id = f"e{i:06d}"
        start = date(2020, 1, 1) if rnd.random() > 0.03 else date(2026, 10, rnd.randint(2, 28))
        end = date(2026, 10, rnd.randint(5, 30)) if rnd.random() < 0.02 else None
        profiles.append(
            {
                "employee_id": employee_id,
                "given_name": "Emp",
                "family_name": f"No{i}",
                "email": f"{employee_id}@example.com",
                "department": f"Dept {i % 12}",
                "position": None,
                "start_date": start,
                "end_date": end,
                "termination_kind": None,
                "created_at": now,
                "updated_at": now,
            }
        )
        hourly = rnd.random() < 0.7
        rate = Decimal(rnd.randint(1500, 4500)) / 100 if hourly else Decimal(rnd.randint(2500, 9000))
        terms.append(
            {
                "employee_id": employee_id,
                "effective_from": start,
                "pay_type": "hourly" if hourly else "salaried",
                "rate": rate,
                "currency": "EUR",
                "frequency": "monthly",
                "recorded_at": now,
                "source_event_id": "seed",
            }
        )
        if rnd.random() < 0.05 and start < date(2026, 10, 19):
            terms.append({**terms[-1], "effective_from": date(2026, 10, 19), "rate": rate * Decimal("1.05")})
        if not hourly:
            continue
        for week in WEEKS:
            sheet_id = f"t{i:06d}{week.day:02d}"
            sheets.append(
                {
                    "id": sheet_id,
                    "employee_id": employee_id,
                    "week_start": week,
                    "version": 1,
                    "status": "approved",
                    "entries": "[]",
                    "findings": "[]",
                    "total_hours": Decimal(40),
                    "received_at": now,
                    "decided_at": now,
                    "decided_by": "bench",
                    "reason": None,
                    "automatic": False,
                    "source_event_id": "seed",
                }
            )
            for d in range(5):
                day = week + timedelta(days=d)
                if day < start or (end is not None and day > end):
                    continue
                hours.append(
                    {
                        "timesheet_id": sheet_id,
                        "employee_id": employee_id,
                        "day": day,
                        "kind": "regular",
                        "hours": Decimal(8),
                        "paid_in_run_id": None,
                    }
                )
                if rnd.random() < 0.1:
                    hours.append(
                        {
                            "timesheet_id": sheet_id,
                            "employee_id": employee_id,
                            "day": day,
                            "kind": "overtime",
                            "hours": Decimal(2),
                            "paid_in_run_id": None,
                        }
                    )
    await chunked_insert(db, PayProfile.__table__, profiles)
    placements = [
        {
            "employee_id": p["employee_id"],
            "effective_from": p["start_date"],
            "department": p["department"],
            "position": p["position"],
            "recorded_at": now,
            "source_event_id": "seed",
        }
        for p in profiles
    ]
    await chunked_insert(db, PlacementVersion.__table__, placements)
    await chunked_insert(db, PayTermsVersion.__table__, terms)
    await chunked_insert(db, SubmittedTimesheet.__table__, sheets)
    await chunked_insert(db, PayableHours.__table__, hours)
    async with db.session() as session:
        await session.execute(text("ANALYZE"))  # statistics, as autovacuum keeps them on a live database
    async with db.session() as session:
        await rules.create_group(
            session, CLERK, PayGroupCreate(code="monthly", name="Monthly", frequency="monthly", currency="EUR")
        )
        await rules.create_rule_set(
            session,
            CLERK,
            RuleSetCreate.model_validate({"pay_group": "monthly", "effective_from": "2026-01-01", "rules": RULES}),
        )


async def timed(db: Database, fn: Any, *args: Any) -> tuple[float, Any]:
    started = time.perf_counter()
    async with db.session() as session:
        result = await fn(session, CLERK, *args)
    return time.perf_counter() - started, result


async def bench_one(backend: str, url: str, n: int) -> dict[str, Any]:
    db = Database(url, pool_size=4)
    try:
        await upgrade(db, MIGRATIONS_DIR)
        started = time.perf_counter()
        await seed(db, n)
        seeded = time.perf_counter() - started
        body = PayRunCreate(
            pay_group="monthly",
            period_start=date(2026, 10, 1),
            period_end=date(2026, 10, 31),
            pay_date=date(2026, 10, 30),
        )
        _, run = await timed(db, runs.create_run, body)
        calc_s, run = await timed(db, calculation.calculate_run, run.id)
        recalc_s, run = await timed(db, calculation.calculate_run, run.id)
        approve_s, run = await timed(db, approval.approve_run, run.id)
        slips = run.employee_count
    finally:
        await db.dispose()
    row = {
        "backend": backend,
        "employees": n,
        "payslips": slips,
        "seed_s": round(seeded, 2),
        "calculate_s": round(calc_s, 3),
        "calculate_ms_per_payslip": round(1000 * calc_s / slips, 4),
        "recalculate_s": round(recalc_s, 3),
        "approve_s": round(approve_s, 3),
        "approve_ms_per_payslip": round(1000 * approve_s / slips, 4),
    }
    print(
        f"  {backend:8} N={n:>7,}: calculate {calc_s:7.2f} s ({row['calculate_ms_per_payslip']:.3f} ms/payslip), "
        f"recalculate {recalc_s:6.2f} s, approve {approve_s:6.2f} s",
        flush=True,
    )
    return row


async def main() -> None:
    sizes = [1_000, 10_000] + ([100_000] if "--large" in sys.argv else [])
    postgres_only = "--postgres-only" in sys.argv
    tmp = Path(tempfile.mkdtemp(prefix="backoffice-bench-payrun-"))
    results: list[dict[str, Any]] = []
    for n in sizes:
        if not postgres_only and n <= 10_000:
            results.append(await bench_one("sqlite", f"sqlite+aiosqlite:///{tmp}/payrun-{n}.db", n))
        async with scratch_postgres("bo_bench_payrun") as url:
            if url is not None:
                results.append(await bench_one("postgres", url, n))
    report(results)


def report(results: list[dict[str, Any]]) -> None:
    lines = [
        "| database | employees | payslips | calculate + persist (s) | ms per payslip | recalculate (s) "
        "| approve (s) |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r['backend']} | {r['employees']:,} | {r['payslips']:,} | {r['calculate_s']:.2f} "
            f"| {r['calculate_ms_per_payslip']:.3f} | {r['recalculate_s']:.2f} | {r['approve_s']:.2f} |"
        )
    table = "\n".join(lines)
    publish("payrun", "Pay run", table, {"results": results})


if __name__ == "__main__":
    asyncio.run(main())
