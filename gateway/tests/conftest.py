from gatewaykit import gateway, start_gateway, upstream  # noqa: F401
