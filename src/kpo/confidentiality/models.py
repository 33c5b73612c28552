"""NDAs (versioned templates, signatures) and the vault's download log.

* ``NdaTemplate``: a client's non-disclosure agreement; one per client may be *in force*, which is the
  one an expert or manager must have signed (its current version) before confidential or restricted
  material of that client opens. Its text lives in ``NdaVersion`` rows: editing adds a version.
* ``NdaSignature``: who signed which version, the typed name, when, from where, and the SHA-256 of
  the exact text signed.
* ``Download``: every copy the vault hands out (web or API); its id is the watermark's download id,
  so a traced leak names this row.
* ``UsedDownloadToken``: the nonces of single-use download links already spent.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kpo.core.models import BaseModel
from kpo.orgs.models import Organisation
from kpo.work.models import DeliverableVersion, Task, TaskDocument


class NdaTemplate(BaseModel):
    client = models.ForeignKey(
        Organisation, verbose_name=_("client"), on_delete=models.CASCADE, related_name="nda_templates"
    )
    title = models.CharField(_("title"), max_length=200)
    in_force = models.BooleanField(
        _("in force"),
        default=True,
        help_text=_(
            "The NDA experts and managers must sign before the client's confidential material opens."
        ),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-in_force", "title", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["client"], condition=Q(in_force=True), name="nda_one_in_force_per_client"
            )
        ]

    def __str__(self) -> str:
        return self.title


class NdaVersion(BaseModel):
    template = models.ForeignKey(NdaTemplate, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    text = models.TextField(_("text"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["template_id", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["template", "number"], name="nda_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.template.title} v{self.number}"


class NdaSignature(BaseModel):
    version = models.ForeignKey(NdaVersion, on_delete=models.PROTECT, related_name="signatures")
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="nda_signatures",
        help_text=_("Kept empty when the account is deleted; the typed name and the hash stay."),
    )
    typed_name = models.CharField(_("typed name"), max_length=200)
    signed_at = models.DateTimeField(_("signed"))
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    text_sha256 = models.CharField(_("SHA-256 of the text signed"), max_length=64)

    class Meta:
        ordering = ["-signed_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "signer"], name="nda_signature_once_per_version"),
        ]


class DownloadChannel(models.TextChoices):
    WEB = "web", _("Web")
    API = "api", _("API")


class Download(models.Model):
    """One copy handed out. The row's id is the watermark's download id."""

    at = models.DateTimeField(_("at"), db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Kept empty when the account is deleted; the recipient's name stays."),
    )
    client = models.ForeignKey(
        Organisation, verbose_name=_("client"), on_delete=models.PROTECT, related_name="vault_downloads"
    )
    task = models.ForeignKey(Task, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    document = models.ForeignKey(
        TaskDocument, on_delete=models.SET_NULL, null=True, blank=True, related_name="downloads"
    )
    version = models.ForeignKey(
        DeliverableVersion, on_delete=models.SET_NULL, null=True, blank=True, related_name="downloads"
    )
    title = models.CharField(_("title"), max_length=200)
    file_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256 of the original"), max_length=64)
    served_sha256 = models.CharField(_("SHA-256 of the copy served"), max_length=64, blank=True)
    watermarked = models.BooleanField(_("watermarked"), default=False)
    recipient = models.CharField(_("recipient"), max_length=200)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    channel = models.CharField(
        _("channel"), max_length=8, choices=DownloadChannel.choices, default=DownloadChannel.WEB
    )

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["client", "at"])]

    def __str__(self) -> str:
        return f"download {self.pk}"


class UsedDownloadToken(models.Model):
    nonce = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    used_at = models.DateTimeField(db_index=True)


class PreparedCopyStatus(models.TextChoices):
    PREPARING = "preparing", _("Being prepared")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Not released")
    COLLECTED = "collected", _("Downloaded")
    EXPIRED = "expired", _("Expired")


class PreparedCopy(models.Model):
    """A watermarked copy too big to make during a request: made in the worker, fetched once by its recipient.

    ``problem`` says why a copy was not released: ``over_limit:<limit>:<allowed>``, ``watermark_failed`` or
    ``missing`` (the page words it in the reader's language).
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="+")
    document = models.ForeignKey(
        TaskDocument, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    version = models.ForeignKey(
        DeliverableVersion, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    download = models.OneToOneField(
        Download, on_delete=models.SET_NULL, null=True, blank=True, related_name="prepared_copy"
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(max_length=16)
    status = models.CharField(
        _("status"), max_length=16, choices=PreparedCopyStatus.choices, default=PreparedCopyStatus.PREPARING
    )
    problem = models.CharField(max_length=200, blank=True)
    file = models.FileField(upload_to="vault/prepared/", blank=True)
    created_at = models.DateTimeField(db_index=True)
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]


class WordingStatus(models.TextChoices):
    PENDING = "pending", _("Not reviewed")
    APPROVED = "approved", _("Variants approved")
    LOCKED = "locked", _("Locked as legal text")


class WordingReview(models.Model):
    """The client's decision on a document's wording fingerprint (``kpo.engine.watermark.wording``).

    Approved: every provider-side copy of this exact file (``sha256``) takes its recipient's
    equivalent wordings at the listed choice points, so a retyped or OCR'd copy still names them.
    Locked (legal text): no word changes; only the invisible channels mark the copy. A document with
    no review, or whose file changed since, gets no wording variants.
    """

    document = models.OneToOneField(TaskDocument, on_delete=models.CASCADE, related_name="wording_review")
    status = models.CharField(
        _("status"), max_length=16, choices=WordingStatus.choices, default=WordingStatus.PENDING
    )
    language = models.CharField(_("language"), max_length=8)
    points = models.PositiveIntegerField(_("choice points"), default=0)
    sha256 = models.CharField(_("SHA-256 of the file reviewed"), max_length=64)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"))

    def __str__(self) -> str:
        return f"wording of document {self.document_id}: {self.status}"
