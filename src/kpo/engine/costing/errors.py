"""The one error type of the cost model: bad input, naming the field at fault."""

from __future__ import annotations


class CostingInputError(ValueError):
    """Bad input to the cost model. ``field`` names the input at fault; the message starts with it."""

    def __init__(self, field: str, reason: str) -> None:
        self.field = field
        self.reason = reason
        super().__init__(f"{field}: {reason}")
