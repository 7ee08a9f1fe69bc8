"""Benchmark of the suite on Docker Compose: ``docker compose up`` (images built) until every container is healthy,
the size of each image, and each container's memory at rest.

Needs a Docker engine and Compose: ``make bench`` runs it through ``deploy/standins/test-containers.sh run``, which
starts its own engine with the test stand-in base images (no image registry is reachable here; the images are
then built on Debian's python3 rather than python:3.11-slim, see docs/DEPLOYMENT.md). It builds the images, then
BENCH_RUNS times (default 3): ``docker compose up -d`` on new volumes, timed until ``docker compose ps`` shows every
container healthy (polled every 100 ms); after the first, BENCH_REST_SECONDS (default 10) at rest and one
``docker stats --no-stream``; then ``docker compose down -v``. Secrets are generated for the run; BACKOFFICE_ENV is
production. Prints tables, writes bench/results/containers.json and the tables into docs/PERFORMANCE.md.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from report import publish

ROOT = Path(__file__).resolve().parents[1]
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
REST_S = float(os.environ.get("BENCH_REST_SECONDS", "10"))
GOAL_S, GOAL_MB = 20.0, 200.0
PROJECT = "backoffice-bench"
IMAGES = {name: f"backoffice/{name}:latest" for name in ("gateway", "hr", "payroll", "helpdesk", "docs")}
SECRETS = (
    "BACKOFFICE_ADMIN_TOKEN",
    "BACKOFFICE_SIGNING_KEY_SECRET",
    "POSTGRES_PASSWORD",
    *(f"{name.upper()}_DB_PASSWORD" for name in IMAGES),
)


# Production refuses the demo company (its bank account, name and sender): the run's own, in an override file.
OVERRIDE = Path(tempfile.mkdtemp(prefix="backoffice-bench-containers-")) / "company.yml"
OVERRIDE.write_text(
    "services:\n  payroll:\n    environment:\n      BACKOFFICE_PAYROLL_COMPANY_NAME: Bench Ltd\n"
    "      BACKOFFICE_PAYROLL_COMPANY_IBAN: GB33BUKB20201555555555\n      BACKOFFICE_PAYROLL_COMPANY_BIC: BUKBGB22\n"
    "  docs:\n    environment:\n      BACKOFFICE_DOCS_COMPANY_NAME: Bench Ltd\n"
    "      BACKOFFICE_DOCS_SMTP_FROM: office@bench.example\n"
)
# BACKOFFICE_TEST_COMPOSE_FILES: more override files (separated by ":"), as with the tests' --stack=docker.
FILES = [ROOT / "docker-compose.yml", OVERRIDE]
FILES += [Path(extra) for extra in os.environ.get("BACKOFFICE_TEST_COMPOSE_FILES", "").split(":") if extra]


def compose(*args: str, timeout: float = 900) -> str:
    files = [arg for path in FILES for arg in ("-f", str(path))]
    command = ["docker", "compose", "--project-directory", str(ROOT), *files, "-p", PROJECT, *args]
    done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def health() -> dict[str, str]:
    """Each container's health ("healthy", "starting", ...; its state where it has no health check)."""
    found = {}
    for line in compose("ps", "--all", "--format", "json").splitlines():
        for row in json.loads(line) if line.startswith("[") else [json.loads(line)]:
            found[row["Service"]] = row.get("Health") or row.get("State", "")
    return found


def up_until_healthy() -> float:
    started = time.perf_counter()
    compose("up", "-d", "--no-build")
    while True:
        states = health()
        if len(states) == 7 and all(state == "healthy" for state in states.values()):
            return time.perf_counter() - started
        if time.perf_counter() - started > 180:
            raise TimeoutError(f"not healthy after 180 s: {states}")
        time.sleep(0.1)


def mib(text: str) -> float:
    """``12.5MiB`` or ``1.2GiB`` (docker stats) in MiB."""
    units = {"KiB": 1 / 1024, "MiB": 1.0, "GiB": 1024.0, "B": 1 / 1024 / 1024}
    for unit, factor in units.items():
        if text.endswith(unit):
            return float(text[: -len(unit)]) * factor
    raise ValueError(text)


