"""Each service's PostgreSQL role on Compose (``--stack=docker`` only): it reaches its own database and no other
(deploy/postgres-init.sh), with the password of its secret."""

from __future__ import annotations

import os

import pytest
from backoffice.testing import Stack
from backoffice.testing.stack import compose


def psql_as(role: str, database: str) -> tuple[int, str]:
    password = os.environ[f"{role.upper()}_DB_PASSWORD"]
    ran = compose(
        "exec", "-T", "-e", f"PGPASSWORD={password}", "postgres",
        "psql", "-h", "127.0.0.1", "-U", role, "-d", database, "-tAc", "select current_user",
    )  # fmt: skip
    return ran.returncode, ran.stdout + ran.stderr


def test_each_service_role_reaches_its_own_database_only(stack: Stack) -> None:
    if stack.mode != "docker":
        pytest.skip("reads the compose stack's PostgreSQL: --stack=docker only")
    assert psql_as("hr", "hr") == (0, "hr\n")
    for other in ("payroll", "postgres"):
        code, said = psql_as("hr", other)
        assert code != 0
        assert "permission denied for database" in said, said
