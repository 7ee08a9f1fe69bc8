"""How long documents of each type are kept."""

from __future__ import annotations

from datetime import datetime

from backoffice.docs.database import Base
from backoffice.shared.db import UTCDateTime
from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column


class RetentionPolicy(Base):
    __tablename__ = "retention_policies"

    type: Mapped[str] = mapped_column(String(60), primary_key=True)
    trash_after_days: Mapped[int] = mapped_column(Integer, doc="from filing, into the trash")
    delete_after_days: Mapped[int] = mapped_column(Integer, doc="from filing, the files deleted")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_by: Mapped[str] = mapped_column(String(64))
