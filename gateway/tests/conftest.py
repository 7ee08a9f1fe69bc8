import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from gatewaykit import gateway, start_gateway, upstream  # noqa: F401
