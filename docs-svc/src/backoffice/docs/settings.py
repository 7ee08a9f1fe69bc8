"""Settings of the docs service (environment: BACKOFFICE_DOCS_<KEY>, then BACKOFFICE_<KEY>)."""

from __future__ import annotations

from typing import ClassVar

from backoffice.shared.settings import ServiceSettings


class DocsSettings(ServiceSettings):
    service_name: ClassVar[str] = "docs"
    stream_name: ClassVar[str] = "DOCS"
    default_port: ClassVar[int] = 8104
