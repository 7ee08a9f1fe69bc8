"""Fault tests: services as processes on a NATS server of each test's own (so a test may stop it), real databases
(SQLite files, or PostgreSQL with BACKOFFICE_TEST_DATABASE_URL), and faults made for real: SIGKILL, a stopped
nats-server, two replicas, a cut TCP path to PostgreSQL, malformed events."""

from __future__ import annotations
