"""Equipment: registered by agents, handed to one person at a time, seen by its holder, with bad input answered.
The tests share one helpdesk (each with devices and people of its own)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from backoffice.testing import NatsServer
from helpdeskkit import TODAY, PeopleDesk, desk_env, gateway_and_helpdesk, ok, people_desk, problem


@pytest.fixture(scope="module")
def desk(nats_server: NatsServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[PeopleDesk]:
    with gateway_and_helpdesk(nats_server, tmp_path_factory.mktemp("equipment"), desk_env("UTC")) as (gateway, url):
        yield people_desk(gateway, url, nats_server.url)


def test_devices_are_handed_out_one_holder_at_a_time(desk: PeopleDesk) -> None:
    ivo, boss = desk.ivo, desk.boss
    (nora,) = desk.staff.hire("nora")
    laptop = ok(
        ivo.post(
            "/assets",
            json={
                "tag": "LT-001",
                "type": "laptop",
                "serial": "SN-A1",
                "model": "ThinkPad T14",
                "purchase_date": (TODAY - timedelta(days=400)).isoformat(),
                "warranty_end": (TODAY + timedelta(days=300)).isoformat(),
            },
        ),
        201,
    )
    phone = ok(ivo.post("/assets", json={"tag": "PH-007", "type": "phone", "serial": "SN-P7", "model": "Pixel"}), 201)
    spare = ok(ivo.post("/assets", json={"tag": "MN-003", "type": "monitor", "serial": "SN-M3", "model": "U27"}), 201)
    assert "exists" in problem(
        ivo.post("/assets", json={"tag": "LT-001", "type": "laptop", "serial": "other", "model": "x"}), 409
    )
    bad_dates = {"purchase_date": "2026-01-02", "warranty_end": "2026-01-01"}
    assert "warranty_end" in problem(
        ivo.post("/assets", json={"tag": "X", "type": "x", "serial": "x", "model": "x", **bad_dates}), 422
    )
    assert "agents" in problem(boss.post("/assets", json={"tag": "Y", "type": "y", "serial": "y", "model": "y"}), 403)
    for asset in (laptop, phone):
        ok(ivo.post(f"/assets/{asset['id']}/assign", json={"employee_id": "nora"}))
    assert "assigned" in problem(ivo.post(f"/assets/{laptop['id']}/assign", json={"employee_id": "boss"}), 409)
    assert "does not exist" in problem(ivo.post(f"/assets/{spare['id']}/assign", json={"employee_id": "ghost"}), 404)
    assert {a["tag"] for a in ok(nora.get("/assets"))["items"]} == {"LT-001", "PH-007"}  # her own only
    assert problem(nora.get(f"/assets/{spare['id']}"), 404)


def test_a_returned_device_keeps_who_had_it(desk: PeopleDesk) -> None:
    ivo = desk.ivo
    desk.staff.hire("noor")
    laptop = ok(ivo.post("/assets", json={"tag": "LT-002", "type": "laptop", "serial": "SN-A2", "model": "T14"}), 201)
    phone = ok(ivo.post("/assets", json={"tag": "PH-008", "type": "phone", "serial": "SN-P8", "model": "Pixel"}), 201)
    ok(ivo.post("/assets", json={"tag": "MN-004", "type": "monitor", "serial": "SN-M4", "model": "U27"}), 201)
    for asset in (laptop, phone):
        ok(ivo.post(f"/assets/{asset['id']}/assign", json={"employee_id": "noor"}))
    ok(ivo.post(f"/assets/{laptop['id']}/return", json={"condition": "scratched lid"}))
    ok(ivo.post(f"/assets/{phone['id']}/status", json={"status": "lost", "note": "left on a train"}))
    detail = ok(ivo.get(f"/assets/{laptop['id']}"))
    assert detail["status"] == "in_stock"
    assert detail["assigned_employee_id"] is None
    assert [(h["employee_id"], h["return_condition"]) for h in detail["history"]] == [("noor", "scratched lid")]
    assert ok(ivo.get(f"/assets/{phone['id']}"))["status"] == "lost"
    in_stock = {a["tag"] for a in ok(ivo.get("/assets", params={"status": "in_stock"}))["items"]}
    assert in_stock & {"LT-002", "PH-008", "MN-004"} == {"LT-002", "MN-004"}


def test_devices_are_found_by_tag_serial_model_or_holder(desk: PeopleDesk) -> None:
    ivo = desk.ivo
    (paz,) = desk.staff.hire("paz")
    hub = {"tag": "DK-901", "type": "dock", "serial": "SN-D901", "model": "USB-C Hub"}
    dock = ok(ivo.post("/assets", json=hub), 201)
    ok(ivo.post("/assets", json={"tag": "DK-902", "type": "dock", "serial": "SN-D902", "model": "Thunder Dock"}), 201)
    ok(ivo.post(f"/assets/{dock['id']}/assign", json={"employee_id": "paz"}))

    def found(q: str) -> set[str]:
        return {a["tag"] for a in ok(ivo.get("/assets", params={"q": q}))["items"]}

    assert found("dk-90") == {"DK-901", "DK-902"}  # part of the tag, any case
    assert found("sn-d902") == {"DK-902"}
    assert found("thunder") == {"DK-902"}
    assert found("paz tester") == {"DK-901"}  # the holder's name
    assert ok(ivo.get("/assets", params={"q": "paz", "status": "in_stock"}))["items"] == []
    assert {a["tag"] for a in ok(paz.get("/assets", params={"q": "dk"}))["items"]} == {"DK-901"}  # hers only
