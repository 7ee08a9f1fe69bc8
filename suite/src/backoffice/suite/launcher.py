"""The suite on one machine: nats-server, migrations, the five services, readiness, clean stop."""

from __future__ import annotations

import importlib
import json
import os
import secrets
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from backoffice.shared.nats_servers import without_credentials
from backoffice.shared.settings import ServiceSettings, file_aware_sources
from backoffice.suite.processes import (
    SERVICES,
    ManagedProcess,
    nats_process,
    port_is_open,
    ready,
    service_process,
    wait_for_port,
)
from pydantic import Field
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

STATE_FILE = "run/suite.json"
OPERATOR_TOKEN_FILE = "operator-token"


class SuiteSettings(BaseSettings):
    """Settings of the launcher itself (the services read their own, from the same environment)."""

    model_config = SettingsConfigDict(env_prefix="BACKOFFICE_", extra="ignore")

    var_dir: Path = Path("var")
    nats_host: str = "127.0.0.1"
    nats_port: int = Field(default=4223, ge=1, le=65535)
    nats_url: str = Field(
        default="", description="use this NATS (or these cluster members, comma-separated) instead of starting one"
    )
    ready_timeout_s: float = Field(default=120.0, gt=0)
    restart_limit: int = Field(
        default=5, ge=0, description="crashes of one part within RESTART_WINDOW_S after which the launcher gives up"
    )
    restart_window_s: float = Field(default=300.0, gt=0)
    restart_backoff_s: float = Field(default=1.0, gt=0, description="wait before the first restart; doubles each time")
    restart_backoff_max_s: float = Field(default=30.0, gt=0)
    admin_token: str = Field(default="", description="operator token; unset: generated on first start, kept in var/")
    env: Literal["development", "production", "test"] = "development"

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # BACKOFFICE_ADMIN_TOKEN_FILE and BACKOFFICE_SECRETS_DIR, as the services read them.
        return file_aware_sources(settings_cls, init_settings, ("BACKOFFICE_",))


