"""core.forms.submit and attempt: the shared POST of a form, and of a button, that calls a service."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage import default_storage
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.test import RequestFactory

from kpo.core.errors import DomainError
from kpo.core.forms import attempt, submit


class NameForm(forms.Form):
    name = forms.CharField(max_length=10)


def _request() -> HttpRequest:
    request = RequestFactory().post("/")
    request.session = {}  # type: ignore[assignment]
    request._messages = default_storage(request)  # type: ignore[attr-defined]
    return request


def _texts(request: HttpRequest) -> list[str]:
    return [str(message) for message in get_messages(request)]


def test_a_valid_form_calls_the_service_then_says_so_and_answers() -> None:
    request = _request()
    calls: list[dict[str, Any]] = []

    def action(data: dict[str, Any]) -> str:
        calls.append(data)
        return data["name"].upper()

    response = submit(
        request,
        NameForm({"name": "ada"}),
        action,
        success=lambda result: f"Saved {result}.",
        then=lambda result: HttpResponseRedirect(f"/{result}/"),
    )
    assert calls == [{"name": "ada"}]
    assert isinstance(response, HttpResponseRedirect) and response.url == "/ADA/"
    assert _texts(request) == ["Saved ADA."]


def test_a_fixed_message_and_response_are_used_as_they_are() -> None:
    request = _request()
    done = HttpResponse("done")
    assert submit(request, NameForm({"name": "ada"}), lambda data: None, success="Saved.", then=done) is done
    assert _texts(request) == ["Saved."]


def test_an_invalid_form_calls_nothing_and_answers_none() -> None:
    request = _request()
    form = NameForm({"name": "a name far too long"})

    def action(data: dict[str, Any]) -> None:
        raise AssertionError("the service must not be called")

    assert submit(request, form, action, success="Saved.", then=HttpResponse()) is None
    assert "name" in form.errors
    assert _texts(request) == []


def test_service_errors_land_on_the_form_and_answer_none() -> None:
    for error in (DomainError("Taken.", field="name"), ValidationError({"name": "Taken."})):
        request = _request()
        form = NameForm({"name": "ada"})

        def action(data: dict[str, Any], error: Exception = error) -> None:
            raise error

        assert submit(request, form, action, success="Saved.", then=HttpResponse()) is None
        assert form.errors["name"] == ["Taken."]
        assert _texts(request) == []


def test_a_view_may_put_service_errors_onto_the_form_its_own_way() -> None:
    request = _request()
    form = NameForm({"name": "ada"})
    seen: list[Exception] = []

    def on_error(form: forms.BaseForm, error: ValidationError | DomainError) -> None:
        seen.append(error)
        form.add_error("name", "Renamed.")

    def action(data: dict[str, Any]) -> None:
        raise DomainError("Taken.", field="title")

    assert submit(request, form, action, success="Saved.", then=HttpResponse(), on_error=on_error) is None
    assert [str(error) for error in seen] == ["Taken."]
    assert form.errors["name"] == ["Renamed."]
    assert _texts(request) == []


def test_a_button_that_works_says_so() -> None:
    request = _request()
    assert attempt(request, lambda: "ada", success=lambda name: f"Removed {name}.") is True
    assert attempt(request, lambda: None, success="Done.") is True
    assert _texts(request) == ["Removed ada.", "Done."]


def test_a_button_whose_service_refuses_says_why() -> None:
    for error in (DomainError("Not now."), ValidationError(["Not now.", "Later."])):
        request = _request()

        def action(error: Exception = error) -> None:
            raise error

        assert attempt(request, action, success="Done.") is False
        assert _texts(request) == ["Not now." if isinstance(error, DomainError) else "Not now. Later."]
