"""Matching experts to tasks on the Django side: records from the database, the shared index, the
shortlist and why-not pages, the API reads and each client's scoring weights (see kpo.engine.matching)."""
