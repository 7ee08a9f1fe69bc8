"""The hr service's events: ``emit`` records one in the caller's transaction, with ``hr`` as its source."""

from __future__ import annotations

from backoffice.shared.bus import Emitter

emit = Emitter("hr")
