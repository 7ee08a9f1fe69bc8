"""Benchmarks of accounting: a payment run over many suppliers, and a P&L over a million ledger lines.

For each database (SQLite and PostgreSQL, side by side):
  * payment run: 10,000 approved, due invoices from 2,000 suppliers; timed separately, each in its own
    transaction through the service's functions: propose (select and schedule), approve, execute (a
    transfer per supplier, the pain.001 file validated against its schema, CSV, a ledger entry per
    transfer, a payroll.supplier_payment_made event per supplier);
  * P&L: 1,000,000 journal lines over two years (income and expense entries against the bank), then
    the profit-and-loss report by month for the last twelve months (with its comparisons), and by quarter.

Prints a table, writes bench/results/accounting.json and the table into docs/PERFORMANCE.md.
Settings: BENCH_POSTGRES_URL, BENCH_LEDGER_LINES (default 1,000,000), BENCH_INVOICES (10,000),
BENCH_SUPPLIERS (2,000).
"""

from __future__ import annotations

import asyncio
import os
import random
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from backoffice.payroll.app import MIGRATIONS_DIR
from backoffice.payroll.ledger.models import JournalEntry, JournalLine
from backoffice.payroll.payments import service as payments
from backoffice.payroll.payments.schemas import PaymentRunCreate
from backoffice.payroll.reports import service as reports
from backoffice.payroll.settings import PayrollSettings
from backoffice.payroll.suppliers.models import Supplier, SupplierInvoice
from backoffice.shared.auth import Principal
from backoffice.shared.db import Database, utcnow
from backoffice.shared.migrations import upgrade
from report import publish, scratch_postgres
from sqlalchemy import insert, text

LINES = int(os.environ.get("BENCH_LEDGER_LINES", "1000000"))
INVOICES = int(os.environ.get("BENCH_INVOICES", "10000"))
SUPPLIERS = int(os.environ.get("BENCH_SUPPLIERS", "2000"))
CLERK = Principal("bench", frozenset({"payroll"}), None, "bench", datetime(2100, 1, 1, tzinfo=UTC))
APPROVER = Principal("bench-2", frozenset({"payroll"}), None, "bench-2", datetime(2100, 1, 1, tzinfo=UTC))  # four eyes
TODAY = date(2026, 11, 27)
IBANS = ["DE89370400440532013000", "FR1420041010050500013M02606", "NL91ABNA0417164300", "BE68539007547034"]


async def bulk(db: Database, table: Any, rows: list[dict[str, Any]], size: int = 5000) -> None:
    async with db.session() as session:
        for start in range(0, len(rows), size):
            await session.execute(insert(table), rows[start : start + size])


async def seed_invoices(db: Database) -> None:
    rnd = random.Random(7)
    now = utcnow()
    suppliers = [
        {
            "id": f"s{n:05d}",
            "name": f"Supplier {n}",
            "tax_id": None,
            "payment_terms_days": 30,
            "iban": IBANS[n % len(IBANS)],
            "bic": None,
            "contact_name": None,
            "email": f"s{n}@example.com",
            "fax": None,
            "created_at": now,
            "created_by": "bench",
            "updated_at": now,
        }
        for n in range(SUPPLIERS)
    ]
    invoices = [
        {
            "id": f"i{n:06d}",
            "supplier_id": f"s{n % SUPPLIERS:05d}",
            "number": f"INV-{n}",
            "invoice_date": TODAY - timedelta(days=40),
            "due_date": TODAY - timedelta(days=rnd.randint(0, 9)),
            "currency": "EUR",
            "total": Decimal(rnd.randint(1000, 500000)) / 100,
            "status": "approved",
            "document_ids": "[]",
            "entered_by": "a",
            "approved_by": "b",
            "approved_at": now,
            "hold_reason": None,
            "hold_until": None,
            "payment_run_id": None,
            "payment_id": None,
            "paid_on": None,
            "created_at": now,
            "updated_at": now,
        }
        for n in range(INVOICES)
    ]
    await bulk(db, Supplier.__table__, suppliers)
    await bulk(db, SupplierInvoice.__table__, invoices)


