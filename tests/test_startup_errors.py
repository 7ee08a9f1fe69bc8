"""A service told something wrong at start says so in one line; a dependency that is down is waited for."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from pathlib import Path

from backoffice.helpdesk.app import SPEC as HELPDESK
from backoffice.shared.bus import EventBus
from backoffice.shared.migrations import head_revision
from backoffice.suite.processes import ManagedProcess, free_port, nats_server_binary, wait_for_port


def run_service(name: str, env: dict[str, str], timeout: float = 60) -> tuple[int, str, float]:
    start = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", f"backoffice.{name}"],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    return proc.returncode, proc.stderr, time.monotonic() - start


def test_invalid_setting_exits_at_once_with_one_line_naming_it(tmp_path: Path) -> None:
    code, stderr, took = run_service("hr", {"BACKOFFICE_HR_PORT": "eighty", "BACKOFFICE_VAR_DIR": str(tmp_path)})
    assert code != 0
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert "BACKOFFICE_HR_PORT" in lines[0]
    assert "eighty" in lines[0]
    assert took < 20
    assert not (tmp_path / "hr.db").exists(), "nothing is started before the settings are valid"


def test_placeholder_secret_is_refused_in_production(tmp_path: Path) -> None:
    code, stderr, _ = run_service("payroll", {"BACKOFFICE_ENV": "production", "BACKOFFICE_VAR_DIR": str(tmp_path)})
    assert code != 0
    assert stderr.strip().splitlines() == [
        "payroll: invalid setting: admin_token: set BACKOFFICE_ADMIN_TOKEN to a real secret in production"
    ]


def test_nats_down_at_start_is_waited_for_with_a_message_not_a_traceback(tmp_path: Path) -> None:
    env = {
        "BACKOFFICE_VAR_DIR": str(tmp_path),
        "BACKOFFICE_NATS_URL": f"nats://127.0.0.1:{free_port()}",
        "BACKOFFICE_DOCS_NATS_CONNECT_TIMEOUT_S": "3",
        "BACKOFFICE_DOCS_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/docs.db",
        "BACKOFFICE_LOG_JSON": "false",
    }
    code, stderr, _ = run_service("docs", env)
    assert code == 3
    assert "waiting for NATS" in stderr
    assert stderr.strip().splitlines()[-1].startswith("docs: NATS at nats://127.0.0.1:")
    assert "unreachable after 3s" in stderr.strip().splitlines()[-1]
    assert stderr.strip().splitlines()[-1].endswith("; check BACKOFFICE_NATS_URL")
    assert "Traceback" not in stderr


def test_database_down_at_start_is_waited_for_with_a_message_not_a_traceback(tmp_path: Path) -> None:
    env = {
        "BACKOFFICE_VAR_DIR": str(tmp_path),
        "BACKOFFICE_HELPDESK_DATABASE_URL": f"postgresql+asyncpg://nobody@127.0.0.1:{free_port()}/helpdesk",
        "BACKOFFICE_HELPDESK_DB_CONNECT_TIMEOUT_S": "2",
        "BACKOFFICE_LOG_JSON": "false",
    }
    code, stderr, _ = run_service("helpdesk", env)
    assert code == 3
    assert "waiting for database postgresql+asyncpg://nobody@127.0.0.1:" in stderr
    assert "unreachable after 2s" in stderr.strip().splitlines()[-1]
    assert stderr.strip().splitlines()[-1].endswith("; check BACKOFFICE_HELPDESK_DATABASE_URL")
    assert "Traceback" not in stderr


def test_ledger_accounts_that_the_chart_does_not_have_stop_payroll_with_one_line(tmp_path: Path) -> None:
    base = {"BACKOFFICE_VAR_DIR": str(tmp_path), "BACKOFFICE_LOG_JSON": "false"}
    code, stderr, _ = run_service(
        "payroll", {**base, "BACKOFFICE_PAYROLL_LEDGER_ACCOUNTS": '{"payables": "2999", "bank": "4000"}'}
    )
    # The migrations' log lines come first (the database is migrated, then checked); the error is one line.
    assert code == 1
    assert "Traceback" not in stderr
    assert stderr.strip().splitlines()[-1:] == [
        "payroll: BACKOFFICE_PAYROLL_LEDGER_ACCOUNTS: bank is account 4000 (Sales revenue), an income account, not an "
        "asset one; payables is account 2999, which is not in the chart of accounts (add the account with "
        "POST /accounts or name another one)"
    ]
    code, stderr, _ = run_service(
        "payroll", {**base, "BACKOFFICE_PAYROLL_LEDGER_ACCOUNTS": '{"default_expense": "2000"}'}
    )
    assert code == 1
    assert "Traceback" not in stderr
    assert stderr.strip().splitlines()[-1:] == [
        "payroll: BACKOFFICE_PAYROLL_LEDGER_ACCOUNTS: default_expense is account 2000 (Accounts payable), a liability "
        "account, not an expense one (add the account with POST /accounts or name another one)"
    ]


def test_company_bank_details_a_bank_file_cannot_carry_stop_payroll_with_one_line(tmp_path: Path) -> None:
    """The debtor of every payment run's bank file is checked as a supplier's bank details are, before anything
    is started, so a run does not fail at execution for it."""
    base = {"BACKOFFICE_VAR_DIR": str(tmp_path), "BACKOFFICE_LOG_JSON": "false"}
    for setting, value, says in (
        ("COMPANY_BIC", "COBAFR1FXXX", "'COBAFR1FXXX' cannot be written in a bank file"),
        ("COMPANY_IBAN", "DE00123456789012345678", "'DE00123456789012345678' is not a valid IBAN"),
        ("COMPANY_NAME", "\U0001f642 !!!", "has no letter or digit once written so"),
    ):
        code, stderr, took = run_service("payroll", {**base, f"BACKOFFICE_PAYROLL_{setting}": value})
        assert code != 0
        assert "Traceback" not in stderr
        lines = stderr.strip().splitlines()
        assert len(lines) == 1, stderr
        assert lines[0].startswith(f"payroll: invalid setting: BACKOFFICE_PAYROLL_{setting} ")
        assert says in lines[0]
        assert took < 20
    assert not (tmp_path / "payroll.db").exists(), "nothing is started before the settings are valid"


def one_line(code: int, stderr: str) -> str:
    assert code != 0
    assert "Traceback" not in stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    return lines[0]


def test_production_refuses_a_placeholder_token_and_the_demo_company_naming_each_variable(tmp_path: Path) -> None:
    base = {"BACKOFFICE_ENV": "production", "BACKOFFICE_VAR_DIR": str(tmp_path)}
    line = one_line(*run_service("hr", {**base, "BACKOFFICE_ADMIN_TOKEN": "replace-with-a-long-random-token"})[:2])
    assert line == (
        "hr: invalid setting: BACKOFFICE_ADMIN_TOKEN is still a placeholder (replace-with-...): set the real value "
        "(BACKOFFICE_ENV is production)"
    )
    real_token = {**base, "BACKOFFICE_ADMIN_TOKEN": "an-operator-token-of-our-own-0123456789"}
    line = one_line(
        *run_service(
            "payroll",
            {
                **real_token,
                "BACKOFFICE_PAYROLL_COMPANY_NAME": "Acme SL",
                "BACKOFFICE_PAYROLL_COMPANY_BIC": "CAIXESBBXXX",
            },
        )[:2]
    )
    assert line == (
        "payroll: invalid setting: BACKOFFICE_PAYROLL_COMPANY_IBAN is the demo value 'DE89370400440532013000': "
        "set your own (BACKOFFICE_ENV is production)"
    )
    assert not list(tmp_path.iterdir()), "nothing is started before the settings are valid"


def test_a_secret_file_that_is_missing_stops_the_service_naming_the_variable_and_path(tmp_path: Path) -> None:
    missing = tmp_path / "secrets" / "admin-token"
    code, stderr, took = run_service(
        "helpdesk", {"BACKOFFICE_ADMIN_TOKEN_FILE": str(missing), "BACKOFFICE_VAR_DIR": str(tmp_path)}
    )
    assert one_line(code, stderr) == f"helpdesk: invalid setting: BACKOFFICE_ADMIN_TOKEN_FILE: no file {missing}"
    assert took < 20


def test_a_database_password_from_a_file_reaches_the_database_and_is_never_shown(tmp_path: Path) -> None:
    """The password is read from its file and put into the URL; the messages about the database never show it."""
    password = "pa@ss:w/rd%#-never-shown"
    (tmp_path / "pw").write_text(password + "\n")
    env = {
        "BACKOFFICE_VAR_DIR": str(tmp_path),
        "BACKOFFICE_HELPDESK_DATABASE_URL": f"postgresql+asyncpg://nobody@127.0.0.1:{free_port()}/helpdesk",
        "BACKOFFICE_HELPDESK_DATABASE_PASSWORD_FILE": str(tmp_path / "pw"),
        "BACKOFFICE_HELPDESK_DB_CONNECT_TIMEOUT_S": "1",
        "BACKOFFICE_LOG_JSON": "false",
    }
    code, stderr, _ = run_service("helpdesk", env)
    assert code == 3
    assert "waiting for database postgresql+asyncpg://nobody:***@127.0.0.1:" in stderr
    assert "pa@ss" not in stderr
    assert "pa%40ss" not in stderr


async def stream_names(nats_url: str) -> list[str]:
    bus = EventBus(nats_url, name="test")
    await bus.connect(10)
    try:
        return sorted(info.config.name or "" for info in await bus.js.streams_info())
    finally:
        await bus.close()


def test_streams_larger_than_the_nats_storage_stop_the_service_with_what_to_change(tmp_path: Path) -> None:
    """JetStream reserves each stream's max bytes: two streams of 256 MiB do not fit a server with 400 MB."""
    port = free_port()
    config = tmp_path / "nats.conf"
    config.write_text(
        f'port: {port}\nhost: 127.0.0.1\njetstream {{ store_dir: "{tmp_path / "js"}", max_file_store: 400MB }}\n'
    )
    nats = ManagedProcess("nats", [nats_server_binary(), "-c", str(config)], dict(os.environ), tmp_path / "nats.log")
    nats.start()
    try:
        wait_for_port("127.0.0.1", port, 20, nats)
        env = {
            "BACKOFFICE_VAR_DIR": str(tmp_path),
            "BACKOFFICE_NATS_URL": f"nats://127.0.0.1:{port}",
            "BACKOFFICE_LOG_JSON": "false",
        }
        code, stderr, _ = run_service("helpdesk", env)
        assert code == 1
        assert "Traceback" not in stderr
        assert stderr.strip().splitlines()[-1] == (
            "helpdesk: NATS refused the stream DLQ: insufficient storage resources available (error 10047): each "
            "stream reserves its max bytes in JetStream's storage; lower BACKOFFICE_HELPDESK_STREAM_MAX_BYTES (or "
            "BACKOFFICE_STREAM_MAX_BYTES) and BACKOFFICE_DLQ_MAX_BYTES, or give the NATS server more (max_file_store)"
        )
        assert asyncio.run(stream_names(env["BACKOFFICE_NATS_URL"])) == ["HELPDESK"]  # the first 256 MiB fitted
    finally:
        nats.stop(timeout_s=10)


