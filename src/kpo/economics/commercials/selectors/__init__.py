"""Reads for commercials: rate cards, time awaiting approval, invoice drafts, budget burn, savings."""
