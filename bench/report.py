"""What every benchmark does with its figures: print the table, keep the JSON, update docs/PERFORMANCE.md;
and the scratch PostgreSQL database each benchmark runs on.

Run as a script (the last step of ``make bench``) it gathers every ``bench/results/<name>.json`` into
``bench/results/latest.json`` with the machine's description, and writes that description into
docs/PERFORMANCE.md. With BENCH_DRY_RUN set, ``publish`` prints and writes nothing.
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
import sys
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

PG_URL = os.environ.get("BENCH_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres")


@contextlib.asynccontextmanager
async def scratch_postgres(prefix: str) -> AsyncIterator[str | None]:
    """A PostgreSQL database made for one benchmark run and dropped after it, as an asyncpg URL; None (said on
    stderr) when PostgreSQL cannot be reached, so the benchmark goes on with SQLite alone."""
    from backoffice.testing import pg_admin
    from sqlalchemy.engine import make_url

    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    try:
        await pg_admin(PG_URL, f'CREATE DATABASE "{name}"')
    except Exception as exc:
        print(f"PostgreSQL skipped: {exc}", file=sys.stderr)
        yield None
        return
    try:
        yield make_url(PG_URL).set(drivername="postgresql+asyncpg", database=name).render_as_string(hide_password=False)
    finally:
        with contextlib.suppress(Exception):
            await pg_admin(PG_URL, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
DOC = ROOT / "docs" / "PERFORMANCE.md"


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def _memory_gib() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    return None


def machine_info() -> dict[str, Any]:
    memory = _memory_gib()
    return {
        "arch": platform.machine(),
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "memory_gib": round(memory, 1) if memory is not None else None,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
    }


def machine() -> str:
    info = machine_info()
    memory = f", {info['memory_gib']:.0f} GiB" if info["memory_gib"] is not None else ""
    return f"{info['arch']}, {info['cores']} cores ({info['cpu']}){memory}, Python {info['python']}"


def replace_block(name: str, block_body: str) -> None:
    """Put ``block_body`` between the ``bench:<name>`` markers of PERFORMANCE.md (appended if they are missing)."""
    text = DOC.read_text()
    begin, end = f"<!-- bench:{name}:begin -->", f"<!-- bench:{name}:end -->"
    block = f"{begin}\n{block_body.rstrip()}\n{end}"
    if begin in text:
        head, _, rest = text.partition(begin)
        _, _, tail = rest.partition(end)
        DOC.write_text(head + block + tail)
    else:
        DOC.write_text(text.rstrip() + "\n\n" + block + "\n")


def publish(name: str, what: str, table: str, payload: dict[str, Any], summary: str = "") -> None:
    """Print, write ``bench/results/<name>.json`` and replace the ``bench:<name>`` block of PERFORMANCE.md."""
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    print(f"\n{what}, {stamp} ({machine()})\n")
    print(table)
    if summary:
        print("\n" + summary)
    if os.environ.get("BENCH_DRY_RUN"):
        print("\n(BENCH_DRY_RUN: nothing written)")
        return
    out = RESULTS / f"{name}.json"
    out.write_text(json.dumps({"when": stamp, "machine": machine(), **payload}, indent=2))
    replace_block(name, f"_{what}, {stamp}, {machine()}._\n\n{table}\n" + (f"\n{summary}\n" if summary else ""))


def combine() -> dict[str, Any]:
    """``bench/results/latest.json``: every benchmark's last results with the machine's description."""
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    benchmarks = {
        path.stem: json.loads(path.read_text()) for path in sorted(RESULTS.glob("*.json")) if path.stem != "latest"
    }
    info = machine_info()
    latest = {"written": stamp, "machine": info, "benchmarks": benchmarks}
    (RESULTS / "latest.json").write_text(json.dumps(latest, indent=2))
    rows = [
        "| machine | |",
        "|---|---|",
        f"| CPU | {info['cpu']} ({info['arch']}) |",
        f"| cores | {info['cores']} |",
        f"| memory | {info['memory_gib']} GiB |",
        f"| system | {info['os']} |",
        f"| Python | {info['python']} |",
        "",
        "| benchmark | last run |",
        "|---|---|",
    ]
    rows += [f"| `bench/{name}.py` | {result.get('when', '?')} |" for name, result in benchmarks.items()]
    replace_block("machine", "\n".join(rows))
    print(f"bench/results/latest.json: {len(benchmarks)} benchmarks, {stamp}")
    return latest


if __name__ == "__main__":
    combine()
