"""Benchmark of the pay gap report: GET /pay-gap through the real payroll service over a year of payslips.

A PostgreSQL database made for the run is migrated and filled in bulk (COPY, not through the API): 100,000
employees with their placement, declared sex (about half women, 3% another or not declared) and 40 positions in
20 job categories; twelve approved monthly runs of 2026 with a payslip each per person (1,200,000 payslips, with
lines as a real calculation writes them). Then a nats-server, the gateway and the payroll service start on that
database (vacuumed and analysed, as autovacuum leaves it after a bulk of inserts), and a pay auditor asks for
the 2026 report: the first request (cold) and the median of the next five.
Goal: at most 2 s on PostgreSQL.

Prints a table, writes bench/results/paygap.json and the table into docs/PERFORMANCE.md.
Settings: BENCH_POSTGRES_URL, BENCH_EMPLOYEES (default 100,000), BENCH_REQUESTS (default 5).
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
from backoffice.payroll.app import MIGRATIONS_DIR
from backoffice.shared.db import Database
from backoffice.shared.migrations import upgrade
from backoffice.testing import DatabaseFactory, NatsServer, StartedServices, connect_gateway
from report import publish, scratch_postgres
from sqlalchemy import text

EMPLOYEES = int(os.environ.get("BENCH_EMPLOYEES", "100000"))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "5"))
CATEGORIES, POSITIONS = 20, 40
GOAL_S = 2.0
YEAR = 2026
NOW = datetime(2026, 12, 1, tzinfo=UTC)


async def copy(db: Database, table: str, columns: Sequence[str], records: Iterable[tuple[Any, ...]]) -> None:
    """Rows straight into a table with PostgreSQL's COPY, 50,000 at a time."""
    batch: list[tuple[Any, ...]] = []

    async def flush() -> None:
        async with db.session() as session:
            connection = await session.connection()
            raw = await connection.get_raw_connection()
            await raw.driver_connection.copy_records_to_table(table, records=batch, columns=list(columns))  # type: ignore[union-attr]

    for record in records:
        batch.append(record)
        if len(batch) >= 50_000:
            await flush()
            batch = []
    if batch:
        await flush()


def month_end(month: int) -> date:
    return (date(YEAR, month, 1) + timedelta(days=32)).replace(day=1) - timedelta(days=1)


def lines(salary: Decimal, bonus: Decimal) -> str:
    """A payslip's lines as the calculation stores them: salary, maybe a bonus, pension, tax, social security."""
    gross = salary + bonus
    out = [
        {
            "category": "earning",
            "code": "salary",
            "description": "Salary",
            "quantity": "22",
            "rate": str(salary),
            "amount": str(salary),
            "corrects_run_id": None,
        }
    ]
    if bonus:
        out.append(
            {
                "category": "earning",
                "code": "bonus",
                "description": "Bonus",
                "quantity": None,
                "rate": None,
                "amount": str(bonus),
                "corrects_run_id": None,
            }
        )
    for code, text_, percent in (("pension", "Pension", 5), ("income_tax", "Income tax", 20), ("social", "Social", 8)):
        amount = (gross * percent / 100).quantize(Decimal("0.01"))
        out.append(
            {
                "category": "deduction",
                "code": code,
                "description": text_,
                "quantity": str(gross),
                "rate": None,
                "amount": str(amount),
                "corrects_run_id": None,
            }
        )
    return json.dumps(out, separators=(",", ":"))


