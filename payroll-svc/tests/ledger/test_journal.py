"""The journal: a refused CSV import names each faulty cell; closing a month and posting into it at once."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from backoffice.shared.db import Database
from backoffice.testing import GatewayClient, ServiceStarter
from payrollkit import (
    clerks,
    ok,
)
from sqlalchemy import select

D = Decimal
TODAY = date.today()


def test_a_refused_journal_import_names_the_line_and_column_of_every_fault(
    gateway_client: GatewayClient, start_service: ServiceStarter
) -> None:
    payroll = start_service("payroll")
    ann, bob = clerks(gateway_client, payroll.url, "imp")
    day = TODAY.replace(day=1).isoformat()

    def refused(text: str, status: int = 422) -> dict[str, Any]:
        response = ann.post("/journal-entries/import", content=text, headers={"Content-Type": "text/csv"})
        assert response.status_code == status, response.text
        body: dict[str, Any] = response.json()
        return body

    # Lines as a spreadsheet numbers its rows: the header is line 1, a quoted description over two lines is one
    # line, a blank line counts. Every fault is listed with its line and column, not only the first.
    body = refused(
        "entry,date,account,debit,credit,description\r\n"
        f'a,{day},1000,10.00,,"sale,\r\nsecond part"\r\n'  # line 2
        f"a,{day[:8]}32,4000,,10.00,sale\r\n"  # line 3: no such day
        "\r\n"  # line 4: blank
        f"b,{day},9999,5.00,,rent\r\n"  # line 5: no such account
        f"b,{day},1000,,5.001,rent\r\n"  # line 6: finer than a cent
        f",{day},1000,1.00,,x\r\n"  # line 7: no entry
        f"c,{day},6100,3.00,3.00,x\r\n"  # line 8: a debit and a credit
        f"c,{day},1000,,x,x\r\n"  # line 9: not a number
    )
    assert body["type"].endswith(":csv")
    assert [(e["line"], e["column"], e["cell"]) for e in body["errors"]] == [
        (3, "date", "B3"),
        (5, "account", "C5"),
        (6, "credit", "E6"),
        (7, "entry", "A7"),
        (8, "debit", "D8"),
        (9, "credit", "E9"),
    ]
    assert body["detail"].startswith("line 3, column date (cell B3): a date as YYYY-MM-DD")
    assert "line 5, column account (cell C5): account '9999' does not exist" in body["detail"]

    # An entry that does not balance is named at its last line, in the column short of money.
    body = refused(
        "entry,date,account,debit,credit,description\n"
        f"a,{day},1000,10.00,,sale\n"
        f"a,{day},4000,,10.00,sale\n"
        f"b,{day},1000,3.00,,sale\n"
        f"a,{day},4000,,0.00,nothing\n"  # line 5: a line of neither
        f"b,{day},4000,,2.99,sale\n"
    )
    assert [(e["line"], e["column"]) for e in body["errors"]] == [(5, "debit"), (6, "credit")]
    body = refused(
        "entry,date,account,debit,credit\n"
        f"a,{day},1000,10.00,\n"
        f"b,{day},1000,3.00,\n"
        f"a,{day},4000,,10.00\n"
        f"b,{day},4000,,2.99\n"
    )
    assert [(e["line"], e["column"]) for e in body["errors"]] == [(5, "credit")]
    assert "line 5, column credit (cell E5): entry b (lines 3, 5) does not balance" in body["detail"]
    assert "debits 3.00 and credits 2.99" in body["detail"]
    # Two dates in one entry: the line that differs.
    body = refused(f"entry,date,account,debit,credit\na,{day},1000,1.00,\na,2020-01-02,4000,,1.00\n")
    assert [(e["line"], e["column"]) for e in body["errors"]] == [(3, "date")]
    assert f"has one date: {day} (line 2)" in body["detail"]
    # Columns in another order are named by their own letters.
    body = refused(f"date,entry,debit,credit,account\n{day},a,1.00,,1000\n{day},a,,1.00,nope\n")
    assert [(e["line"], e["column"], e["cell"]) for e in body["errors"]] == [(3, "account", "E3")]
    # A closed month: the line whose date falls in it (409, as for an entry posted by hand).
    ok(bob.post("/periods/2020-01/close"), 201)
    body = refused(
        f"entry,date,account,debit,credit\nz,{day},1000,1.00,\nz,{day},4000,,1.00\n"
        "y,2020-01-15,1000,1.00,\ny,2020-01-15,4000,,1.00\n",
        409,
    )
    assert body["detail"].startswith("line 4, column date (cell B4): entry y: the period 2020-01 is closed")
    assert [(e["line"], e["column"]) for e in body["errors"]] == [(4, "date")]
    assert ok(ann.get("/journal-entries"))["total"] == 0  # nothing of a refused file was posted


async def test_closing_a_month_and_posting_into_it_at_once_never_leave_an_entry_in_it_after_the_close(
    database_url: str,
) -> None:
    """Two replicas (two Database objects): a close waits for the postings into its month in flight, and postings
    that come while a close is in flight wait for it, then are refused (by hand) or moved to the next month."""
    from backoffice.payroll.app import MIGRATIONS_DIR
    from backoffice.payroll.ledger import periods, posting
    from backoffice.payroll.ledger.models import ClosedPeriod, JournalEntry
    from backoffice.shared.auth import Principal
    from backoffice.shared.errors import Problem
    from backoffice.shared.migrations import upgrade

    clerk = Principal("closer", frozenset({"payroll"}), None, "t", datetime(2100, 1, 1, tzinfo=UTC))

    def sale(day: date) -> posting.EntryDraft:
        return posting.EntryDraft(
            day, "sale", "EUR", [("1000", D("5.00"), D(0), None), ("4000", D(0), D("5.00"), None)]
        )

    async def close(db: Database, period: str) -> None:
        async with db.session() as session:
            await periods.close_period(session, clerk, period)

    async def post(db: Database, day: date, *, automatic: bool) -> date | int:
        try:
            async with db.session() as session:
                draft = sale(day)
                await posting.post_entries(session, clerk.user_id, [draft], roll_forward=automatic)
                return draft.entry_date
        except Problem as refused:
            return refused.status

    db, other = Database(database_url), Database(database_url)
    await upgrade(db, MIGRATIONS_DIR)
    try:
        # A posting in flight when the close comes: the close waits until it is committed.
        async with db.session() as session:
            await posting.post_entries(session, clerk.user_id, [sale(date(2026, 3, 10))])
            closing = asyncio.create_task(close(other, "2026-03"))
            await asyncio.sleep(1.0)
            assert not closing.done(), "March was closed while an entry into it was being posted"
        await asyncio.wait_for(closing, timeout=30)

        # A close in flight when postings come: they wait for it, then see May closed.
        async with other.session() as session:
            await periods.close_period(session, clerk, "2026-05")
            by_hand = asyncio.create_task(post(db, date(2026, 5, 20), automatic=False))
            automatic = asyncio.create_task(post(db, date(2026, 5, 21), automatic=True))
            await asyncio.sleep(1.0)
            assert not by_hand.done(), "an entry went into May while it was being closed"
            assert not automatic.done(), "an automatic entry went into May while it was being closed"
        assert await asyncio.wait_for(by_hand, timeout=30) == 409
        assert await asyncio.wait_for(automatic, timeout=30) == date(2026, 6, 1)

        async with db.session(write=False) as session:
            closed = {p.period: p.closed_at for p in await session.scalars(select(ClosedPeriod))}
            entries = [(e.entry_date, e.created_at) for e in await session.scalars(select(JournalEntry))]
        assert sorted(d for d, _ in entries) == [date(2026, 3, 10), date(2026, 6, 1)]
        for day, created in entries:
            period = day.strftime("%Y-%m")
            assert period not in closed or created < closed[period], (
                f"an entry was posted into {period} after it closed"
            )
    finally:
        await other.dispose()
        await db.dispose()


def test_the_journal_is_filtered_by_an_account_on_a_line_and_by_part_of_the_description(
    gateway_client: GatewayClient, start_service: ServiceStarter
) -> None:
    payroll = start_service("payroll")
    ann, _ = clerks(gateway_client, payroll.url, "filt")
    day = TODAY.replace(day=1).isoformat()

    def post(description: str, debit_account: str) -> str:
        lines = [
            {"account": debit_account, "debit": "12.50", "credit": "0"},
            {"account": "4000", "debit": "0", "credit": "12.50"},
        ]
        body = ok(
            ann.post("/journal-entries", json={"entry_date": day, "description": description, "lines": lines}), 201
        )
        return str(body["id"])

    cash = post("Cash sale to Acme_%", "1000")
    other = post("Sale on account", "6100")

    def found(**params: str) -> list[str]:
        return [e["id"] for e in ok(ann.get("/journal-entries", params=params))["items"]]

    assert found(account="1000") == [cash]
    assert set(found(account="4000")) == {cash, other}
    assert found(account="9999") == []
    assert found(q="acme") == [cash]  # any case
    assert found(q="_%") == [cash]  # the wildcards of LIKE are plain text
    assert found(q="on acc", account="6100") == [other]
    assert found(q="on acc", account="1000") == []
    assert ann.get("/journal-entries", params={"q": "x" * 201}).status_code == 422
