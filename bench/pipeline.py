"""Benchmark of the event pipeline: timesheets sent through the gateway until payroll's verification falls behind.

The suite runs as processes, started by the launcher's own code (``backoffice up``'s ``Suite``): nats-server
and the five services, on SQLite files and then on PostgreSQL (a database per service, created for the run
and dropped after). An admin signs in and hires employees through HR (hourly, employed since 2015), then
``bench/pipeline_load.py`` (its own process, open loop) sends timesheets at stepped rates: each one is opened,
filled in (Monday to Friday, 8 h) and submitted through the gateway; HR records ``hr.hours_submitted`` in its
outbox, the relay publishes it to JetStream, payroll's durable consumer verifies it and stores the verdict.
Every (employee, week) is used once, so no timesheet is refused as a duplicate day.

"Verified" is the moment payroll stamps ``received_at`` on its timesheet row, in the transaction that stores
the verdict (a timesheet without errors produces no event until a clerk decides; the stamp is read back
through payroll's API after each step). Per step: the offered rate, the verified rate within the step, the
latency from the submit request to that stamp (p50/p99), the backlog when the step ends (timesheets started
but not verified, and how many of those were waiting in JetStream for payroll), errors, and the CPU each
process used. A step *keeps up* when nothing failed and less than one second of offered load was left
unverified at its end; the sustained rate is the highest step that kept up. The ramp stops at the first step
that does not.

Beside it, in the same run and on the same nats-server: the raw nats-py JetStream rate, one publisher awaiting
each acknowledgement (as the outbox relay does) and one durable pull consumer in another process acking each
message (as a service's consumer does), with messages the size of an ``hr.hours_submitted`` event.

Prints tables, writes bench/results/pipeline.json and the tables into docs/PERFORMANCE.md.
Settings: BENCH_RATES (default 10,25,50,100,200,400,800,1200 timesheets/s), BENCH_STEP_SECONDS (10),
BENCH_EMPLOYEES (60), BENCH_BACKENDS (sqlite,postgres), BENCH_RAW_MESSAGES (10000), BENCH_POSTGRES_URL,
BENCH_PROFILE_DIR (record every step with py-spy into this folder and publish nothing: profiling costs CPU).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from backoffice.shared.bus import EventBus
from backoffice.suite.launcher import Suite, SuiteSettings
from backoffice.suite.processes import SERVICES, free_port
from backoffice.testing import pg_admin
from report import PG_URL, publish
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[1]
RATES = [float(r) for r in os.environ.get("BENCH_RATES", "10,25,50,100,200,400,800,1200").split(",")]
STEP_S = float(os.environ.get("BENCH_STEP_SECONDS", "10"))
EMPLOYEES = int(os.environ.get("BENCH_EMPLOYEES", "60"))
BACKENDS = os.environ.get("BENCH_BACKENDS", "sqlite,postgres").split(",")
RAW_MESSAGES = int(os.environ.get("BENCH_RAW_MESSAGES", "10000"))
PROFILE_DIR = os.environ.get("BENCH_PROFILE_DIR", "")
PASSWORD = "bench admin password"
DRAIN_S = 60.0
START_DATE = date(2015, 1, 5)  # a Monday: about 600 weeks of employment before today
PROCESSES = ["gateway", "hr", "payroll", "helpdesk", "docs", "nats"]


# -- the raw JetStream rate ------------------------------------------------------------------
def sample_event() -> bytes:
    """A message the size of a real ``hr.hours_submitted`` (five days of hours)."""
    monday = date(2026, 1, 5)
    data = {
        "timesheet_id": uuid.uuid4().hex,
        "employee_id": uuid.uuid4().hex,
        "week_start": monday.isoformat(),
        "version": 1,
        "entries": [
            {"day": (monday + timedelta(days=d)).isoformat(), "hours": "8.00", "kind": "regular", "note": None}
            for d in range(5)
        ],
        "total_hours": "40.00",
    }
    envelope = {
        "id": uuid.uuid4().hex,
        "type": "benchraw.hours_submitted",
        "version": 1,
        "source": "hr",
        "occurred_at": datetime.now(UTC).isoformat(),
        "correlation_id": uuid.uuid4().hex,
        "causation_id": None,
        "subject": data["employee_id"],
        "data": data,
    }
    return json.dumps(envelope).encode()


async def raw_consume(nats_url: str, count: int) -> None:
    """In its own process: a durable pull consumer (explicit acks, batches of 50, as ConsumerRunner)."""
    from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy

    bus = EventBus(nats_url, name="bench-raw-consumer")
    await bus.connect(10)
    config = ConsumerConfig(
        durable_name="bench-raw",
        ack_policy=AckPolicy.EXPLICIT,
        deliver_policy=DeliverPolicy.ALL,
        max_deliver=-1,
        filter_subject="benchraw.hours_submitted",
        max_ack_pending=1000,
    )
    sub = await bus.js.pull_subscribe("benchraw.hours_submitted", durable="bench-raw", stream="BENCHRAW", config=config)
    print("ready", flush=True)
    acked, first = 0, 0.0
    while acked < count:
        try:
            msgs = await sub.fetch(50, timeout=1.0)
        except TimeoutError:
            continue
        if not first:
            first = time.time()
        for msg in msgs:
            json.loads(msg.data)  # a consumer reads what it gets
            await msg.ack()
            acked += 1
    await bus.nc.flush()  # type: ignore[union-attr]
    print(json.dumps({"first": first, "last": time.time(), "acked": acked}), flush=True)
    await bus.close()


async def raw_jetstream(nats_url: str) -> dict[str, Any]:
    bus = EventBus(nats_url, name="bench-raw-publisher")
    await bus.connect(10)
    await bus.ensure_stream("BENCHRAW", ["benchraw.>"], duplicate_window_s=600)
    consumer = await asyncio.create_subprocess_exec(
        sys.executable, __file__, "raw-consume", nats_url, str(RAW_MESSAGES), stdout=asyncio.subprocess.PIPE
    )
    assert consumer.stdout is not None
    assert (await consumer.stdout.readline()).strip() == b"ready"
    payload = sample_event()
    started = time.time()
    for n in range(RAW_MESSAGES):
        await bus.js.publish("benchraw.hours_submitted", payload, headers={"Nats-Msg-Id": f"raw-{n}-{started}"})
    published = time.time()
    out, _ = await consumer.communicate()
    done = json.loads(out.decode().strip().splitlines()[-1])
    with contextlib.suppress(Exception):
        await bus.js.delete_stream("BENCHRAW")
    await bus.close()
    return {
        "messages": RAW_MESSAGES,
        "message_bytes": len(payload),
        "publish_per_s": RAW_MESSAGES / (published - started),
        "publish_and_consume_per_s": RAW_MESSAGES / (done["last"] - started),
    }


# -- the suite ---------------------------------------------------------------------------------
def machine_busy_seconds() -> float:
    """CPU time the whole machine has spent busy so far, all cores together (from /proc/stat)."""
    fields = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (from /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Pipeline:
    def __init__(self, backend: str, tmp: Path):
        self.backend = backend
        self.tmp = tmp / backend
        self.pg_databases: list[str] = []
        self.suite: Suite | None = None
        self.client: httpx.AsyncClient | None = None
        self.bus: EventBus | None = None
        self.verified_total = 0
        self.slots: list[list[str]] = []
        self.cursor = 0

    async def start(self) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("BACKOFFICE_")}
        env.update(
            {
                "BACKOFFICE_LOG_LEVEL": "WARNING",
                "BACKOFFICE_GATEWAY_RATE_LIMITS": '[{"prefix": "/api/", "per_user": "100000000/minute", '
                '"per_address": "100000000/minute"}]',
            }
        )
        for name in SERVICES:
            env[f"BACKOFFICE_{name.upper()}_PORT"] = str(free_port())
            if self.backend == "postgres":
                database = f"bo_bench_pipe_{name}_{uuid.uuid4().hex[:8]}"
                await pg_admin(PG_URL, f'CREATE DATABASE "{database}"')
                self.pg_databases.append(database)
                url = make_url(PG_URL).set(drivername="postgresql+asyncpg", database=database)
                env[f"BACKOFFICE_{name.upper()}_DATABASE_URL"] = url.render_as_string(hide_password=False)
        settings = SuiteSettings(var_dir=self.tmp / "var", nats_port=free_port(), nats_url="", ready_timeout_s=120)
        self.suite = Suite(settings, env=env)
        await asyncio.to_thread(self.suite.up)
        child_env = self.suite.child_env()
        admin = [sys.executable, "-m", "backoffice.gateway", "create-admin", "--login", "bench"]
        await asyncio.to_thread(
            subprocess.run,
            [*admin, "--email", "bench@example.com", "--password-stdin"],
            input=PASSWORD + "\n",
            env=child_env,
            text=True,
            check=True,
            capture_output=True,
        )
        self.client = httpx.AsyncClient(base_url=self.suite.urls()["gateway"], timeout=60)
        self.bus = EventBus(self.suite.nats_url, name="bench-observer")
        await self.bus.connect(10)

    async def stop(self) -> None:
        if self.client is not None:
            await self.client.aclose()
        if self.bus is not None:
            await self.bus.close()
        if self.suite is not None:
            await asyncio.to_thread(self.suite.down)
        for database in self.pg_databases:
            with contextlib.suppress(Exception):
                await pg_admin(PG_URL, f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')

    async def token(self) -> str:
        assert self.client is not None
        response = await self.client.post("/auth/login", json={"login": "bench", "password": PASSWORD})
        response.raise_for_status()
        return str(response.json()["access_token"])

    async def hire(self) -> None:
        """Employees hired through HR; payroll opens their pay profiles from ``hr.employee_hired``."""
        assert self.client is not None
        headers = {"Authorization": f"Bearer {await self.token()}"}
        limit = asyncio.Semaphore(4)

        async def one(n: int) -> str:
            body = {
                "given_name": f"Bench{n}",
                "family_name": "Worker",
                "email": f"bench.worker{n}@example.com",
                "employment_type": "hourly",
                "start_date": START_DATE.isoformat(),
                "pay_terms": {"pay_type": "hourly", "rate": "21.50", "currency": "EUR", "frequency": "monthly"},
            }
            async with limit:
                response = await self.client.post("/api/hr/employees", json=body, headers=headers)  # type: ignore[union-attr]
            assert response.status_code == 201, response.text
            return str(response.json()["id"])

        employees = await asyncio.gather(*(one(n) for n in range(EMPLOYEES)))
        deadline = time.monotonic() + 60
        while True:
            page = await self.client.get("/api/payroll/profiles", params={"limit": 1}, headers=headers)
            if page.status_code == 200 and page.json()["total"] >= EMPLOYEES:
                break
            assert time.monotonic() < deadline, f"payroll has no pay profiles yet: {page.text[:300]}"
            await asyncio.sleep(0.2)
        # Weeks of the past only (no future day), newest first; employees take turns so that the timesheets
        # in flight at one moment belong to different people.
        this_monday = date.today() - timedelta(days=date.today().weekday())
        weeks = (this_monday - timedelta(weeks=k) for k in range(1, (this_monday - START_DATE).days // 7))
        self.slots = [[employee, week.isoformat()] for week in weeks for employee in employees]

    async def postgres_cpu(self) -> dict[int, float]:
        """CPU time so far of each PostgreSQL server process serving this run's databases."""
        if not self.pg_databases:
            return {}
        import asyncpg

        admin = make_url(PG_URL).set(drivername="postgresql", database="postgres")
        conn = await asyncpg.connect(admin.render_as_string(hide_password=False))
        try:
            rows = await conn.fetch(
                "SELECT pid FROM pg_stat_activity WHERE datname = ANY($1::text[])", self.pg_databases
            )
        finally:
            await conn.close()
        found = {}
        for row in rows:
            with contextlib.suppress(OSError):
                found[row["pid"]] = cpu_seconds(row["pid"])
        return found

    async def pending_in_jetstream(self) -> int:
        """Events in the HR stream that payroll's consumer has not acknowledged yet."""
        assert self.bus is not None
        info = await self.bus.js.consumer_info("HR", "payroll-hours_submitted")
        return int(info.num_pending or 0) + int(info.num_ack_pending or 0)

    async def payroll_total(self, headers: dict[str, str]) -> int:
        assert self.client is not None
        response = await self.client.get("/api/payroll/timesheets", params={"limit": 1}, headers=headers)
        response.raise_for_status()
        return int(response.json()["total"])

    async def received(self, headers: dict[str, str], offset: int) -> dict[str, float]:
        """Payroll's verification stamp of each timesheet it stored after the first ``offset``."""
        assert self.client is not None
        stamps: dict[str, float] = {}
        while True:
            response = await self.client.get(
                "/api/payroll/timesheets", params={"limit": 1000, "offset": offset}, headers=headers
            )
            response.raise_for_status()
            items = response.json()["items"]
            for item in items:
                stamps[item["id"]] = datetime.fromisoformat(item["received_at"]).timestamp()
            offset += len(items)
            if len(items) < 1000:
                return stamps

    async def step(self, rate: float, seconds: float, *, profile: str = "") -> dict[str, Any]:
        assert self.suite is not None
        assert self.suite.nats is not None
        count = int(rate * seconds)
        slots = self.slots[self.cursor : self.cursor + count]
        assert len(slots) == count, "not enough (employee, week) pairs left: raise BENCH_EMPLOYEES"
        self.cursor += count
        slots_file, out_file = self.tmp / "slots.json", self.tmp / "step.json"
        slots_file.write_text(json.dumps(slots))
        token = await self.token()
        headers = {"Authorization": f"Bearer {token}"}
        pids = {name: self.suite.services[name].pid for name in PROCESSES if name != "nats"}
        pids["nats"] = self.suite.nats.pid
        cpu_before = {name: cpu_seconds(pid) for name, pid in pids.items()}
        pg_before = await self.postgres_cpu()
        wall_before, busy_before = time.monotonic(), machine_busy_seconds()
        children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        self_before = resource.getrusage(resource.RUSAGE_SELF)
        samples: list[tuple[float, int]] = []
        profilers = self.profilers(pids, rate, seconds) if profile else []
        load = await asyncio.create_subprocess_exec(
            sys.executable,
            str(ROOT / "bench" / "pipeline_load.py"),
            self.suite.urls()["gateway"],
            token,
            str(rate),
            str(seconds),
            str(slots_file),
            str(out_file),
        )
        while load.returncode is None:
            with contextlib.suppress(Exception):
                samples.append((time.time(), await self.pending_in_jetstream()))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(load.wait(), timeout=0.5)
        cpu_after = {name: cpu_seconds(pid) for name, pid in pids.items()}
        pg_after = await self.postgres_cpu()
        wall, busy = time.monotonic() - wall_before, machine_busy_seconds() - busy_before
        children_after = resource.getrusage(resource.RUSAGE_CHILDREN)
        self_after = resource.getrusage(resource.RUSAGE_SELF)
        for proc in profilers:
            proc.wait()
        assert load.returncode == 0, f"load generator failed ({load.returncode})"
        run = json.loads(out_file.read_text())
        start, end, records = run["start"], run["end"], run["records"]
        ok = [r for r in records if r.get("ok")]
        # Drain: every submitted timesheet verified before the next step starts.
        drain_started = time.monotonic()
        expected = self.verified_total + len(ok)
        total = await self.payroll_total(headers)
        while total < expected and time.monotonic() - drain_started < DRAIN_S:
            await asyncio.sleep(0.25)
            total = await self.payroll_total(headers)
        drain_s = time.monotonic() - drain_started
        stamps = await self.received(headers, self.verified_total)
        self.verified_total = total
        verified = [(r, stamps[r["id"]]) for r in ok if r["id"] in stamps]
        submit_to_verified = sorted((at - r["submit_sent"]) * 1000 for r, at in verified)
        start_to_verified = sorted((at - r["scheduled"]) * 1000 for r, at in verified)
        http = sorted((r["submitted"] - r["scheduled"]) * 1000 for r in ok)
        verified_in_step = sum(1 for _, at in verified if at <= end)
        submitted_by_end = sum(1 for r in ok if r["submitted"] <= end)
        generator_cpu = (children_after.ru_utime + children_after.ru_stime) - (
            children_before.ru_utime + children_before.ru_stime
        )
        pg_cpu = sum(cpu - pg_before.get(pid, 0.0) for pid, cpu in pg_after.items())
        own_cpu = (self_after.ru_utime + self_after.ru_stime) - (self_before.ru_utime + self_before.ru_stime)
        at_end = [pending for when, pending in samples if when <= end]
        errors = [r["error"] for r in records if "error" in r]
        result = {
            "offered_per_s": rate,
            "timesheets": len(records),
            "submitted": len(ok),
            "errors": len(errors),
            "first_errors": errors[:3],
            "submitted_per_s": submitted_by_end / (end - start),
            "verified_per_s": verified_in_step / (end - start),
            "submit_to_verified_p50_ms": pct(submit_to_verified, 50),
            "submit_to_verified_p99_ms": pct(submit_to_verified, 99),
            "start_to_verified_p50_ms": pct(start_to_verified, 50),
            "start_to_verified_p99_ms": pct(start_to_verified, 99),
            "http_p50_ms": pct(http, 50),
            "http_p99_ms": pct(http, 99),
            "backlog_at_end": len(records) - verified_in_step,
            "not_submitted_at_end": len(records) - submitted_by_end,
            "waiting_in_jetstream_at_end": at_end[-1] if at_end else None,
            "waiting_in_jetstream_max": max((p for _, p in samples), default=None),
            "generator_late_p99_ms": pct(sorted((r["launched"] - r["scheduled"]) * 1000 for r in records), 99),
            "drain_s": drain_s,
            "unverified_after_drain": len(ok) - len(verified),
            "cpu_cores": {
                **{name: (cpu_after[name] - cpu_before[name]) / wall for name in pids},
                "load generator": generator_cpu / wall,
                "bench": own_cpu / wall,
                # server processes of this run's connections (a connection opened during the step: all its time)
                "postgres": pg_cpu / wall,
            },
            "machine_busy_cores": busy / wall,
            "cpu_ms_per_timesheet": {
                **{name: (cpu_after[name] - cpu_before[name]) * 1000 / max(1, len(ok)) for name in pids},
                "postgres": pg_cpu * 1000 / max(1, len(ok)),
            },
        }
        result["other_work_cores"] = result["machine_busy_cores"] - sum(result["cpu_cores"].values())
        result["keeps_up"] = (
            result["errors"] == 0 and result["unverified_after_drain"] == 0 and result["backlog_at_end"] <= rate
        )
        return result

    def profilers(self, pids: dict[str, int], rate: float, seconds: float) -> list[subprocess.Popen[bytes]]:
        py_spy = shutil.which("py-spy") or str(ROOT / ".tools" / "bin" / "py-spy")
        out = Path(PROFILE_DIR)
        out.mkdir(parents=True, exist_ok=True)
        record = [py_spy, "record", "--threads", "-r", "100", "-d", str(int(seconds)), "-f", "raw"]
        return [
            subprocess.Popen(
                [*record, "-p", str(pid), "-o", str(out / f"{self.backend}-{rate:.0f}-{name}.txt")],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            for name, pid in pids.items()
            if name != "nats"
        ]


def pct(values: list[float], p: float) -> float | None:
    """Nearest-rank percentile of sorted values."""
    if not values:
        return None
    return values[min(len(values) - 1, max(0, round(p / 100 * len(values)) - 1))]


async def run_backend(backend: str, tmp: Path, raw: dict[str, Any]) -> dict[str, Any]:
    pipeline = Pipeline(backend, tmp)
    steps: list[dict[str, Any]] = []
    try:
        await pipeline.start()
        assert pipeline.suite is not None
        if not raw:
            raw.update(await raw_jetstream(pipeline.suite.nats_url))
            print(f"raw JetStream: {raw}", flush=True)
        await pipeline.hire()
        warm = await pipeline.step(20, 1)  # connections, token caches, JWKS, first queries
        assert warm["errors"] == 0, warm["first_errors"]
        for rate in RATES:
            result = await pipeline.step(rate, STEP_S, profile=PROFILE_DIR)
            steps.append(result)
            print(f"{backend} {rate:.0f}/s: {json.dumps(result)}", flush=True)
            if not result["keeps_up"]:
                break
    finally:
        await pipeline.stop()
    kept = [s for s in steps if s["keeps_up"]]
    return {
        "backend": backend,
        "employees": EMPLOYEES,
        "steps": steps,
        "sustained_per_s": max((s["offered_per_s"] for s in kept), default=0),
        "ceiling_verified_per_s": max((s["verified_per_s"] for s in steps), default=0),
    }


async def main() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="backoffice-bench-pipeline-"))
    raw: dict[str, Any] = {}
    results = []
    for backend in BACKENDS:
        if backend == "postgres":
            try:
                await pg_admin(PG_URL, "SELECT 1")
            except Exception as exc:
                print(f"PostgreSQL skipped: {exc}", file=sys.stderr)
                continue
        results.append(await run_backend(backend, tmp, raw))
    if any(step["errors"] for result in results for step in result["steps"]):
        print(f"some timesheets failed: the services' logs are in {tmp}/*/var/log", file=sys.stderr)
    else:
        shutil.rmtree(tmp, ignore_errors=True)
    if PROFILE_DIR:
        print(f"profiles in {PROFILE_DIR}")
        os.environ["BENCH_DRY_RUN"] = "1"  # the figures of a profiled run are not published
    report(results, raw)


