"""Pure domain logic: no Django, no database, no clock, no global randomness."""
