"""Writes for commercials: rate cards, time decisions, milestones, invoices, budget alerts and terms."""
