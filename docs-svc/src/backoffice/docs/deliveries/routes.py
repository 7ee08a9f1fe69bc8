"""``/documents/{id}/deliveries`` and ``/deliveries``: sending by e-mail and fax."""

from __future__ import annotations

import asyncio
from typing import Annotated

from backoffice.docs.deliveries import service
from backoffice.docs.deliveries.schemas import DeliveryCreate, DeliveryPage, DeliveryRead
from backoffice.docs.settings import DocsSettingsDep
from backoffice.shared.actors import name_actors
from backoffice.shared.auth import CurrentUser
from backoffice.shared.db import SessionDep
from backoffice.shared.deps import app_state
from backoffice.shared.paging import Limit, Offset
from fastapi import APIRouter, Depends, Query

router = APIRouter(tags=["deliveries"])

# Set when a delivery is queued: the delivery loop (app.py) wakes up at once.
DeliveryWake = Annotated[asyncio.Event, Depends(app_state("delivery_wake"))]


@router.post(
    "/documents/{document_id}/deliveries",
    status_code=201,
    response_model=list[DeliveryRead],
    summary="Send a document by e-mail or fax, one delivery per recipient",
    description="Who may send to whom: the office, admins and the roles of the document's type send anywhere; "
    "others send to their own address, the company's domains and the allowed recipients. At most "
    "DELIVERY_DAILY_LIMIT recipients per person in 24 hours (429 with Retry-After beyond). "
    "Also checked, beyond what the schema says: a recipient's form depends on channel (an e-mail address "
    "for email, 6 to 15 digits with the country code for fax).",
    responses={403: {"description": "a recipient you may not send to"}, 429: {"description": "daily limit"}},
)
async def send(
    document_id: str,
    body: DeliveryCreate,
    user: CurrentUser,
    session: SessionDep,
    settings: DocsSettingsDep,
    wake: DeliveryWake,
) -> list[DeliveryRead]:
    rows = await service.request_delivery(session, user, settings, document_id, body)
    wake.set()
    return await name_actors(session, rows)


@router.get(
    "/documents/{document_id}/deliveries", response_model=DeliveryPage, summary="Where it was sent, newest first"
)
async def of_document(
    document_id: str, user: CurrentUser, session: SessionDep, limit: Limit = 100, offset: Offset = 0
) -> DeliveryPage:
    return await name_actors(session, await service.list_for_document(session, user, document_id, limit, offset))


@router.get("/deliveries", response_model=DeliveryPage, summary="The delivery queue (office, admins), newest first")
async def queue(
    user: CurrentUser,
    session: SessionDep,
    status: Annotated[str | None, Query(pattern="^(queued|sent|delivered|failed)$")] = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> DeliveryPage:
    return await name_actors(session, await service.list_deliveries(session, user, status, limit, offset))
