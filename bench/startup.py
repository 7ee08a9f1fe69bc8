"""Benchmark of start-up and footprint: ``backoffice up`` until every service is ready, then memory at rest.

Runs the real command (``backoffice up``, as ``make run`` does: SQLite files, nats-server from the wheel) on
free ports in a new folder, and times it from the command's start to the moment all five services answer
``GET /health/ready`` with 200 (polled every 50 ms), three times in a new folder (first start: databases
created and migrated), three times again in the folder of the last one (a restart), and three restarts
with the bytecode of the installed packages and of the sources out of reach (compiled from source at each
start, as where they were never compiled and bytecode is not written: PYTHONDONTWRITEBYTECODE, read-only
installs). After each first
start the suite is left at rest (the demo login created, then BENCH_REST_SECONDS without requests) and the
resident memory of every process of the suite is read from /proc: the launcher itself, nats-server and the
five services (RSS, and PSS, which shares the pages processes have in common among them). The suite is
stopped as Ctrl-C would (SIGINT to the launcher), timed until every process has exited.

Prints tables, writes bench/results/startup.json and the tables into docs/PERFORMANCE.md.
Settings: BENCH_RUNS (default 3), BENCH_REST_SECONDS (default 10).
"""

from __future__ import annotations

import os
import signal
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
from backoffice.suite.processes import SERVICES, free_port
from report import publish

RUNS = int(os.environ.get("BENCH_RUNS", "3"))
REST_S = float(os.environ.get("BENCH_REST_SECONDS", "10"))
GOAL_S, GOAL_MB = 5.0, 400.0
COMMAND = str(Path(sys.executable).parent / "backoffice")


def machine_busy_seconds() -> float:
    fields = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    return (sum(fields[:8]) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")


def children(pid: int) -> list[int]:
    """Every descendant of ``pid`` (from /proc)."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            parents.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def _kib(path: str, field: str) -> int:
    return next(int(line.split()[1]) for line in Path(path).read_text().splitlines() if line.startswith(field))


def memory(pid: int) -> tuple[float, float]:
    """(RSS, PSS) in MiB."""
    return _kib(f"/proc/{pid}/status", "VmRSS:") / 1024, _kib(f"/proc/{pid}/smaps_rollup", "Pss:") / 1024


def name_of(pid: int, launcher: int) -> str:
    if pid == launcher:
        return "launcher (backoffice up)"
    args = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    if args and args[0].endswith(b"nats-server"):
        return "nats-server"
    for module in args:
        for name, importable in SERVICES.items():
            if module.decode(errors="replace") == importable:
                return name
    return b" ".join(args).decode(errors="replace")[:60]


class Up:
    """One ``backoffice up`` in ``var_dir`` on free ports."""

    def __init__(self, var_dir: Path, *, pycache: Path | None = None):
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("BACKOFFICE_")}
        self.env.update({"BACKOFFICE_VAR_DIR": str(var_dir), "BACKOFFICE_NATS_PORT": str(free_port())})
        if pycache is not None:  # bytecode looked for (and not written) in a folder with the standard library's only
            self.env.update({"PYTHONPYCACHEPREFIX": str(pycache), "PYTHONDONTWRITEBYTECODE": "1"})
        self.urls = {}
        for name in SERVICES:
            port = free_port()
            self.env[f"BACKOFFICE_{name.upper()}_PORT"] = str(port)
            self.urls[name] = f"http://127.0.0.1:{port}"
        self.lines: list[str] = []
        self.seeded = threading.Event()
        self.proc: subprocess.Popen[str] | None = None

    def _read(self) -> None:
        assert self.proc is not None
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line.rstrip())
            if line.startswith("[backoffice] ready"):
                self.seeded.set()

    def start(self) -> float:
        """Start and wait until every service is ready; return the seconds it took."""
        started = time.perf_counter()
        self.proc = subprocess.Popen(
            [COMMAND, "up"],
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            text=True,
            start_new_session=True,
        )
        threading.Thread(target=self._read, daemon=True).start()
        pending = set(self.urls)
        with httpx.Client(timeout=1.0) as client, ThreadPoolExecutor(len(self.urls)) as pool:

            def ready(name: str) -> bool:
                try:
                    return client.get(f"{self.urls[name]}/health/ready").status_code == 200
                except httpx.HTTPError:
                    return False

            while pending:
                if self.proc.poll() is not None:
                    raise RuntimeError("backoffice up exited:\n" + "\n".join(self.lines[-30:]))
                if time.perf_counter() - started > 120:
                    raise TimeoutError(f"not ready after 120 s: {sorted(pending)}")
                for name, ok in zip(list(pending), pool.map(ready, list(pending)), strict=True):
                    if ok:
                        pending.discard(name)
                if pending:
                    time.sleep(0.05)
        return time.perf_counter() - started

    def footprint(self) -> dict[str, dict[str, float]]:
        assert self.proc is not None
        if not self.seeded.wait(120):
            raise TimeoutError("the launcher did not say it was ready")
        time.sleep(REST_S)
        found: dict[str, dict[str, float]] = {}
        for pid in [self.proc.pid, *children(self.proc.pid)]:
            try:
                rss, pss = memory(pid)
                found[name_of(pid, self.proc.pid)] = {"rss_mb": rss, "pss_mb": pss}
            except (OSError, StopIteration):
                continue  # a short-lived child that has gone
        return found

    def stop(self) -> float:
        """Ctrl-C: SIGINT to the launcher, then wait until it and every process it started have exited."""
        assert self.proc is not None
        descendants = children(self.proc.pid)
        started = time.perf_counter()
        self.proc.send_signal(signal.SIGINT)
        self.proc.wait(timeout=60)
        deadline = time.monotonic() + 30
        while any(Path(f"/proc/{pid}").exists() and _alive(pid) for pid in descendants):
            if time.monotonic() > deadline:
                raise RuntimeError(f"left behind after stop: {[p for p in descendants if _alive(p)]}")
            time.sleep(0.02)
        return time.perf_counter() - started


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def stdlib_bytecode(folder: Path) -> Path:
    """A bytecode folder (PYTHONPYCACHEPREFIX) holding the standard library's modules only: the suite started with
    it compiles the installed packages and the sources at each start, as before they were compiled once."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(folder)
    modules = ", ".join(["backoffice.suite.cli", *(f"{module}.app" for module in SERVICES.values())])
    subprocess.run([sys.executable, "-c", f"import {modules}"], env=env, check=True)
    stdlib = folder / Path(sysconfig.get_paths()["stdlib"]).resolve().relative_to("/")
    for path in sorted(folder.rglob("*.pyc")):
        if stdlib not in path.parents:
            path.unlink()
    return folder


def main() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="backoffice-bench-startup-"))
    first: list[float] = []
    restart: list[float] = []
    uncompiled: list[float] = []
    stops: list[float] = []
    footprints: list[dict[str, dict[str, float]]] = []
    busy_before, wall_before = machine_busy_seconds(), time.monotonic()
    var_dir = tmp
    for run in range(RUNS):
        var_dir = tmp / f"run{run}"
        up = Up(var_dir)
        try:
            first.append(up.start())
            footprints.append(up.footprint())
        finally:
            stops.append(up.stop())
        print(f"first start {run + 1}: {first[-1]:.2f} s, stop {stops[-1]:.2f} s", flush=True)
    for run in range(RUNS):
        up = Up(var_dir)
        try:
            restart.append(up.start())
        finally:
            stops.append(up.stop())
        print(f"restart {run + 1}: {restart[-1]:.2f} s, stop {stops[-1]:.2f} s", flush=True)
    pycache = stdlib_bytecode(tmp / "stdlib-bytecode")
    for run in range(RUNS):
        up = Up(var_dir, pycache=pycache)
        try:
            uncompiled.append(up.start())
        finally:
            up.stop()
        print(f"restart without bytecode {run + 1}: {uncompiled[-1]:.2f} s", flush=True)
    busy = (machine_busy_seconds() - busy_before) / (time.monotonic() - wall_before)
    report(first, restart, uncompiled, stops, footprints, busy)


