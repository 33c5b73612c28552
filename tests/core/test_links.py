"""core.links: a view's URL, at a section of its page when one is named."""

from __future__ import annotations

from kpo.core.links import redirect_at, url_at


def test_a_url_names_its_section_only_when_given_one() -> None:
    assert url_at("task_detail", task_id=7) == "/tasks/7/"
    assert url_at("task_detail", "documents", task_id=7) == "/tasks/7/#documents"
    assert url_at("my_conflicts") == "/me/conflicts/"


def test_a_redirect_goes_to_the_same_place() -> None:
    assert redirect_at("task_detail", "time", task_id=7).url == "/tasks/7/#time"
