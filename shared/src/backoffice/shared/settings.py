"""Settings: one pydantic-settings class per service, read from the environment.

Every key is looked up first with the service's prefix (``BACKOFFICE_HR_DATABASE_URL``) and then
with the common prefix (``BACKOFFICE_DATABASE_URL`` is not useful, but ``BACKOFFICE_NATS_URL`` and
``BACKOFFICE_ENV`` are shared by all services). Any variable ``X`` may instead be given as a file:
``X_FILE=/path`` (Docker and Kubernetes secrets), or a file named ``X`` in ``BACKOFFICE_SECRETS_DIR``.
Production refuses placeholders (``replace-with-...``) and the demo values of the code.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, ClassVar, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from backoffice.shared.nats_servers import parse_nats_servers, without_credentials
from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import (
    BaseSettings,
    EnvSettingsSource,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

COMMON_PREFIX = "BACKOFFICE_"
SECRETS_DIR_VARIABLE = "BACKOFFICE_SECRETS_DIR"
FILE_SUFFIX = "_FILE"
PLACEHOLDER_PREFIX = "replace-with-"
# Secrets published in the code or its documentation at some point: never accepted in production.
KNOWN_DEMO_SECRETS = frozenset({"dev-signing-key-secret-change-me", "dev-admin-token-change-me"})
DAY_S = 86400.0
MIB = 1024**2
STREAM_BYTES = 256 * MIB  # each; the six streams reserve 1.5 GiB of JetStream's storage
# Settings every service has but each sets apart (its own database), so errors name BACKOFFICE_<SERVICE>_...
PER_SERVICE_FIELDS = frozenset({"database_url", "database_password", "port", "migrations_dir"})


# Settings of something all services share (the DLQ stream): a per-service value would fight the others'.
COMMON_ONLY_FIELDS = frozenset({"dlq_max_age_s", "dlq_max_bytes"})


class SettingSourceError(Exception):
    """A variable that cannot be used as given: a ``*_FILE`` or ``BACKOFFICE_SECRETS_DIR`` naming what cannot be
    read, a value given twice, a per-service value of a shared setting (the message is one line)."""


def _read_value_file(variable: str, path: Path) -> str:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SettingSourceError(f"{variable}: no file {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise SettingSourceError(f"{variable}: cannot read {path} ({reason})") from None
    # Editors and `echo` end a file with a newline that is not part of the secret.
    return text.removesuffix("\n").removesuffix("\r")


def _secrets_dir(environ: Mapping[str, str]) -> Path | None:
    value = environ.get(SECRETS_DIR_VARIABLE, "")
    if not value:
        return None
    path = Path(value)
    if not path.is_dir():
        raise SettingSourceError(f"{SECRETS_DIR_VARIABLE}: {path} is not a directory")
    return path


class FileSettingsSource(EnvSettingsSource):
    """Values of settings kept in files: ``<VARIABLE>_FILE=/path`` (``from_dir`` unset), or a file named as the
    variable in ``from_dir`` (``BACKOFFICE_SECRETS_DIR``, as Docker and Kubernetes mount secrets).

    Only the variables of the class's fields are looked at, so ``BACKOFFICE_DOCS_SMTP_CA_FILE`` stays the
    setting ``smtp_ca_file``. A variable given both itself and as ``_FILE`` is refused: which one was meant?
    """

    def __init__(self, settings_cls: type[BaseSettings], *, env_prefix: str, from_dir: Path | None = None):
        self._variable_prefix = env_prefix.upper()
        self._from_dir = from_dir
        super().__init__(settings_cls, env_prefix=env_prefix)

    def _load_env_vars(self) -> Mapping[str, str | None]:
        environ = {k.upper(): v for k, v in os.environ.items()}
        values: dict[str, str | None] = {}
        for field in self.settings_cls.model_fields:
            variable = f"{self._variable_prefix}{field.upper()}"
            if self._from_dir is not None:
                path = self._from_dir / variable
                if path.is_file():
                    values[variable.lower()] = _read_value_file(f"{SECRETS_DIR_VARIABLE} ({variable})", path)
                continue
            file_name = environ.get(variable + FILE_SUFFIX, "")
            if not file_name:
                continue
            if environ.get(variable):
                raise SettingSourceError(f"{variable} and {variable}{FILE_SUFFIX} are both set: keep only one")
            values[variable.lower()] = _read_value_file(variable + FILE_SUFFIX, Path(file_name))
        return values


def file_aware_sources(
    settings_cls: type[BaseSettings],
    init_settings: PydanticBaseSettingsSource,
    prefixes: tuple[str, ...],
) -> tuple[PydanticBaseSettingsSource, ...]:
    """Sources for ``prefixes`` (most specific first): for each, the variables and their ``_FILE`` files; then
    ``BACKOFFICE_SECRETS_DIR`` in the same order.

    A variable set together with its ``_FILE`` is refused, so the file may come first: then an empty variable
    (``X: ${X:-}`` in a compose file) does not hide its file.
    """
    sources: list[PydanticBaseSettingsSource] = [init_settings]
    for prefix in prefixes:
        sources += [
            FileSettingsSource(settings_cls, env_prefix=prefix),
            EnvSettingsSource(settings_cls, env_prefix=prefix),
        ]
    secrets_dir = _secrets_dir({k.upper(): v for k, v in os.environ.items()})
    if secrets_dir is not None:
        sources += [FileSettingsSource(settings_cls, env_prefix=p, from_dir=secrets_dir) for p in prefixes]
    return tuple(sources)


class ServiceSettings(BaseSettings):
    """Base settings of every service. Subclasses set ``service_name`` and ``model_config``."""

    service_name: ClassVar[str] = "service"
    stream_name: ClassVar[str] = "SERVICE"
    default_port: ClassVar[int] = 8100

    model_config = SettingsConfigDict(env_prefix=COMMON_PREFIX, extra="ignore")

    env: Literal["development", "production", "test"] = "development"
    host: str = "127.0.0.1"
    port: int = Field(default=0, ge=0, le=65535, description="0 means the service's default port")
    var_dir: Path = Path("var")
    database_url: str = Field(default="", description="SQLAlchemy async URL; empty means var/<service>.db")
    database_password: SecretStr | None = Field(
        default=None, description="put into DATABASE_URL as its password (any characters); unset: the URL's own"
    )
    db_pool_size: int = Field(default=10, ge=1, le=500)
    db_busy_timeout_ms: int = Field(default=5000, ge=0)
    nats_url: str = Field(
        default="nats://127.0.0.1:4223",
        description="the NATS server, or the members of a cluster separated by commas (nats:// or tls://, host:port)",
    )
    nats_connect_timeout_s: float = Field(default=60.0, gt=0, description="how long to wait for NATS at start")
    db_connect_timeout_s: float = Field(default=60.0, gt=0, description="how long to wait for the database at start")
    outbox_sweep_interval_s: float = Field(default=2.0, gt=0)
    outbox_batch_size: int = Field(default=200, ge=1, le=10000)
    consumer_max_deliver: int = Field(default=5, ge=1)
    consumer_ack_wait_s: float = Field(default=30.0, gt=0)
    consumer_backoff_base_s: float = Field(default=0.5, gt=0)
    consumer_batch_size: int = Field(default=50, ge=1, le=1000)
    stream_replicas: int = Field(default=1, ge=1, le=5)
    stream_duplicate_window_s: float = Field(default=1200.0, ge=600.0)
    stream_max_age_s: float = Field(
        default=30 * DAY_S, gt=0, description="events older than this leave the service's stream"
    )
    stream_max_bytes: int = Field(
        default=STREAM_BYTES, ge=-1, description="past this size the oldest events leave the stream; -1: no size limit"
    )
    dlq_max_age_s: float = Field(default=30 * DAY_S, gt=0, description="dead letters older than this leave DLQ")
    dlq_max_bytes: int = Field(default=STREAM_BYTES, ge=-1, description="size limit of the DLQ stream; -1: none")
    inbox_retention_s: float = Field(
        default=7 * DAY_S, gt=0, description="processed-event rows older than this are deleted"
    )
    inbox_prune_interval_s: float = Field(default=600.0, gt=0, description="how often old inbox rows are deleted")
    admin_token: SecretStr | None = Field(
        default=None,
        description="operator token for /admin/*; unset: only an admin's access token (required in production)",
    )
    access_token_ttl_s: int = Field(
        default=300,
        ge=30,
        le=3600,
        description="lifetime of the gateway's access tokens; services refuse tokens that claim to live longer",
    )
    jwks_url: str = Field(
        default="http://127.0.0.1:8000/.well-known/jwks.json",
        description="where the gateway publishes the keys that sign access tokens",
    )
    trusted_proxies: list[str] = Field(
        default_factory=list,
        description="addresses of load balancers whose X-Forwarded-For is believed (empty: none)",
    )
    company_timezone: str = Field(default="UTC", description="IANA zone of the company's dates (pay periods, ...)")
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    log_json: bool = True
    run_migrations_at_start: bool = True
    migrations_dir: Path | None = None

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        service_prefix = f"{COMMON_PREFIX}{cls.service_name.upper()}_"
        for field in sorted(COMMON_ONLY_FIELDS):
            own = f"{service_prefix}{field.upper()}"
            if any(name.upper() in (own, own + FILE_SUFFIX) for name in os.environ):
                raise SettingSourceError(
                    f"{own}: every service writes this stream, so set {COMMON_PREFIX}{field.upper()} for all instead"
                )
        return file_aware_sources(settings_cls, init_settings, (service_prefix, COMMON_PREFIX))

    @field_validator("database_password", mode="before")
    @classmethod
    def _empty_password_is_unset(cls, value: object) -> object:
        return None if value == "" else value

    @model_validator(mode="after")
    def _refuse_placeholder_secrets(self) -> ServiceSettings:
        if self.admin_token is not None and not self.admin_token.get_secret_value():
            self.admin_token = None  # an empty variable means no operator token, never an empty one
        if self.env != "production":
            return self
        if self.admin_token is None:
            raise ValueError("admin_token: set BACKOFFICE_ADMIN_TOKEN to a real secret in production")
        problems = [f"{self.variable(name)} {why}" for name, why in self.production_problems()]
        if problems:
            raise ValueError("; ".join(problems) + " (BACKOFFICE_ENV is production)")
        return self

    @field_validator("stream_max_bytes", "dlq_max_bytes")
    @classmethod
    def _stream_size(cls, value: int) -> int:
        if value != -1 and value < MIB:  # JetStream would drop each event as soon as it came
            raise ValueError("give at least 1048576 bytes (1 MiB), or -1 for no size limit")
        return value

    @model_validator(mode="after")
    def _limits_hold_the_duplicate_window(self) -> ServiceSettings:
        window = self.stream_duplicate_window_s
        for name in ("stream_max_age_s", "dlq_max_age_s", "inbox_retention_s"):
            if getattr(self, name) < window:
                raise ValueError(
                    f"{self.variable(name)} is {getattr(self, name):g}: use at least the duplicate window "
                    f"{self.variable('stream_duplicate_window_s')} ({window:g} s)"
                )
        return self

    @model_validator(mode="after")
    def _password_needs_a_server(self) -> ServiceSettings:
        if self.database_password is not None:
            try:
                sqlite = make_url(self.effective_url_without_password).get_backend_name() == "sqlite"
            except ArgumentError:
                return self  # the URL's own error is reported when the database is opened
            if sqlite:
                raise ValueError(
                    f"{self.variable('database_password')} is set but the database is SQLite: "
                    f"set {self.variable('database_url')} to the PostgreSQL server or unset the password"
                )
        return self

    # Values of the code that must not reach production (demo company details, development secrets).
    demo_values: ClassVar[dict[str, str]] = {}

    def production_problems(self) -> list[tuple[str, str]]:
        """(field, what is wrong) for each placeholder or demo value: refused in production."""
        problems: list[tuple[str, str]] = []
        for name in type(self).model_fields:
            value = getattr(self, name)
            text = value.get_secret_value() if isinstance(value, SecretStr) else value
            if not isinstance(text, str) or not text:
                continue
            if text.startswith(PLACEHOLDER_PREFIX):
                problems.append((name, f"is still a placeholder ({PLACEHOLDER_PREFIX}...): set the real value"))
            elif text in KNOWN_DEMO_SECRETS:
                problems.append((name, "is a published development secret: set a secret of your own"))
            elif name in self.demo_values and text == self.demo_values[name]:
                problems.append((name, f"is the demo value {text!r}: set your own"))
        password = self._url_password()
        if password is not None and password.startswith(PLACEHOLDER_PREFIX):
            problems.append(("database_url", "holds a placeholder password (replace-with-...): set the real one"))
        return problems

    def _url_password(self) -> str | None:
        try:
            return make_url(self.database_url).password if self.database_url else None
        except ArgumentError:
            return None

    @classmethod
    def variable(cls, field: str) -> str:
        """The variable an operator sets for ``field``: the common one for the settings every service shares."""
        if field in ServiceSettings.model_fields and field not in PER_SERVICE_FIELDS:
            return f"{COMMON_PREFIX}{field.upper()}"
        return cls.env_name(field)

    @field_validator("nats_url")
    @classmethod
    def _nats_servers(cls, value: str) -> str:
        return ",".join(parse_nats_servers(value))

    @property
    def nats_servers(self) -> list[str]:
        """The NATS servers to connect to, in the order given."""
        return parse_nats_servers(self.nats_url)

    @field_validator("company_timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r} (use an IANA name such as Europe/Paris)") from None
        return value

    @property
    def timezone(self) -> ZoneInfo:
        return ZoneInfo(self.company_timezone)

    @property
    def effective_port(self) -> int:
        return self.port or self.default_port

    @property
    def effective_url_without_password(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{(self.var_dir / f'{self.service_name}.db').as_posix()}"

    @property
    def effective_database_url(self) -> str:
        """``database_url`` (or the SQLite default) with ``database_password`` put in, escaped as URLs need."""
        url = self.effective_url_without_password
        if self.database_password is None:
            return url
        with_password = make_url(url).set(password=self.database_password.get_secret_value())
        return with_password.render_as_string(hide_password=False)

    @classmethod
    def env_name(cls, field: str) -> str:
        """The service-specific environment variable for a field."""
        return f"{COMMON_PREFIX}{cls.service_name.upper()}_{field.upper()}"


def _shown_input(cls: type[ServiceSettings], field: str, value: object) -> str:
    """The value an operator gave, as an error may show it: never a secret or a URL's password."""
    annotation = str(cls.model_fields[field].annotation) if field in cls.model_fields else ""
    if "SecretStr" in annotation:
        return "a hidden value"
    if field == "nats_url":  # one or several NATS URLs, each perhaps with a user and password
        return without_credentials(repr(value))
    if isinstance(value, str) and "://" in value:
        try:
            return repr(make_url(value).render_as_string(hide_password=True))
        except ArgumentError:
            return "a malformed URL"
    return repr(value)


def describe_settings_error(cls: type[ServiceSettings], exc: ValidationError) -> str:
    """One line naming the setting at fault, its environment variable and what is wrong."""
    parts = []
    for err in exc.errors():
        field = ".".join(str(p) for p in err["loc"]) or "settings"
        msg = err["msg"]
        if field == "settings" or not err["loc"]:
            parts.append(msg.removeprefix("Value error, "))
        else:
            shown = _shown_input(cls, str(err["loc"][0]), err.get("input"))
            msg = msg.removeprefix("Value error, ")
            parts.append(f"{cls.env_name(field)} (or {COMMON_PREFIX}{field.upper()}): {msg} (got {shown})")
    return f"{cls.service_name}: invalid setting: " + "; ".join(parts)


def load_settings(cls: type[Any]) -> Any:
    """Build settings or raise ``SystemExit`` with one line naming the setting (or the file) at fault."""
    try:
        return cls()
    except ValidationError as exc:
        raise SystemExit(describe_settings_error(cls, exc)) from None
    except SettingSourceError as exc:
        raise SystemExit(f"{cls.service_name}: invalid setting: {exc}") from None
