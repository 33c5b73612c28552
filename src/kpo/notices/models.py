"""Notices: short messages to one user about something that needs their attention."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _


class Notice(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(_("kind"), max_length=40, db_index=True)
    text = models.CharField(_("text"), max_length=500)
    texts = models.JSONField(
        _("text in each language"),
        default=dict,
        blank=True,
        help_text="The text by language code, when its sender wrote it in every language.",
    )
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), db_index=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    key = models.CharField(
        max_length=120, blank=True, help_text="Sent once per user and key (empty: no de-duplication)."
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="notice_user_unread")]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key"], condition=~models.Q(key=""), name="notice_once_per_key"
            )
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def shown_text(self) -> str:
        """The text in the active language where the sender wrote one, else as sent."""
        return str(self.texts.get(translation.get_language() or "", self.text)) if self.texts else self.text


class NoticePreferences(models.Model):
    """A user's choices about notices: the language their e-mails are written in (set when they switch
    the site's language or on the e-mail settings page) and the e-mail categories they do not want."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notice_preferences"
    )
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES, blank=True)
    muted_categories = models.JSONField(
        _("e-mails not wanted"), default=list, blank=True, help_text="Codes of kpo.notices.kinds."
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("notice preferences")
        verbose_name_plural = _("notice preferences")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.language or '-'}"
