"""/api/docs loads Swagger UI from kpo itself: no script, style sheet, icon or image from another host."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urlsplit

from django.test import Client

URL_ATTRIBUTES = {"src", "href", "srcset", "data", "action", "poster"}


class _Urls(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in URL_ATTRIBUTES and value:
                self.urls.append((tag, value))


def urls_in(html: str) -> list[tuple[str, str]]:
    parser = _Urls()
    parser.feed(html)
    return parser.urls


def test_the_docs_page_loads_everything_from_this_host() -> None:
    response = Client().get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    urls = urls_in(html)
    tags = {tag for tag, _url in urls}
    assert {"script", "link"} <= tags, urls
    foreign = [url for _tag, url in urls if urlsplit(url).scheme or urlsplit(url).netloc]
    assert foreign == []
    assert "cdn.jsdelivr.net" not in html and "unpkg.com" not in html
    assert '"validatorUrl": null' in html  # no badge fetched from validator.swagger.io


def test_the_docs_page_static_files_are_served() -> None:
    client = Client()
    urls = [url for _tag, url in urls_in(client.get("/api/docs").content.decode())]
    assert any(url.endswith("swagger-ui-bundle.js") for url in urls)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert len(body) > 0, url
