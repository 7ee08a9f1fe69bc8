"""`backoffice up` brings the suite to ready; Ctrl-C leaves no process behind; a service that dies is restarted."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import uuid
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from backoffice.suite.processes import SERVICES, free_port
from backoffice.testing import DatabaseFactory

BACKOFFICE = str(Path(sys.executable).parent / "backoffice")


def suite_env(tmp_path: Path, database_factory: DatabaseFactory) -> dict[str, str]:
    env = {**os.environ, "BACKOFFICE_VAR_DIR": str(tmp_path / "var"), "BACKOFFICE_NATS_PORT": str(free_port())}
    for name in SERVICES:
        env[f"BACKOFFICE_{name.upper()}_PORT"] = str(free_port())
        env[f"BACKOFFICE_{name.upper()}_DATABASE_URL"] = database_factory.new_url(name)
    return env


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie is dead too
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except FileNotFoundError:
        return False


def backoffice_up(env: dict[str, str]) -> tuple[subprocess.Popen[str], list[str], threading.Event]:
    """``backoffice up`` as a child process: its output lines as they come, and an event set once it is ready."""
    proc = subprocess.Popen([BACKOFFICE, "up"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: list[str] = []
    ready = threading.Event()

    def read() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.append(line.rstrip())
            if line.strip() == "[backoffice] ready":
                ready.set()

    threading.Thread(target=read, daemon=True).start()
    return proc, lines, ready


@pytest.mark.slow
def test_up_reaches_ready_reports_status_and_ctrl_c_leaves_no_process(
    tmp_path: Path, database_factory: DatabaseFactory
) -> None:
    env = suite_env(tmp_path, database_factory)
    proc, lines, ready = backoffice_up(env)
    try:
        assert ready.wait(180), "not ready:\n" + "\n".join(lines)
        output = "\n".join(lines)
        assert "Backoffice is ready" in output
        gateway_port = env["BACKOFFICE_GATEWAY_PORT"]
        assert f"gateway at http://127.0.0.1:{gateway_port}" in output
        # A first start in development loads a small demo company, its people able to sign in.
        demo = [m.groups() for line in lines if (m := re.search(r"demo login (\S+) / (\S+)  (.+)$", line))]
        assert [who for *_, who in demo] == [
            "Administrator (admin)",
            "HR officer (hr): Hana Reyes",
            "Payroll clerk (payroll): Paul Okafor",
            "IT support lead (it_agent): Ida Lindqvist",
            "Sales manager (manager): Mia Santos",
            "Sales assistant (employee): Eve Martin",
            "Receptionist (office): Omar Haddad",
            f"Sales assistant (employee, starts {date.today() + timedelta(days=7)}): Leo Novak",
        ], output
        assert demo[0][0] == "admin", output
        hr_login, hr_password = next((login, pw) for login, pw, _ in demo if login.startswith("hana"))
        signed_in = httpx.post(
            f"http://127.0.0.1:{gateway_port}/auth/login", json={"login": hr_login, "password": hr_password}
        )
        assert signed_in.status_code == 200, signed_in.text
        # The desk starts clean: only the new joiner's onboarding ticket is open, owned by the service desk and
        # within its targets; HR has his checklist, and the sales manager has her reports.
        admin_password = demo[0][1]
        with httpx.Client(base_url=f"http://127.0.0.1:{gateway_port}", timeout=10) as api:
            token = api.post("/auth/login", json={"login": "admin", "password": admin_password}).json()
            api.headers["Authorization"] = f"Bearer {token['access_token']}"
            leo = api.get("/api/hr/employees", params={"q": "leo.novak"}).json()["items"][0]
            mia = api.get("/api/hr/employees", params={"q": "mia.santos"}).json()["items"][0]
            open_tickets = api.get("/api/helpdesk/tickets", params={"status": ["new", "open"]}).json()["items"]
            assert [(t["kind"], t["about_employee_id"]) for t in open_tickets] == [("onboarding", leo["id"])]
            sla = open_tickets[0]["sla"] or {}
            assert open_tickets[0]["team_id"] is not None
            assert not any(sla.get(clock, {}).get("breached") for clock in ("first_response", "resolution"))
            tasks = api.get(f"/api/hr/employees/{leo['id']}/checklist").json()["items"]
            titles = ["Sign the contract", "Laptop and accounts", "Meet the team", "Read the handbook"]
            assert [t["title"] for t in tasks] == titles
            reports = api.get("/api/hr/employees", params={"manager_id": mia["id"]}).json()["items"]
            assert sorted(r["given_name"] for r in reports) == ["Eve", "Leo", "Omar"]

        state = json.loads((tmp_path / "var" / "run" / "suite.json").read_text())
        pids = [state["nats"]["pid"], *(s["pid"] for s in state["services"].values())]
        assert len(pids) == 6
        assert all(alive(pid) for pid in pids)
        for name, service in state["services"].items():
            assert httpx.get(f"{service['url']}/health/ready").status_code == 200, name

        status = subprocess.run([BACKOFFICE, "status"], env=env, capture_output=True, text=True, timeout=60)
        assert status.returncode == 0, status.stdout + status.stderr
        for name in SERVICES:
            assert name in status.stdout
        listed = subprocess.run(
            [BACKOFFICE, "dead-letters", "list", "--json"], env=env, capture_output=True, text=True, timeout=60
        )
        assert listed.returncode == 0, listed.stderr
        assert json.loads(listed.stdout) == []

        proc.send_signal(signal.SIGINT)  # what Ctrl-C sends
        assert proc.wait(timeout=60) == 0
        deadline = time.monotonic() + 10
        while any(alive(pid) for pid in pids) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert [pid for pid in pids if alive(pid)] == []
        assert "[backoffice] stopped" in "\n".join(lines)
        assert not (tmp_path / "var" / "run" / "suite.json").exists()

        down = subprocess.run([BACKOFFICE, "status"], env=env, capture_output=True, text=True, timeout=60)
        assert down.returncode == 1
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_up_refuses_a_port_in_use_with_the_setting_to_change(tmp_path: Path, database_factory: DatabaseFactory) -> None:
    import socket

    env = suite_env(tmp_path, database_factory)
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", int(env["BACKOFFICE_HR_PORT"])))
        busy.listen()
        result = subprocess.run([BACKOFFICE, "up"], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert "BACKOFFICE_HR_PORT" in result.stdout + result.stderr
    assert not (tmp_path / "var" / "run" / "suite.json").exists()


# -- supervision -----------------------------------------------------------------------------------
# `backoffice up` supervises: a service that dies is restarted while the others keep serving, and nothing that was
# acknowledged is lost.
#
# Each service of a running suite is killed in turn (SIGKILL, as a crash or the OOM killer would) while a client hires
# people through the gateway. The launcher must bring each one back by itself, say so, count the restart in
# `backoffice status`, and every hire the client was told about (201) must exist in HR and have reached payroll and the
# gateway through the bus.


def _state(tmp_path: Path) -> dict[str, Any]:
    return json.loads((tmp_path / "var" / "run" / "suite.json").read_text())  # type: ignore[no-any-return]


def _wait(condition: Any, timeout_s: float, what: str) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            if condition():
                return
        except (httpx.TransportError, KeyError, json.JSONDecodeError):
            pass  # not up yet (or the state file is being written)
        time.sleep(0.2)
    raise AssertionError(f"not within {timeout_s:.0f}s: {what}")


class Hiring:
    """A client hiring people through the gateway for as long as it runs, retrying (with the same Idempotency-Key)
    what a dead service did not answer, as a careful client would."""

    def __init__(self, gateway: str, token: str) -> None:
        self.client = httpx.Client(base_url=gateway, headers={"Authorization": f"Bearer {token}"}, timeout=10)
        self.acknowledged: dict[str, str] = {}  # e-mail -> employee id
        self.attempts = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self.stop.is_set():
            self.attempts += 1
            email = f"load{self.attempts}-{uuid.uuid4().hex[:6]}@example.com"
            body = {
                "given_name": f"Load{self.attempts}",
                "family_name": "Crash",
                "email": email,
                "employment_type": "salaried",
                "start_date": (date.today() - timedelta(days=3)).isoformat(),
                "pay_terms": {"pay_type": "salaried", "rate": "3000", "currency": "EUR", "frequency": "monthly"},
            }
            key = uuid.uuid4().hex
            for _ in range(150):
                try:
                    answer = self.client.post("/api/hr/employees", json=body, headers={"Idempotency-Key": key})
                except httpx.TransportError:
                    answer = None
                if answer is not None and answer.status_code == 201:
                    self.acknowledged[email] = answer.json()["id"]
                    break
                if answer is not None and answer.status_code < 500 and answer.status_code not in (401, 429):
                    break  # refused or left to its own (a 409 while a dead process's claim runs): not acknowledged
                time.sleep(0.2)

    def __enter__(self) -> Hiring:
        self.thread.start()
        return self

    def __exit__(self, *_: Any) -> None:
        self.stop.set()
        self.thread.join(timeout=60)


@pytest.mark.slow
def test_each_service_killed_in_turn_is_restarted_and_nothing_acknowledged_is_lost(
    tmp_path: Path, database_factory: DatabaseFactory
) -> None:
    env = {
        **suite_env(tmp_path, database_factory),
        "BACKOFFICE_RESTART_BACKOFF_S": "0.5",
        # Messages a killed consumer held come back soon after its restart (30 s by default).
        "BACKOFFICE_CONSUMER_ACK_WAIT_S": "5",
    }
    proc, lines, ready = backoffice_up(env)
    try:
        assert ready.wait(180), "not ready:\n" + "\n".join(lines)
        gateway = f"http://127.0.0.1:{env['BACKOFFICE_GATEWAY_PORT']}"
        admin_login, admin_password = next(
            m.groups() for line in lines if (m := re.search(r"demo login (admin) / (\S+)", line))
        )
        token = httpx.post(f"{gateway}/auth/login", json={"login": admin_login, "password": admin_password}).json()
        admin = {"Authorization": f"Bearer {token['access_token']}"}

        with Hiring(gateway, token["access_token"]) as hiring:
            for name in SERVICES:
                before = len(hiring.acknowledged)
                _wait(lambda: len(hiring.acknowledged) > before, 60, f"a hire answered before killing {name}")  # noqa: B023
                old = _state(tmp_path)["services"][name]
                os.kill(old["pid"], signal.SIGKILL)
                _wait(
                    lambda: _state(tmp_path)["services"][name]["pid"] not in (None, old["pid"]),  # noqa: B023
                    60,
                    f"{name} started again",
                )
                url = old["url"]
                _wait(
                    lambda: httpx.get(f"{url}/health/ready", timeout=2).status_code == 200,  # noqa: B023
                    90,
                    f"{name} ready again",
                )
                assert proc.poll() is None, "the launcher gave up:\n" + "\n".join(lines[-40:])
                # The others kept serving: the suite as a whole answers again within moments.
                after = len(hiring.acknowledged)
                _wait(lambda: len(hiring.acknowledged) > after, 60, f"hires answered after {name} came back")  # noqa: B023

        output = "\n".join(lines)
        for name in SERVICES:
            assert f"[backoffice] {name} crashed (exit -9)" in output, output[-3000:]
            assert _state(tmp_path)["services"][name]["restarts"] == 1
        status = subprocess.run([BACKOFFICE, "status"], env=env, capture_output=True, text=True, timeout=60)
        assert status.returncode == 0, status.stdout + status.stderr
        assert "restarts" in status.stdout

        # Nothing acknowledged was lost: in HR, and carried by the bus to payroll and the gateway.
        hired = hiring.acknowledged
        assert len(hired) >= 2 * len(SERVICES), f"only {len(hired)} hires in {hiring.attempts} attempts"
        with httpx.Client(base_url=gateway, headers=admin, timeout=10) as client:
            listed = client.get("/api/hr/employees", params={"q": "@example.com", "limit": 500}).json()
            in_hr = {e["email"]: e["id"] for e in listed["items"] if e["email"].startswith("load")}
            assert {e: in_hr.get(e) for e in hired} == hired

            def everywhere() -> bool:
                logins = client.get("/auth/users", params={"q": "load", "limit": 500}).json()["items"]
                with_login = {u["employee_id"] for u in logins}
                profiles = [client.get(f"/api/payroll/profiles/{i}").status_code for i in hired.values()]
                return set(hired.values()) <= with_login and set(profiles) == {200}

            _wait(everywhere, 120, "every acknowledged hire has a login and a pay profile")

        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=60) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
