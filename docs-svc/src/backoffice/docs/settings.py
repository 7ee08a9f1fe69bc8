"""Settings of the docs service (environment: BACKOFFICE_DOCS_<KEY>, then BACKOFFICE_<KEY>)."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from backoffice.shared.settings import ServiceSettings
from pydantic import Field

DEFAULT_TYPE_ROLES = {
    "payslip": ["payroll"],
    "payroll_register": ["payroll"],
    "remittance_advice": ["payroll"],
    "supplier_invoice": ["payroll"],
    "contract": ["hr"],
    "warning_letter": ["hr"],
    "termination_letter": ["hr"],
    "call_message": ["office"],
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

    def files_dir(self) -> Path:
        return self.storage_dir or (self.var_dir / "docs-files")
