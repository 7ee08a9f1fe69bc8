"""The directory as the switchboard searches it: by part of a name, a department or the first digits of an
extension, and the whole of it in compact pages of 1,000."""

from __future__ import annotations

from backoffice.testing import GatewayClient, NatsServer, ServiceStarter
from helpdeskkit import Staff, ok


def test_the_directory_is_found_by_name_department_or_extension(
    gateway_client: GatewayClient, start_service: ServiceStarter, nats_server: NatsServer
) -> None:
    helpdesk = start_service("helpdesk")
    staff = Staff(gateway_client, helpdesk.url, nats_server.url)
    (olga,) = staff.hire("olga", roles=("employee", "office"))
    staff.hire("pia", "quim", department="Logistics")
    staff.hire("rosa", department="Finance")
    ok(olga.put("/directory/pia/extension", json={"extension": "3401"}))
    ok(olga.put("/directory/rosa/extension", json={"extension": "3499"}))
    ok(olga.put("/directory/quim/extension", json={"extension": "2340"}))

    def found(q: str) -> set[str]:
        return {m["employee_id"] for m in ok(olga.get("/directory", params={"q": q, "limit": 500}))["items"]}

    assert found("logist") == {"pia", "quim"}  # the department, any case
    assert found("finance") == {"rosa"}
    assert found("34") == {"pia", "rosa"}  # an extension's first digits, not digits inside it
    assert found("3401") == {"pia"}
    assert found("ROSA") == {"rosa"}
    everyone = ok(olga.get("/directory", params={"limit": 500}))
    assert everyone["total"] == len(everyone["items"]) >= 4

    # Everyone at once, compact: what the switchboard shows and searches, for anyone signed in.
    (quim,) = [staff.login("quim")]
    brief = ok(quim.get("/directory/everyone"))
    assert brief["total"] == len(brief["items"]) == everyone["total"]
    assert brief["limit"] == 1000
    pia = next(p for p in brief["items"] if p["employee_id"] == "pia")
    assert pia == {
        "employee_id": "pia",
        "name": "Pia Tester",
        "email": "pia@example.com",
        "department": "Logistics",
        "position": "Clerk",
        "extension": "3401",
        "availability": "available",
        "availability_note": None,
    }
    names = [p["name"] for p in brief["items"]]
    assert names == sorted(names, key=lambda n: (n.split()[1], n.split()[0]))
    assert ok(quim.get("/directory/everyone", params={"limit": 2, "offset": 1}))["items"] == brief["items"][1:3]
    assert quim.get("/directory/everyone", params={"limit": 1001}).status_code == 422
