"""Accounts payable end to end: suppliers and invoices, a payment run with a schema-valid pain.001, the ledger,
and the reports checked by hand."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import httpx
from backoffice.testing import GatewayClient, NatsServer, ServiceStarter
from dateutil.relativedelta import relativedelta
from payrollkit import (
    IBANS,
    RULES,
    hired,
    ok,
    pain001,
    pain001_dict,
    payroll_events,
    problem,
    profile,
    publish,
    wait_for,
)

D = Decimal
TODAY = date.today()


def test_invoices_to_payment_run_to_ledger_and_reports(
    gateway_client: GatewayClient, start_service: ServiceStarter, nats_server: NatsServer
) -> None:
    g = gateway_client
    publish(nats_server.url, hired("acc-sal", date(2020, 1, 1), pay_type="salaried", rate="3000", department="Finance"))
    payroll = start_service("payroll")
    # They wait 30 s, as the suite's own clients: the first bank file a service writes loads the ISO schema.
    ann = httpx.Client(base_url=payroll.url, headers=g.auth(g.make_user("ap-ann", ["payroll"])), timeout=30)
    bob = httpx.Client(base_url=payroll.url, headers=g.auth(g.make_user("ap-bob", ["payroll"])), timeout=30)

    # Suppliers: the IBAN is checked and never shown whole.
    assert "iban" in problem(ann.post("/suppliers", json={"name": "Bad", "iban": "DE00123456789012345678"}), 422)
    suppliers = [
        ok(
            ann.post(
                "/suppliers",
                json={
                    "name": f"Supplier {n}",
                    "iban": iban,
                    "payment_terms_days": 30,
                    "email": f"s{n}@example.com",
                    "fax": "+49 30 1234567",
                },
            ),
            201,
        )
        for n, iban in enumerate(IBANS)
    ]
    assert suppliers[0]["iban_masked"].startswith("DE89")
    assert "0532013000" not in str(suppliers[0])

    def invoice(supplier: dict[str, Any], number: str, amount: str, due: date, **extra: Any) -> dict[str, Any]:
        body = {
            "supplier_id": supplier["id"],
            "number": number,
            "invoice_date": (due - timedelta(days=30)).isoformat(),
            "due_date": due.isoformat(),
            "lines": [{"description": "services", "unit_price": amount}],
            **extra,
        }
        created: dict[str, Any] = ok(ann.post("/invoices", json=body), 201)
        return created

    # Twelve invoices over six suppliers, all due; plus one entered twice, one in an unknown currency.
    invoices = [
        invoice(suppliers[n % 6], f"INV-{n}", f"{100 + n}.{n:02d}", TODAY - timedelta(days=n)) for n in range(12)
    ]
    assert "entered already" in problem(
        ann.post(
            "/invoices",
            json={
                "supplier_id": suppliers[0]["id"],
                "number": "INV-0",
                "invoice_date": "2026-01-01",
                "lines": [{"description": "again", "unit_price": "1"}],
            },
        ),
        409,
    )
    assert "currency" in problem(
        ann.post(
            "/invoices",
            json={
                "supplier_id": suppliers[0]["id"],
                "number": "X-1",
                "invoice_date": "2026-01-01",
                "currency": "XYZ",
                "lines": [{"description": "x", "unit_price": "1"}],
            },
        ),
        422,
    )

    # Four eyes: Ann entered them, so Bob approves.
    assert "four eyes" in problem(ann.post(f"/invoices/{invoices[0]['id']}/approve"), 403)
    for inv in invoices[:11]:
        assert ok(bob.post(f"/invoices/{inv['id']}/approve"))["status"] == "approved"
    unapproved = invoices[11]
    held = invoices[10]
    assert "future" in problem(
        bob.post(f"/invoices/{held['id']}/hold", json={"reason": "x", "until": TODAY.isoformat()}), 422
    )
    release_on = TODAY + timedelta(days=3)
    ok(bob.post(f"/invoices/{held['id']}/hold", json={"reason": "goods damaged", "until": release_on.isoformat()}))

    # Neither the unapproved nor the held invoice can be paid: no run has anything to pay for their suppliers.
    for invoice_id, supplier_id in ((unapproved["id"], unapproved["supplier_id"]), (held["id"], held["supplier_id"])):
        only = [x["id"] for x in invoices[:11] if x["supplier_id"] == supplier_id and x["id"] != invoice_id]
        for other in only:
            ok(bob.post(f"/invoices/{other}/hold", json={"reason": "isolate the test"}))
        assert "no approved" in problem(
            ann.post(
                "/payment-runs",
                json={"execution_date": (TODAY + timedelta(days=1)).isoformat(), "supplier_ids": [supplier_id]},
            ),
            422,
        )
        for other in only:
            ok(bob.post(f"/invoices/{other}/release"))

    run = ok(ann.post("/payment-runs", json={"execution_date": (TODAY + timedelta(days=1)).isoformat()}), 201)
    proposed = {line["invoice_id"] for line in run["lines"]}
    assert proposed == {i["id"] for i in invoices[:10]}  # the held one waits for its release, the unapproved is out
    dropped = invoices[3]
    run = ok(ann.post(f"/payment-runs/{run['id']}/lines/{dropped['id']}/drop"))
    assert run["invoices"] == 9
    problem(ann.post(f"/payment-runs/{run['id']}/execute"), 409)  # not approved yet
    # Four eyes: Ann proposed the run, so she cannot approve it; it stays a proposal until Bob does.
    assert "four eyes" in problem(ann.post(f"/payment-runs/{run['id']}/approve"), 403)
    assert ok(ann.get(f"/payment-runs/{run['id']}"))["status"] == "proposed"
    ok(bob.post(f"/payment-runs/{run['id']}/approve"))
    run = ok(ann.post(f"/payment-runs/{run['id']}/execute"))
    assert run["status"] == "executed"
    assert len(run["payments"]) == 6
    paid = [i for i in invoices[:10] if i["id"] != dropped["id"]]
    expected = sum((D(i["total"]) for i in paid), D(0))
    assert D(run["total"]) == expected == sum((D(p["amount"]) for p in run["payments"]), D(0))
    for p in run["payments"]:
        assert D(p["amount"]) == sum((D(i["total"]) for i in paid if i["id"] in p["invoice_ids"]), D(0))

    xml = ann.get(f"/payment-runs/{run['id']}/pain.001.xml")
    assert xml.headers["content-type"].startswith("application/xml")
    pain001().validate(xml.content)  # raises if the file breaks the ISO 20022 schema
    parsed = pain001_dict(xml.content)
    transfers = parsed["CstmrCdtTrfInitn"]["PmtInf"][0]["CdtTrfTxInf"]
    assert len(transfers) == 6
    assert D(str(parsed["CstmrCdtTrfInitn"]["GrpHdr"]["CtrlSum"])) == expected
    rows = list(csv.DictReader(io.StringIO(ann.get(f"/payment-runs/{run['id']}/transfers.csv").text)))
    assert sum((D(r["amount"]) for r in rows), D(0)) == expected
    assert {i["status"] for i in ok(ann.get("/invoices", params={"status": "paid"}))["items"]} == {"paid"}
    assert ok(ann.get(f"/invoices/{dropped['id']}"))["status"] == "approved"

    events = wait_for(
        lambda: (
            len(
                found := [
                    e
                    for e in payroll_events(nats_server.url, "payroll.supplier_payment_made")
                    if e.data["payment_run_id"] == run["id"]
                ]
            )
            == 6
            and found
        ),
        "remittances",
    )
    assert {e.data["email"] for e in events} == {f"s{n}@example.com" for n in range(6)}

    # The held invoice is paid by a run executed after its release date, with the dropped one.
    later = ok(ann.post("/payment-runs", json={"execution_date": (release_on + timedelta(days=1)).isoformat()}), 201)
    assert {line["invoice_id"] for line in later["lines"]} == {held["id"], dropped["id"]}
    ok(ann.post(f"/payment-runs/{later['id']}/cancel"))
    assert ok(ann.get(f"/invoices/{held['id']}"))["status"] == "on_hold"  # still held until its release date
    soon = ok(ann.post("/payment-runs", json={"execution_date": (TODAY + timedelta(days=1)).isoformat()}), 201)
    assert held["id"] not in {line["invoice_id"] for line in soon["lines"]}
    ok(ann.post(f"/payment-runs/{soon['id']}/cancel"))
    assert "no approved USD invoice" in problem(
        ann.post("/payment-runs", json={"execution_date": TODAY.isoformat(), "currency": "USD"}), 422
    )
    assert "past" in problem(ann.post("/payment-runs", json={"execution_date": "2020-01-01"}), 422)
    invoice_entry = ok(ann.get("/journal-entries", params={"source": "invoice"}))["items"][0]
    assert "cancel the invoice" in problem(
        ann.post(f"/journal-entries/{invoice_entry['id']}/reversal", json={"reason": "by hand"}), 409
    )

    # The ledger: invoices and payments posted; bad entries refused; a month closed.
    assert "does not balance" in problem(
        ann.post(
            "/journal-entries",
            json={
                "entry_date": TODAY.isoformat(),
                "description": "x",
                "lines": [{"account": "1000", "debit": "10"}, {"account": "4000", "credit": "9.99"}],
            },
        ),
        422,
    )
    assert "4999" in problem(
        ann.post(
            "/journal-entries",
            json={
                "entry_date": TODAY.isoformat(),
                "description": "x",
                "lines": [{"account": "1000", "debit": "10"}, {"account": "4999", "credit": "10"}],
            },
        ),
        422,
    )
    year_ago = TODAY.replace(day=1) - timedelta(days=365)
    income = [
        (TODAY.replace(day=1), "5000.00"),
        (year_ago, "3000.00"),
        (TODAY.replace(day=1) - timedelta(days=40), "4000.00"),
        (TODAY.replace(day=1) - relativedelta(years=2), "100.00"),
    ]
    for day, amount in income:
        ok(
            ann.post(
                "/journal-entries",
                json={
                    "entry_date": day.isoformat(),
                    "description": "sales",
                    "lines": [{"account": "1000", "debit": amount}, {"account": "4000", "credit": amount}],
                },
            ),
            201,
        )
    imported = ok(
        ann.post(
            "/journal-entries/import",
            content=(
                "entry,date,account,debit,credit,description\n"
                f"r1,{TODAY.replace(day=1).isoformat()},6100,1200.00,,rent\n"
                f"r1,{TODAY.replace(day=1).isoformat()},1000,,1200.00,rent\n"
            ),
            headers={"Content-Type": "text/csv"},
        ),
        201,
    )
    assert imported["entries"] == 1
    assert "line 3" in problem(
        ann.post(
            "/journal-entries/import",
            content=("entry,date,account,debit,credit\nr2,2026-01-05,6100,1,\nr2,not-a-date,1000,,1\n"),
            headers={"Content-Type": "text/csv"},
        ),
        422,
    )
    old_month = (year_ago - timedelta(days=31)).strftime("%Y-%m")
    ok(bob.post(f"/periods/{old_month}/close"), 201)
    assert "closed" in problem(
        ann.post(
            "/journal-entries",
            json={
                "entry_date": f"{old_month}-15",
                "description": "late",
                "lines": [{"account": "1000", "debit": "1"}, {"account": "4900", "credit": "1"}],
            },
        ),
        409,
    )
    rent = imported["ids"][0]
    reversal = ok(ann.post(f"/journal-entries/{rent}/reversal", json={"reason": "wrong month"}), 201)
    assert reversal["reverses_entry_id"] == rent
    problem(ann.post(f"/journal-entries/{rent}/reversal", json={"reason": "again"}), 409)

    # A pay run posts its cost; paying it settles the net wages.
    profile(ann, "acc-sal")
    ok(
        ann.post("/pay-groups", json={"code": "monthly", "name": "Monthly", "frequency": "monthly", "currency": "EUR"}),
        201,
    )
    ok(ann.post("/rule-sets", json={"pay_group": "monthly", "effective_from": "2020-01-01", "rules": RULES}), 201)
    month_start = TODAY.replace(day=1)
    month_end = (month_start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    pay = ok(
        ann.post(
            "/payruns",
            json={
                "pay_group": "monthly",
                "period_start": month_start.isoformat(),
                "period_end": month_end.isoformat(),
                "pay_date": month_end.isoformat(),
            },
        ),
        201,
    )
    ok(ann.post(f"/payruns/{pay['id']}/calculate"))
    pay = ok(ann.post(f"/payruns/{pay['id']}/approve"))
    ok(ann.post(f"/payruns/{pay['id']}/paid"))
    posted = ok(ann.get("/journal-entries", params={"source": "payrun", "source_id": pay["id"]}))["items"][0]
    debits = {ln["account"]: D(ln["debit"]) for ln in posted["lines"] if D(ln["debit"])}
    assert debits == {"5000": D(pay["gross"]), "5100": D(pay["employer_contributions"])}
    balance = ok(ann.get("/ledger/trial-balance", params={"as_of": (month_end + timedelta(days=400)).isoformat()}))
    assert balance["balanced"]
    assert D(balance["total_debit"]) == D(balance["total_credit"])
    accounts = {r["account"]: r for r in balance["rows"]}
    assert D(accounts["2100"]["balance"]) == 0  # net wages owed, then paid
    open_payables = sum((D(i["total"]) for i in invoices[:11] if i["id"] not in {p["id"] for p in paid}), D(0))
    assert -D(accounts["2000"]["balance"]) == open_payables

    _check_profit_and_loss(ann, income, invoices[:11], pay, year_ago, month_start)
    cost = ok(ann.get("/reports/payroll-cost", params={"from": month_start.isoformat(), "to": month_end.isoformat()}))
    assert D(cost["by_department"]["Finance"]) == D(pay["gross"]) + D(pay["employer_contributions"])
    svg = ann.get("/reports/payroll-cost.svg", params={"from": month_start.isoformat(), "to": month_end.isoformat()})
    assert svg.headers["content-type"] == "image/svg+xml"
    assert "Finance" in svg.text
    # Today nothing is paid yet (the transfers execute tomorrow); the day after, only the unpaid remain.
    ageing = ok(ann.get("/reports/payables-ageing", params={"as_of": TODAY.isoformat()}))
    assert D(ageing["totals"]["total"]) == sum((D(i["total"]) for i in invoices), D(0))
    later_ageing = ok(ann.get("/reports/payables-ageing", params={"as_of": (TODAY + timedelta(days=2)).isoformat()}))
    assert D(later_ageing["totals"]["total"]) == open_payables + D(unapproved["total"])
    forecast = ok(ann.get("/reports/cash-forecast", params={"weeks": 12}))
    assert forecast["next_pay_runs"]
    assert D(forecast["rows"][0]["supplier_payments"]) >= D(dropped["total"])

    # Only payroll and admins see any of it, except whether the company is going up or down: the whole staff may
    # read the profit and loss (the same figures payroll reads).
    employee = g.auth(g.make_user("ap-emp", ["employee", "manager", "hr", "it_agent", "office"]))
    for path in (
        "/suppliers",
        "/invoices",
        "/journal-entries",
        "/reports/payroll-cost",
        "/reports/payables-ageing",
        "/reports/cash-forecast",
        f"/payment-runs/{run['id']}",
        "/ledger/trial-balance",
    ):
        problem(httpx.get(f"{payroll.url}{path}", headers=employee), 403)
    staff_view = httpx.get(f"{payroll.url}/reports/profit-and-loss", headers=employee)
    assert staff_view.status_code == 200, staff_view.text
    assert staff_view.json() == ok(ann.get("/reports/profit-and-loss"))


def _month_label(day: date, months: int = 0) -> str:
    shifted: date = day + relativedelta(months=months)
    return shifted.strftime("%Y-%m")


def _check_change(change: dict[str, Any] | None, now: D, then: D) -> None:
    """A comparison the P&L shows: the amount, the percentage of the earlier figure, the direction."""
    assert change is not None
    amount = now - then
    assert D(change["amount"]) == amount
    percent = None if then == 0 else (amount * 100 / abs(then)).quantize(D("0.1"), ROUND_HALF_UP)
    assert (None if change["percent"] is None else D(change["percent"])) == percent
    assert change["direction"] == ("up" if amount > 0 else "down" if amount < 0 else "flat")


def _check_profit_and_loss(
    ann: httpx.Client,
    income: list[tuple[date, str]],
    invoices: list[dict[str, Any]],
    pay: dict[str, Any],
    year_ago: date,
    month_start: date,
) -> None:
    """The P&L by month and by quarter against what the flow posted: income, invoices, a pay run this month."""
    month_end = (month_start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    # P&L recomputed here from what this test posted: income, rent (reversed the same month), invoices (on their
    # invoice date), the pay run (on its pay date). Payments move payables and cash only.
    income_by: dict[str, D] = defaultdict(D)
    expenses_by: dict[str, D] = defaultdict(D)
    for day, amount in income:
        income_by[day.strftime("%Y-%m")] += D(amount)
    for inv in invoices:
        expenses_by[inv["invoice_date"][:7]] += D(inv["total"])
    expenses_by[_month_label(month_start)] += D(pay["gross"]) + D(pay["employer_contributions"])
    ledger_starts = min(day for day, _ in income)  # the oldest entry this test posted: two years ago

    def profit_of(label: str) -> D:
        return income_by[label] - expenses_by[label]

    report = ok(ann.get("/reports/profit-and-loss", params={"from": year_ago.isoformat(), "to": month_end.isoformat()}))
    assert report["ledger_starts"] == ledger_starts.isoformat()
    by_period = {p["period"]: p for p in report["periods"]}
    this, previous = _month_label(month_start), _month_label(month_start, -1)
    this_month = by_period[this]
    assert D(this_month["income"]) == D("5000.00") == income_by[this]
    assert D(this_month["expenses"]) == expenses_by[this] > D(pay["gross"])
    assert D(this_month["profit"]) == profit_of(this)
    # Against the previous month: its profit is what this test posted in it (invoices, perhaps income).
    assert D(by_period[previous]["profit"]) == profit_of(previous)
    _check_change(this_month["against_previous"], profit_of(this), profit_of(previous))
    _check_change(this_month["income_against_previous"], income_by[this], income_by[previous])
    _check_change(this_month["expenses_against_previous"], expenses_by[this], expenses_by[previous])
    # Against the same month last year (3000 of income, nothing spent).
    last_year = _month_label(month_start, -12)
    assert profit_of(last_year) == D("3000.00")
    _check_change(this_month["against_last_year"], profit_of(this), D("3000.00"))
    _check_change(this_month["income_against_last_year"], D("5000.00"), D("3000.00"))
    _check_change(this_month["expenses_against_last_year"], expenses_by[this], D(0))
    # Every month shown: its figures, and its comparisons (a month with no lines after the ledger began is 0).
    for p in report["periods"]:
        start_of = date.fromisoformat(p["start"])
        label, before, year = p["period"], _month_label(start_of, -1), _month_label(start_of, -12)
        assert (D(p["income"]), D(p["expenses"])) == (income_by[label], expenses_by[label])
        _check_change(p["against_previous"], profit_of(label), profit_of(before))
        _check_change(p["against_last_year"], profit_of(label), profit_of(year))
    first_shown = report["periods"][0]  # a year ago: the month before it and the year before it are in the ledger
    _check_change(
        first_shown["against_previous"], profit_of(first_shown["period"]), profit_of(_month_label(year_ago, -1))
    )
    assert D(first_shown["against_last_year"]["amount"]) == D("2900.00")  # 3000 now against the 100 two years ago
    # Before the ledger's first entry there is no data, so no change (not a change against 0).
    oldest = ok(
        ann.get(
            "/reports/profit-and-loss",
            params={"from": ledger_starts.isoformat(), "to": _month_label(ledger_starts, 1) + "-01"},
        )
    )["periods"]
    assert oldest[0]["against_previous"] is None
    assert oldest[0]["against_last_year"] is None
    assert oldest[0]["expenses_against_previous"] is None
    assert oldest[0]["income_against_last_year"] is None
    _check_change(oldest[1]["against_previous"], D(0), D("100.00"))  # nothing in the second month: down by all of it
    # By quarter: this quarter's expenses are its three months' (the invoices and the pay run).
    quarters = ok(
        ann.get(
            "/reports/profit-and-loss",
            params={"granularity": "quarter", "from": year_ago.isoformat(), "to": month_end.isoformat()},
        )
    )
    quarter_start = date(month_start.year, 3 * ((month_start.month - 1) // 3) + 1, 1)
    this_quarter = quarters["periods"][-1]
    assert this_quarter["start"] == quarter_start.isoformat()
    quarter_expenses = sum((expenses_by[_month_label(quarter_start, n)] for n in range(3)), D(0))
    assert D(this_quarter["expenses"]) == quarter_expenses
    _check_change(this_quarter["expenses_against_previous"], quarter_expenses, D(0))  # nothing spent the quarter before
    assert sum((D(q["income"]) for q in quarters["periods"]), D(0)) == D("12000.00")
    # Without 'from': twelve months, or four quarters, up to this one.
    assert [p["period"] for p in ok(ann.get("/reports/profit-and-loss"))["periods"]] == [
        _month_label(month_start, n) for n in range(-11, 1)
    ]
    assert len(ok(ann.get("/reports/profit-and-loss", params={"granularity": "quarter"}))["periods"]) == 4
    header = ann.get("/reports/profit-and-loss.csv").text.splitlines()[0]
    assert header.startswith("period,income")
    assert "expenses_direction_vs_last_year" in header
    assert ann.get("/reports/profit-and-loss.svg").text.startswith("<svg")
