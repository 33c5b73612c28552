"""A user's own notices and e-mail settings."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kpo.core.access import authenticated
from kpo.core.forms import submit
from kpo.notices.forms import EmailPreferencesForm
from kpo.notices.kinds import CATEGORY_CODES
from kpo.notices.selectors import email_language, notices_for, preferences_of
from kpo.notices.services import notices_mark_read, preferences_save

PER_PAGE = 50


@login_required
@require_GET
def notice_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(notices_for(request.user), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "notices/notice_list.html", {"page": page, "notices": page.object_list})


@login_required
@require_POST
def notices_read(request: HttpRequest) -> HttpResponse:
    notices_mark_read(user=request.user)  # type: ignore[arg-type]
    return redirect("notice_list")


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def email_preferences(request: HttpRequest) -> HttpResponse:
    user = authenticated(request)
    if request.method == "POST":
        form = EmailPreferencesForm(request.POST)
        return submit(
            request,
            form,
            lambda data: preferences_save(
                user=user, language=data["language"], email_categories=data["email_categories"]
            ),
            success=_("Your e-mail settings are saved."),
            then=redirect("email_preferences"),
        ) or _render_preferences(request, form, status=400)
    preferences = preferences_of(user)
    initial = {
        "language": email_language(preferences),
        "email_categories": [code for code in CATEGORY_CODES if code not in preferences.muted_categories],
    }
    return _render_preferences(request, EmailPreferencesForm(initial=initial))


def _render_preferences(
    request: HttpRequest, form: EmailPreferencesForm, *, status: int = 200
) -> HttpResponse:
    return render(request, "notices/email_preferences.html", {"form": form}, status=status)
