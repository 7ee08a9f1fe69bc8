"""`backoffice up` brings the suite to ready; Ctrl-C leaves no process behind."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from datetime import date, timedelta
from pathlib import Path

import httpx
import pytest
from backoffice.shared.processes import SERVICES, free_port
from backoffice.shared.testing import DatabaseFactory

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


@pytest.mark.slow
def test_up_reaches_ready_reports_status_and_ctrl_c_leaves_no_process(
    tmp_path: Path, database_factory: DatabaseFactory
) -> None:
    env = suite_env(tmp_path, database_factory)
    proc = subprocess.Popen([BACKOFFICE, "up"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: list[str] = []
    ready = threading.Event()

    def read() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.append(line.rstrip())
            if line.strip() == "[backoffice] ready":
                ready.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
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
        assert len(pids) == 6 and all(alive(pid) for pid in pids)
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
        reader.join(timeout=5)
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
