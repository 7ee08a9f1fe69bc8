"""``/openings``, ``/candidates``, ``/applications``, ``/interviews``, ``/offers``, ``/hiring/report``."""

from __future__ import annotations

from typing import Annotated

from backoffice.hr.hiring import applications, candidates, interviews, offers, openings
from backoffice.hr.hiring import report as reports
from backoffice.hr.hiring.models import OpeningStatus
from backoffice.hr.hiring.schemas import (
    ApplicationCreate,
    ApplicationPage,
    ApplicationRead,
    CandidateCreate,
    CandidatePage,
    CandidateRead,
    Closing,
    FeedbackCreate,
    HiringReport,
    HiringStages,
    InterviewCreate,
    InterviewPage,
    InterviewRead,
    OfferCreate,
    OfferPage,
    OfferRead,
    OpeningCreate,
    OpeningPage,
    OpeningRead,
    OpeningStatusChange,
    StageChange,
)
from backoffice.hr.settings import HrSettingsDep
from backoffice.shared.actors import name_actors
from backoffice.shared.auth import CurrentUser
from backoffice.shared.dates import IsoDate
from backoffice.shared.db import SessionDep
from backoffice.shared.deps import CompanyToday, CompanyZone
from backoffice.shared.errors import Unprocessable
from backoffice.shared.paging import Limit, Offset
from fastapi import APIRouter, Query

router = APIRouter(tags=["hiring"])


@router.post(
    "/openings",
    response_model=OpeningRead,
    status_code=201,
    summary="Draft a job opening",
    description="Also checked, beyond what the schema says: closing_date is today or later.",
)
async def create_opening(
    body: OpeningCreate, user: CurrentUser, session: SessionDep, today: CompanyToday
) -> OpeningRead:
    return await name_actors(
        session, OpeningRead.model_validate(await openings.create_opening(session, user, body, today))
    )


@router.get("/openings", response_model=OpeningPage, summary="Openings (a hiring manager sees theirs), newest first")
async def list_openings(
    user: CurrentUser, session: SessionDep, status: OpeningStatus | None = None, limit: Limit = 50, offset: Offset = 0
) -> OpeningPage:
    return await name_actors(session, await openings.list_openings(session, user, status, limit, offset))


@router.get("/openings/{opening_id}", response_model=OpeningRead, summary="One opening")
async def read_opening(opening_id: str, user: CurrentUser, session: SessionDep) -> OpeningRead:
    return await name_actors(session, await openings.read_opening(session, user, opening_id))


@router.post("/openings/{opening_id}/approve", response_model=OpeningRead, summary="HR approves: it opens")
async def approve_opening(opening_id: str, user: CurrentUser, session: SessionDep) -> OpeningRead:
    return await name_actors(
        session, OpeningRead.model_validate(await openings.approve_opening(session, user, opening_id))
    )


@router.post("/openings/{opening_id}/status", response_model=OpeningRead, summary="Hold, reopen or cancel")
async def change_opening(
    opening_id: str, body: OpeningStatusChange, user: CurrentUser, session: SessionDep
) -> OpeningRead:
    return await name_actors(
        session, OpeningRead.model_validate(await openings.change_opening(session, user, opening_id, body.status))
    )


