from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from kpo.core.models import BaseModel, StoredFile
from kpo.core.validators import validate_currency, validate_language
from kpo.engine.lifecycle import OPEN_STATES, TaskState
from kpo.engine.taxonomy import PROFICIENCY_MAX, PROFICIENCY_MIN, ConfidentialityLevel
from kpo.experts.models import CEFR_CHOICES, DegreeLevelChoice, DomainChoice, EscoSkill, ExpertProfile
from kpo.orgs.models import Organisation


class EngagementKind(models.TextChoices):
    ONE_OFF = "one_off", _("One-off")
    RECURRING = "recurring", _("Recurring")


class PricingModel(models.TextChoices):
    TIME_AND_MATERIALS = "time_and_materials", _("Time and materials")
    FIXED_FEE = "fixed_fee", _("Fixed fee")


class Confidentiality(models.TextChoices):
    PUBLIC = ConfidentialityLevel.PUBLIC.value, _("Public")
    INTERNAL = ConfidentialityLevel.INTERNAL.value, _("Internal")
    CONFIDENTIAL = ConfidentialityLevel.CONFIDENTIAL.value, _("Confidential")
    RESTRICTED = ConfidentialityLevel.RESTRICTED.value, _("Restricted")


class EngagementStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Active")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class TaskStatus(models.TextChoices):
    DRAFT = TaskState.DRAFT.value, _("Draft")
    SUBMITTED = TaskState.SUBMITTED.value, _("Submitted")
    STAFFING = TaskState.STAFFING.value, _("Staffing")
    IN_PROGRESS = TaskState.IN_PROGRESS.value, _("In progress")
    IN_REVIEW = TaskState.IN_REVIEW.value, _("In review")
    DELIVERED = TaskState.DELIVERED.value, _("Delivered")
    CHANGES_REQUESTED = TaskState.CHANGES_REQUESTED.value, _("Changes requested")
    ACCEPTED = TaskState.ACCEPTED.value, _("Accepted")
    ON_HOLD = TaskState.ON_HOLD.value, _("On hold")
    CANCELLED = TaskState.CANCELLED.value, _("Cancelled")


OPEN_STATUS_VALUES = sorted(state.value for state in OPEN_STATES)


class Priority(models.TextChoices):
    LOW = "low", _("Low")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")
    URGENT = "urgent", _("Urgent")


class AssignmentRole(models.TextChoices):
    MAKER = "maker", _("Maker")
    REVIEWER = "reviewer", _("Reviewer")


class TimeEntryStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class Engagement(BaseModel):
    client = models.ForeignKey(
        Organisation, verbose_name=_("client"), on_delete=models.PROTECT, related_name="client_engagements"
    )
    provider = models.ForeignKey(
        Organisation,
        verbose_name=_("provider"),
        on_delete=models.PROTECT,
        related_name="provider_engagements",
    )
    title = models.CharField(_("title"), max_length=200)
    objective = models.TextField(_("objective"))
    domain = models.CharField(_("domain"), max_length=40, choices=DomainChoice.choices, db_index=True)
    kind = models.CharField(
        _("kind"), max_length=20, choices=EngagementKind.choices, default=EngagementKind.ONE_OFF
    )
    pricing_model = models.CharField(
        _("pricing model"),
        max_length=20,
        choices=PricingModel.choices,
        default=PricingModel.TIME_AND_MATERIALS,
    )
    budget = models.DecimalField(
        _("budget"), max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )
    currency = models.CharField(_("currency"), max_length=3, validators=[validate_currency])
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"), null=True, blank=True)
    confidentiality = models.CharField(
        _("confidentiality"),
        max_length=20,
        choices=Confidentiality.choices,
        default=Confidentiality.CONFIDENTIAL,
    )
    contains_personal_data = models.BooleanField(
        _("contains personal data"),
        default=False,
        help_text=_("Its material may go only to the countries the data-residency rules allow."),
    )
    sensitive = models.BooleanField(
        _("sensitive"),
        default=False,
        help_text=_("A sensitive engagement needs the longer conflict-of-interest cooling-off period."),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=EngagementStatus.choices,
        default=EngagementStatus.ACTIVE,
        db_index=True,
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        errors: dict[str, object] = {}
        if self.client_id and not self.client.is_client:
            errors["client"] = _("The client must be a client organisation.")
        if self.provider_id:
            if self.provider.is_client:
                errors["provider"] = _("The provider must be a provider organisation.")
            elif self.provider.provider_type == "captive" and self.provider.parent_id != self.client_id:
                errors["provider"] = _("A captive subsidiary works only for its own parent organisation.")
        if self.end_date and self.start_date and self.end_date < self.start_date:
            errors["end_date"] = _("The end cannot be before the start.")
        if errors:
            raise ValidationError(errors)


class Task(BaseModel):
    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    min_degree_level = models.CharField(
        _("minimum degree"), max_length=20, choices=DegreeLevelChoice.choices, blank=True
    )
    effort_hours = models.DecimalField(
        _("effort estimate (hours)"),
        max_digits=8,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal(10000))],
    )
    due_at = models.DateTimeField(_("due"))
    priority = models.CharField(
        _("priority"), max_length=10, choices=Priority.choices, default=Priority.NORMAL
    )
    status = models.CharField(
        _("status"), max_length=20, choices=TaskStatus.choices, default=TaskStatus.DRAFT, db_index=True
    )
    resume_status = models.CharField(max_length=20, choices=TaskStatus.choices, blank=True)
    confidentiality = models.CharField(
        _("confidentiality"),
        max_length=20,
        choices=Confidentiality.choices,
        blank=True,
        help_text=_("Leave empty to use the engagement's level."),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["due_at", "id"]
        indexes = [models.Index(fields=["updated_at"], name="kpo_task_updated_at")]  # matching's fingerprint

    def __str__(self) -> str:
        return self.title

    @property
    def effective_confidentiality(self) -> str:
        """The task's own level, else its engagement's."""
        return self.confidentiality or self.engagement.confidentiality


class TaskSkill(models.Model):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="required_skills")
    skill = models.ForeignKey(EscoSkill, on_delete=models.PROTECT, related_name="+")
    min_proficiency = models.PositiveSmallIntegerField(
        _("minimum proficiency"),
        validators=[MinValueValidator(PROFICIENCY_MIN), MaxValueValidator(PROFICIENCY_MAX)],
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["task", "skill"], name="task_skill_unique")]


class TaskLanguage(models.Model):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="languages")
    language = models.CharField(_("language"), max_length=2, validators=[validate_language])
    min_level = models.CharField(_("minimum level"), max_length=6, choices=CEFR_CHOICES)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["task", "language"], name="task_language_unique")]


class TaskTransition(models.Model):
    """The record of one lifecycle step: who, when, from, to, why."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="transitions")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    from_status = models.CharField(max_length=20, choices=TaskStatus.choices)
    to_status = models.CharField(max_length=20, choices=TaskStatus.choices)
    comment = models.TextField(blank=True)
    at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["at", "id"]


class Assignment(BaseModel):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="assignments")
    expert = models.ForeignKey(ExpertProfile, on_delete=models.PROTECT, related_name="assignments")
    role = models.CharField(_("role"), max_length=10, choices=AssignmentRole.choices)
    planned_hours = models.DecimalField(
        _("planned hours"),
        max_digits=8,
        decimal_places=1,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(10000))],
    )
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    ends_on = models.DateField(
        _("ends on"),
        null=True,
        blank=True,
        help_text=_("The last day the expert works on the task; set when they are released from the team."),
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["task", "expert", "role"], name="assignment_unique_role"),
        ]
        ordering = ["role", "id"]
        indexes = [models.Index(fields=["updated_at"], name="kpo_assignment_updated_at")]  # as Task's


class TaskDocument(StoredFile):
    """Material the client hands over with a task (the brief, data, references)."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=200)
    confidentiality = models.CharField(
        _("confidentiality"),
        max_length=20,
        choices=Confidentiality.choices,
        blank=True,
        help_text=_("Leave empty to use the task's level."),
    )

    @property
    def effective_confidentiality(self) -> str:
        """The document's own level, else its task's (and so its engagement's)."""
        return self.confidentiality or self.task.effective_confidentiality


