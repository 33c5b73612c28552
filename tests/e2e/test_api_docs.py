"""The API docs in the browser: Swagger UI renders the operations without reaching any other host."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, Request, Route, expect

pytestmark = [pytest.mark.e2e]


def test_the_api_docs_list_the_operations_offline(page: Page, shot, live_server) -> None:  # type: ignore[no-untyped-def]
    here = urlsplit(live_server.url).netloc
    elsewhere: list[str] = []

    def only_here(route: Route, request: Request) -> None:
        if urlsplit(request.url).scheme in {"http", "https"} and urlsplit(request.url).netloc != here:
            elsewhere.append(request.url)
            route.abort()
        else:
            route.continue_()

    page.route("**/*", only_here)
    page.goto("/api/docs")
    # the schema is built at its first request, which takes seconds on a loaded machine
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("kpo API", timeout=60_000)
    operations = page.locator(".opblock")
    expect(operations.first).to_be_visible(timeout=60_000)
    assert operations.count() > 50
    expect(page.locator(".opblock-summary-path", has_text="/api/engagements").first).to_be_visible()
    shot("01-operations")
    assert elsewhere == []