@router.get("/openings/{opening_id}/applications", response_model=ApplicationPage, summary="Its pipeline, newest first")
async def list_applications(
    opening_id: str,
    user: CurrentUser,
    session: SessionDep,
    stage: Annotated[str | None, Query(max_length=40)] = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> ApplicationPage:
    return await name_actors(
        session, await applications.list_applications(session, user, opening_id, stage, limit, offset)
    )


@router.post("/candidates", response_model=CandidateRead, status_code=201, summary="Add a candidate")
async def create_candidate(body: CandidateCreate, user: CurrentUser, session: SessionDep) -> CandidateRead:
    return CandidateRead.model_validate(await candidates.create_candidate(session, user, body))


@router.get("/candidates", response_model=CandidatePage, summary="Candidates (HR), by name")
async def list_candidates(
    user: CurrentUser,
    session: SessionDep,
    q: Annotated[str | None, Query(max_length=200, description="part of the name or e-mail")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> CandidatePage:
    return await candidates.list_candidates(session, user, q, limit, offset)


@router.get("/candidates/{candidate_id}", response_model=CandidateRead, summary="One candidate")
async def read_candidate(candidate_id: str, user: CurrentUser, session: SessionDep) -> CandidateRead:
    return await candidates.read_candidate(session, user, candidate_id)


@router.post("/applications", response_model=ApplicationRead, status_code=201, summary="A candidate applies")
async def apply(
    body: ApplicationCreate, user: CurrentUser, session: SessionDep, today: CompanyToday, settings: HrSettingsDep
) -> ApplicationRead:
    application = await applications.apply(session, user, body, list(settings.hiring_stages), today)
    return await name_actors(session, await applications.read_application(session, user, application.id))


@router.get("/applications/{application_id}", response_model=ApplicationRead, summary="One application")
async def read_application(application_id: str, user: CurrentUser, session: SessionDep) -> ApplicationRead:
    return await name_actors(session, await applications.read_application(session, user, application_id))


@router.post("/applications/{application_id}/stage", response_model=ApplicationRead, summary="Move to a stage")
async def move(
    application_id: str, body: StageChange, user: CurrentUser, session: SessionDep, settings: HrSettingsDep
) -> ApplicationRead:
    await applications.move(session, user, application_id, body.stage, list(settings.hiring_stages))
    return await name_actors(session, await applications.read_application(session, user, application_id))


@router.post("/applications/{application_id}/reject", response_model=ApplicationRead, summary="Reject, with a reason")
async def reject(application_id: str, body: Closing, user: CurrentUser, session: SessionDep) -> ApplicationRead:
    await applications.close_application(session, user, application_id, "rejected", body.reason)
    return await name_actors(session, await applications.read_application(session, user, application_id))


@router.post(
    "/applications/{application_id}/withdraw", response_model=ApplicationRead, summary="The candidate withdrew"
)
async def withdraw(application_id: str, body: Closing, user: CurrentUser, session: SessionDep) -> ApplicationRead:
    await applications.close_application(session, user, application_id, "withdrawn", body.reason)
    return await name_actors(session, await applications.read_application(session, user, application_id))


@router.post(
    "/applications/{application_id}/interviews", response_model=InterviewRead, status_code=201, summary="Schedule"
)
async def schedule(application_id: str, body: InterviewCreate, user: CurrentUser, session: SessionDep) -> InterviewRead:
    interview = await interviews.schedule(session, user, application_id, body)
    return await interviews.read_interview(session, user, interview.id)


@router.get(
    "/interviews",
    response_model=InterviewPage,
    summary="Interviews you sit on or whose opening you manage (HR: all), by scheduled time",
    description="Also checked, beyond what the schema says: 'to' is not before 'from'.",
)
async def list_interviews(
    user: CurrentUser,
    session: SessionDep,
    zone: CompanyZone,
    application_id: Annotated[str | None, Query(max_length=64)] = None,
    opening_id: Annotated[str | None, Query(max_length=64)] = None,
    mine: Annotated[bool, Query(description="only the interviews you sit on")] = False,
    scheduled_from: Annotated[IsoDate | None, Query(alias="from", description="first day, company time")] = None,
    scheduled_to: Annotated[IsoDate | None, Query(alias="to", description="last day, company time")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Offset = 0,
) -> InterviewPage:
    if scheduled_from is not None and scheduled_to is not None and scheduled_to < scheduled_from:
        raise Unprocessable(f"'to' ({scheduled_to}) is before 'from' ({scheduled_from})", slug="date-range")
    return await interviews.list_interviews(
        session,
        user,
        application_id=application_id,
        opening_id=opening_id,
        mine=mine,
        scheduled_from=scheduled_from,
        scheduled_to=scheduled_to,
        zone=zone,
        limit=limit,
        offset=offset,
    )


@router.get("/interviews/{interview_id}", response_model=InterviewRead, summary="An interview (panel or manager)")
async def read_interview(interview_id: str, user: CurrentUser, session: SessionDep) -> InterviewRead:
    return await interviews.read_interview(session, user, interview_id)


@router.post("/interviews/{interview_id}/feedback", response_model=InterviewRead, status_code=201, summary="Feedback")
async def feedback(interview_id: str, body: FeedbackCreate, user: CurrentUser, session: SessionDep) -> InterviewRead:
    await interviews.give_feedback(session, user, interview_id, body)
    return await interviews.read_interview(session, user, interview_id)


@router.post(
    "/applications/{application_id}/offers",
    response_model=OfferRead,
    status_code=201,
    summary="An offer",
    description="Also checked, beyond what the schema says: pay_type must match employment_type.",
)
async def make_offer(application_id: str, body: OfferCreate, user: CurrentUser, session: SessionDep) -> OfferRead:
    return OfferRead.model_validate(await offers.make_offer(session, user, application_id, body))


@router.get("/applications/{application_id}/offers", response_model=OfferPage, summary="Its offers, newest first")
async def list_offers(
    application_id: str, user: CurrentUser, session: SessionDep, limit: Limit = 50, offset: Offset = 0
) -> OfferPage:
    return await offers.list_offers(session, user, application_id, limit, offset)


@router.post("/offers/{offer_id}/send", response_model=OfferRead, summary="Send the offer")
async def send_offer(offer_id: str, user: CurrentUser, session: SessionDep) -> OfferRead:
    return OfferRead.model_validate(await offers.send_offer(session, user, offer_id))


@router.post("/offers/{offer_id}/accept", response_model=OfferRead, summary="Accepted: the candidate is hired (once)")
async def accept(offer_id: str, user: CurrentUser, session: SessionDep, zone: CompanyZone) -> OfferRead:
    return OfferRead.model_validate(await offers.decide_offer(session, user, offer_id, True, zone))


@router.post("/offers/{offer_id}/decline", response_model=OfferRead, summary="Declined")
async def decline(offer_id: str, user: CurrentUser, session: SessionDep, zone: CompanyZone) -> OfferRead:
    return OfferRead.model_validate(await offers.decide_offer(session, user, offer_id, False, zone))


@router.get("/hiring/stages", response_model=HiringStages, summary="The company's hiring pipeline, in order")
async def stages(_: CurrentUser, settings: HrSettingsDep) -> HiringStages:
    return HiringStages(stages=list(settings.hiring_stages))


@router.get("/hiring/report", response_model=HiringReport, summary="Open positions, pipeline, time in stage, sources")
async def report(user: CurrentUser, session: SessionDep) -> HiringReport:
    return await name_actors(session, await reports.report(session, user))
