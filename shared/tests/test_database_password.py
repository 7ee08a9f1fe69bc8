"""A database password apart from its URL (``BACKOFFICE_<SVC>_DATABASE_PASSWORD``) reaches the driver unchanged,
whatever characters it holds, by the service's engine and by its migrations alike."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from backoffice.hr.settings import HrSettings
from backoffice.shared.db import Database
from backoffice.shared.migrations import alembic_config
from backoffice.shared.settings import load_settings
from backoffice.testing import ServiceStarter
from backoffice.testing.databases import TEST_DB_ENV, DatabaseFactory, pg_admin
from sqlalchemy import text
from sqlalchemy.engine import make_url

PASSWORD = "s3cr@t/%:#?&=+ p@ss%41"


def settings_for(monkeypatch: pytest.MonkeyPatch, url: str) -> HrSettings:
    monkeypatch.setenv("BACKOFFICE_HR_DATABASE_URL", url)
    monkeypatch.setenv("BACKOFFICE_HR_DATABASE_PASSWORD", PASSWORD)
    settings: HrSettings = load_settings(HrSettings)
    return settings


def password_sent_by(db: Database) -> str:
    """The password SQLAlchemy hands to asyncpg for this engine."""
    _, kwargs = db.engine.dialect.create_connect_args(db.engine.url)
    return str(kwargs["password"])


def scram_matches(verifier: str, password: str) -> bool:
    """Whether PostgreSQL's SCRAM-SHA-256 verifier of a role was made from ``password`` (RFC 5802/7677)."""
    method, rest = verifier.split("$", 1)
    iterations_salt, keys = rest.split("$")
    iterations, salt = iterations_salt.split(":")
    stored_key = keys.split(":")[0]
    salted = hashlib.pbkdf2_hmac("sha256", password.encode(), base64.b64decode(salt), int(iterations))
    client_key = hmac.new(salted, b"Client Key", hashlib.sha256).digest()
    return method == "SCRAM-SHA-256" and base64.b64encode(hashlib.sha256(client_key).digest()).decode() == stored_key


def test_the_url_carries_the_exact_password_escaped(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = settings_for(monkeypatch, "postgresql+asyncpg://hr@db.internal:5432/hr")
    url = settings.effective_database_url
    assert url.startswith("postgresql+asyncpg://hr:")
    assert url.endswith("@db.internal:5432/hr")
    assert "@" not in url.removeprefix("postgresql+asyncpg://hr:").removesuffix("@db.internal:5432/hr")
    db = Database(url)
    assert password_sent_by(db) == PASSWORD
    assert PASSWORD not in db.safe_url
    assert "***" in db.safe_url
    # Migrations read the URL back from Alembic's configuration (where % is special).
    migrations = alembic_config(Path("migrations"), db.url.render_as_string(hide_password=False))
    assert make_url(migrations.get_main_option("sqlalchemy.url") or "").password == PASSWORD


@pytest.fixture
async def role_with_password(tmp_path: Path) -> AsyncIterator[tuple[str, str]]:
    """A PostgreSQL role whose password holds @ % / : # and a database it owns."""
    if not DatabaseFactory(tmp_path).is_postgres:
        pytest.skip("needs PostgreSQL (BACKOFFICE_TEST_DATABASE_URL)")
    base = os.environ[TEST_DB_ENV]
    role = f"bo_test_role_{uuid.uuid4().hex[:8]}"
    quoted = PASSWORD.replace("'", "''")
    await pg_admin(base, f"CREATE ROLE {role} LOGIN PASSWORD '{quoted}'")
    await pg_admin(base, f"CREATE DATABASE {role} OWNER {role}")
    try:
        yield base, role
    finally:
        await pg_admin(base, f"DROP DATABASE IF EXISTS {role} WITH (FORCE)")
        await pg_admin(base, f"DROP ROLE IF EXISTS {role}")


async def stored_verifier(base: str, role: str) -> str:
    admin = Database(make_url(base).set(drivername="postgresql+asyncpg").render_as_string(hide_password=False))
    try:
        async with admin.connect() as conn:
            query = text("SELECT rolpassword FROM pg_authid WHERE rolname = :r")
            return str((await conn.execute(query, {"r": role})).scalar())
    finally:
        await admin.dispose()


async def test_a_role_with_such_a_password_connects_and_is_that_role(
    monkeypatch: pytest.MonkeyPatch, role_with_password: tuple[str, str]
) -> None:
    base, role = role_with_password
    url = make_url(base).set(drivername="postgresql+asyncpg", username=role, password=None, database=role)
    settings = settings_for(monkeypatch, url.render_as_string(hide_password=False))
    db = Database(settings.effective_database_url)
    try:
        async with db.connect() as conn:
            assert (await conn.execute(text("SELECT current_user, current_database()"))).one() == (role, role)
        sent = password_sent_by(db)
    finally:
        await db.dispose()
    # This server trusts loopback connections, so check the password another way: the role's stored SCRAM
    # verifier must come from the very password the engine sends.
    verifier = await stored_verifier(base, role)
    assert scram_matches(verifier, sent)
    assert not scram_matches(verifier, PASSWORD + "x")


def test_a_service_migrates_and_serves_with_its_password_from_a_file(
    role_with_password: tuple[str, str], start_service: ServiceStarter, tmp_path: Path
) -> None:
    """The migrations read the URL back from Alembic's configuration, where % means something: they must get the
    password unchanged too."""
    base, role = role_with_password
    (tmp_path / "hr-db-password").write_text(PASSWORD + "\n")
    url = make_url(base).set(drivername="postgresql+asyncpg", username=role, password=None, database=role)
    hr = start_service(
        "hr",
        database_url=url.render_as_string(hide_password=False),
        env={"BACKOFFICE_HR_DATABASE_PASSWORD_FILE": str(tmp_path / "hr-db-password")},
    )
    assert httpx.get(f"{hr.url}/health/ready").json()["checks"] == {"database": "ok", "nats": "ok"}
    log = next((tmp_path / "logs").glob("hr-*.log")).read_text()
    assert f"postgresql+asyncpg://{role}:***@" in log
    assert "s3cr@t" not in log
    assert "s3cr%40t" not in log