def report(
    first: list[float],
    restart: list[float],
    uncompiled: list[float],
    stops: list[float],
    footprints: list[dict[str, dict[str, float]]],
    busy: float,
) -> None:
    names = ["launcher (backoffice up)", "nats-server", *SERVICES]
    memory_at_rest = {
        name: {key: statistics.median(f[name][key] for f in footprints if name in f) for key in ("rss_mb", "pss_mb")}
        for name in names
        if any(name in f for f in footprints)
    }
    total_rss = sum(m["rss_mb"] for m in memory_at_rest.values())
    total_pss = sum(m["pss_mb"] for m in memory_at_rest.values())
    lines = [
        "| `backoffice up` until all five services are ready | median (s) | fastest (s) | slowest (s) |",
        "|---|---:|---:|---:|",
        f"| first start (new folder: databases created and migrated) | {statistics.median(first):.2f} "
        f"| {min(first):.2f} | {max(first):.2f} |",
        f"| restart (same folder) | {statistics.median(restart):.2f} | {min(restart):.2f} | {max(restart):.2f} |",
        f"| restart, packages and sources compiled at each start (no bytecode written) "
        f"| {statistics.median(uncompiled):.2f} "
        f"| {min(uncompiled):.2f} | {max(uncompiled):.2f} |",
        f"| stop (Ctrl-C until every process has exited) | {statistics.median(stops):.2f} | {min(stops):.2f} "
        f"| {max(stops):.2f} |",
        "",
        "| process at rest | RSS (MiB) | PSS (MiB) |",
        "|---|---:|---:|",
    ]
    lines += [f"| {name} | {m['rss_mb']:.0f} | {m['pss_mb']:.0f} |" for name, m in memory_at_rest.items()]
    lines.append(f"| **total** | **{total_rss:.0f}** | **{total_pss:.0f}** |")
    table = "\n".join(lines)
    summary = (
        f"All ready {statistics.median(first):.1f} s after `backoffice up` on a first start and "
        f"{statistics.median(restart):.1f} s on a restart (goal: under {GOAL_S:.0f} s; "
        f"{statistics.median(uncompiled):.1f} s when every start compiles the packages); {total_rss:.0f} MiB resident "
        f"for the whole suite at rest ({total_pss:.0f} MiB counting shared pages once; goal: under {GOAL_MB:.0f} MB). "
        f"The machine's cores were {busy / (os.cpu_count() or 1):.0%} busy on average during the runs "
        f"(this benchmark and other work)."
    )
    payload = {
        "first_start_s": first,
        "restart_s": restart,
        "restart_without_bytecode_s": uncompiled,
        "stop_s": stops,
        "memory_at_rest": memory_at_rest,
        "total_rss_mb": total_rss,
        "total_pss_mb": total_pss,
        "machine_busy_cores": busy,
        "rest_seconds": REST_S,
    }
    what = f"`backoffice up` on SQLite, {RUNS} first starts and {RUNS} restarts, memory after {REST_S:.0f} s at rest"
    publish("startup", what, table, payload, summary)


if __name__ == "__main__":
    main()