def fmt(value: float | None, spec: str = "{:,.0f}") -> str:
    return "-" if value is None else spec.format(value)


def reference_step(result: dict[str, Any]) -> dict[str, Any]:
    """The highest step that kept up (the first step when none did): its CPU is spread over most timesheets."""
    kept = [step for step in result["steps"] if step["keeps_up"]]
    return kept[-1] if kept else result["steps"][0]


def report(results: list[dict[str, Any]], raw: dict[str, Any]) -> None:
    lines = [
        "| database | offered/s | verified/s | submit → verified p50 (ms) | p99 (ms) | open → verified p99 (ms) "
        "| backlog at end | of which in JetStream | errors | keeps up | CPU (cores): gateway / hr / payroll / nats "
        "/ postgres / load | other work on the machine (cores) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---:|",
    ]
    for result in results:
        for s in result["steps"]:
            cpu = s["cpu_cores"]
            lines.append(
                f"| {result['backend']} | {s['offered_per_s']:,.0f} | {s['verified_per_s']:,.0f} "
                f"| {fmt(s['submit_to_verified_p50_ms'], '{:,.1f}')} "
                f"| {fmt(s['submit_to_verified_p99_ms'], '{:,.1f}')} "
                f"| {fmt(s['start_to_verified_p99_ms'], '{:,.0f}')} | {s['backlog_at_end']:,} "
                f"| {fmt(s['waiting_in_jetstream_at_end'])} | {s['errors']:,} | {'yes' if s['keeps_up'] else 'no'} "
                f"| {cpu['gateway']:.2f} / {cpu['hr']:.2f} / {cpu['payroll']:.2f} / {cpu['nats']:.2f} "
                f"/ {cpu['postgres']:.2f} / {cpu['load generator']:.2f} | {s['other_work_cores']:.2f} |"
            )
    lines += [
        "",
        "| CPU per timesheet at the highest step that kept up (ms) | gateway | hr | payroll | nats | postgres "
        "| all processes |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    names = ["gateway", "hr", "payroll", "nats", "postgres"]
    for result in results:
        if result["steps"]:
            ms = reference_step(result)["cpu_ms_per_timesheet"]
            lines.append(
                f"| {result['backend']} ({reference_step(result)['offered_per_s']:,.0f}/s) | "
                + " | ".join(f"{ms[n]:.1f}" for n in names)
                + f" | {sum(ms.values()):.1f} |"
            )
    lines += [
        "",
        "| raw nats-py JetStream (same nats-server, same run) | messages/s |",
        "|---|---:|",
        f"| publish, each acknowledged ({raw['message_bytes']:,}-byte messages) | {raw['publish_per_s']:,.0f} |",
        f"| publish and consume (pull consumer in another process, each acked) | "
        f"{raw['publish_and_consume_per_s']:,.0f} |",
    ]
    table = "\n".join(lines)
    parts = []
    for result in results:
        steps, sustained = result["steps"], result["sustained_per_s"]
        best = next((st for st in steps if st["offered_per_s"] == sustained), None)
        at_200 = next((st for st in steps if st["offered_per_s"] == 200), None)
        if at_200 is None:
            p99_200 = f"not run (the ramp stopped at {steps[-1]['offered_per_s']:,.0f}/s)" if steps else "not run"
        elif not at_200["keeps_up"]:
            p99_200 = f"{fmt(at_200['submit_to_verified_p99_ms'])} ms, not keeping up"
        else:
            p99_200 = f"{fmt(at_200['submit_to_verified_p99_ms'])} ms"
        at_best = (
            f" (p50 {fmt(best['submit_to_verified_p50_ms'])} ms, p99 {fmt(best['submit_to_verified_p99_ms'])} ms)"
            if best
            else ""
        )
        parts.append(
            f"{result['backend']}: {sustained:,.0f} timesheets/s sustained{at_best}, at most "
            f"{result['ceiling_verified_per_s']:,.0f}/s verified in a step; p99 at 200/s: {p99_200}"
        )
    for result in results:
        if result["steps"]:
            ms = reference_step(result)["cpu_ms_per_timesheet"]
            parts.append(
                f"{result['backend']}: {sum(ms.values()):.0f} ms of CPU per timesheet, {ms['hr']:.0f} of them in "
                f"hr-svc (one process: at most about {1000 / ms['hr']:,.0f} timesheets/s with a core of its own)"
            )
    summary = (
        "; ".join(parts) + ". Goal: 1,000/s sustained, p99 under 250 ms at 200/s. Raw JetStream in the same run: "
        f"{raw['publish_and_consume_per_s']:,.0f} messages/s published and consumed."
    )
    what = f"Timesheets through the gateway to payroll's verification, {STEP_S:.0f} s steps, {EMPLOYEES} employees"
    publish("pipeline", what, table, {"step_seconds": STEP_S, "results": results, "raw_jetstream": raw}, summary)


if __name__ == "__main__":
    if sys.argv[1:2] == ["raw-consume"]:
        asyncio.run(raw_consume(sys.argv[2], int(sys.argv[3])))
    else:
        asyncio.run(main())
