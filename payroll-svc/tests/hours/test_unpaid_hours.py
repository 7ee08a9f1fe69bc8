"""Every verified hour paid: the report of approved hours no approved run paid (by person, week and age), weeks a
clerk defers to a later run, and a run that would leave approved hours behind refused until recalculated or
deferred. Figures are computed by hand."""

from __future__ import annotations

import asyncio
import csv
import io
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import httpx
from backoffice.payroll.hours.models import SubmittedTimesheet
from backoffice.shared.db import Database
from backoffice.testing import GatewayClient, NatsServer, ServiceStarter
from payrollkit import RULES, hired, ok, problem, profile, publish, sheet, submitted
from sqlalchemy import update

D = Decimal
NOVEMBER = {
    "pay_group": "monthly-eur",
    "period_start": "2026-11-01",
    "period_end": "2026-11-30",
    "pay_date": "2026-11-27",
}
DECEMBER = {
    "pay_group": "monthly-eur",
    "period_start": "2026-12-01",
    "period_end": "2026-12-31",
    "pay_date": "2026-12-23",
}


def approved_days_ago(database_url: str, timesheet_id: str, days: int) -> None:
    """Back-date a clerk's approval to noon (UTC, the company's zone here) ``days`` days ago."""

    async def write() -> None:
        db = Database(database_url)
        try:
            async with db.session() as session:
                at = datetime.combine(datetime.now(UTC).date() - timedelta(days=days), time(12), tzinfo=UTC)
                await session.execute(
                    update(SubmittedTimesheet).where(SubmittedTimesheet.id == timesheet_id).values(decided_at=at)
                )
        finally:
            await db.dispose()

    asyncio.run(write())


def week(client: httpx.Client, nats_url: str, employee_id: str, monday: date, entries: list[tuple[int, str]]) -> str:
    """A week submitted by HR and received by payroll (pending); its timesheet id."""
    envelope = submitted(employee_id, monday, [(d, h, "regular") for d, h in entries])
    publish(nats_url, envelope)
    timesheet_id = str(envelope.data["timesheet_id"])
    assert sheet(client, timesheet_id)["status"] == "pending"
    return timesheet_id


def rows(page: dict[str, Any]) -> list[tuple[str, str, str, int]]:
    return [(r["employee_name"], r["week_start"], r["hours"], r["age_days"]) for r in page["items"]]


