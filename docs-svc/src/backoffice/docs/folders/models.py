"""Folders: a tree of names that documents are filed in."""

from __future__ import annotations

from datetime import datetime

from backoffice.docs.database import Base
from backoffice.shared.db import UTCDateTime
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column


class Folder(Base):
    __tablename__ = "folders"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    parent_id: Mapped[str | None] = mapped_column(ForeignKey("folders.id"))
    path: Mapped[str] = mapped_column(String(2000), unique=True, doc="'/HR/Contracts': names from the root")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[str] = mapped_column(String(64))
