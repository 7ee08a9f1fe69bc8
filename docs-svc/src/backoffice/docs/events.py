"""The events docs-svc emits (``docs.*``), recorded in the caller's transaction."""

from __future__ import annotations

from backoffice.shared.bus import Emitter

emit = Emitter("docs")
