"""Backoffice gateway: Identity, tokens, routing and limits: the one HTTP entry for front-end apps."""
