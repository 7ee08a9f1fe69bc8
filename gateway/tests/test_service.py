"""The gateway service starts on a real database and a real NATS, and stops cleanly."""

import httpx
from backoffice.testing import ServiceStarter, check_service_basics
from gatewaykit import METRICS_TOKEN


def test_gateway_starts_migrates_serves_health_and_metrics_and_stops_cleanly(start_service: ServiceStarter) -> None:
    gateway = start_service("gateway", env={"BACKOFFICE_GATEWAY_METRICS_TOKEN": METRICS_TOKEN})
    assert httpx.get(f"{gateway.url}/metrics").status_code == 401  # the scrape token only
    check_service_basics(gateway, stream="GATEWAY", metrics_headers={"Authorization": f"Bearer {METRICS_TOKEN}"})
