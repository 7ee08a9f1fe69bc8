"""What the service's domains work with beside a database session: the settings and the file storage."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from backoffice.docs.settings import DocsSettings, DocsSettingsDep
from backoffice.docs.storage import Storage, StorageDep
from fastapi import Depends


@dataclass
class Context:
    settings: DocsSettings
    storage: Storage


def app_context(settings: DocsSettingsDep, storage: StorageDep) -> Context:
    """The running service's context, for routes."""
    return Context(settings=settings, storage=storage)


ContextDep = Annotated[Context, Depends(app_context)]
