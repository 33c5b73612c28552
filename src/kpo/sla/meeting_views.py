"""Meeting pages: a task's meetings with the proposal form, picking a slot, and the invitation (.ics)."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kpo.audit.models import AuditEvent
from kpo.audit.services import audit
from kpo.core.access import authenticated, require
from kpo.core.clock import request_now
from kpo.core.forms import submit
from kpo.sla.access import access_meeting, access_task_for_meeting, side_of
from kpo.sla.forms import MeetingForm, MeetingPickForm
from kpo.sla.meeting_ics import meeting_ics
from kpo.sla.models import Meeting, MeetingSide, MeetingStatus
from kpo.sla.overlap import everyone_windows, summary_text
from kpo.sla.services.meetings import SLOT_FIELDS, meeting_pick, meeting_propose, side_people
from kpo.work.models import Task


def _page(
    request: HttpRequest,
    task: Task,
    *,
    form: forms.BaseForm | None = None,
    pick_form: forms.BaseForm | None = None,
    status: int = 200,
) -> HttpResponse:
    side = side_of(request.user, task)
    meetings = list(Meeting.objects.filter(task=task).select_related("proposed_by", "picked_by")[:20])
    now = request_now(request)
    return render(
        request,
        "sla/meetings.html",
        {
            "task": task,
            "engagement": task.engagement,
            "meetings": meetings,
            "side": side,
            "form": form or MeetingForm(),
            "pick_errors": [
                str(e) for errors in (pick_form.errors.values() if pick_form else ()) for e in errors
            ],
            "overlap": summary_text(everyone_windows(task, now), timezone.get_current_timezone_name()),
            "PICKED": MeetingStatus.PICKED,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def meetings_view(request: HttpRequest, task_id: int) -> HttpResponse:
    task = access_task_for_meeting(request.user, task_id)
    if request.method != "POST":
        return _page(request, task)
    form = MeetingForm(request.POST)
    back = HttpResponseRedirect(reverse("task_meetings", kwargs={"task_id": task.pk}))
    return submit(
        request,
        form,
        lambda data: meeting_propose(
            user=authenticated(request),
            task=task,
            slots=[data.get(field) for field in SLOT_FIELDS],
            minutes=data["minutes"],
            now=request_now(request),
        ),
        success=_("Meeting proposed: the other side is asked to pick a slot."),
        then=back,
    ) or _page(request, task, form=form, status=400)


@login_required
@require_POST
def meeting_pick_view(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = access_meeting(request.user, meeting_id)
    form = MeetingPickForm(request.POST)
    back = HttpResponseRedirect(reverse("task_meetings", kwargs={"task_id": meeting.task_id}))
    return submit(
        request,
        form,
        lambda data: meeting_pick(
            user=authenticated(request), meeting=meeting, slot=data["slot"], now=request_now(request)
        ),
        success=_("Slot picked: both sides can add the invitation to their calendars."),
        then=back,
    ) or _page(request, meeting.task, pick_form=form, status=400)


@login_required
@require_GET
def meeting_ics_view(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = access_meeting(request.user, meeting_id)
    require(meeting.status == MeetingStatus.PICKED, _("No slot is picked yet."))
    task = meeting.task
    attendees = side_people(task, MeetingSide.CLIENT) + side_people(task, MeetingSide.PROVIDER)
    now = request_now(request)
    body = meeting_ics(meeting, _("Meeting: %(task)s") % {"task": task.title}, attendees, now)
    audit(
        authenticated(request),
        AuditEvent.DOWNLOAD,
        ("meeting", meeting.pk),
        task.engagement.client,
        {"ics": True},
        at=now,
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8; method=REQUEST")
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.pk}.ics"'
    response["Cache-Control"] = "private, no-store"
    return response
