"""Settings of the gateway (environment: BACKOFFICE_GATEWAY_<KEY>, then BACKOFFICE_<KEY>)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, ClassVar

from backoffice.shared.deps import app_settings
from backoffice.shared.settings import PLACEHOLDER_PREFIX, ServiceSettings
from fastapi import Depends
from limits import parse as parse_limit
from pydantic import BaseModel, Field, SecretStr, field_validator

DEV_KEY_SECRET = "dev-signing-key-secret-change-me"
# Where `make console` builds the console in a checkout (gateway/src/backoffice/gateway -> the repository).
CONSOLE_DIST = Path(__file__).resolve().parents[4] / "console" / "dist"


class RateLimitRule(BaseModel):
    """Limits for paths starting with ``prefix`` (the longest matching prefix applies)."""

    prefix: str = Field(pattern=r"^/")
    per_user: str | None = Field(default=None, description='e.g. "600/minute"; per signed-in user')
    per_address: str | None = Field(default=None, description="per client address")

    @field_validator("per_user", "per_address")
    @classmethod
    def _parses(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                parse_limit(value)
            except ValueError:
                raise ValueError(f"{value!r} is not a rate such as '600/minute' or '10/second'") from None
        return value


DEFAULT_RATE_LIMITS = [
    RateLimitRule(prefix="/api/", per_user="1200/minute", per_address="2400/minute"),
    RateLimitRule(prefix="/auth/", per_address="120/minute"),
]


# Routes that take files: a document's upload and its next version, the ledger's CSV import.
DEFAULT_UPLOAD_ROUTES = [
    r"^/api/docs/documents$",
    r"^/api/docs/documents/[^/]+/versions$",
    r"^/api/payroll/journal-entries/import$",
]


class GatewaySettings(ServiceSettings):
    service_name: ClassVar[str] = "gateway"
    stream_name: ClassVar[str] = "GATEWAY"
    default_port: ClassVar[int] = 8000

    # Upstreams
    hr_url: str = "http://127.0.0.1:8101"
    payroll_url: str = "http://127.0.0.1:8102"
    helpdesk_url: str = "http://127.0.0.1:8103"
    docs_url: str = "http://127.0.0.1:8104"
    upstream_connect_timeout_s: float = Field(default=2.0, gt=0)
    upstream_read_timeout_s: float = Field(default=60.0, gt=0)
    upstream_max_connections: int = Field(default=200, ge=1)
    breaker_failure_threshold: int = Field(default=5, ge=1, description="consecutive failures that open the breaker")
    breaker_reset_s: float = Field(default=5.0, gt=0, description="how long the breaker stays open before a probe")
    max_header_bytes: int = Field(default=16384, ge=1024)

    # Request bodies (refused with 413 past these, measured while they stream in)
    max_json_body_bytes: int = Field(default=1024 * 1024, ge=1024, description="any route but the upload routes")
    max_upload_body_bytes: int = Field(
        default=513 * 1024 * 1024,
        ge=1024,
        description="the upload routes; keep it a little above the docs service's BACKOFFICE_DOCS_MAX_UPLOAD_BYTES",
    )
    upload_routes: list[str] = Field(
        default_factory=lambda: list(DEFAULT_UPLOAD_ROUTES),
        description="regular expressions of the paths (after /api/) that take files",
    )

    # Metrics
    metrics_token: SecretStr | None = Field(
        default=None, description="bearer token a scraper sends to GET /metrics; unset: the gateway's /metrics is off"
    )

    # Tokens (access_token_ttl_s is a common setting: the services check tokens against it)
    refresh_token_ttl_days: int = Field(default=14, ge=1, le=365)
    activation_token_ttl_days: int = Field(default=7, ge=1, le=90)
    password_reset_ttl_hours: int = Field(default=24, ge=1, le=168, description="lifetime of a password reset token")
    signing_key_max_age_days: int = Field(default=30, ge=1, description="the signing key is rotated after this")
    signing_key_secret: SecretStr = SecretStr(DEV_KEY_SECRET)
    password_min_length: int = Field(default=10, ge=8, le=128)

    # Brute force and rate limits (docs/SECURITY.md, "Sign-in throttling")
    login_failures_per_account_address: str = Field(
        default="5/15 minutes", description="failed sign-ins to one login from one address; always applies"
    )
    login_failures_per_account: str = Field(
        default="50/15 minutes",
        description="failed sign-ins to one login from everywhere; not applied where the login signed in lately",
    )
    login_failures_per_address: str = Field(
        default="30/15 minutes",
        description="failed sign-ins from one address to any login; not applied where the login signed in lately",
    )
    login_known_address_days: int = Field(
        default=30, ge=1, le=365, description="how long a successful sign-in makes its address known for the login"
    )
    rate_limits: list[RateLimitRule] = Field(default_factory=lambda: list(DEFAULT_RATE_LIMITS))
    rate_limit_storage: str = Field(
        default="memory://", description="memory:// (one gateway) or redis://host:6379/0 (shared by replicas)"
    )

    rate_limit_key_prefix: str = Field(
        default="backoffice", pattern=r"^[A-Za-z0-9:_-]{1,64}$", description="namespace of the counters in Redis"
    )

    disabled_logins_refresh_s: float = Field(
        default=5.0,
        gt=0,
        le=300,
        description="how often the gateway reads which logins are disabled; their tokens are refused from then on",
    )

    # Browsers
    cors_origins: list[str] = Field(default_factory=list, description="front-end origins allowed to call the API")
    console_dir: Path = Field(
        default=CONSOLE_DIST,
        description="the built console (console/dist, made by `make console`), served at /; "
        "when it holds no index.html, / says how to build it",
    )

    @field_validator("login_failures_per_account_address", "login_failures_per_account", "login_failures_per_address")
    @classmethod
    def _rate(cls, value: str) -> str:
        try:
            parse_limit(value)
        except ValueError:
            raise ValueError(f"{value!r} is not a rate such as '5/15 minutes'") from None
        return value

    @field_validator("upload_routes")
    @classmethod
    def _patterns(cls, value: list[str]) -> list[str]:
        for pattern in value:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"{pattern!r} is not a regular expression: {exc}") from None
        return value

    @field_validator("metrics_token", mode="before")
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        return None if value == "" else value

    @field_validator("metrics_token")
    @classmethod
    def _long_enough(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and len(value.get_secret_value()) < 16:
            raise ValueError("use at least 16 characters (e.g. openssl rand -hex 32)")
        return value

    @field_validator("rate_limit_storage")
    @classmethod
    def _storage(cls, value: str) -> str:
        if not value.startswith(("memory://", "redis://", "rediss://")):
            raise ValueError("use memory:// or redis://host:port/db")
        return value

    def production_problems(self) -> list[tuple[str, str]]:
        problems = [p for p in super().production_problems() if p[0] != "signing_key_secret"]
        secret = self.signing_key_secret.get_secret_value()
        if secret == DEV_KEY_SECRET or secret.startswith(PLACEHOLDER_PREFIX) or not secret:
            problems.append(("signing_key_secret", "is unset or a placeholder: set a long random secret and keep it"))
        return problems

    def upstreams(self) -> dict[str, str]:
        return {"hr": self.hr_url, "payroll": self.payroll_url, "helpdesk": self.helpdesk_url, "docs": self.docs_url}


GatewaySettingsDep = Annotated[GatewaySettings, Depends(app_settings)]
