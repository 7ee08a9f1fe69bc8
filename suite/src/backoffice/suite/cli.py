"""The ``backoffice`` command: run the suite on one machine and operate it."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Annotated, Any

import httpx
import typer
from backoffice.shared.settings import SettingSourceError
from backoffice.suite.launcher import (
    OPERATOR_TOKEN_FILE,
    Crash,
    LaunchError,
    PartState,
    Suite,
    SuiteSettings,
    operator_token,
    read_state,
    service_settings,
    service_url,
)
from backoffice.suite.processes import SERVICES, ready
from rich.console import Console
from rich.live import Live
from rich.table import Table

app = typer.Typer(
    help="Run and operate the Backoffice suite (HR, payroll, helpdesk, documents, gateway). "
    "Configuration comes from BACKOFFICE_* environment variables: see docs/CONFIGURATION.md.",
    no_args_is_help=True,
    add_completion=False,
)
dead_letters_app = typer.Typer(
    help="Events a consumer could not process: list them and replay them.", no_args_is_help=True
)
app.add_typer(dead_letters_app, name="dead-letters")
console = Console(stderr=False)
err = Console(stderr=True)

_STYLE = {"ready": "green", "external": "green", "failed": "red", "stopped": "dim", "stopping": "yellow"}


def _parts_table(parts: dict[str, PartState]) -> Table:
    table = Table(title="Backoffice", show_lines=False)
    table.add_column("part")
    table.add_column("state")
    table.add_column("for", justify="right")
    table.add_column("detail", overflow="fold")
    now = time.monotonic()
    for part in parts.values():
        style = _STYLE.get(part.state, "yellow")
        table.add_row(part.name, f"[{style}]{part.state}[/]", f"{now - part.since:4.1f}s", part.detail)
    return table


def _announce_ready(suite: Suite) -> None:
    """Where the suite answers, its logs, and the demo company's logins when it was just loaded."""
    urls = suite.urls()
    took = time.monotonic() - suite.started_at
    console.print(f"[bold green]Backoffice is ready[/] in {took:.1f}s: gateway at [bold]{urls['gateway']}[/]")
    for name, url in urls.items():
        console.print(f"  {name:9} {url}")
    console.print(f"  logs      {suite.var_dir / 'log'}")
    for line in suite.seed_demo():  # one line each, never wrapped: people copy logins and tokens from here
        console.print(line, soft_wrap=True, markup=False, highlight=False)
    console.print("Press Ctrl-C to stop.")
    print("[backoffice] ready", flush=True)


def _report_crash(settings: SuiteSettings, crash: Crash) -> None:
    """Say that a part crashed, with the last lines of its log: restarted in a moment, or given up on."""
    if crash.restart_in_s is None:
        err.print(
            f"[red]{crash.name} crashed {settings.restart_limit + 1} times within "
            f"{settings.restart_window_s:.0f}s (exit {crash.exit_code}): giving up[/]; "
            f"last lines of its log:\n{crash.log_tail}"
        )
    else:
        err.print(
            f"[yellow]{crash.name} stopped unexpectedly (exit {crash.exit_code}): restarting it in "
            f"{crash.restart_in_s:.0f}s[/], the other services keep serving; last lines of its log:\n"
            f"{crash.log_tail}"
        )
    print(f"[backoffice] {crash.name} crashed (exit {crash.exit_code})", flush=True)


@app.command()
def up() -> None:
    """Start nats-server, migrate, start the five services, wait until ready; Ctrl-C stops everything."""
    settings = SuiteSettings()
    stop = threading.Event()

    def on_signal(signum: int, _frame: Any) -> None:
        stop.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    interactive = console.is_terminal
    live = Live(console=console, refresh_per_second=4, transient=False) if interactive else None
    last_line: dict[str, str] = {}

    def on_change(parts: dict[str, PartState]) -> None:
        if live is not None:
            live.update(_parts_table(parts))
            return
        for part in parts.values():
            line = f"{part.state} {part.detail}".strip()
            if last_line.get(part.name) != line:
                last_line[part.name] = line
                print(f"[backoffice] {part.name}: {line}", flush=True)

    suite = Suite(settings, on_change=on_change)
    died: str | None = None
    code = 0
    try:
        if live is not None:
            live.start()
        suite.up()
        if live is not None:
            live.stop()
        _announce_ready(suite)
        died = suite.watch(stop, on_crash=lambda crash: _report_crash(settings, crash))
        code = 1 if died else 0
    except LaunchError as exc:
        if live is not None:
            live.stop()
        err.print(f"[red]cannot start the suite:[/] {exc}")
        code = 1
    finally:
        if live is not None and live.is_started:
            live.stop()
        print("[backoffice] stopping", flush=True)
        suite.down()
        print("[backoffice] stopped", flush=True)
    raise typer.Exit(code)


@app.command("create-admin")
def create_admin(
    login: Annotated[str, typer.Option(help="login name of the new admin")],
    email: Annotated[str, typer.Option(help="e-mail address")],
    password_stdin: Annotated[bool, typer.Option("--password-stdin", help="read the password from stdin")] = False,
) -> None:
    """Create a login with the admin role in the gateway's database (the first admin of a suite)."""
    args = [sys.executable, "-m", "backoffice.gateway", "create-admin", "--login", login, "--email", email]
    if password_stdin:
        args.append("--password-stdin")
    raise typer.Exit(subprocess.call(args))


