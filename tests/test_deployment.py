"""docker-compose.yml and the Dockerfiles, checked by reading them (no Docker engine runs here)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from backoffice.suite.launcher import service_settings
from backoffice.suite.processes import SERVICES

ROOT = Path(__file__).resolve().parents[1]
FOLDERS = {
    "gateway": "gateway",
    "hr": "hr-svc",
    "payroll": "payroll-svc",
    "helpdesk": "helpdesk-svc",
    "docs": "docs-svc",
}

Compose = dict[str, Any]  # docker-compose.yml as YAML reads it


@pytest.fixture(scope="module")
def compose() -> Compose:
    loaded: Compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return loaded


def test_compose_names_every_service_with_nats_and_postgres(compose: Compose) -> None:
    assert set(compose["services"]) == {"nats", "postgres", *SERVICES}
    assert "-js" in compose["services"]["nats"]["command"]
    for name in ("nats", "postgres"):
        assert "healthcheck" in compose["services"][name], f"{name} has no health check"
    # The services' health checks are in their Dockerfiles (HEALTHCHECK), checked below.


def test_only_the_gateway_is_published_on_8000(compose: Compose) -> None:
    published = {name: svc.get("ports") for name, svc in compose["services"].items() if svc.get("ports")}
    assert list(published) == ["gateway"]
    assert published["gateway"][0].endswith(":8000")


@pytest.mark.parametrize("name", list(SERVICES))
def test_each_service_builds_from_its_dockerfile_and_owns_its_database(compose: Compose, name: str) -> None:
    svc = compose["services"][name]
    dockerfile = ROOT / svc["build"]["context"] / svc["build"]["dockerfile"]
    assert dockerfile == ROOT / FOLDERS[name] / "Dockerfile"
    assert dockerfile.exists()
    assert svc["depends_on"] == {"nats": {"condition": "service_healthy"}, "postgres": {"condition": "service_healthy"}}
    env = svc["environment"]
    assert env["BACKOFFICE_NATS_URL"] == "nats://nats:4222"
    url = env[f"BACKOFFICE_{name.upper()}_DATABASE_URL"]
    assert url.startswith("postgresql+asyncpg://")
    assert url.endswith(f"@postgres:5432/{name}")
    init = (ROOT / "deploy" / "postgres-init.sql").read_text()
    assert f"CREATE DATABASE {name};" in init
    port = int(env[f"BACKOFFICE_{name.upper()}_PORT"])
    assert port == service_settings(name, {}).effective_port

    text = dockerfile.read_text()
    assert f'CMD ["python", "-m", "backoffice.{name}", "serve"]' in text
    assert f"EXPOSE {port}" in text
    assert f"--package backoffice-{name}" in text
    assert f"http://127.0.0.1:{port}/health/ready" in text
    assert re.search(r"^USER \w+", text, re.MULTILINE), "the service must not run as root"
    package = (ROOT / FOLDERS[name] / "pyproject.toml").read_text()
    assert f'name = "backoffice-{name}"' in package


def test_the_gateway_reaches_every_service_and_every_service_the_gateways_keys(compose: Compose) -> None:
    gateway = compose["services"]["gateway"]["environment"]
    for name in SERVICES:
        env = compose["services"][name]["environment"]
        assert env["BACKOFFICE_JWKS_URL"] == "http://gateway:8000/.well-known/jwks.json"
        if name != "gateway":
            port = env[f"BACKOFFICE_{name.upper()}_PORT"]
            assert gateway[f"BACKOFFICE_GATEWAY_{name.upper()}_URL"] == f"http://{name}:{port}"


def test_secrets_are_required_not_defaulted(compose: Compose) -> None:
    raw = (ROOT / "docker-compose.yml").read_text()
    secrets = ("BACKOFFICE_ADMIN_TOKEN", "POSTGRES_PASSWORD", "BACKOFFICE_SIGNING_KEY_SECRET")
    example = (ROOT / ".env.example").read_text()
    for secret in secrets:
        assert "${" + secret + ":?" in raw, secret
        assert f"\n{secret}=" in "\n" + example, secret
