"""The same read endpoint of a service, directly and through the gateway, in one run.

Starts nats-server, hr-svc and the gateway as processes (SQLite, as `make run` does), signs in as an
admin, then drives GET /admin/dead-letters (token check + a database read) with the same load
generator and concurrency against both (and through nginx, where nginx is installed). Prints
requests/s and p50/p99 for each and writes bench/results/gateway.json and docs/PERFORMANCE.md.
Settings: BENCH_SECONDS (default 10), BENCH_CONNECTIONS (default 16), BENCH_ROUNDS (default 3; each
figure is the median of the rounds, the targets taking turns).
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from backoffice.suite.processes import free_port, nats_process, service_process, wait_for_port, wait_ready
from report import publish

ROOT = Path(__file__).resolve().parents[1]
SECONDS = float(os.environ.get("BENCH_SECONDS", "10"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
PATH = "/admin/dead-letters?limit=10"


def run_load(url: str, token: str, connections: int = CONNECTIONS) -> dict[str, Any]:
    out = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "loadgen.py"),
            url,
            str(SECONDS),
            str(connections),
            f"Authorization: Bearer {token}",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)  # type: ignore[no-any-return]


def nginx_proxy(tmp: Path, upstream_port: int) -> tuple[subprocess.Popen[bytes], int] | None:
    nginx = shutil.which("nginx")
    if nginx is None:
        return None
    port = free_port()
    conf = tmp / "nginx.conf"
    conf.write_text(f"""
