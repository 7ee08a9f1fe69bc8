"""Backoffice suite on one machine: the `backoffice` command, the launcher, the demo company, processes."""
