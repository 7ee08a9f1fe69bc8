"""Templates a company changed; the others are the defaults shipped in ``templates/``."""

from __future__ import annotations

from datetime import datetime

from backoffice.docs.database import Base
from backoffice.shared.db import UTCDateTime
from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column


class LetterTemplate(Base):
    __tablename__ = "letter_templates"

    kind: Mapped[str] = mapped_column(String(40), primary_key=True)
    body: Mapped[str] = mapped_column(Text, doc="Jinja2 (HTML subset: h1-h3, p, b, i, br, table, ul)")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_by: Mapped[str] = mapped_column(String(64))
