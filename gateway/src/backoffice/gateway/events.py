"""The gateway's events: its emitter, with the source every gateway event carries."""

from backoffice.shared.bus import Emitter

emit = Emitter("gateway")
