"""Settings of the docs service (environment: BACKOFFICE_DOCS_<KEY>, then BACKOFFICE_<KEY>)."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from backoffice.shared.settings import ServiceSettings
from pydantic import Field, SecretStr

DEFAULT_TYPE_ROLES = {
    "payslip": ["payroll"],
    "payroll_register": ["payroll"],
    "remittance_advice": ["payroll"],
    "supplier_invoice": ["payroll"],
    "contract": ["hr"],
    "warning_letter": ["hr"],
    "termination_letter": ["hr"],
    "call_message": ["office"],
    "letter": ["hr"],
}


class DocsSettings(ServiceSettings):
    service_name: ClassVar[str] = "docs"
    stream_name: ClassVar[str] = "DOCS"
    default_port: ClassVar[int] = 8104

    storage_dir: Path | None = Field(
        default=None, description="where the local storage keeps files; empty means <var dir>/docs-files"
    )
    max_upload_bytes: int = Field(
        default=512 * 1024 * 1024, ge=1, description="largest file accepted by an upload (bytes)"
    )
    type_roles: dict[str, list[str]] = Field(
        default_factory=lambda: dict(DEFAULT_TYPE_ROLES),
        description="roles that read and change documents of each type (besides the owner and the linked employee)",
    )
    search_language: str = Field(
        default="simple", description="PostgreSQL text search configuration (simple: no stemming, any language)"
    )
    extracted_text_limit: int = Field(default=2_000_000, ge=1000, description="characters of text kept per version")

    company_name: str = Field(default="Backoffice Demo Company", description="printed on generated letters")
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
    smtp_from: str = Field(default="backoffice@example.com", description="sender address of deliveries")
    smtp_timeout_s: float = Field(default=30.0, gt=0)
    fax_domain: str | None = Field(
        default=None, description="e-mail-to-fax gateway: a fax to +33 1 23 45 67 89 goes to 33123456789@<domain>"
    )
    delivery_max_attempts: int = Field(default=8, ge=1, le=100)
    delivery_backoff_base_s: float = Field(default=30.0, gt=0, description="first retry delay; doubles each time")
    delivery_backoff_max_s: float = Field(default=3600.0, gt=0)
    delivery_interval_s: float = Field(default=5.0, gt=0, description="how often waiting deliveries are looked for")
    retention_interval_s: float = Field(default=3600.0, gt=0, description="how often retention policies are applied")

    def files_dir(self) -> Path:
        return self.storage_dir or (self.var_dir / "docs-files")