def memory_at_rest() -> dict[str, float]:
    time.sleep(REST_S)
    out = subprocess.run(
        ["docker", "stats", "--no-stream", "--format", "{{.Name}}\t{{.MemUsage}}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    found = {}
    for line in out.splitlines():
        name, usage = line.split("\t")
        if name.startswith(f"{PROJECT}-"):
            found[name.removeprefix(f"{PROJECT}-").rsplit("-", 1)[0]] = mib(usage.split("/")[0].strip())
    return found


def image_mb(image: str) -> float:
    size = subprocess.run(
        ["docker", "image", "inspect", "--format", "{{.Size}}", image], capture_output=True, text=True, check=True
    ).stdout
    return int(size) / 1e6


def main() -> None:
    if shutil.which("docker") is None or not os.environ.get("DOCKER_HOST"):
        sys.exit("bench/containers.py needs a Docker engine: run it with deploy/standins/test-containers.sh run -- ...")
    for name in SECRETS:
        os.environ.setdefault(name, secrets.token_urlsafe(24))
    os.environ.setdefault("BACKOFFICE_ENV", "production")
    os.environ["BACKOFFICE_GATEWAY_PUBLISH"] = "127.0.0.1:"  # a free port on loopback: "127.0.0.1::8000"
    started = time.perf_counter()
    compose("build", "--quiet")
    build_s = time.perf_counter() - started
    starts: list[float] = []
    memory: dict[str, float] = {}
    for run in range(RUNS):
        try:
            starts.append(up_until_healthy())
            print(f"start {run + 1}: all healthy after {starts[-1]:.1f} s", flush=True)
            if run == 0:
                memory = memory_at_rest()
        finally:
            compose("down", "-v", "--timeout", "30")
    report(starts, memory, {name: image_mb(image) for name, image in IMAGES.items()}, build_s)


def report(starts: list[float], memory: dict[str, float], sizes: dict[str, float], build_s: float) -> None:
    base = os.environ.get("PYTHON_IMAGE", "python:3.11-slim")
    base_mb = image_mb(base)
    lines = [
        "| `docker compose up -d` (images built, new volumes) until all 7 containers are healthy "
        "| median (s) | fastest (s) | slowest (s) |",
        "|---|---:|---:|---:|",
        f"| start | {statistics.median(starts):.1f} | {min(starts):.1f} | {max(starts):.1f} |",
        "",
        f"| container | image (MB; base {base} {base_mb:.0f} MB) | memory at rest (MiB) |",
        "|---|---:|---:|",
    ]
    for name in ("gateway", "hr", "payroll", "helpdesk", "docs", "nats", "postgres"):
        size = f"{sizes[name]:.0f}" if name in sizes else "-"
        lines.append(f"| {name} | {size} | {memory.get(name, float('nan')):.0f} |")
    lines.append(f"| **total** | | **{sum(memory.values()):.0f}** |")
    table = "\n".join(lines)
    largest = max(sizes, key=lambda name: sizes[name])
    summary = (
        f"All healthy {statistics.median(starts):.1f} s after `docker compose up -d` (goal: {GOAL_S:.0f} s). "
        f"The largest image is {largest} at {sizes[largest]:.0f} MB (goal: {GOAL_MB:.0f} MB each), of which "
        f"{base_mb:.0f} MB is the base image; the services' own layers add "
        f"{min(sizes.values()) - base_mb:.0f} to {max(sizes.values()) - base_mb:.0f} MB. "
        f"{sum(memory.values()):.0f} MiB for all containers after {REST_S:.0f} s at rest. "
        f"Building the images (cached layers) took {build_s:.0f} s."
    )
    payload = {
        "start_s": starts,
        "image_mb": sizes,
        "base_image": base,
        "base_image_mb": base_mb,
        "memory_at_rest_mib": memory,
        "rest_seconds": REST_S,
        "build_s": build_s,
    }
    what = f"Docker Compose, {RUNS} starts on new volumes, base image {base}"
    publish("containers", what, table, payload, summary)


if __name__ == "__main__":
    main()
