"""The docs service's tables (its own database), and the database for routes that open their own sessions."""

from __future__ import annotations

from typing import Annotated

from backoffice.shared.db import Database
from backoffice.shared.deps import app_state
from fastapi import Depends
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    pass


# For work that commits as it goes (a retention run), not for a route's own session (SessionDep).
DatabaseDep = Annotated[Database, Depends(app_state("db"))]
