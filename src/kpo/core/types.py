"""Types every app shares."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User

AnyUser = User | AnonymousUser
"""Whoever made the request: signed in or not."""
