"""Settings of the docs service (environment: BACKOFFICE_DOCS_<KEY>, then BACKOFFICE_<KEY>)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, ClassVar, Literal

from backoffice.shared.deps import app_settings
from backoffice.shared.settings import ServiceSettings
from fastapi import Depends
from pydantic import Field, SecretStr, field_validator, model_validator

MIB = 1024 * 1024
DEMO_COMPANY_NAME = "Backoffice Demo Company"
DEMO_SENDER = "backoffice@example.com"

DEFAULT_TYPE_ROLES = {
    "payslip": ["payroll"],
    "payroll_register": ["payroll"],
    "pay_register": ["hr", "payroll", "pay_auditor"],  # fair pay: figures only, by sex and category
    "remittance_advice": ["payroll"],
    "supplier_invoice": ["payroll"],
    "contract": ["hr"],
    "signed_contract": ["hr"],
    "employment_contract": ["hr"],
    "warning_letter": ["hr"],
    "termination_letter": ["hr"],
    "call_message": ["office"],
    "password_reset_notice": ["admin"],  # a security notice: the system files it, its owner and admins read it
    "letter": ["hr"],
}


class DocsSettings(ServiceSettings):
    service_name: ClassVar[str] = "docs"
    stream_name: ClassVar[str] = "DOCS"
    default_port: ClassVar[int] = 8104
    demo_values: ClassVar[dict[str, str]] = {"company_name": DEMO_COMPANY_NAME}

    storage_backend: Literal["local", "s3"] = Field(
        default="local", description="where files are kept: local (a directory) or s3 (an S3-compatible bucket)"
    )
    storage_dir: Path | None = Field(
        default=None, description="where the local storage keeps files; empty means <var dir>/docs-files"
    )
    s3_endpoint_url: str | None = Field(
        default=None,
        description="the S3-compatible server, e.g. https://minio.internal:9000; empty means AWS "
        "(https://s3.<region>.amazonaws.com)",
    )
    s3_bucket: str | None = Field(default=None, description="the bucket that holds the files (required for s3)")
    s3_region: str = Field(default="us-east-1", min_length=1, description="the region requests are signed for")
    s3_access_key_id: str | None = Field(default=None, description="access key id (required for s3)")
    s3_secret_access_key: SecretStr | None = Field(default=None, description="secret access key (required for s3)")
    s3_prefix: str = Field(default="", description="key prefix of the files in the bucket, e.g. docs/ (empty: none)")
    s3_addressing_style: Literal["path", "virtual"] = Field(
        default="path",
        description="path: <endpoint>/<bucket>/<key> (MinIO, Ceph); virtual: <bucket>.<endpoint host>/<key>",
    )
    s3_part_size_bytes: int = Field(
        default=8 * MIB,
        ge=5 * MIB,
        le=5 * 1024 * MIB,
        description="files smaller than this are sent in one request, larger ones in parts of this size "
        "(memory used per upload in progress)",
    )
    s3_verify_tls: bool = Field(default=True, description="check the server's TLS certificate")
    s3_ca_file: Path | None = Field(default=None, description="CA certificates to trust for the server (PEM)")
    s3_timeout_s: float = Field(default=60.0, gt=0, description="connect, read and write timeout of one request")
    s3_max_attempts: int = Field(
        default=4, ge=1, le=10, description="tries of a request that fails for a transient reason (5xx, network)"
    )
    s3_temp_dir: Path | None = Field(
        default=None,
        description="where files are downloaded for text extraction; empty means the system's temporary directory",
    )
    max_upload_bytes: int = Field(
        default=512 * 1024 * 1024, ge=1, description="largest file accepted by an upload (bytes)"
    )
    type_roles: dict[str, list[str]] = Field(
        default_factory=lambda: dict(DEFAULT_TYPE_ROLES),
        description="roles that file, read and change documents of each type (besides the owner and the linked "
        "employee); a type listed here is filed only by its roles and admins",
    )
    search_language: str = Field(
        default="simple", description="PostgreSQL text search configuration (simple: no stemming, any language)"
    )
    extracted_text_limit: int = Field(default=2_000_000, ge=1000, description="characters of text kept per version")

    company_name: str = Field(default=DEMO_COMPANY_NAME, description="printed on generated letters")
    auto_send_types: list[str] = Field(
        default_factory=list,
        description="generated documents of these types are sent at once to their recipients "
        "(payslip, warning_letter, termination_letter, remittance_advice, call_message)",
    )

    smtp_host: str | None = Field(default=None, description="mail server for deliveries; empty: deliveries wait")
    smtp_port: int = Field(default=587, ge=1, le=65535)
    smtp_starttls: bool = Field(default=True, description="upgrade the connection with STARTTLS (required for login)")
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_ca_file: Path | None = Field(default=None, description="CA certificates to trust for the server (PEM)")
    smtp_from: str = Field(default=DEMO_SENDER, description="sender address of deliveries")
    smtp_timeout_s: float = Field(default=30.0, gt=0)
    fax_domain: str | None = Field(
        default=None, description="e-mail-to-fax gateway: a fax to +33 1 23 45 67 89 goes to 33123456789@<domain>"
    )
    internal_email_domains: list[str] = Field(
        default_factory=list,
        description="the company's e-mail domains (example.com): anyone may send a document they may change to "
        "addresses there",
    )
    delivery_outside_roles: list[str] = Field(
        default_factory=lambda: ["office"],
        description="roles that send documents to any e-mail address and by fax (admins always; the roles of a "
        "document's type too, such as payroll for payslips and remittance advices)",
    )
    delivery_allowed_recipients: list[str] = Field(
        default_factory=list,
        description="e-mail addresses, @domains and fax numbers anyone may send to (an outside accountant, say)",
    )
    delivery_daily_limit: int = Field(
        default=100, ge=1, le=100_000, description="recipients one person may send documents to in 24 hours"
    )
    delivery_max_attempts: int = Field(default=8, ge=1, le=100)
    delivery_backoff_base_s: float = Field(default=30.0, gt=0, description="first retry delay; doubles each time")
    delivery_backoff_max_s: float = Field(default=3600.0, gt=0)
    delivery_interval_s: float = Field(default=5.0, gt=0, description="how often waiting deliveries are looked for")
    retention_interval_s: float = Field(default=3600.0, gt=0, description="how often retention policies are applied")

    @field_validator("s3_bucket", "s3_endpoint_url", "s3_access_key_id", mode="before")
    @classmethod
    def _empty_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("s3_endpoint_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError("use an http:// or https:// URL")
        return value

    @field_validator("internal_email_domains")
    @classmethod
    def _domains(cls, value: list[str]) -> list[str]:
        domains = [d.strip().lower().removeprefix("@") for d in value if d.strip()]
        bad = [d for d in domains if "@" in d or "." not in d or " " in d]
        if bad:
            raise ValueError(f"give domains such as example.com, not {', '.join(bad)}")
        return domains

    @model_validator(mode="after")
    def _s3_complete(self) -> DocsSettings:
        if self.storage_backend != "s3":
            return self
        secret = self.s3_secret_access_key.get_secret_value() if self.s3_secret_access_key else ""
        required = {
            "s3_bucket": self.s3_bucket,
            "s3_access_key_id": self.s3_access_key_id,
            "s3_secret_access_key": secret,
        }
        missing = [self.env_name(name) for name, value in required.items() if not value]
        if missing:
            raise ValueError(f"{self.env_name('storage_backend')} is s3, so set {' and '.join(missing)}")
        if self.s3_part_size_bytes * 10_000 < self.max_upload_bytes:
            raise ValueError(
                f"{self.env_name('s3_part_size_bytes')}: 10,000 parts of {self.s3_part_size_bytes} bytes cannot hold "
                f"an upload of {self.max_upload_bytes} bytes ({self.env_name('max_upload_bytes')})"
            )
        return self

    @model_validator(mode="after")
    def _smtp_login_over_tls(self) -> DocsSettings:
        if self.smtp_password is not None and not self.smtp_starttls:
            raise ValueError(
                f"{self.env_name('smtp_password')} is set but {self.env_name('smtp_starttls')} is false: "
                "the password would cross the network in clear; turn STARTTLS on"
            )
        return self

    def production_problems(self) -> list[tuple[str, str]]:
        problems = super().production_problems()
        if self.smtp_host and self.smtp_from == DEMO_SENDER:  # mail servers refuse a sender of example.com
            problems.append(("smtp_from", f"is the demo sender {DEMO_SENDER}: set the company's own address"))
        return problems

    def files_dir(self) -> Path:
        return self.storage_dir or (self.var_dir / "docs-files")


DocsSettingsDep = Annotated[DocsSettings, Depends(app_settings)]