async def seed_ledger(db: Database) -> None:
    rnd = random.Random(11)
    now = utcnow()
    first = TODAY - timedelta(days=730)
    entries, lines = [], []
    for n in range(LINES // 2):
        day = first + timedelta(days=rnd.randint(0, 730))
        amount = Decimal(rnd.randint(100, 1000000)) / 100
        income = rnd.random() < 0.45
        entry_id = f"e{n:07d}"
        entries.append(
            {
                "id": entry_id,
                "entry_date": day,
                "description": "bench",
                "source": "import",
                "source_id": None,
                "reverses_entry_id": None,
                "currency": "EUR",
                "total": amount,
                "created_at": now,
                "created_by": "bench",
            }
        )
        other = "4000" if income else rnd.choice(["5000", "6000", "6100", "6200"])
        lines.append(
            {
                "entry_id": entry_id,
                "entry_date": day,
                "account_code": "1000",
                "currency": "EUR",
                "debit": amount if income else Decimal(0),
                "credit": Decimal(0) if income else amount,
                "description": None,
            }
        )
        lines.append(
            {
                "entry_id": entry_id,
                "entry_date": day,
                "account_code": other,
                "currency": "EUR",
                "debit": Decimal(0) if income else amount,
                "credit": amount if income else Decimal(0),
                "description": None,
            }
        )
        if len(lines) >= 100_000:
            await bulk(db, JournalEntry.__table__, entries, 10_000)
            await bulk(db, JournalLine.__table__, lines, 10_000)
            entries, lines = [], []
    await bulk(db, JournalEntry.__table__, entries, 10_000)
    await bulk(db, JournalLine.__table__, lines, 10_000)


async def timed(db: Database, fn: Any, *args: Any) -> tuple[float, Any]:
    started = time.perf_counter()
    async with db.session() as session:
        result = await fn(session, *args)
    return time.perf_counter() - started, result


async def bench_one(backend: str, url: str) -> dict[str, Any]:
    db = Database(url, pool_size=4)
    settings = PayrollSettings(env="test")
    try:
        await upgrade(db, MIGRATIONS_DIR)
        await seed_invoices(db)
        async with db.session() as session:
            await session.execute(text("ANALYZE"))
        body = PaymentRunCreate(execution_date=TODAY + timedelta(days=1))
        propose_s, run = await timed(db, payments.create_run, CLERK, body, TODAY)
        approve_s, _ = await timed(db, payments.approve, APPROVER, run.id)
        execute_s, run = await timed(db, payments.execute, CLERK, run.id, settings)
        started = time.perf_counter()
        await seed_ledger(db)
        seeded = time.perf_counter() - started
        async with db.session() as session:
            await session.execute(text("ANALYZE"))
        year_ago = TODAY.replace(day=1) - timedelta(days=335)
        month_s, pnl = await timed(db, reports.profit_and_loss, "month", year_ago, TODAY)
        quarter_s, _ = await timed(db, reports.profit_and_loss, "quarter", year_ago, TODAY)
    finally:
        await db.dispose()
    row = {
        "backend": backend,
        "invoices": INVOICES,
        "suppliers": SUPPLIERS,
        "propose_s": round(propose_s, 2),
        "approve_s": round(approve_s, 3),
        "execute_s": round(execute_s, 2),
        "payment_run_s": round(propose_s + approve_s + execute_s, 2),
        "ledger_lines": LINES,
        "ledger_seed_s": round(seeded, 1),
        "pnl_month_s": round(month_s, 2),
        "pnl_quarter_s": round(quarter_s, 2),
        "pnl_periods": len(pnl.periods),
    }
    print(
        f"  {backend:8}: payment run {row['payment_run_s']:.2f} s (propose {propose_s:.2f}, execute "
        f"{execute_s:.2f}); P&L over {LINES:,} lines: {month_s:.2f} s by month, {quarter_s:.2f} s by quarter",
        flush=True,
    )
    return row


async def main() -> None:
    postgres_only = "--postgres-only" in sys.argv
    tmp = Path(tempfile.mkdtemp(prefix="backoffice-bench-accounting-"))
    results = []
    if not postgres_only:
        results.append(await bench_one("sqlite", f"sqlite+aiosqlite:///{tmp}/accounting.db"))
    async with scratch_postgres("bo_bench_accounting") as url:
        if url is not None:
            results.append(await bench_one("postgres", url))
    lines = [
        "| database | payment run: invoices / suppliers | propose (s) | approve (s) | execute (s) | total (s) "
        "| P&L by month (s) | P&L by quarter (s) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r['backend']} | {r['invoices']:,} / {r['suppliers']:,} | {r['propose_s']:.2f} | {r['approve_s']:.2f} "
            f"| {r['execute_s']:.2f} | {r['payment_run_s']:.2f} | {r['pnl_month_s']:.2f} | {r['pnl_quarter_s']:.2f} |"
        )
    publish("accounting", f"Accounting, P&L over {LINES:,} ledger lines", "\n".join(lines), {"results": results})


if __name__ == "__main__":
    asyncio.run(main())