class Deliverable(BaseModel):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="deliverables")
    title = models.CharField(_("title"), max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["created_at", "id"]


class DeliverableVersion(StoredFile):
    deliverable = models.ForeignKey(Deliverable, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    note = models.TextField(_("note"), blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["deliverable", "number"], name="deliverable_version_unique"),
        ]
        ordering = ["number"]


class TimeEntry(BaseModel):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="time_entries")
    expert = models.ForeignKey(ExpertProfile, on_delete=models.PROTECT, related_name="time_entries")
    date = models.DateField(_("date"))
    hours = models.DecimalField(
        _("hours"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.25")), MaxValueValidator(Decimal(24))],
    )
    description = models.CharField(_("description"), max_length=500)
    status = models.CharField(
        _("status"), max_length=20, choices=TimeEntryStatus.choices, default=TimeEntryStatus.SUBMITTED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = models.CharField(_("decision note"), max_length=500, blank=True)

    class Meta:
        ordering = ["-date", "-id"]


class MessageLanguage(models.TextChoices):
    ENGLISH = "en", _("English")
    DANISH = "da", _("Danish")
    OTHER = "other", _("Another language")


class Message(BaseModel):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("message"))
    language = models.CharField(
        _("language"), max_length=8, choices=MessageLanguage.choices, default=MessageLanguage.ENGLISH
    )
    mentions = models.JSONField(default=list, blank=True)
    """The people the message mentions who could see the task when it was written: a list of
    {"user": id, "handle": the handle as lower case}, read when the thread is shown (no query)."""

    class Meta:
        ordering = ["created_at", "id"]

    @property
    def mentioned_handles(self) -> set[str]:
        return {str(item.get("handle", "")) for item in self.mentions if isinstance(item, dict)}

    @property
    def mentioned_user_ids(self) -> list[int]:
        return [int(item["user"]) for item in self.mentions if isinstance(item, dict) and "user" in item]


class ThreadReadMarker(models.Model):
    """How far one person has read one task's thread: the newest message they were shown."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="read_markers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    last_read = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["task", "user"], name="thread_read_marker_unique"),
        ]


class OverflowProvider(BaseModel):
    """Another provider organisation (a freelance pool, a second firm) the client approved to take tasks
    of one engagement that its provider cannot staff in time (kpo.work.overflow)."""

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="overflow_providers")
    provider = models.ForeignKey(
        Organisation, verbose_name=_("overflow provider"), on_delete=models.PROTECT, related_name="+"
    )
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["engagement", "provider"], name="overflow_provider_once"),
        ]
        ordering = ["created_at", "id"]


class ReleaseStatus(models.TextChoices):
    OPEN = "open", _("Open to the overflow pool")
    TAKEN = "taken", _("Taken")
    RECALLED = "recalled", _("Recalled")


class TaskRelease(BaseModel):
    """A task released to the engagement's overflow pool: who released it and why, who took it (which
    organisation, which manager, when, why) or who recalled it before anyone did."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="releases")
    status = models.CharField(
        _("status"), max_length=10, choices=ReleaseStatus.choices, default=ReleaseStatus.OPEN, db_index=True
    )
    reason = models.TextField(_("reason"))
    released_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    released_at = models.DateTimeField(_("released"))
    taken_by_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    taken_at = models.DateTimeField(_("taken"), null=True, blank=True)
    take_reason = models.TextField(_("why"), blank=True)
    recalled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recalled_at = models.DateTimeField(_("recalled"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["task"],
                condition=models.Q(status__in=["open", "taken"]),
                name="task_release_one_active",
            ),
        ]
        ordering = ["-released_at", "-id"]
