"""Commercials: rate cards, time approval, milestones, invoices, budget burn and realised savings."""
