"""A hire is enrolled in their mandatory courses, and a leaver's open enrolments are cancelled (``LIFECYCLE``,
registered with the employee record)."""

from __future__ import annotations

from backoffice.hr.employees.lifecycle import Reactions
from backoffice.hr.training.service import cancel_on_termination, enrol_new_hire

LIFECYCLE = Reactions(hired=enrol_new_hire, terminated=cancel_on_termination)
