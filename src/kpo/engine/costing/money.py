"""Money: a Decimal amount with an ISO 4217 currency, never a float.

Rules:

* Amounts are ``Decimal``. Floats are refused (``Money(Decimal("0.1"), "EUR")`` or
  ``Money.of("0.1", "EUR")``, never ``0.1``), so no binary rounding error can creep in.
* Arithmetic stays inside one currency: adding EUR to DKK raises. Conversion is explicit and dated
  (:func:`kpo.engine.costing.rates.convert`).
* Intermediate results keep full ``Decimal`` precision. A figure that is shown or summed as money
  is rounded with :meth:`Money.rounded`: ROUND_HALF_EVEN (banker's rounding) to the currency's
  minor unit, the ISO 4217 exponent in :data:`MINOR_UNITS` (JPY, KRW and ISK have 0 decimals,
  the others here 2).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

from kpo.engine.costing.errors import CostingInputError

# ISO 4217 exponents (minor units) of the currencies kpo can convert: the euro and every currency
# in the shipped ECB reference-rate table.
MINOR_UNITS: dict[str, int] = {
    "EUR": 2,
    "USD": 2,
    "JPY": 0,
    "BGN": 2,
    "CZK": 2,
    "DKK": 2,
    "GBP": 2,
    "HUF": 2,
    "PLN": 2,
    "RON": 2,
    "SEK": 2,
    "CHF": 2,
    "ISK": 0,
    "NOK": 2,
    "TRY": 2,
    "AUD": 2,
    "BRL": 2,
    "CAD": 2,
    "CNY": 2,
    "HKD": 2,
    "IDR": 2,
    "ILS": 2,
    "INR": 2,
    "KRW": 0,
    "MXN": 2,
    "MYR": 2,
    "NZD": 2,
    "PHP": 2,
    "SGD": 2,
    "THB": 2,
    "ZAR": 2,
}


def check_currency(code: object, field: str = "currency") -> str:
    """Return the upper-cased ISO 4217 code, or raise naming ``field``."""
    if code is None or (isinstance(code, str) and not code.strip()):
        raise CostingInputError(field, "missing currency (an ISO 4217 code such as EUR, DKK or INR)")
    if not isinstance(code, str):
        raise CostingInputError(field, f"currency must be an ISO 4217 code, got {type(code).__name__}")
    upper = code.strip().upper()
    if upper not in MINOR_UNITS:
        supported = ", ".join(sorted(MINOR_UNITS))
        raise CostingInputError(
            field, f"unknown or unsupported currency {code!r} (kpo converts with ECB rates: {supported})"
        )
    return upper


def to_decimal(value: object, field: str) -> Decimal:
    """Accept a Decimal, an int or a numeric string; refuse floats and anything non-finite."""
    if isinstance(value, bool | float):
        raise CostingInputError(field, "must be a Decimal, an integer or a numeric string, not a float")
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, str):
        try:
            number = Decimal(value.strip())
        except InvalidOperation:
            raise CostingInputError(field, f"not a number: {value!r}") from None
    else:
        raise CostingInputError(field, f"must be a number, got {type(value).__name__}")
    if not number.is_finite():
        raise CostingInputError(field, "must be a finite number")
    return number


def quantum(currency: str) -> Decimal:
    """The smallest unit of ``currency``: Decimal('0.01') for DKK, Decimal('1') for JPY."""
    return Decimal(1).scaleb(-MINOR_UNITS[currency])


@dataclass(frozen=True, slots=True)
class Money:
    amount: Decimal
    currency: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "currency", check_currency(self.currency))
        if not isinstance(self.amount, Decimal) or isinstance(self.amount, bool):
            raise CostingInputError("amount", f"must be a Decimal, got {type(self.amount).__name__}")
        if not self.amount.is_finite():
            raise CostingInputError("amount", "must be a finite number")

    @classmethod
    def of(cls, amount: object, currency: str, field: str = "amount") -> Money:
        """Build from a Decimal, int or numeric string (not a float)."""
        return cls(to_decimal(amount, field), check_currency(currency, f"{field}.currency"))

    @classmethod
    def trusted(cls, amount: Decimal, currency: str) -> Money:
        """Fast path for the cost model's inner loops: ``amount`` is a finite Decimal and ``currency``
        an already checked code, so the checks of ``__post_init__`` are skipped."""
        money = object.__new__(cls)
        object.__setattr__(money, "amount", amount)
        object.__setattr__(money, "currency", currency)
        return money

    @classmethod
    def zero(cls, currency: str) -> Money:
        return cls(Decimal(0), currency)

    def rounded(self) -> Money:
        """Round half-to-even to the currency's minor unit (ISO 4217 exponent)."""
        return Money(self.amount.quantize(quantum(self.currency), rounding=ROUND_HALF_EVEN), self.currency)

    def _same(self, other: Money, op: str) -> None:
        if not isinstance(other, Money):
            raise TypeError(f"cannot {op} Money and {type(other).__name__}")
        if other.currency != self.currency:
            raise CostingInputError(
                "currency",
                f"cannot {op} {self.currency} and {other.currency}; convert first with a dated rate",
            )

    def __add__(self, other: Money) -> Money:
        self._same(other, "add")
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same(other, "subtract")
        return Money(self.amount - other.amount, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def __mul__(self, factor: Decimal | int) -> Money:
        if isinstance(factor, bool) or not isinstance(factor, Decimal | int):
            return NotImplemented
        return Money(self.amount * factor, self.currency)

    __rmul__ = __mul__

    def __truediv__(self, divisor: Decimal | int) -> Money:
        if isinstance(divisor, bool) or not isinstance(divisor, Decimal | int):
            return NotImplemented
        return Money(self.amount / divisor, self.currency)

    def ratio(self, other: Money) -> Decimal:
        """self / other, both in the same currency."""
        self._same(other, "divide")
        return self.amount / other.amount

    def __lt__(self, other: Money) -> bool:
        self._same(other, "compare")
        return self.amount < other.amount

    def __le__(self, other: Money) -> bool:
        self._same(other, "compare")
        return self.amount <= other.amount

    def __gt__(self, other: Money) -> bool:
        self._same(other, "compare")
        return self.amount > other.amount

    def __ge__(self, other: Money) -> bool:
        self._same(other, "compare")
        return self.amount >= other.amount

    def __str__(self) -> str:
        return f"{self.currency} {self.rounded().amount:,}"


def money_sum(items: list[Money] | tuple[Money, ...], currency: str) -> Money:
    """Sum in one currency; the empty sum is zero."""
    total = Money.zero(currency)
    for item in items:
        total = total + item
    return total