@app.command()
def status() -> None:
    """Show whether each part of the suite answers and is ready."""
    settings = SuiteSettings()
    state = read_state(settings.var_dir)
    table = Table(title="Backoffice status")
    for column in ("part", "url", "pid", "restarts", "ready", "checks"):
        table.add_column(column)
    all_ready = True
    for name in SERVICES:
        part = (state or {}).get("services", {}).get(name, {})
        url = part.get("url") or service_url(service_settings(name))
        ok, body = ready(url, timeout_s=2.0)
        all_ready &= ok
        checks = ", ".join(f"{k}: {v}" for k, v in body.get("checks", {}).items()) if isinstance(body, dict) else body
        restarts = str(part.get("restarts", "-")) if state else "-"
        table.add_row(
            name, url, str(part.get("pid") or "-"), restarts, "[green]yes[/]" if ok else "[red]no[/]", str(checks)
        )
    console.print(table)
    raise typer.Exit(0 if all_ready else 1)


@app.command()
def migrate(
    service: Annotated[list[str] | None, typer.Option("--service", "-s", help="only this service (repeatable)")] = None,
) -> None:
    """Bring every service's database to the latest migration."""
    names = service or list(SERVICES)
    unknown = [n for n in names if n not in SERVICES]
    if unknown:
        err.print(f"unknown service {', '.join(unknown)}: choose from {', '.join(SERVICES)}")
        raise typer.Exit(2)
    suite = Suite(SuiteSettings())
    try:
        suite.migrate(names)
    except LaunchError as exc:
        err.print(str(exc))
        raise typer.Exit(1) from None
    console.print(f"migrated: {', '.join(names)}")


def _admin(settings: SuiteSettings) -> dict[str, str]:
    token = operator_token(settings)
    if token is None:
        err.print(
            "no operator token: set BACKOFFICE_ADMIN_TOKEN, or start the suite once with 'backoffice up'"
            f" (it keeps a generated one in {settings.var_dir / OPERATOR_TOKEN_FILE})"
        )
        raise typer.Exit(2)
    return {"Authorization": f"Bearer {token}"}


def _url_of(name: str) -> str:
    if name not in SERVICES:
        err.print(f"unknown service {name}: choose from {', '.join(SERVICES)}")
        raise typer.Exit(2)
    return service_url(service_settings(name))


@dead_letters_app.command("list")
def dead_letters_list(
    service: Annotated[list[str] | None, typer.Option("--service", "-s", help="only this service")] = None,
    status_: Annotated[str, typer.Option("--status", help="dead or replayed")] = "dead",
    as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
) -> None:
    """List dead letters of every service (or one)."""
    settings = SuiteSettings()
    rows: list[dict[str, Any]] = []
    failed = False
    for name in service or list(SERVICES):
        try:
            r = httpx.get(
                f"{_url_of(name)}/admin/dead-letters",
                params={"status": status_, "limit": 500},
                headers=_admin(settings),
                timeout=10,
            )
        except httpx.HTTPError as exc:
            err.print(f"{name}: unreachable ({type(exc).__name__})")
            failed = True
            continue
        if r.status_code != 200:
            err.print(f"{name}: {r.status_code} {r.json().get('detail', r.text)}")
            failed = True
            continue
        rows += [{"service": name, **item} for item in r.json()["items"]]
    if as_json:
        print(json.dumps(rows, indent=2))
    else:
        table = Table(title=f"Dead letters ({status_})")
        for column in ("service", "id", "consumer", "event", "attempts", "reason", "at"):
            table.add_column(column, overflow="fold")
        for row in rows:
            table.add_row(
                row["service"],
                row["id"],
                row["consumer"],
                row["event_id"] or "-",
                str(row["attempts"]),
                row["reason"],
                row["created_at"],
            )
        console.print(table)
    raise typer.Exit(1 if failed else 0)


@dead_letters_app.command("replay")
def dead_letters_replay(
    service: Annotated[str, typer.Argument(help="service that holds the dead letter")],
    letter_id: Annotated[str, typer.Argument(help="dead letter id (see 'dead-letters list')")],
    payload: Annotated[Path | None, typer.Option("--payload", help="JSON file with a corrected event envelope")] = None,
) -> None:
    """Deliver a dead letter again to its consumer, as it was or corrected."""
    settings = SuiteSettings()
    body: dict[str, Any] = {}
    if payload is not None:
        try:
            body["payload"] = json.loads(payload.read_text())
        except (OSError, json.JSONDecodeError) as exc:
            err.print(f"--payload {payload}: {exc}")
            raise typer.Exit(2) from None
    r = httpx.post(
        f"{_url_of(service)}/admin/dead-letters/{letter_id}/replay", json=body, headers=_admin(settings), timeout=30
    )
    if r.status_code != 200:
        err.print(f"replay refused ({r.status_code}): {r.json().get('detail', r.text)}")
        raise typer.Exit(1)
    result = r.json()
    console.print(f"replayed {letter_id}: {result['outcome']}")


def main() -> None:
    """The ``backoffice`` command (exit status 130 on Ctrl-C)."""
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)
    except SettingSourceError as exc:  # a *_FILE or BACKOFFICE_SECRETS_DIR that cannot be read
        sys.exit(f"backoffice: invalid setting: {exc}")
