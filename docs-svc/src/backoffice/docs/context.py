"""What the service's domains work with beside a database session: the settings and the file storage."""

from __future__ import annotations

from dataclasses import dataclass

from backoffice.docs.settings import DocsSettings
from backoffice.docs.storage import Storage


@dataclass
class Context:
    settings: DocsSettings
    storage: Storage