def test_with_migrations_left_to_a_job_an_unmigrated_database_stops_the_service(tmp_path: Path) -> None:
    env = {
        "BACKOFFICE_VAR_DIR": str(tmp_path),
        "BACKOFFICE_NATS_URL": f"nats://127.0.0.1:{free_port()}",
        "BACKOFFICE_HELPDESK_NATS_CONNECT_TIMEOUT_S": "2",
        "BACKOFFICE_RUN_MIGRATIONS_AT_START": "false",
        "BACKOFFICE_LOG_JSON": "false",
    }
    code, stderr, _ = run_service("helpdesk", env)
    assert code != 0
    assert "Traceback" not in stderr
    assert stderr.strip().splitlines()[-1:] == [
        f"helpdesk: the database is at migration none, this version needs {head_revision(HELPDESK.migrations_dir)}: "
        "run `python -m backoffice.helpdesk migrate` (the migration job) first, or set "
        "BACKOFFICE_RUN_MIGRATIONS_AT_START=true"
    ]
    # The job's command migrates whatever that setting says; serving then gets past the database to NATS.
    migrated = subprocess.run(
        [sys.executable, "-m", "backoffice.helpdesk", "migrate"],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert migrated.returncode == 0, migrated.stderr
    code, stderr, _ = run_service("helpdesk", env)
    assert code == 3
    assert stderr.strip().splitlines()[-1].endswith("; check BACKOFFICE_NATS_URL")