worker_processes 1; daemon off; pid {tmp}/nginx.pid; error_log {tmp}/nginx-error.log;
events {{ worker_connections 1024; }}
http {{ access_log off; keepalive_requests 1000000; keepalive_timeout 300s;
  upstream hr {{ server 127.0.0.1:{upstream_port}; keepalive 64; }}
  server {{ listen 127.0.0.1:{port};
    location /api/hr/ {{ proxy_pass http://hr/; proxy_http_version 1.1; proxy_set_header Connection ""; }} }} }}
""")
    proc = subprocess.Popen([nginx, "-c", str(conf), "-p", str(tmp)])
    wait_for_port("127.0.0.1", port, 10)
    return proc, port


def main() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="backoffice-bench-gw-"))
    nats_port, hr_port, gw_port = free_port(), free_port(), free_port()
    nats = nats_process(nats_port, tmp / "js", tmp / "nats.log")
    nats.start()
    wait_for_port("127.0.0.1", nats_port, 20, nats)
    env = {
        **os.environ,
        "BACKOFFICE_VAR_DIR": str(tmp / "var"),
        "BACKOFFICE_NATS_URL": f"nats://127.0.0.1:{nats_port}",
        "BACKOFFICE_HR_PORT": str(hr_port),
        "BACKOFFICE_GATEWAY_PORT": str(gw_port),
        "BACKOFFICE_JWKS_URL": f"http://127.0.0.1:{gw_port}/.well-known/jwks.json",
        "BACKOFFICE_GATEWAY_HR_URL": f"http://127.0.0.1:{hr_port}",
        "BACKOFFICE_LOG_LEVEL": "WARNING",
        "BACKOFFICE_GATEWAY_RATE_LIMITS": '[{"prefix": "/api/", "per_user": "1000000/minute", '
        '"per_address": "1000000/minute"}]',
    }
    procs = [service_process("gateway", env, tmp / "gateway.log"), service_process("hr", env, tmp / "hr.log")]
    extra = None
    try:
        for proc in procs:
            proc.start()
        wait_ready(f"http://127.0.0.1:{gw_port}", 90, procs[0])
        wait_ready(f"http://127.0.0.1:{hr_port}", 90, procs[1])
        password = "bench admin password"
        subprocess.run(
            [
                sys.executable,
                "-m",
                "backoffice.gateway",
                "create-admin",
                "--login",
                "bench",
                "--email",
                "bench@example.com",
                "--password-stdin",
            ],
            input=password + "\n",
            env=env,
            text=True,
            check=True,
            capture_output=True,
        )
        token = httpx.post(
            f"http://127.0.0.1:{gw_port}/auth/login", json={"login": "bench", "password": password}
        ).json()["access_token"]
        targets = {"direct": f"http://127.0.0.1:{hr_port}{PATH}", "gateway": f"http://127.0.0.1:{gw_port}/api/hr{PATH}"}
        extra = nginx_proxy(tmp, hr_port)
        if extra:
            targets["nginx"] = f"http://127.0.0.1:{extra[1]}/api/hr{PATH}"
        for url in targets.values():  # warm up connections, caches and key fetches
            assert httpx.get(url, headers={"Authorization": f"Bearer {token}"}).status_code == 200
        # Targets take turns, round after round, and each figure is the median of the rounds, so a
        # burst of noise on this shared machine does not land on one column only.
        rounds: dict[str, list[dict[str, Any]]] = {name: [] for name in targets}
        for _ in range(ROUNDS):
            for name, url in targets.items():
                rounds[name].append(run_load(url, token))
        results: dict[str, dict[str, Any]] = {
            name: {key: statistics.median(r[key] for r in runs) for key in runs[0]} for name, runs in rounds.items()
        }
        # The cheapest endpoint shows the proxy's own cost, which a real read hides.
        for name, url in targets.items():
            light = run_load(url.replace(PATH, "/health/live"), token)
            results[name]["light_requests_per_s"] = light["requests_per_s"]
        # Added latency is read without queueing: one connection, one request at a time.
        for name, url in targets.items():
            single = run_load(url, token, connections=1)
            results[name]["single_p50_ms"], results[name]["single_p99_ms"] = single["p50_ms"], single["p99_ms"]
        breaker = open_breaker_latency(procs[1], targets["gateway"], token)
    finally:
        if extra:
            extra[0].terminate()
            extra[0].wait()
        for proc in procs:
            proc.stop()
        nats.stop()
    report(results, breaker)


def open_breaker_latency(service: Any, url: str, token: str) -> dict[str, float]:
    """Kill the service, trip the breaker, then time the gateway's 503 answers (one connection)."""
    service.kill()
    with httpx.Client() as client:
        for _ in range(10):
            client.get(url, headers={"Authorization": f"Bearer {token}"})
        timings = []
        for _ in range(300):
            start = time.perf_counter()
            response = client.get(url, headers={"Authorization": f"Bearer {token}"})
            timings.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 503
            assert "Retry-After" in response.headers
    timings.sort()
    return {"p50_ms": timings[len(timings) // 2], "p99_ms": timings[int(len(timings) * 0.99)]}


def report(results: dict[str, dict[str, Any]], breaker: dict[str, float]) -> None:
    direct, via = results["direct"], results["gateway"]
    ratio = via["requests_per_s"] / direct["requests_per_s"]
    added_p99 = via["single_p99_ms"] - direct["single_p99_ms"]
    names = list(results)
    lines = ["| measure | " + " | ".join(names) + " |", "|---|" + "---:|" * len(names)]
    rows = [
        ("requests/s", "requests_per_s", "{:,.0f}"),
        ("p50 (ms)", "p50_ms", "{:.2f}"),
        ("p99 (ms)", "p99_ms", "{:.2f}"),
        ("p50, one connection (ms)", "single_p50_ms", "{:.2f}"),
        ("p99, one connection (ms)", "single_p99_ms", "{:.2f}"),
        ("errors", "errors", "{}"),
        ("requests/s on GET /health/live", "light_requests_per_s", "{:,.0f}"),
    ]
    for title, key, fmt in rows:
        lines.append(f"| {title} | " + " | ".join(fmt.format(results[n][key]) for n in names) + " |")
    table = "\n".join(lines)
    summary = (
        f"Gateway throughput is {ratio:.2f} of direct (goal: at least 0.75); it adds {added_p99:.2f} ms "
        f"at p99 with one connection (goal: under 3 ms). With hr-svc killed and its circuit open, the gateway "
        f"answers 503 in {breaker['p50_ms']:.2f} ms at p50 and {breaker['p99_ms']:.2f} ms at p99, measured at the "
        f"client (goal: under 10 ms)."
    )
    what = f"GET {PATH} on hr-svc, {CONNECTIONS} connections, {SECONDS:.0f} s x {ROUNDS} rounds (medians)"
    payload = {
        "connections": CONNECTIONS,
        "seconds": SECONDS,
        "results": results,
        "breaker_open": breaker,
        "ratio": ratio,
        "added_p99_ms": added_p99,
    }
    publish("gateway", what, table, payload, summary)


if __name__ == "__main__":
    main()