async def seed(db: Database) -> None:
    rnd = random.Random(22)
    people = []
    for n in range(EMPLOYEES):
        roll = rnd.random()
        sex = "female" if roll < 0.485 else "male" if roll < 0.97 else rnd.choice(["another", "not_declared"])
        position = n % POSITIONS
        salary = Decimal(2000 + 100 * (position % CATEGORIES) + rnd.randint(0, 800) - (120 if sex == "female" else 0))
        people.append((f"e{n:06d}", sex, f"Position {position}", salary))
    start = date(2020, 1, 1)
    await copy(
        db,
        "pay_profiles",
        (
            "employee_id",
            "given_name",
            "family_name",
            "email",
            "department",
            "position",
            "start_date",
            "created_at",
            "updated_at",
        ),
        ((e, "Given", "Family", f"{e}@example.com", "Operations", p, start, NOW, NOW) for e, _, p, _ in people),
    )
    await copy(
        db,
        "pay_placements",
        ("employee_id", "effective_from", "department", "position", "recorded_at", "source_event_id"),
        ((e, start, "Operations", p, NOW, "bench") for e, _, p, _ in people),
    )
    await copy(
        db,
        "pay_declared_sex",
        ("employee_id", "sex", "recorded_at", "source_event_id"),
        ((e, s, NOW, "bench") for e, s, _, _ in people if s != "not_declared"),
    )
    await copy(
        db,
        "pay_job_categories",
        (
            "category_id",
            "version",
            "code",
            "name",
            "skills",
            "effort",
            "responsibility",
            "working_conditions",
            "recorded_at",
            "source_event_id",
        ),
        ((f"c{c}", 1, f"C{c}", f"Category {c}", 50, 50, 50, 50, NOW, "bench") for c in range(CATEGORIES)),
    )
    await copy(
        db,
        "pay_position_placements",
        ("placement_id", "position", "category_id", "effective_from", "effective_to", "recorded_at", "source_event_id"),
        ((f"pl{p}", f"Position {p}", f"c{p % CATEGORIES}", start, None, NOW, "bench") for p in range(POSITIONS)),
    )
    async with db.session() as session:
        await session.execute(
            text(
                "INSERT INTO pay_groups (code, name, frequency, currency, created_at) "
                "VALUES ('m', 'Monthly', 'monthly', 'EUR', :now)"
            ),
            {"now": NOW},
        )
    runs = [
        (
            f"run-{m:02d}",
            "m",
            date(YEAR, m, 1),
            month_end(m),
            month_end(m),
            "approved",
            "EUR",
            None,
            EMPLOYEES,
            Decimal(0),
            Decimal(0),
            Decimal(0),
            Decimal(0),
            "{}",
            NOW,
            "bench",
            NOW,
            "bench",
            NOW,
            NOW,
        )
        for m in range(1, 13)
    ]
    await copy(
        db,
        "pay_runs",
        (
            "id",
            "pay_group_code",
            "period_start",
            "period_end",
            "pay_date",
            "status",
            "currency",
            "rule_set_id",
            "employee_count",
            "gross",
            "deductions",
            "net",
            "employer_contributions",
            "totals_by_code",
            "calculated_at",
            "calculated_by",
            "approved_at",
            "approved_by",
            "created_at",
            "updated_at",
        ),
        runs,
    )

    def payslips() -> Iterable[tuple[Any, ...]]:
        for m in range(1, 13):
            first, last = date(YEAR, m, 1), month_end(m)
            for e, _, _, salary in people:
                bonus = Decimal(500) if m == 12 and rnd.random() < 0.3 else Decimal(0)
                gross = salary + bonus
                deductions = (gross * Decimal("0.33")).quantize(Decimal("0.01"))
                yield (
                    f"{e}-{m:02d}",
                    f"run-{m:02d}",
                    e,
                    "Given Family",
                    "Operations",
                    "salaried",
                    "EUR",
                    first,
                    last,
                    last,
                    "{}",
                    lines(salary, bonus),
                    gross,
                    deductions,
                    gross - deductions,
                    (gross / 10).quantize(Decimal("0.01")),
                    "{}",
                    False,
                    22,
                    22,
                    "[]",
                    NOW,
                    salary,
                    bonus,
                    Decimal("173.33"),
                )

    await copy(
        db,
        "payslips",
        (
            "id",
            "run_id",
            "employee_id",
            "employee_name",
            "department",
            "pay_type",
            "currency",
            "period_start",
            "period_end",
            "pay_date",
            "hours",
            "lines",
            "gross",
            "deductions",
            "net",
            "employer_contributions",
            "ytd",
            "final",
            "working_days_employed",
            "working_days_in_period",
            "item_ids",
            "created_at",
            "basic_pay",
            "complementary_pay",
            "hours_paid",
        ),
        payslips(),
    )
    # What autovacuum does after a bulk of inserts: statistics, and the visibility map that lets the report read
    # the payslips' index alone.
    async with db.engine.connect() as connection:
        await connection.execution_options(isolation_level="AUTOCOMMIT")
        await connection.execute(text("VACUUM ANALYZE"))


