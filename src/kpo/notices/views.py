"""A user's own notices."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from kpo.notices.selectors import notices_for
from kpo.notices.services import notices_mark_read

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
