"""Templates a company changed; the others are the defaults shipped in ``templates/``."""

from __future__ import annotations

from datetime import datetime

from backoffice.docs.database import Base
from backoffice.shared.db import UTCDateTime
from sqlalchemy import Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column


class LetterTemplate(Base):
    __tablename__ = "letter_templates"

    kind: Mapped[str] = mapped_column(String(40), primary_key=True)
    body: Mapped[str] = mapped_column(Text, doc="Jinja2 (HTML subset: h1-h3, p, b, i, br, table, ul)")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_by: Mapped[str] = mapped_column(String(64))


class LetterTemplateVersion(Base):
    """Every body a template was saved with, so an earlier one can be restored."""

    __tablename__ = "letter_template_versions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    number: Mapped[int] = mapped_column(Integer)
    body: Mapped[str] = mapped_column(Text)
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime)
    saved_by: Mapped[str] = mapped_column(String(64))

    __table_args__ = (UniqueConstraint("kind", "number", name="uq_letter_template_versions_number"),)
