"""Integration event contracts, one module per producing service. Producers own their contracts;
consumers validate ``data`` with these models and ignore fields they do not know."""
