"""Events produced by docs-svc (stream ``DOCS``, subjects ``docs.>``)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

DOCUMENT_FILED = "docs.document_filed"


class DocumentFiled(BaseModel):
    """``docs.document_filed`` v1: a document was filed (subject: the document id)."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    document_id: str
    type: str
    employee_id: str | None = None
    title: str | None = None
