"""The hr service starts on a real database and a real NATS, and stops cleanly."""

from backoffice.testing import ServiceStarter, check_service_basics


def test_hr_starts_migrates_serves_health_and_metrics_and_stops_cleanly(start_service: ServiceStarter) -> None:
    check_service_basics(start_service("hr"), stream="HR")
