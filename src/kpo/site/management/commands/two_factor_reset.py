"""`kpo two-factor-reset USERNAME`: remove a user's authenticator and recovery codes (a lost phone)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser

from kpo.site.two_factor.services import reset


class Command(BaseCommand):
    help = (
        "Remove a user's two-factor devices and recovery codes, so they set up a new authenticator at the "
        "next sign-in. Recorded in the audit trail."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="the account whose second factor is reset")
        parser.add_argument("--by", default="", help="the operator's user name, recorded as who reset it")
        parser.add_argument("--reason", default="", help="why (recorded, e.g. a support ticket)")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"username: no account is called {options['username']!r}.")
        operator = None
        if options["by"]:
            operator = User.objects.filter(username=options["by"], is_staff=True).first()
            if operator is None:
                raise CommandError(f"--by: {options['by']!r} is not an operator account.")
        removed = reset(user, by=operator, reason=options["reason"])
        self.stdout.write(
            f"Two-factor authentication of {user.username} is reset ({removed} devices removed); "
            "they set it up again at their next sign-in."
        )
