"""Bounds of the integers the API takes, from the columns that hold them (a larger number is a 422 naming the
field, not a database error)."""

INT32_MAX = 2**31 - 1  # an Integer column: version numbers on SQLite and PostgreSQL alike
