"""Documents attached to tickets: the catalogue of documents docs-svc filed, and who may read a ticket's."""
