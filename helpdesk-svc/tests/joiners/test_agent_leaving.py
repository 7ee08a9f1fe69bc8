"""An agent who has left is dealt no more tickets (a helpdesk of its own: the agent's leaving changes who is dealt
every ticket after it)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from backoffice.testing import GatewayClient, NatsServer, ServiceStarter
from helpdeskkit import TODAY, PeopleDesk, desk_env, hired, ok, people_desk, publish, terminated, wait_for


@pytest.fixture
def own_desk(gateway_client: GatewayClient, start_service: ServiceStarter, nats_server: NatsServer) -> PeopleDesk:
    helpdesk = start_service("helpdesk", env=desk_env("UTC"))
    return people_desk(gateway_client, helpdesk.url, nats_server.url)


def test_an_agent_who_has_left_is_dealt_no_more_tickets(own_desk: PeopleDesk) -> None:
    publish(own_desk.nats_url, terminated("ivo", TODAY))
    wait_for(lambda: ok(own_desk.admin.get("/directory/ivo"))["active"] is False, "ivo to leave")
    publish(own_desk.nats_url, hired("uma", start=TODAY + timedelta(days=10)))
    uma = wait_for(
        lambda: ok(own_desk.admin.get("/tickets", params={"about_employee_id": "uma"}))["items"], "uma's ticket"
    )
    assert uma[0]["assignee_employee_id"] is None
    # each hire opened its onboarding ticket, the desk's own people's too
    onboarded = {
        t["about_employee_id"] for t in ok(own_desk.admin.get("/tickets", params={"kind": "onboarding"}))["items"]
    }
    assert onboarded == {"ivo", "lea", "boss", "uma"}
