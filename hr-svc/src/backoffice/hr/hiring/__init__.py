"""Hiring: openings, candidates, applications through stages, interviews, offers and the hire."""
