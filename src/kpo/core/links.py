"""Links to a section of a page: a view's URL with the id of the section to scroll to."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponseRedirect
from django.urls import reverse


def url_at(view: str, anchor: str = "", **kwargs: Any) -> str:
    """The URL of the view named `view` (with its URL `kwargs`), at the section `anchor` when given."""
    url = reverse(view, kwargs=kwargs)
    return f"{url}#{anchor}" if anchor else url


def redirect_at(view: str, anchor: str = "", **kwargs: Any) -> HttpResponseRedirect:
    """A redirect to `url_at(view, anchor, **kwargs)`."""
    return HttpResponseRedirect(url_at(view, anchor, **kwargs))
