"""An organisation's VAT number checked against its country, with the reason worded for the reader."""

from __future__ import annotations

from django.utils.translation import gettext as _

from kpo.engine.vat import VatNumberProblem, check_vat_number, normalise_vat_number

__all__ = ["normalise_vat_number", "vat_number_problem"]


def vat_number_problem(raw: str, country: str) -> str:
    """Why `raw` is not a VAT number of a business in `country`; "" when it is one."""
    check = check_vat_number(raw, country)
    if check.problem == VatNumberProblem.PREFIX:
        return _("A VAT number in this country starts with %(prefix)s.") % {"prefix": check.expected_prefix}
    if check.problem == VatNumberProblem.CHECKSUM:
        return _("%(number)s is not a Danish VAT (CVR) number: its check digit does not match.") % {
            "number": check.number
        }
    if check.problem == VatNumberProblem.FORMAT:
        if check.expected_prefix == "DK":
            return _("A Danish VAT number is DK followed by the 8 digits of the CVR number.")
        if check.expected_prefix:
            return _("%(number)s is not in the format of a VAT number of this country.") % {
                "number": check.number
            }
        return _("Give the tax number as 5 to 20 letters and digits.")
    return ""
