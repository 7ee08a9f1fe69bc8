from __future__ import annotations

from datetime import datetime, time
from typing import Annotated

from backoffice.helpdesk.sla.models import Priority
from backoffice.shared.dates import IsoDate
from backoffice.shared.paging import Page
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    ValidationInfo,
    field_validator,
)

# A wall-clock time in the calendar's zone, without offset: RFC 3339's partial-time, not JSON Schema's "time"
# (which requires an offset, and which the validator below refuses).
LocalTime = Annotated[
    time,
    Field(json_schema_extra={"format": "partial-time", "pattern": r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,6})?)?$"}),
]

END_OF_DAY = time(0)


def _end_of_day(value: object) -> object:
    """ISO 8601's end of the day, 24:00, is midnight at the end of the day: stored as 00:00."""
    if isinstance(value, str) and value.strip() in ("24:00", "24:00:00"):
        return END_OF_DAY
    return value


# Closing time: a local time, or 24:00 (00:00 means the same) for a day worked until midnight.
ClosingTime = Annotated[
    time,
    BeforeValidator(_end_of_day),
    PlainSerializer(lambda t: "24:00:00" if t == END_OF_DAY else t.isoformat(), return_type=str),
    Field(
        json_schema_extra={
            "format": "partial-time",
            "pattern": r"^(([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,6})?)?|24:00(:00)?)$",
        },
        description="local closing time; 24:00 (or 00:00) works until midnight, the end of the day",
    ),
]


class CalendarCreate(BaseModel):
    name: str = Field(min_length=1, max_length=120)
    timezone: str = Field(default="UTC", description="IANA zone, e.g. Europe/Paris")
    working_days: list[Annotated[int, Field(ge=0, le=6)]] = Field(
        default_factory=lambda: [0, 1, 2, 3, 4],
        min_length=1,
        description="weekdays with working hours, 0 = Monday … 6 = Sunday",
    )
    opens: LocalTime = time(9)
    closes: ClosingTime = time(17)
    holidays: list[IsoDate] = Field(default_factory=list, max_length=2000)
    holiday_country: str | None = Field(default=None, description="also the public holidays of this country (ISO)")
    holiday_subdivision: str | None = Field(default=None, max_length=16)

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo

        try:
            ZoneInfo(value)
        except Exception:
            raise ValueError(f"unknown time zone {value!r}; give an IANA name such as Europe/Paris") from None
        return value

    @field_validator("working_days")
    @classmethod
    def _days(cls, value: list[int]) -> list[int]:
        return sorted(set(value))  # the schema states the rest: at least one weekday, each 0 to 6

    @field_validator("opens", "closes")
    @classmethod
    def _naive(cls, value: time) -> time:
        if value.tzinfo is not None:
            raise ValueError("give a local time without offset; the calendar's time zone applies")
        return value

    # Each refusal names its field (body.closes, body.holiday_subdivision), so a form shows it where it was typed.
    @field_validator("closes")
    @classmethod
    def _hours(cls, closes: time, info: ValidationInfo) -> time:
        opens = info.data.get("opens")  # absent when opens itself was refused
        if isinstance(opens, time) and closes != END_OF_DAY and opens >= closes:
            raise ValueError(
                f"closes ({closes}) must be after opens ({opens}): the calendar would have no working hours"
                " (hours crossing midnight are not supported; close at 24:00 for a day worked until midnight)"
            )
        return closes

    @field_validator("holiday_country")
    @classmethod
    def _country(cls, value: str | None) -> str | None:
        if value is not None:
            import holidays

            if value.upper() not in holidays.list_supported_countries():
                raise ValueError(f"no public holidays known for country {value!r}")
        return value

    @field_validator("holiday_subdivision")
    @classmethod
    def _subdivision(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None:
            return value
        if "holiday_country" not in info.data:
            return value  # the country was refused: that is the error to show
        country = info.data["holiday_country"]
        if country is None:
            raise ValueError("a holiday_subdivision needs its holiday_country")
        import holidays

        known = holidays.list_supported_countries()[country.upper()]
        if value not in known:
            raise ValueError(f"{country.upper()} has no subdivision {value!r}; known: {', '.join(known)}")
        return value


class CalendarUpdate(CalendarCreate):
    """The whole calendar as it is to be from now on (a PUT replaces every field)."""


class CalendarRead(CalendarCreate):
    id: str
    created_at: datetime
    updated_at: datetime


class CalendarPage(Page[CalendarRead]):
    """Calendars, by name."""


class PolicyUpdate(BaseModel):
    priority: Priority
    category: str = Field(default="*", min_length=1, max_length=100, description="'*' for any category")
    first_response_minutes: int = Field(gt=0, le=60 * 24 * 365, description="business minutes")
    resolution_minutes: int = Field(gt=0, le=60 * 24 * 365, description="business minutes")
    calendar_id: str

    @field_validator("category")
    @classmethod
    def _lower(cls, value: str) -> str:
        return value.strip().lower()

    @field_validator("resolution_minutes")
    @classmethod
    def _order(cls, value: int, info: ValidationInfo) -> int:
        first = info.data.get("first_response_minutes")
        if isinstance(first, int) and value < first:
            raise ValueError("resolution_minutes cannot be shorter than first_response_minutes")
        return value


class PolicyRead(PolicyUpdate):
    model_config = ConfigDict(from_attributes=True)

    id: str
    created_at: datetime
    updated_at: datetime


class PolicyPage(Page[PolicyRead]):
    """SLA policies, by priority and category."""
