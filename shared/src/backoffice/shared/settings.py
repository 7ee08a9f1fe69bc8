"""Settings: one pydantic-settings class per service, read from the environment.

Every key is looked up first with the service's prefix (``BACKOFFICE_HR_DATABASE_URL``) and then
with the common prefix (``BACKOFFICE_DATABASE_URL`` is not useful, but ``BACKOFFICE_NATS_URL`` and
``BACKOFFICE_ENV`` are shared by all services). A placeholder secret is refused outside
development mode.
"""

from __future__ import annotations

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

COMMON_PREFIX = "BACKOFFICE_"


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
        return (
            init_settings,
            EnvSettingsSource(settings_cls, env_prefix=service_prefix),
            env_settings,  # the common BACKOFFICE_ prefix
            file_secret_settings,
        )

    @model_validator(mode="after")
    def _refuse_placeholder_secrets(self) -> ServiceSettings:
        if self.admin_token is not None and not self.admin_token.get_secret_value():
            self.admin_token = None  # an empty variable means no operator token, never an empty one
        if self.env == "production" and self.admin_token is None:
            raise ValueError("admin_token: set BACKOFFICE_ADMIN_TOKEN to a real secret in production")
        return self

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
    def effective_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{(self.var_dir / f'{self.service_name}.db').as_posix()}"

    @classmethod
    def env_name(cls, field: str) -> str:
        """The service-specific environment variable for a field."""
        return f"{COMMON_PREFIX}{cls.service_name.upper()}_{field.upper()}"


def describe_settings_error(cls: type[ServiceSettings], exc: ValidationError) -> str:
    """One line naming the setting at fault, its environment variable and what is wrong."""
    parts = []
    for err in exc.errors():
        field = ".".join(str(p) for p in err["loc"]) or "settings"
        msg = err["msg"]
        if field == "settings" or not err["loc"]:
            parts.append(msg.removeprefix("Value error, "))
        else:
            got = without_credentials(repr(err.get("input")))  # a URL may carry a password
            msg = msg.removeprefix("Value error, ")
            parts.append(f"{cls.env_name(field)} (or {COMMON_PREFIX}{field.upper()}): {msg} (got {got})")
    return f"{cls.service_name}: invalid setting: " + "; ".join(parts)


def load_settings(cls: type[Any]) -> Any:
    """Build settings or raise ``SystemExit`` with one line naming the setting at fault."""
    try:
        return cls()
    except ValidationError as exc:
        raise SystemExit(describe_settings_error(cls, exc)) from None
