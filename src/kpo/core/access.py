"""The one door: helpers every handler calls first to look up an object inside what the user may see.

Objects outside the user's tenancy answer 404 (Http404), so their existence does not leak; objects the
user may see but not change answer 403 (PermissionDenied).
"""

from __future__ import annotations

from typing import TypeVar

from django.contrib.auth.models import User
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

M = TypeVar("M", bound=Model)


def get_visible_or_404(queryset: QuerySet[M], pk: object) -> M:
    try:
        return queryset.get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError, OverflowError) as error:
        raise Http404("Not found.") from error


def require(condition: bool, message: str = "") -> None:
    if not condition:
        raise PermissionDenied(message or _("You may not do this."))


def authenticated(request: HttpRequest) -> User:
    """The signed-in user, typed (views call this after @login_required)."""
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        raise PermissionDenied(_("Sign in first."))
    return user
