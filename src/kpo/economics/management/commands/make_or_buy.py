"""`kpo make-or-buy --occupation 17-2112 --hours 1600 --months 24 --currency DKK --client-country DK
--option nearshore:PL --option offshore:IN --option captive:PH [--json]`: in-house against the options.

Needs no database. Bad input exits non-zero naming the field at fault.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from kpo.economics.make_or_buy.services.comparison import make_or_buy

FLAGS = {"hours_per_year": "hours", "client_country": "client-country", "options": "option"}


class Command(BaseCommand):
    help = (
        "Compare hiring in-house (in --client-country) with third parties and a captive "
        "(--option sourcing:COUNTRY, repeatable) for an occupation, from the shipped reference data."
    )
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--occupation", required=True, help="SOC code, kpo domain or ESCO URI.")
        parser.add_argument("--hours", required=True, help="Delivered hours per year.")
        parser.add_argument("--months", required=True, help="Horizon in months.")
        parser.add_argument("--currency", default="EUR", help="The client's currency (ISO 4217).")
        parser.add_argument("--client-country", required=True, help="Where in-house staff work (ISO 3166).")
        parser.add_argument(
            "--option",
            action="append",
            default=[],
            help="sourcing:COUNTRY, e.g. nearshore:PL (onshore, nearshore, offshore, captive).",
        )
        parser.add_argument("--one-off", action="store_true", help="A one-off project, not a recurring need.")
        parser.add_argument("--json", action="store_true", help="Print the full result as JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        pairs = []
        for raw in options["option"]:
            kind, sep, country = str(raw).partition(":")
            if not sep or not kind or not country:
                raise CommandError(f"option: expected sourcing:COUNTRY such as nearshore:PL, got {raw!r}")
            pairs.append((kind.strip().lower(), country.strip()))
        try:
            result = make_or_buy(
                client_country=options["client_country"],
                currency=options["currency"],
                occupation=options["occupation"],
                hours_per_year=options["hours"],
                months=options["months"],
                recurring=not options["one_off"],
                options=pairs,
            )
        except ValidationError as error:
            problems = [
                f"{FLAGS.get(field, field)}: {message}"
                for field, messages in error.message_dict.items()
                for message in messages
            ]
            raise CommandError("; ".join(problems)) from None
        if options["json"]:
            self.stdout.write(json.dumps(result, indent=2, ensure_ascii=False))
            return
        self.stdout.write(self.table(result))

    @staticmethod
    def table(result: dict[str, Any]) -> str:
        currency = result["currency"]
        need = result["need"]
        head = ("Option", f"Total ({currency})", "Per delivered hour", "Break-even month", "Savings %")
        rows = [head]
        for row in result["options"]:
            if row["sourcing"] == "in_house":
                even, share = "-", "-"
            else:
                even = str(row["break_even_month"]) if row["break_even_month"] else "never"
                share = "-" if row["savings_share"] is None else f"{row['savings_share']} %"
            rows.append((row["label"], row["total"], row["cost_per_delivered_hour"], even, share))
        widths = [max(len(str(r[i])) for r in rows) for i in range(len(head))]
        lines = [
            f"{need['occupation_label']} ({need['occupation']}): {need['hours_per_year']} h a year "
            f"for {need['months']} months, {currency}",
            "",
        ]
        for index, r in enumerate(rows):
            cells = [str(r[0]).ljust(widths[0])] + [
                str(c).rjust(w) for c, w in zip(r[1:], widths[1:], strict=True)
            ]
            lines.append("  ".join(cells))
            if index == 0:
                lines.append("  ".join("-" * w for w in widths))
        rec = result["recommendation"]
        lines += ["", rec["text"]]
        fallbacks = [
            f"{row['estimate']['country_name']}: {note}"
            for row in result["options"]
            for note in row["estimate"]["fallbacks"]
        ]
        if fallbacks:
            lines += ["", "Fallbacks:", *(f"  {note}" for note in fallbacks)]
        return "\n".join(lines)
