"""The language switch: Django's set_language (the choice in a cookie for this browser), and for a
signed-in user also remembered on the account, so e-mails reach them in the language they chose."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.translation import check_for_language
from django.views.i18n import set_language

from kpo.notices.services import language_remember


def language_switch(request: HttpRequest) -> HttpResponse:
    response = set_language(request)
    language = request.POST.get("language", "") if request.method == "POST" else ""
    if language and check_for_language(language) and request.user.is_authenticated:
        language_remember(user=request.user, language=language)
    return response