def test_unpaid_hours_are_reported_deferred_and_stop_a_run_that_leaves_them_behind(
    gateway_client: GatewayClient, start_service: ServiceStarter, nats_server: NatsServer, database_url: str
) -> None:
    g = gateway_client
    publish(
        nats_server.url,
        hired("una", date(2020, 1, 1), rate="20.00", given_name="Una"),
        hired("ben", date(2020, 1, 1), rate="30.00", given_name="Ben"),
    )
    payroll = start_service("payroll", database_url=database_url)
    clerk = httpx.Client(base_url=payroll.url, headers=g.auth(g.make_user("clerk-unpaid", ["payroll"])))
    hr_user = httpx.Client(base_url=payroll.url, headers=g.auth(g.make_user("hr-unpaid", ["hr"])))
    auditor = httpx.Client(base_url=payroll.url, headers=g.auth(g.make_user("auditor-unpaid", ["pay_auditor"])))
    profile(clerk, "una")
    profile(clerk, "ben")
    ok(
        clerk.post("/pay-groups", json={"code": "monthly-eur", "name": "M", "frequency": "monthly", "currency": "EUR"}),
        201,
    )
    ok(clerk.post("/rule-sets", json={"pay_group": "monthly-eur", "effective_from": "2026-01-01", "rules": RULES}), 201)

    # Una: 5 x 8 h in the week of 2 November and 4 x 6 h in the week of 9 November; Ben: 3 x 7.5 h on the 16th.
    una_1 = week(clerk, nats_server.url, "una", date(2026, 11, 2), [(d, "8") for d in range(5)])
    una_2 = week(clerk, nats_server.url, "una", date(2026, 11, 9), [(d, "6") for d in range(4)])
    ben_1 = week(clerk, nats_server.url, "ben", date(2026, 11, 16), [(d, "7.5") for d in range(3)])
    pending = ok(clerk.get("/reports/unpaid-hours"))
    assert (pending["total"], pending["hours"]) == (0, "0")  # waiting for a clerk is not verified yet
    ok(clerk.post("/timesheets/decisions", json={"decision": "approve", "timesheet_ids": [una_1, una_2, ben_1]}))
    approved_days_ago(database_url, una_1, 10)

    # The clerk reads names, not only ids, and finds a person's weeks by name.
    named = ok(clerk.get("/timesheets", params={"name": "una TESTER"}))
    assert sorted((t["employee_name"], t["week_start"]) for t in named["items"]) == [
        ("Una Tester", "2026-11-02"),
        ("Una Tester", "2026-11-09"),
    ]
    assert ok(clerk.get("/timesheets", params={"name": "50%"}))["total"] == 0

    # The report: oldest approval first, then by name; 40 + 24 + 22.5 = 86.5 h of 2 people.
    report = ok(clerk.get("/reports/unpaid-hours"))
    assert rows(report) == [
        ("Una Tester", "2026-11-02", "40.00", 10),
        ("Ben Tester", "2026-11-16", "22.50", 0),
        ("Una Tester", "2026-11-09", "24.00", 0),
    ]
    assert (report["total"], report["people"], D(report["hours"]), D(report["deferred_hours"])) == (
        3,
        2,
        D("86.5"),
        D(0),
    )
    assert report["items"][0]["week_end"] == "2026-11-08"
    assert report["items"][0]["department"] == "Operations"
    assert ok(hr_user.get("/reports/unpaid-hours"))["total"] == 3
    assert ok(auditor.get("/reports/unpaid-hours"))["total"] == 3
    older = ok(clerk.get("/reports/unpaid-hours", params={"older_than": 9}))
    assert (rows(older), older["hours"]) == ([("Una Tester", "2026-11-02", "40.00", 10)], "40.00")
    assert ok(clerk.get("/reports/unpaid-hours", params={"older_than": 10}))["total"] == 0
    assert [r["week_start"] for r in ok(clerk.get("/reports/unpaid-hours", params={"q": "BEN"}))["items"]] == [
        "2026-11-16"
    ]
    una = ok(clerk.get("/reports/unpaid-hours", params={"employee_id": "una"}))
    assert (una["total"], una["people"], una["hours"]) == (2, 1, "64.00")
    assert ok(clerk.get("/reports/unpaid-hours", params={"pay_group": "monthly-eur"}))["total"] == 3
    paged = ok(clerk.get("/reports/unpaid-hours", params={"limit": 1, "offset": 1}))
    assert (rows(paged), paged["total"], paged["hours"]) == ([("Ben Tester", "2026-11-16", "22.50", 0)], 3, "86.50")
    assert "pay group" in problem(clerk.get("/reports/unpaid-hours", params={"pay_group": "nope"}), 404)
    problem(clerk.get("/reports/unpaid-hours", params={"older_than": -1}), 422)
    exported = clerk.get("/reports/unpaid-hours.csv")
    assert exported.headers["content-type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(exported.text)))
    assert lines[1][:6] == ["una", "Una Tester", "Operations", "2026-11-02", "2026-11-08", "40.00"]
    assert (lines[-1][0], lines[-1][5]) == ("total", "86.50")

    # November is calculated with all three weeks: nothing is left behind.
    november = ok(clerk.post("/payruns", json=NOVEMBER), 201)
    ok(clerk.post(f"/payruns/{november['id']}/calculate"))
    assert ok(clerk.get(f"/payruns/{november['id']}/checks"))["can_approve"] is True

    # Ben's week of 23 November (8 h) is approved after the calculation: the run would leave it behind.
    ben_2 = week(clerk, nats_server.url, "ben", date(2026, 11, 23), [(0, "8")])
    ok(clerk.post(f"/timesheets/{ben_2}/approve"))
    checks = ok(clerk.get(f"/payruns/{november['id']}/checks"))
    assert checks["can_approve"] is False
    assert [(f["slug"], f["ids"]) for f in checks["findings"]] == [("unpaid-verified-hours", [ben_2])]
    assert "8.00 approved hours in 1 weeks" in checks["findings"][0]["message"]
    assert "Ben Tester, week of 2026-11-23: 8.00 h" in checks["findings"][0]["message"]
    linked = ok(clerk.get("/reports/unpaid-hours", params={"timesheet_id": checks["findings"][0]["ids"]}))
    assert rows(linked) == [("Ben Tester", "2026-11-23", "8.00", 0)]
    refused = clerk.post(f"/payruns/{november['id']}/approve")
    assert "Ben Tester, week of 2026-11-23" in problem(refused, 409)
    assert (refused.json()["type"].rsplit(":", 1)[1], refused.json()["timesheet_ids"]) == (
        "unpaid-verified-hours",
        [ben_2],
    )

    # Deferring needs a reason, a week that exists, is approved and unpaid, and an 'until' after it; nothing is
    # written when refused.
    problem(clerk.post("/hours/deferrals", json={"timesheet_id": ben_2, "until": "next-run"}), 422)
    problem(clerk.post("/hours/deferrals", json={"timesheet_id": ben_2, "reason": "  ", "until": "next-run"}), 422)
    problem(clerk.post("/hours/deferrals", json={"reason": "r", "until": "next-run"}), 422)
    problem(clerk.post("/hours/deferrals", json={"timesheet_id": ben_2, "reason": "r", "until": "someday"}), 422)
    assert "timesheet" in problem(
        clerk.post("/hours/deferrals", json={"timesheet_id": "nope", "reason": "r", "until": "next-run"}), 404
    )
    problem(
        clerk.post(
            "/hours/deferrals",
            json={"employee_id": "ben", "week_start": "2026-11-30", "reason": "r", "until": "next-run"},
        ),
        404,
    )
    too_early = clerk.post("/hours/deferrals", json={"timesheet_id": ben_2, "reason": "r", "until": "2026-11-29"})
    assert "2026-11-29" in problem(too_early, 422)
    assert ok(clerk.get("/hours/deferrals"))["total"] == 0
    problem(hr_user.post("/hours/deferrals", json={"timesheet_id": ben_2, "reason": "r", "until": "next-run"}), 403)

    # A deferral until 1 December, then cancelled (a new record); then one to the next run, by person and week.
    first = ok(
        clerk.post("/hours/deferrals", json={"timesheet_id": ben_2, "reason": "site check", "until": "2026-12-01"}),
        201,
    )
    assert (first["kind"], first["next_run"], first["until"], first["employee_name"]) == (
        "deferral",
        False,
        "2026-12-01",
        "Ben Tester",
    )
    again = clerk.post("/hours/deferrals", json={"timesheet_id": ben_2, "reason": "twice", "until": "next-run"})
    problem(again, 409)
    assert again.json()["type"].endswith(":already-deferred")
    cancelled = ok(clerk.post(f"/hours/deferrals/{first['id']}/cancel", json={"reason": "checked"}), 201)
    assert (cancelled["kind"], cancelled["cancels_id"], cancelled["reason"]) == ("cancellation", first["id"], "checked")
    twice = clerk.post(f"/hours/deferrals/{first['id']}/cancel", json={"reason": "again"})
    problem(twice, 409)
    assert twice.json()["type"].endswith(":already-cancelled")
    assert ok(clerk.get(f"/payruns/{november['id']}/checks"))["can_approve"] is False
    deferral = ok(
        clerk.post(
            "/hours/deferrals",
            json={"employee_id": "ben", "week_start": "2026-11-23", "reason": "Ben asked", "until": "next-run"},
        ),
        201,
    )
    assert (deferral["timesheet_id"], deferral["next_run"], deferral["created_by_actor"]["user_id"]) == (
        ben_2,
        True,
        deferral["created_by"],
    )
    listed = ok(clerk.get("/hours/deferrals"))
    assert [(d["kind"], d["id"]) for d in listed["items"]] == [
        ("deferral", deferral["id"]),
        ("cancellation", cancelled["id"]),
        ("deferral", first["id"]),
    ]
    by_id = {d["id"]: d for d in listed["items"]}
    assert by_id[first["id"]]["cancelled_by_id"] == cancelled["id"]
    assert [d["id"] for d in ok(clerk.get("/hours/deferrals", params={"standing": True}))["items"]] == [deferral["id"]]

    # Deferred: the run may be approved; it paid Una's 64 h and Ben's 22.5 h, not the deferred 8 h.
    assert ok(clerk.get(f"/payruns/{november['id']}/checks")) == {
        "run_id": november["id"],
        "can_approve": True,
        "findings": [],
        "overrides": [],
    }
    ok(clerk.post(f"/payruns/{november['id']}/approve"))
    slips = {s["employee_id"]: s for s in ok(clerk.get("/payslips", params={"run_id": november["id"]}))["items"]}
    assert (slips["una"]["gross"], slips["ben"]["gross"]) == ("1280.00", "675.00")  # 64 x 20, 22.5 x 30
    left = ok(clerk.get("/reports/unpaid-hours"))
    assert rows(left) == [("Ben Tester", "2026-11-23", "8.00", 0)]
    assert (left["hours"], left["deferred_hours"], left["items"][0]["deferral"]["id"]) == (
        "8.00",
        "8.00",
        deferral["id"],
    )
    assert ok(clerk.get("/reports/unpaid-hours", params={"deferred": False}))["total"] == 0

    # November was the run the deferral held the week back from: December pays Ben's 8 h; nothing is unpaid now.
    december = ok(clerk.post("/payruns", json=DECEMBER), 201)
    ok(clerk.post(f"/payruns/{december['id']}/calculate"))
    assert ok(clerk.get(f"/payruns/{december['id']}/checks"))["can_approve"] is True
    ok(clerk.post(f"/payruns/{december['id']}/approve"))
    slips = {s["employee_id"]: s for s in ok(clerk.get("/payslips", params={"run_id": december["id"]}))["items"]}
    assert slips["ben"]["gross"] == "240.00"  # 8 x 30
    assert "una" not in slips
    done = ok(clerk.get("/reports/unpaid-hours"))
    assert (done["total"], done["people"], D(done["hours"])) == (0, 0, D(0))
    paid = clerk.post("/hours/deferrals", json={"timesheet_id": ben_2, "reason": "late", "until": "next-run"})
    problem(paid, 409)
    assert paid.json()["type"].endswith(":already-paid")
