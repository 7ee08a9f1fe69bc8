"""Who may do what in hiring.

HR sees and does everything; a hiring manager sees their openings, their applications and the candidates'
contact details; an interviewer sees only the interviews they sit on, with the candidate's name and nobody
else's feedback.
"""

from __future__ import annotations

from backoffice.hr.hiring.models import JobOpening
from backoffice.shared.auth import Principal
from backoffice.shared.errors import Conflict, Forbidden


def is_hr(user: Principal) -> bool:
    """Whether ``user`` acts for HR (an HR officer or an admin)."""
    return user.is_admin or user.has_any("hr")


def manages(user: Principal, opening: JobOpening) -> bool:
    """Whether ``user`` runs ``opening``: HR, or the opening's hiring manager."""
    return is_hr(user) or (user.employee_id is not None and user.employee_id == opening.hiring_manager_id)


def forbid(what: str) -> Forbidden:
    """The 403 to raise when the caller may not do ``what``."""
    return Forbidden(f"you may not {what}", slug="forbidden")


def in_play(opening: JobOpening, what: str) -> None:
    """Only an open opening's pipeline moves: on hold, cancelled or filled, it is paused or over (409)."""
    if opening.status != "open":
        state = opening.status.replace("_", " ")
        hint = " (reopen it first)" if opening.status == "on_hold" else ""
        raise Conflict(f"the opening is {state}: {what}{hint}", slug="opening-closed")
