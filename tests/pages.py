"""Checks of a rendered page as a whole: ids unique on the page, and the links of its breadcrumbs.

`unique_ids_on_every_page` is a fixture body for a test package's conftest: every HTML answer a Django
test client gets in those tests must hold each id once (a label's `for`, `aria-labelledby` and the
page's anchors name one element only).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client


class _Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.crumbs: list[str] = []
        self._nav_depth = 0
        self._in_crumbs = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.append(str(values["id"]))
        if tag == "nav":
            self._nav_depth += 1
            if "breadcrumbs" in (values.get("class") or "").split():
                self._in_crumbs = self._nav_depth
        if tag == "a" and self._in_crumbs and values.get("href"):
            self.crumbs.append(str(values["href"]))

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav":
            if self._in_crumbs == self._nav_depth:
                self._in_crumbs = 0
            self._nav_depth -= 1


def _parsed(html: str) -> _Ids:
    parser = _Ids()
    parser.feed(html)
    parser.close()
    return parser


def duplicate_ids(html: str) -> list[str]:
    """The ids that more than one element of the page carries."""
    return sorted(name for name, count in Counter(_parsed(html).ids).items() if count > 1)


def breadcrumb_links(html: str) -> list[str]:
    """The hrefs of the links in the page's breadcrumbs, in order."""
    return _parsed(html).crumbs


def unique_ids_on_every_page(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Fail any test whose Django test client receives an HTML page with an id used twice."""
    request = Client.request

    def checked(self: Client, **kwargs: Any) -> Any:
        response = request(self, **kwargs)
        if response.get("Content-Type", "").startswith("text/html") and not response.streaming:
            twice = duplicate_ids(response.content.decode(errors="replace"))
            assert not twice, f"ids used twice on {kwargs.get('PATH_INFO')}: {twice}"
        return response

    monkeypatch.setattr(Client, "request", checked)
    yield