def operator_token(settings: SuiteSettings, *, create: bool = False) -> str | None:
    """``BACKOFFICE_ADMIN_TOKEN``, else the token generated on a first start (kept under ``var/``, mode 0600).

    With ``create`` (the launcher, outside production) a missing token is generated: a suite never runs with a
    token anyone could have read in the documentation.
    """
    if settings.admin_token:
        return settings.admin_token
    path = settings.var_dir / OPERATOR_TOKEN_FILE
    if path.exists():
        return path.read_text().strip() or None
    if not create:
        return None
    path.parent.mkdir(parents=True, exist_ok=True)
    token = secrets.token_urlsafe(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as file:
        file.write(token + "\n")
    return token


def service_settings(name: str, env: dict[str, str] | None = None) -> ServiceSettings:
    """The settings a service will see with ``env`` (the launcher's environment by default)."""
    module = importlib.import_module(f"{SERVICES[name]}.settings")
    cls = next(
        v
        for v in vars(module).values()
        if isinstance(v, type) and issubclass(v, ServiceSettings) and v is not ServiceSettings
    )
    if env is None:
        return cls()
    saved = dict(os.environ)
    try:
        os.environ.clear()
        os.environ.update(env)
        return cls()
    finally:
        os.environ.clear()
        os.environ.update(saved)


def wiring_env(env: dict[str, str]) -> dict[str, str]:
    """How the parts find each other on one machine: the gateway's keys and its upstreams."""
    urls = {name: service_url(service_settings(name, env)) for name in SERVICES}
    wiring = {"BACKOFFICE_JWKS_URL": f"{urls['gateway']}/.well-known/jwks.json"}
    # Services refuse tokens living longer than this: they must know the lifetime the gateway gives them.
    wiring["BACKOFFICE_ACCESS_TOKEN_TTL_S"] = str(service_settings("gateway", env).access_token_ttl_s)
    for name in SERVICES:
        if name != "gateway":
            wiring[f"BACKOFFICE_GATEWAY_{name.upper()}_URL"] = urls[name]
    return {k: v for k, v in wiring.items() if k not in env}


def service_url(settings: ServiceSettings) -> str:
    """The URL the service listens on, as seen from this machine."""
    host = "127.0.0.1" if settings.host in ("0.0.0.0", "::") else settings.host
    return f"http://{host}:{settings.effective_port}"


@dataclass
class PartState:
    name: str
    state: str = "waiting"
    detail: str = ""
    since: float = field(default_factory=time.monotonic)
    restarts: int = 0


@dataclass
class Crash:
    """A part that died while the suite ran, and what the supervisor does about it."""

    name: str
    exit_code: int | None
    log_tail: str
    restart_in_s: float | None  # None: the part crashed too often and the suite gives up


class Suite:
    """Starts and stops the whole suite as child processes of this one."""

    def __init__(
        self,
        settings: SuiteSettings | None = None,
        *,
        env: dict[str, str] | None = None,
        on_change: Callable[[dict[str, PartState]], None] | None = None,
    ):
        self.settings = settings or SuiteSettings()
        self.var_dir = self.settings.var_dir.resolve()
        self.base_env = dict(env if env is not None else os.environ)
        self.on_change = on_change or (lambda parts: None)
        self.nats: ManagedProcess | None = None
        self.services: dict[str, ManagedProcess] = {}
        self.parts: dict[str, PartState] = {name: PartState(name) for name in ["nats", *SERVICES]}
        self.started_at = time.monotonic()

    # -- environment -------------------------------------------------------------------------
    @property
    def nats_url(self) -> str:
        return self.settings.nats_url or f"nats://{self.settings.nats_host}:{self.settings.nats_port}"

    def child_env(self) -> dict[str, str]:
        env = dict(self.base_env)
        env["BACKOFFICE_VAR_DIR"] = str(self.var_dir)
        env["BACKOFFICE_NATS_URL"] = self.nats_url
        # Production refuses to start without a token of the operator's; elsewhere one is generated once.
        token = self.operator_token(create=self.settings.env != "production")
        if token and not env.get("BACKOFFICE_ADMIN_TOKEN_FILE"):  # with a file the services read it themselves
            env["BACKOFFICE_ADMIN_TOKEN"] = token
        env.update(wiring_env(env))
        env.setdefault("PYTHONUNBUFFERED", "1")
        return env

    def operator_token(self, *, create: bool = False) -> str | None:
        return operator_token(self.settings.model_copy(update={"var_dir": self.var_dir}), create=create)

    def urls(self) -> dict[str, str]:
        env = self.child_env()
        return {name: service_url(service_settings(name, env)) for name in SERVICES}

    def _set(self, name: str, state: str, detail: str = "") -> None:
        part = self.parts[name]
        if part.state != state:
            part.since = time.monotonic()
        part.state, part.detail = state, detail
        self.on_change(self.parts)

    # -- start -------------------------------------------------------------------------------
    def start_nats(self) -> None:
        if self.settings.nats_url:
            self._set("nats", "external", without_credentials(self.settings.nats_url))
            return
        host, port = self.settings.nats_host, self.settings.nats_port
        if port_is_open(host, port):
            raise LaunchError(
                f"port {port} is already in use: set BACKOFFICE_NATS_PORT to a free port, "
                "or BACKOFFICE_NATS_URL to use a running NATS"
            )
        self._set("nats", "starting", f"{host}:{port}")
        self.nats = nats_process(port, self.var_dir / "nats", self.var_dir / "log" / "nats.log", host=host)
        self.nats.start()
        wait_for_port(host, port, 20, self.nats)
        self._set("nats", "ready", self.nats_url)

    def check_ports(self) -> None:
        for name, url in self.urls().items():
            host, port = url.removeprefix("http://").rsplit(":", 1)
            if port_is_open(host, int(port)):
                raise LaunchError(
                    f"{name}: port {port} is already in use: set BACKOFFICE_{name.upper()}_PORT to a free port"
                )

    def migrate(self, names: list[str] | None = None) -> None:
        """Run every service's migrations (in parallel); raise with the log of any that failed."""
        env = self.child_env()
        procs = {}
        for name in names or list(SERVICES):
            self._set(name, "migrating")
            procs[name] = subprocess.Popen(
                [sys.executable, "-m", SERVICES[name], "migrate"],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )
        failures = []
        for name, proc in procs.items():
            out, _ = proc.communicate(timeout=self.settings.ready_timeout_s)
            if proc.returncode != 0:
                self._set(name, "failed", "migration failed")
                failures.append(f"{name}: migration failed:\n{out.decode(errors='replace')[-2000:]}")
            else:
                self._set(name, "migrated")
        if failures:
            raise LaunchError("\n".join(failures))

    def start_services(self) -> None:
        env = self.child_env()
        for name in SERVICES:
            proc = service_process(name, env, self.var_dir / "log" / f"{name}.log")
            proc.start()
            self.services[name] = proc
            self._set(name, "starting")
        self.write_state()

    def wait_ready(self) -> None:
        urls = self.urls()
        deadline = time.monotonic() + self.settings.ready_timeout_s
        pending = set(self.services)
        while pending:
            for name in sorted(pending):
                proc = self.services[name]
                if not proc.alive():
                    self._set(name, "failed", f"exited with {proc.proc.returncode if proc.proc else '?'}")
                    raise LaunchError(f"{name} exited during start; last lines of {proc.log_path}:\n{proc.tail()}")
                ok, body = ready(urls[name], timeout_s=1.0)
                if ok:
                    pending.discard(name)
                    self._set(name, "ready", urls[name])
                elif isinstance(body, dict):
                    self._set(name, "starting", ", ".join(f"{k} {v}" for k, v in body.get("checks", {}).items()))
            if pending and time.monotonic() > deadline:
                raise LaunchError(f"not ready after {self.settings.ready_timeout_s:.0f}s: {', '.join(sorted(pending))}")
            if pending:
                time.sleep(0.2)

    def up(self) -> None:
        self.start_nats()
        self.check_ports()
        # Each service migrates its own database before it serves (python -m backoffice.<name> serve).
        self.start_services()
        self.wait_ready()
        self.write_state()

    def seed_demo(self) -> list[str]:
        """Development only: a demo admin on first start; returns lines to show (the demo logins, the operator
        token when the launcher generated it)."""
        if self.settings.env == "production":
            return []
        return [*self._seed_demo(), *self._operator_lines()]

    def _operator_lines(self) -> list[str]:
        if self.settings.admin_token:
            return []  # the operator's own secret: not ours to print
        path = self.var_dir / OPERATOR_TOKEN_FILE
        token = self.operator_token()
        return [f"  operator token {token} (for /admin/* and the backoffice command; kept in {path})"] if token else []

    def _seed_demo(self) -> list[str]:
        demo = self.var_dir / "demo-logins.txt"
        if not demo.exists():
            result = subprocess.run(
                [sys.executable, "-m", SERVICES["gateway"], "seed-demo"],
                env=self.child_env(),
                capture_output=True,
                text=True,
                timeout=120,
            )
            if result.returncode != 0:
                return [f"demo data not loaded: {result.stderr.strip()[-300:]}"]
            if demo.exists():  # a new, empty suite: a small company to try it with
                from backoffice.suite import demo as demo_data

                admin_login, admin_password = demo.read_text().split()[:2]
                try:
                    people = demo_data.load(self.urls()["gateway"], admin_login, admin_password)
                except Exception as exc:
                    return [f"demo company not loaded: {exc}", *self._demo_lines(demo)]
                with demo.open("a") as file:
                    file.writelines(f"{login} {password} {who}\n" for login, password, who in people)
        return self._demo_lines(demo)

    @staticmethod
    def _demo_lines(demo: Path) -> list[str]:
        """``demo login <login> / <password>`` and who that is; the file holds ``login password who …`` a line."""
        if not demo.exists():
            return []
        lines = []
        for line in demo.read_text().splitlines():
            fields = line.split(maxsplit=2)
            if len(fields) >= 2:
                who = fields[2] if len(fields) == 3 else "Administrator (admin)"
                lines.append(f"  demo login {fields[0]} / {fields[1]}  {who}")
        return lines

    # -- run and stop ------------------------------------------------------------------------
    def watch(self, stop: threading.Event, on_crash: Callable[[Crash], None] | None = None) -> str | None:
        """Supervise until ``stop`` is set: a part that dies is restarted after a growing delay while the others
        keep serving. Return the name of a part that crashed more than ``restart_limit`` times within
        ``restart_window_s`` (the suite gives up), or None when stopped."""
        crashes: dict[str, list[float]] = {}
        due: dict[str, float] = {}  # part -> when to start it again
        recovering: set[str] = set()  # restarted, not ready yet
        urls = self.urls()
        while not stop.wait(0.5):
            now = time.monotonic()
            for name, proc in self._running_parts():
                if name in due or proc.alive():
                    continue
                code = proc.proc.returncode if proc.proc else None
                proc.stop(timeout_s=0)  # reaps it and closes its log
                window = [t for t in crashes.get(name, []) if now - t < self.settings.restart_window_s]
                crashes[name] = [*window, now]
                recovering.discard(name)
                if len(crashes[name]) > self.settings.restart_limit:
                    self._set(name, "failed", f"exited with {code}; {len(window)} restarts did not help")
                    if on_crash:
                        on_crash(Crash(name, code, proc.tail(), None))
                    return name
                delay = min(
                    self.settings.restart_backoff_s * 2 ** (len(crashes[name]) - 1), self.settings.restart_backoff_max_s
                )
                due[name] = now + delay
                self._set(name, "restarting", f"exited with {code}; starting again in {delay:.0f}s")
                if on_crash:
                    on_crash(Crash(name, code, proc.tail(), delay))
            for name, when in list(due.items()):
                if when <= now:
                    del due[name]
                    self._restart(name)
                    recovering.add(name)
            for name in sorted(recovering):
                if name == "nats" or ready(urls[name], timeout_s=1.0)[0]:
                    recovering.discard(name)
                    self._set(name, "ready", f"restarted ({self.parts[name].restarts})")
        return None

    def _running_parts(self) -> list[tuple[str, ManagedProcess]]:
        return [*([("nats", self.nats)] if self.nats else []), *self.services.items()]

    def _restart(self, name: str) -> None:
        """Start a part that died again, with the same command, environment and log (appended to)."""
        old = self.nats if name == "nats" else self.services[name]
        assert old is not None
        proc = ManagedProcess(old.name, old.args, old.env, old.log_path, cwd=old.cwd)
        proc.start()
        if name == "nats":
            self.nats = proc
        else:
            self.services[name] = proc
        self.parts[name].restarts += 1
        self._set(name, "starting", f"restart {self.parts[name].restarts}")
        self.write_state()

    def down(self) -> None:
        """Stop the services (in parallel, gracefully), then NATS; leave no process behind."""
        threads = []
        for name, proc in self.services.items():
            self._set(name, "stopping")
            t = threading.Thread(target=self._stop_one, args=(name, proc), daemon=True)
            t.start()
            threads.append(t)
        for t in threads:
            t.join()
        if self.nats is not None:
            self._set("nats", "stopping")
            self.nats.stop(timeout_s=10, sig=signal.SIGTERM)
            self._set("nats", "stopped")
        state = self.var_dir / STATE_FILE
        state.unlink(missing_ok=True)

    def _stop_one(self, name: str, proc: ManagedProcess) -> None:
        proc.stop(timeout_s=15)
        self._set(name, "stopped")

    def write_state(self) -> None:
        path = self.var_dir / STATE_FILE
        path.parent.mkdir(parents=True, exist_ok=True)
        state: dict[str, Any] = {
            "launcher_pid": os.getpid(),
            "nats": {"url": without_credentials(self.nats_url), "pid": self.nats.pid if self.nats else None},
            "services": {
                name: {
                    "url": url,
                    "pid": self.services[name].pid if name in self.services else None,
                    "restarts": self.parts[name].restarts,
                }
                for name, url in self.urls().items()
            },
        }
        state["nats"]["restarts"] = self.parts["nats"].restarts
        path.write_text(json.dumps(state, indent=2))


class LaunchError(RuntimeError):
    """The suite could not start; the message says why and what to change."""


def read_state(var_dir: Path) -> dict[str, Any] | None:
    """What the running suite wrote about itself in ``var_dir`` (``None`` when no suite runs there)."""
    path = var_dir.resolve() / STATE_FILE
    try:
        return json.loads(path.read_text())  # type: ignore[no-any-return]
    except (FileNotFoundError, json.JSONDecodeError):
        return None
