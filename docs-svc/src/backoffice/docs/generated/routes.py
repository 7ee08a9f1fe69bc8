"""``/templates``: the letters generated from events."""

from __future__ import annotations

from backoffice.docs.generated import service
from backoffice.docs.generated.render import KINDS
from backoffice.docs.generated.service import TemplateIn, TemplateRead
from backoffice.shared.auth import CurrentUser
from backoffice.shared.db import SessionDep
from fastapi import APIRouter

router = APIRouter(prefix="/templates", tags=["templates"])


@router.get("", response_model=list[TemplateRead], summary="Every template, the company's or the default")
async def list_templates(user: CurrentUser, session: SessionDep) -> list[TemplateRead]:
    return [await service.read_template(session, user, kind) for kind in KINDS]


@router.get("/{kind}", response_model=TemplateRead, summary="One template")
async def read(kind: str, user: CurrentUser, session: SessionDep) -> TemplateRead:
    return await service.read_template(session, user, kind)


@router.put("/{kind}", response_model=TemplateRead, summary="Replace a template (checked against a sample)")
async def save(kind: str, body: TemplateIn, user: CurrentUser, session: SessionDep) -> TemplateRead:
    return await service.save_template(session, user, kind, body.body)


@router.delete("/{kind}", response_model=TemplateRead, summary="Back to the default template")
async def reset(kind: str, user: CurrentUser, session: SessionDep) -> TemplateRead:
    return await service.reset_template(session, user, kind)