def timed_requests(url: str, headers: dict[str, str]) -> tuple[float, list[float], dict[str, Any]]:
    params = {"from": f"{YEAR}-01-01", "to": f"{YEAR}-12-31"}
    times, answer = [], {}
    with httpx.Client(base_url=url, headers=headers, timeout=120) as client:
        for _ in range(REQUESTS + 1):
            started = time.perf_counter()
            response = client.get("/pay-gap", params=params)
            times.append(time.perf_counter() - started)
            response.raise_for_status()
            answer = response.json()
    return times[0], times[1:], answer


async def main() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="backoffice-bench-paygap-"))
    async with scratch_postgres("bo_bench_paygap") as url:
        if url is None:
            sys.exit("bench/paygap.py needs PostgreSQL (BENCH_POSTGRES_URL)")
        db = Database(url, pool_size=2)
        try:
            await upgrade(db, MIGRATIONS_DIR)
            started = time.perf_counter()
            await seed(db)
            seeded = time.perf_counter() - started
            async with db.session(write=False) as session:
                payslips = int(await session.scalar(text("SELECT count(*) FROM payslips")) or 0)
        finally:
            await db.dispose()
        print(f"seeded {payslips:,} payslips of {EMPLOYEES:,} employees in {seeded:.0f} s", flush=True)
        nats = NatsServer(tmp / "nats")
        nats.start()
        services = StartedServices(tmp, nats.url, DatabaseFactory(tmp))
        try:
            gateway = connect_gateway(services.start("gateway"))
            payroll = services.start("payroll", database_url=url)
            headers = gateway.auth(gateway.make_user("bench-auditor", ["pay_auditor"]))
            cold, warm, answer = await asyncio.to_thread(timed_requests, payroll.url, headers)
            gateway.client.close()
        finally:
            services.stop_all()
            nats.stop()
    median = statistics.median(warm)
    result = {
        "employees": EMPLOYEES,
        "payslips": payslips,
        "seed_s": round(seeded, 1),
        "cold_s": round(cold, 2),
        "median_s": round(median, 2),
        "slowest_s": round(max(warm), 2),
        "workers": answer["workers"],
        "categories": len(answer["categories"]),
        "goal_s": GOAL_S,
    }
    table = "\n".join(
        [
            "| database | employees | payslips | first request (s) | median of next "
            f"{REQUESTS} (s) | slowest (s) | goal (s) |",
            "|---|---:|---:|---:|---:|---:|---:|",
            f"| postgres | {EMPLOYEES:,} | {payslips:,} | {cold:.2f} | {median:.2f} | {max(warm):.2f} | {GOAL_S:.0f} |",
        ]
    )
    verdict = "met" if median <= GOAL_S else "missed"
    summary = (
        f"GET /pay-gap over a year: {answer['workers']:,} workers in {len(answer['categories'])} categories, "
        f"median {median:.2f} s (goal {GOAL_S:.0f} s, {verdict})."
    )
    publish("paygap", f"Pay gap report over {payslips:,} payslips", table, {"results": [result]}, summary)


if __name__ == "__main__":
    asyncio.run(main())
