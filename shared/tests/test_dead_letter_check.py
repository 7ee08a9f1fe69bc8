"""A corrected dead letter is checked against its event's contract field by field, before anything is delivered."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from backoffice.shared.bus import Envelope, EventHandler
from backoffice.shared.bus.dlq import contract_errors
from backoffice.shared.events.hr import EmployeeUpdated


async def _ignore(*_: Any) -> None:
    return None


HANDLER = EventHandler.on(EmployeeUpdated, _ignore)


def _envelope(**data: Any) -> dict[str, Any]:
    good = {
        "employee_id": "emp-1",
        "effective_date": date.today().isoformat(),
        "changes": ["family_name"],
        "given_name": "Ada",
        "family_name": "King",
        "email": "ada@example.com",
        "status": "active",
    }
    envelope = Envelope.new(EmployeeUpdated.TYPE, source="hr", data={**good, **data})
    payload: dict[str, Any] = json.loads(envelope.to_json())
    return payload


def test_a_valid_correction_has_no_errors() -> None:
    assert contract_errors(HANDLER, _envelope()) == []


def test_each_field_that_breaks_the_contract_is_named() -> None:
    payload = _envelope(effective_date="someday")
    del payload["data"]["family_name"]
    errors = contract_errors(HANDLER, payload)
    assert {e["field"] for e in errors} == {"body.payload.data.effective_date", "body.payload.data.family_name"}
    assert all(e["message"] for e in errors)


def test_the_envelope_type_and_version_are_checked_before_the_data() -> None:
    broken_envelope = {**_envelope(), "id": None}
    assert [e["field"] for e in contract_errors(HANDLER, broken_envelope)] == ["body.payload.id"]
    other = {**_envelope(), "type": "hr.employee_hired", "version": 7, "data": {}}
    assert [e["field"] for e in contract_errors(HANDLER, other)] == ["body.payload.type", "body.payload.version"]
