"""Self-service password reset by e-mail: Django's views and tokens, kpo's mail path and audit trail.

The reset page answers the same whether or not the address belongs to an account. An account gets at
most KPO_PASSWORD_RESETS_PER_HOUR reset e-mails an hour; more requests are accepted and send nothing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.http import HttpRequest
from django.template import loader
from django.utils import timezone

from kpo.audit.models import AuditEntry, AuditEvent
from kpo.audit.services import audit
from kpo.core.addresses import client_address
from kpo.core.mail import queue_email


def resets_in_the_last_hour(user_id: int) -> int:
    return AuditEntry.objects.filter(
        event=AuditEvent.PASSWORD_RESET_REQUESTED,
        object_type="user",
        object_id=str(user_id),
        at__gte=timezone.now() - timedelta(hours=1),
    ).count()


class KpoPasswordResetForm(PasswordResetForm):
    request: HttpRequest | None = None  # set by the view: the audit entry names the requesting address

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        user = context["user"]
        if resets_in_the_last_hour(user.pk) >= settings.KPO_PASSWORD_RESETS_PER_HOUR:
            return
        details = {"ip": client_address(self.request)} if self.request is not None else {}
        audit(None, AuditEvent.PASSWORD_RESET_REQUESTED, ("user", user.pk), None, details)
        subject = loader.render_to_string(subject_template_name, context)
        body = loader.render_to_string(email_template_name, context)
        queue_email(to=[to_email], subject=subject, body=body)
