"""Settings from files (``X_FILE``, ``BACKOFFICE_SECRETS_DIR``), the database password apart from its URL, and
what production refuses: each refusal is one line naming the variable to set."""

from __future__ import annotations

from pathlib import Path

import pytest
from backoffice.docs.settings import DocsSettings
from backoffice.gateway.settings import GatewaySettings
from backoffice.hr.settings import HrSettings
from backoffice.payroll.settings import PayrollSettings
from backoffice.shared.settings import ServiceSettings, load_settings
from sqlalchemy.engine import make_url

PASSWORD = "p@ss%w/rd:#?&=+ é"
REAL = {
    "BACKOFFICE_ENV": "production",
    "BACKOFFICE_ADMIN_TOKEN": "a-real-operator-token-0123456789",
}
REAL_COMPANY = {
    "BACKOFFICE_PAYROLL_COMPANY_NAME": "Acme Industrias SL",
    "BACKOFFICE_PAYROLL_COMPANY_IBAN": "ES9121000418450200051332",
    "BACKOFFICE_PAYROLL_COMPANY_BIC": "CAIXESBBXXX",
}


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    for name in list(os.environ):
        if name.startswith("BACKOFFICE_"):
            monkeypatch.delenv(name)


def given(monkeypatch: pytest.MonkeyPatch, **variables: str) -> None:
    for name, value in variables.items():
        monkeypatch.setenv(name, value)


def refusal(cls: type[ServiceSettings]) -> str:
    with pytest.raises(SystemExit) as exc:
        load_settings(cls)
    message = str(exc.value.code)
    assert "\n" not in message
    return message


