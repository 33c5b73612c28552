"""A password change revokes the user's API tokens, however it changed (page, admin, shell)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db.models.signals import post_save, pre_save

from kpo.orgs.services import api_tokens_revoke_all

PASSWORD_CHANGED = "_kpo_password_changed"


def _note_password_change(
    sender: type[User], instance: User, update_fields: Any = None, **kwargs: Any
) -> None:
    if instance.pk is None or (update_fields is not None and "password" not in update_fields):
        return
    stored = User.objects.filter(pk=instance.pk).values_list("password", flat=True).first()
    setattr(instance, PASSWORD_CHANGED, stored is not None and stored != instance.password)


def _revoke_tokens(sender: type[User], instance: User, created: bool, **kwargs: Any) -> None:
    if getattr(instance, PASSWORD_CHANGED, False):
        setattr(instance, PASSWORD_CHANGED, False)
        api_tokens_revoke_all(user=instance)


def connect() -> None:
    pre_save.connect(_note_password_change, sender=User, dispatch_uid="kpo.orgs.password_changed")
    post_save.connect(_revoke_tokens, sender=User, dispatch_uid="kpo.orgs.revoke_tokens")
