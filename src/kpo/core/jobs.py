"""Background jobs of the kernel: sending e-mail."""

from __future__ import annotations

from django.core.mail import EmailMultiAlternatives
from django_tasks import task


@task()
def send_email(*, to: list[str], subject: str, body: str, html: str = "") -> int:
    """Send one e-mail through settings.EMAIL_BACKEND. A mail server that refuses or cannot be reached
    raises (SMTPException, OSError), so the worker records the failure and retries the job."""
    message = EmailMultiAlternatives(subject=subject, body=body, to=to)
    if html:
        message.attach_alternative(html, "text/html")
    return message.send(fail_silently=False)
