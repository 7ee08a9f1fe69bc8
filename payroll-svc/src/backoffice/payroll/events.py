"""The payroll service's events: recorded with the change that makes them, published after it commits."""

from backoffice.shared.bus import Emitter

emit = Emitter("payroll")
