"""Every answer that names an actor by login id names the person too: beside each such field ``<x>`` of a
response schema there is ``<x>_actor`` (an ``Actor``: login id, employee id, name), so a reader who may not look
login ids up at the gateway can still tell who acted (docs/API.md, "Who did something")."""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from fastapi import FastAPI

SERVICES = ["hr", "payroll", "helpdesk", "docs"]
# Fields that hold a login id: every "<verb>_by" and these.
LOGIN_ID_FIELDS = {"by", "owner_user_id", "user_id"}
# "<x>_by" fields that are no login id: a day or a moment, not a person.
NOT_PEOPLE = {"due_by", "acknowledge_by"}


def _spec(service: str) -> dict[str, Any]:
    app = importlib.import_module(f"backoffice.{service}.app").build_app()
    assert isinstance(app, FastAPI)
    return app.openapi()


@pytest.mark.parametrize("service", SERVICES)
def test_every_login_id_in_an_answer_has_its_person_beside_it(service: str) -> None:
    schemas = _spec(service)["components"]["schemas"]
    missing = []
    for name, schema in schemas.items():
        if name == "Actor" or name.endswith(("Create", "In", "Update", "-Input")):
            continue  # what a client sends, or the actor itself
        properties = schema.get("properties", {})
        for field in properties:
            holds_login = (field.endswith("_by") and field not in NOT_PEOPLE) or field in LOGIN_ID_FIELDS
            if holds_login and f"{field}_actor" not in properties:
                missing.append(f"{name}.{field}")
    assert not missing, f"{service}: login ids without their {{field}}_actor: {missing}"


@pytest.mark.parametrize("service", SERVICES)
def test_the_person_is_an_actor_with_employee_id_and_name(service: str) -> None:
    schemas = _spec(service)["components"]["schemas"]
    assert set(schemas["Actor"]["properties"]) == {"user_id", "employee_id", "name"}
    for name, schema in schemas.items():
        for field, described in schema.get("properties", {}).items():
            if field.endswith("_actor"):
                refs = [alternative.get("$ref") for alternative in described.get("anyOf", [])]
                assert "#/components/schemas/Actor" in refs, f"{name}.{field} is not an Actor: {described}"