def write(path: Path, text: str) -> str:
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_a_file_gives_a_setting_with_its_trailing_newline_dropped(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    given(
        monkeypatch,
        BACKOFFICE_ADMIN_TOKEN_FILE=write(tmp_path / "token", "token with spaces  \n"),
        BACKOFFICE_HR_DISCIPLINE_LADDER_FILE=write(tmp_path / "ladder", '["oral", "final"]\n'),  # parsed as JSON
        BACKOFFICE_HR_PORT_FILE=write(tmp_path / "port", "9101\r\n"),
    )
    settings = load_settings(HrSettings)
    assert settings.admin_token.get_secret_value() == "token with spaces  "
    assert settings.discipline_ladder == ["oral", "final"]
    assert settings.port == 9101


def test_a_variable_whose_name_ends_in_file_is_still_that_setting(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    ca = write(tmp_path / "ca.pem", "not read")
    given(monkeypatch, BACKOFFICE_DOCS_SMTP_CA_FILE=ca)
    assert load_settings(DocsSettings).smtp_ca_file == Path(ca)


def test_the_more_specific_name_wins_then_files_then_the_secrets_dir(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    secrets = tmp_path / "secrets"
    secrets.mkdir()
    write(secrets / "BACKOFFICE_ADMIN_TOKEN", "from-the-secrets-dir\n")
    write(secrets / "BACKOFFICE_HR_DATABASE_PASSWORD", "dir-password")
    given(monkeypatch, BACKOFFICE_SECRETS_DIR=str(secrets), BACKOFFICE_DATABASE_URL="postgresql+asyncpg://db/x")
    assert load_settings(HrSettings).admin_token.get_secret_value() == "from-the-secrets-dir"
    assert load_settings(HrSettings).database_password.get_secret_value() == "dir-password"
    assert load_settings(PayrollSettings).database_password is None  # another service's file

    given(monkeypatch, BACKOFFICE_ADMIN_TOKEN_FILE=write(tmp_path / "common", "common-file"))
    assert load_settings(HrSettings).admin_token.get_secret_value() == "common-file"
    given(monkeypatch, BACKOFFICE_HR_ADMIN_TOKEN="hr-variable")
    assert load_settings(HrSettings).admin_token.get_secret_value() == "hr-variable"
    assert load_settings(PayrollSettings).admin_token.get_secret_value() == "common-file"


def test_an_empty_variable_beside_its_file_is_unset(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Compose files pass ``X: ${X:-}`` beside ``X_FILE``: the file gives the value."""
    given(monkeypatch, BACKOFFICE_ADMIN_TOKEN="", BACKOFFICE_ADMIN_TOKEN_FILE=write(tmp_path / "t", "from-file"))
    assert load_settings(HrSettings).admin_token.get_secret_value() == "from-file"


def test_a_variable_set_both_ways_is_refused(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    given(monkeypatch, BACKOFFICE_ADMIN_TOKEN="inline", BACKOFFICE_ADMIN_TOKEN_FILE=write(tmp_path / "t", "file"))
    assert refusal(HrSettings) == (
        "hr: invalid setting: BACKOFFICE_ADMIN_TOKEN and BACKOFFICE_ADMIN_TOKEN_FILE are both set: keep only one"
    )


def test_a_file_that_cannot_be_read_is_named_with_its_variable(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    given(monkeypatch, BACKOFFICE_HR_DATABASE_PASSWORD_FILE=str(tmp_path / "missing"))
    assert (
        refusal(HrSettings) == f"hr: invalid setting: BACKOFFICE_HR_DATABASE_PASSWORD_FILE: no file {tmp_path}/missing"
    )
    given(monkeypatch, BACKOFFICE_HR_DATABASE_PASSWORD_FILE=str(tmp_path))
    assert refusal(HrSettings).startswith(
        f"hr: invalid setting: BACKOFFICE_HR_DATABASE_PASSWORD_FILE: cannot read {tmp_path} ("
    )
    given(monkeypatch, BACKOFFICE_HR_DATABASE_PASSWORD_FILE=write(tmp_path / "ok", "x"))
    given(monkeypatch, BACKOFFICE_SECRETS_DIR=str(tmp_path / "nowhere"))
    assert refusal(HrSettings) == f"hr: invalid setting: BACKOFFICE_SECRETS_DIR: {tmp_path}/nowhere is not a directory"


def test_the_database_password_is_put_into_the_url_escaped(monkeypatch: pytest.MonkeyPatch) -> None:
    given(
        monkeypatch,
        BACKOFFICE_HR_DATABASE_URL="postgresql+asyncpg://hr:old@db.internal:5432/hr",
        BACKOFFICE_HR_DATABASE_PASSWORD=PASSWORD,
    )
    settings = load_settings(HrSettings)
    url = settings.effective_database_url
    assert PASSWORD not in url  # escaped: '@', '/', ':', '#' would break the URL
    parsed = make_url(url)
    assert (parsed.username, parsed.password, parsed.host, parsed.port, parsed.database) == (
        "hr",
        PASSWORD,
        "db.internal",
        5432,
        "hr",
    )
    assert "p@ss" not in repr(settings)
    assert "p%40ss" not in repr(settings)


def test_a_database_password_for_sqlite_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    given(monkeypatch, BACKOFFICE_HR_DATABASE_PASSWORD="secret")
    assert refusal(HrSettings) == (
        "hr: invalid setting: BACKOFFICE_HR_DATABASE_PASSWORD is set but the database is SQLite: set "
        "BACKOFFICE_HR_DATABASE_URL to the PostgreSQL server or unset the password"
    )


def test_errors_never_show_a_secret_or_a_urls_password(monkeypatch: pytest.MonkeyPatch) -> None:
    given(
        monkeypatch,
        BACKOFFICE_GATEWAY_METRICS_TOKEN="short-secret",
        BACKOFFICE_GATEWAY_PORT="http://user:topsecret@host",
    )
    message = refusal(GatewaySettings)
    assert "BACKOFFICE_GATEWAY_METRICS_TOKEN" in message
    assert "BACKOFFICE_GATEWAY_PORT" in message
    assert "short-secret" not in message
    assert "topsecret" not in message


@pytest.mark.parametrize(
    ("cls", "variables", "expected"),
    [
        (
            HrSettings,
            {"BACKOFFICE_ADMIN_TOKEN": "replace-with-a-long-random-token"},
            "hr: invalid setting: BACKOFFICE_ADMIN_TOKEN is still a placeholder (replace-with-...): set the real "
            "value (BACKOFFICE_ENV is production)",
        ),
        (
            HrSettings,
            {"BACKOFFICE_ADMIN_TOKEN": "dev-admin-token-change-me"},
            "hr: invalid setting: BACKOFFICE_ADMIN_TOKEN is a published development secret: set a secret of your "
            "own (BACKOFFICE_ENV is production)",
        ),
        (
            HrSettings,
            {"BACKOFFICE_HR_DATABASE_URL": "postgresql+asyncpg://hr:replace-with-a-strong-password@db/hr"},
            "hr: invalid setting: BACKOFFICE_HR_DATABASE_URL holds a placeholder password (replace-with-...): set the "
            "real one (BACKOFFICE_ENV is production)",
        ),
        (
            PayrollSettings,
            {},
            "payroll: invalid setting: BACKOFFICE_PAYROLL_COMPANY_NAME is the demo value 'Backoffice Demo Ltd': set "
            "your own; BACKOFFICE_PAYROLL_COMPANY_IBAN is the demo value 'DE89370400440532013000': set your own; "
            "BACKOFFICE_PAYROLL_COMPANY_BIC is the demo value 'COBADEFFXXX': set your own (BACKOFFICE_ENV is "
            "production)",
        ),
        (
            GatewaySettings,
            {},
            "gateway: invalid setting: BACKOFFICE_GATEWAY_SIGNING_KEY_SECRET is unset or a placeholder: set a long "
            "random secret and keep it (BACKOFFICE_ENV is production)",
        ),
        (
            GatewaySettings,
            {"BACKOFFICE_SIGNING_KEY_SECRET": "replace-with-another-long-random-secret"},
            "gateway: invalid setting: BACKOFFICE_GATEWAY_SIGNING_KEY_SECRET is unset or a placeholder: set a long "
            "random secret and keep it (BACKOFFICE_ENV is production)",
        ),
        (
            DocsSettings,
            {"BACKOFFICE_DOCS_COMPANY_NAME": "Acme", "BACKOFFICE_DOCS_SMTP_HOST": "mail.internal"},
            "docs: invalid setting: BACKOFFICE_DOCS_SMTP_FROM is the demo sender backoffice@example.com: set the "
            "company's own address (BACKOFFICE_ENV is production)",
        ),
    ],
)
def test_production_refuses_placeholders_and_demo_values_in_one_line(
    monkeypatch: pytest.MonkeyPatch, cls: type[ServiceSettings], variables: dict[str, str], expected: str
) -> None:
    given(monkeypatch, **{**REAL, **variables})
    assert refusal(cls) == expected
    given(monkeypatch, BACKOFFICE_ENV="development")
    load_settings(cls)  # development keeps accepting them
    given(monkeypatch, BACKOFFICE_ENV="test")
    load_settings(cls)


def test_production_starts_with_real_values(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    given(monkeypatch, **REAL, **REAL_COMPANY)
    given(monkeypatch, BACKOFFICE_GATEWAY_SIGNING_KEY_SECRET_FILE=write(tmp_path / "key", "k" * 40 + "\n"))
    given(monkeypatch, BACKOFFICE_DOCS_COMPANY_NAME="Acme", BACKOFFICE_DOCS_SMTP_HOST="mail.internal")
    given(monkeypatch, BACKOFFICE_DOCS_SMTP_FROM="office@acme.example")
    assert load_settings(PayrollSettings).company_iban == "ES9121000418450200051332"
    assert load_settings(GatewaySettings).signing_key_secret.get_secret_value() == "k" * 40
    assert load_settings(DocsSettings).smtp_from == "office@acme.example"


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("BACKOFFICE_STREAM_MAX_AGE_S", "300"),
        ("BACKOFFICE_DLQ_MAX_AGE_S", "599"),
        ("BACKOFFICE_INBOX_RETENTION_S", "60"),
    ],
)
def test_limits_shorter_than_the_duplicate_window_are_refused(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str
) -> None:
    given(monkeypatch, **{variable: value})
    assert refusal(HrSettings) == (
        f"hr: invalid setting: {variable} is {value}: use at least the duplicate window "
        "BACKOFFICE_STREAM_DUPLICATE_WINDOW_S (1200 s)"
    )


def test_stream_limits_have_defaults_and_per_service_values(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = load_settings(HrSettings)
    assert (settings.stream_max_age_s, settings.stream_max_bytes) == (30 * 86400, 256 * 1024**2)
    assert (settings.dlq_max_age_s, settings.dlq_max_bytes) == (30 * 86400, 256 * 1024**2)
    assert settings.inbox_retention_s == 7 * 86400
    given(monkeypatch, BACKOFFICE_STREAM_MAX_BYTES="-1", BACKOFFICE_HR_STREAM_MAX_AGE_S="86400")
    settings = load_settings(HrSettings)
    assert (settings.stream_max_age_s, settings.stream_max_bytes) == (86400, -1)
    assert load_settings(PayrollSettings).stream_max_age_s == 30 * 86400


@pytest.mark.parametrize("value", ["0", "4096", "-2"])
def test_a_stream_size_too_small_to_hold_events_is_refused(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    given(monkeypatch, BACKOFFICE_DLQ_MAX_BYTES=value)
    message = refusal(HrSettings)
    assert message.startswith("hr: invalid setting: BACKOFFICE_HR_DLQ_MAX_BYTES (or BACKOFFICE_DLQ_MAX_BYTES): ")
    assert f"(got {value})" in message or f"(got '{value}')" in message


def test_the_dlq_limits_are_set_for_all_services_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    given(monkeypatch, BACKOFFICE_DLQ_MAX_AGE_S=str(3 * 86400))
    assert load_settings(PayrollSettings).dlq_max_age_s == 3 * 86400
    given(monkeypatch, BACKOFFICE_PAYROLL_DLQ_MAX_AGE_S=str(5 * 86400))
    assert refusal(PayrollSettings) == (
        "payroll: invalid setting: BACKOFFICE_PAYROLL_DLQ_MAX_AGE_S: every service writes this stream, so set "
        "BACKOFFICE_DLQ_MAX_AGE_S for all instead"
    )
