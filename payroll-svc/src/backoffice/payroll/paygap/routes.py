"""``/pay-gap``, ``/pay-register`` and ``/pay-information-requests``: fair pay figures and the records around them."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from backoffice.payroll.paygap import records, register, report
from backoffice.payroll.paygap.schemas import (
    AssessmentCreate,
    AssessmentPage,
    AssessmentRead,
    FollowUpCreate,
    InformationRequestPage,
    InformationRequestRead,
    JustificationCreate,
    JustificationRead,
    PayGapReport,
    PayRegister,
    RegisterFiled,
    RegisterFiling,
)
from backoffice.payroll.settings import PayrollSettingsDep
from backoffice.shared.actors import name_actors
from backoffice.shared.auth import CurrentUser, Principal, require_roles
from backoffice.shared.dates import IsoDate
from backoffice.shared.db import SessionDep
from backoffice.shared.deps import CompanyToday
from backoffice.shared.paging import Offset
from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

router = APIRouter(tags=["fair pay"])
# Who reads pay by sex: HR, payroll, pay auditors (and admins); HR (and admins) record justifications and assessments.
Reader = Annotated[Principal, Depends(require_roles("hr", "payroll", "pay_auditor"))]
Writer = Annotated[Principal, Depends(require_roles("hr"))]
From = Annotated[
    IsoDate | None, Query(alias="from", description="first pay date; default: the last full calendar year")
]
To = Annotated[IsoDate | None, Query(alias="to", description="last pay date; give both or neither")]
Limit = Annotated[int, Query(ge=1, le=500)]
CSV: dict[int | str, dict[str, Any]] = {200: {"content": {"text/csv": {}}}}
PERIOD_RULES = (
    "Also checked, beyond what the schema says: both 'from' and 'to' or neither, in order, five years at most."
)


@router.get(
    "/pay-gap",
    response_model=PayGapReport,
    summary="The pay gap between women and men: overall, by kind of pay, by quartile and by job category",
    description="From approved and paid payslips whose pay date is in the period, per hour paid. Groups of fewer "
    "workers than the threshold (a setting) show `suppressed` and no figures. " + PERIOD_RULES,
)
async def pay_gap(
    _: Reader,
    session: SessionDep,
    settings: PayrollSettingsDep,
    today: CompanyToday,
    start: From = None,
    end: To = None,
) -> PayGapReport:
    first, last = report.checked_period(start, end, today)
    answer = await report.pay_gap(
        session,
        first,
        last,
        currency=settings.reporting_currency.upper(),
        threshold=settings.pay_gap_threshold,
        flag_percent=settings.pay_gap_flag_percent,
    )
    return await name_actors(session, answer)


@router.get(
    "/pay-register",
    response_model=PayRegister,
    responses=CSV,
    summary="The pay register: average and median pay per hour by sex, per job category and pay concept",
    description="format=csv answers the same rows as CSV. " + PERIOD_RULES,
)
async def pay_register(
    _: Reader,
    session: SessionDep,
    settings: PayrollSettingsDep,
    today: CompanyToday,
    start: From = None,
    end: To = None,
    format: Literal["json", "csv"] = "json",
) -> PayRegister | Response:
    first, last = report.checked_period(start, end, today)
    answer = await register.pay_register(
        session, first, last, currency=settings.reporting_currency.upper(), threshold=settings.pay_gap_threshold
    )
    if format == "csv":
        name = f"pay-register-{first.isoformat()}-{last.isoformat()}.csv"
        return Response(
            register.register_csv(answer),
            media_type="text/csv",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )
    return answer


@router.post(
    "/pay-register/file",
    response_model=RegisterFiled,
    status_code=202,
    summary="File the pay register of a period: docs keeps it as a PDF (payroll.pay_register_filed)",
    description="Also checked, beyond what the schema says: 'to' not before 'from', five years at most.",
)
async def file_register(
    body: RegisterFiling, user: Reader, session: SessionDep, settings: PayrollSettingsDep, today: CompanyToday
) -> RegisterFiled:
    first, last = report.checked_period(body.period_start, body.period_end, today)
    return await register.file_register(
        session,
        first,
        last,
        currency=settings.reporting_currency.upper(),
        threshold=settings.pay_gap_threshold,
        user_id=user.user_id,
    )


@router.post(
    "/pay-gap/justifications",
    response_model=JustificationRead,
    status_code=201,
    summary="Justify a category's gap by factors other than sex",
    description="Also checked, beyond what the schema says: the category is one HR saved.",
)
async def justify(body: JustificationCreate, user: Writer, session: SessionDep) -> JustificationRead:
    return await name_actors(session, await records.justify(session, user, body))


@router.post(
    "/pay-gap/assessments",
    response_model=AssessmentRead,
    status_code=201,
    summary="Record a joint pay assessment of a category: findings and measures",
    description="Also checked, beyond what the schema says: the category is one HR saved.",
)
async def assess(body: AssessmentCreate, user: Writer, session: SessionDep) -> AssessmentRead:
    return await name_actors(session, await records.assess(session, user, body))


@router.get("/pay-gap/assessments", response_model=AssessmentPage, summary="Joint pay assessments, latest first")
async def search_assessments(
    _: Reader,
    session: SessionDep,
    category_id: Annotated[str | None, Query(max_length=64)] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> AssessmentPage:
    page = await records.search_assessments(session, category_id=category_id, limit=limit, offset=offset)
    return await name_actors(session, page)


@router.get("/pay-gap/assessments/{assessment_id}", response_model=AssessmentRead, summary="One assessment")
async def read_assessment(assessment_id: str, _: Reader, session: SessionDep) -> AssessmentRead:
    return await name_actors(session, await records.read_assessment(session, assessment_id))


@router.post(
    "/pay-gap/assessments/{assessment_id}/follow-ups",
    response_model=AssessmentRead,
    status_code=201,
    summary="Append how a measure (or the whole assessment) goes",
    description="Also checked, beyond what the schema says: measure_index names one of the assessment's measures.",
)
async def follow_up(assessment_id: str, body: FollowUpCreate, user: Writer, session: SessionDep) -> AssessmentRead:
    return await name_actors(session, await records.follow_up(session, user, assessment_id, body))


@router.post(
    "/pay-information-requests",
    response_model=InformationRequestRead,
    status_code=201,
    summary="Ask for the average pay of women and men in your job category (answered at once)",
    description="Any employee, for their own category: the one of their position today. Over the last full "
    "calendar year; a sex with fewer workers than the threshold shows no figures. 409 when the caller's "
    "position has no job category today; 422 for a login without an employee record.",
)
async def request_information(
    user: CurrentUser, session: SessionDep, settings: PayrollSettingsDep, today: CompanyToday
) -> InformationRequestRead:
    answer = await records.request_information(
        session, user, today, currency=settings.reporting_currency.upper(), threshold=settings.pay_gap_threshold
    )
    return await name_actors(session, answer)


@router.get(
    "/pay-information-requests",
    response_model=InformationRequestPage,
    summary="Information requests: one's own; everyone's for HR, pay auditors and admins",
)
async def search_requests(
    user: CurrentUser, session: SessionDep, limit: Limit = 50, offset: Offset = 0
) -> InformationRequestPage:
    return await name_actors(session, await records.search_requests(session, user, limit=limit, offset=offset))


@router.get(
    "/pay-information-requests/{request_id}",
    response_model=InformationRequestRead,
    summary="One information request with its answer",
)
async def read_request(request_id: str, user: CurrentUser, session: SessionDep) -> InformationRequestRead:
    return await name_actors(session, await records.read_request(session, user, request_id))
