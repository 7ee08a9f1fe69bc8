"""The helpdesk's events: recorded with ``await emit(session, Contract(...), subject=...)`` in the transaction of
the change, published after commit."""

from __future__ import annotations

from backoffice.shared.bus import Emitter

emit = Emitter("helpdesk")
