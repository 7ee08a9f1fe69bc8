"""Open-loop load generator of timesheets through the gateway, run as its own process by bench/pipeline.py.

Usage: python bench/pipeline_load.py GATEWAY_URL TOKEN RATE SECONDS SLOTS_JSON OUT_JSON

SLOTS_JSON is a list of [employee_id, week_start]; timesheet n starts at ``start + n / RATE`` whether or
not earlier ones have finished (open loop: a slow server does not slow the arrivals down). Each one is
what a person does to send a week: open it (POST /api/hr/timesheets), fill in Monday to Friday (PUT
…/entries) and submit it (POST …/submit). OUT_JSON receives one record per timesheet: wall-clock times
(time.time()) of the scheduled start, of the submit request sent and answered, the timesheet id and the
first error, plus the step's own start and end.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import aiohttp

CONNECTIONS = 64
GRACE_S = 30.0  # how long requests still in flight at the end of the step may take before they count as failed


def entries(week_start: str) -> dict[str, Any]:
    monday = date.fromisoformat(week_start)
    return {
        "entries": [
            {"day": (monday + timedelta(days=d)).isoformat(), "hours": "8.00", "kind": "regular"} for d in range(5)
        ]
    }


async def one(
    session: aiohttp.ClientSession, base: str, headers: dict[str, str], slot: list[str], record: dict[str, Any]
) -> None:
    employee_id, week_start = slot
    try:
        async with session.post(
            f"{base}/api/hr/timesheets", json={"week_start": week_start, "employee_id": employee_id}, headers=headers
        ) as response:
            body = await response.read()
            if response.status != 201:
                record["error"] = f"create {response.status}: {body[:200]!r}"
                return
            timesheet_id = json.loads(body)["id"]
        record["id"] = timesheet_id
        async with session.put(
            f"{base}/api/hr/timesheets/{timesheet_id}/entries", json=entries(week_start), headers=headers
        ) as response:
            body = await response.read()
            if response.status != 200:
                record["error"] = f"entries {response.status}: {body[:200]!r}"
                return
        record["submit_sent"] = time.time()
        async with session.post(f"{base}/api/hr/timesheets/{timesheet_id}/submit", headers=headers) as response:
            body = await response.read()
            record["submitted"] = time.time()
            if response.status != 200:
                record["error"] = f"submit {response.status}: {body[:200]!r}"
                return
        record["ok"] = True
    except Exception as exc:  # a refused or broken connection is a failed timesheet, not a crash
        record["error"] = f"{type(exc).__name__}: {exc}"


async def main(base: str, token: str, rate: float, seconds: float, slots: list[list[str]]) -> dict[str, Any]:
    count = min(len(slots), int(rate * seconds))
    headers = {"Authorization": f"Bearer {token}"}
    records: list[dict[str, Any]] = []
    tasks: list[asyncio.Task[None]] = []
    connector = aiohttp.TCPConnector(limit=CONNECTIONS)
    timeout = aiohttp.ClientTimeout(total=None)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        start_wall, start = time.time(), time.perf_counter()
        for n in range(count):
            due = start + n / rate
            delay = due - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            record: dict[str, Any] = {
                "scheduled": start_wall + n / rate,
                "launched": start_wall + (time.perf_counter() - start),
            }
            records.append(record)
            tasks.append(asyncio.create_task(one(session, base, headers, slots[n], record)))
        end_wall = start_wall + seconds
        pending: set[asyncio.Task[None]] = set()
        if tasks:
            _, pending = await asyncio.wait(tasks, timeout=max(0.0, end_wall + GRACE_S - time.time()))
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
        for record in records:
            if not record.get("ok") and "error" not in record:
                record["error"] = f"not answered {GRACE_S:.0f} s after the step"
    return {"start": start_wall, "end": end_wall, "rate": rate, "records": records}


if __name__ == "__main__":
    args = sys.argv[1:]
    run = asyncio.run(main(args[0], args[1], float(args[2]), float(args[3]), json.loads(Path(args[4]).read_text())))
    Path(args[5]).write_text(json.dumps(run))
