"""Loading the signed-in user once per request, with what every page asks of them."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import User


class ModelBackendWithProfile(ModelBackend):
    """Django's password backend, whose session look-up also joins the user's expert profile (or its
    absence), so the time-zone middleware and the pages that ask "is this an expert?" need no query."""

    def get_user(self, user_id: Any) -> User | None:
        try:
            user = User.objects.select_related("expert_profile").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
