"""Staffing many tasks at once: a provider manager starts a run, the solver proposes, the manager commits."""
