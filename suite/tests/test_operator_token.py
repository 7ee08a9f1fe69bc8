"""The operator token (``BACKOFFICE_ADMIN_TOKEN``): never a published value; generated once by the launcher."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from backoffice.shared.settings import ServiceSettings
from backoffice.suite.launcher import OPERATOR_TOKEN_FILE, Suite, SuiteSettings, operator_token


@pytest.mark.parametrize("env", ["development", "test"])
def test_without_a_token_services_have_none(monkeypatch: pytest.MonkeyPatch, env: str) -> None:
    monkeypatch.delenv("BACKOFFICE_ADMIN_TOKEN", raising=False)
    monkeypatch.setenv("BACKOFFICE_ENV", env)
    assert ServiceSettings().admin_token is None
    monkeypatch.setenv("BACKOFFICE_ADMIN_TOKEN", "")
    assert ServiceSettings().admin_token is None


def test_production_refuses_to_start_without_a_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BACKOFFICE_ADMIN_TOKEN", raising=False)
    with pytest.raises(ValueError, match="set BACKOFFICE_ADMIN_TOKEN"):
        ServiceSettings(env="production")


def test_the_launcher_generates_a_token_once_keeps_it_private_and_shows_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("BACKOFFICE_ADMIN_TOKEN", raising=False)
    settings = SuiteSettings(var_dir=tmp_path / "var", env="development")
    first = Suite(settings, env={}).child_env()["BACKOFFICE_ADMIN_TOKEN"]
    assert len(first) >= 40
    assert first != "dev-admin-token-change-me"
    kept = tmp_path / "var" / OPERATOR_TOKEN_FILE
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    suite = Suite(settings, env={})
    assert suite.child_env()["BACKOFFICE_ADMIN_TOKEN"] == first  # the same on every start
    assert operator_token(settings) == first  # what the backoffice command sends
    assert any(first in line for line in suite._operator_lines()), "printed with the demo logins"
    other = Suite(SuiteSettings(var_dir=tmp_path / "other", env="development"), env={}).child_env()
    assert other["BACKOFFICE_ADMIN_TOKEN"] != first  # random per suite, never a constant

    # The operator's own token wins, and is neither written down nor printed.
    own = SuiteSettings(var_dir=tmp_path / "own", env="development", admin_token="the operator's own secret")
    own_suite = Suite(own, env={})
    assert own_suite.child_env()["BACKOFFICE_ADMIN_TOKEN"] == "the operator's own secret"
    assert not (tmp_path / "own" / OPERATOR_TOKEN_FILE).exists()
    assert not any("secret" in line for line in own_suite._operator_lines())

    # Production generates nothing: the services refuse to start without the operator's token.
    prod = Suite(SuiteSettings(var_dir=tmp_path / "prod", env="production"), env={})
    assert "BACKOFFICE_ADMIN_TOKEN" not in prod.child_env()


def test_a_token_file_is_read_by_the_command_and_left_to_the_services(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("BACKOFFICE_ADMIN_TOKEN", raising=False)
    token_file = tmp_path / "admin-token"
    token_file.write_text("the token in a secret file\n")
    monkeypatch.setenv("BACKOFFICE_ADMIN_TOKEN_FILE", str(token_file))
    settings = SuiteSettings(var_dir=tmp_path / "var", env="development")
    assert operator_token(settings) == "the token in a secret file"  # what the backoffice command sends
    env = Suite(settings, env={"BACKOFFICE_ADMIN_TOKEN_FILE": str(token_file)}).child_env()
    # Passing the token beside its file would make the services refuse both; they read the file themselves.
    assert "BACKOFFICE_ADMIN_TOKEN" not in env
    assert env["BACKOFFICE_ADMIN_TOKEN_FILE"] == str(token_file)
    assert not (tmp_path / "var" / OPERATOR_TOKEN_FILE).exists()
