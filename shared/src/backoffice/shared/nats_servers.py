"""The NATS servers a service connects to: ``BACKOFFICE_NATS_URL`` holds one URL or a comma-separated list (the
members of a cluster), and every message that names them hides the credentials a URL may carry."""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit

SCHEMES = ("nats", "tls")
_USERINFO = re.compile(r"(?P<scheme>[a-z][a-z0-9+.-]*://)[^/@\s,]*@", re.IGNORECASE)


def without_credentials(text: str) -> str:
    """``text`` with the ``user:password@`` of every URL in it replaced by ``***@``."""
    return _USERINFO.sub(r"\g<scheme>***@", text)


def parse_nats_servers(value: str | Iterable[str]) -> list[str]:
    """The server URLs of ``value`` (one URL, or several separated by commas, spaces allowed), in order.

    Each must be ``nats://`` or ``tls://`` with a host and a port; a ``ValueError`` names the first that is not
    (without its credentials)."""
    parts = value.split(",") if isinstance(value, str) else list(value)
    servers = [part.strip() for part in parts if part.strip()]
    if not servers:
        raise ValueError("give at least one NATS server, e.g. nats://127.0.0.1:4222 (several: comma-separated)")
    for server in servers:
        _check(server)
    if len(set(servers)) != len(servers):
        raise ValueError(f"a server is listed twice in {describe_servers(servers)}")
    return servers


def describe_servers(servers: Iterable[str]) -> str:
    """The servers as a log line may name them: comma-separated, without credentials."""
    return ", ".join(without_credentials(s) for s in servers)


def _check(server: str) -> None:
    shown = without_credentials(server)
    parts = urlsplit(server)
    if parts.scheme not in SCHEMES:
        raise ValueError(f"{shown!r} must start with nats:// or tls:// (several servers: separate them with commas)")
    try:
        port = parts.port
    except ValueError:
        port = None
    if not parts.hostname or port is None:
        raise ValueError(f"{shown!r} needs a host and a port, e.g. nats://nats-1:4222")
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        raise ValueError(f"{shown!r} must be only scheme://host:port (several servers: separate them with commas)")
