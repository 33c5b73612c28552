"""Every API error is a JSON body naming the field and the reason: {"detail": ..., "errors": [...]}."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from kpo.core.errors import DomainError, field_errors

IGNORED_LOCATIONS = {"body", "query", "path", "form", "file", "payload", "filters"}


def _location_to_field(loc: list[Any] | tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc if str(p) not in IGNORED_LOCATIONS]
    return ".".join(parts) or "__all__"


def _body(detail: str, errors: list[dict[str, str]]) -> dict[str, Any]:
    return {"detail": detail, "errors": errors}


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(NinjaValidationError)
    def on_request_invalid(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        errors = [
            {"field": _location_to_field(e.get("loc", ())), "message": str(e.get("msg", ""))}
            for e in exc.errors
        ]
        return api.create_response(request, _body("The request has invalid fields.", errors), status=422)

    @api.exception_handler(ValidationError)
    def on_model_invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        return api.create_response(
            request, _body("The request has invalid fields.", field_errors(exc)), status=422
        )

    @api.exception_handler(DomainError)
    def on_domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
        return api.create_response(request, _body(exc.message, field_errors(exc)), status=exc.status)

    @api.exception_handler(Http404)
    def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return api.create_response(request, _body("Not found.", []), status=404)

    @api.exception_handler(PermissionDenied)
    def on_forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return api.create_response(request, _body(str(exc) or "You may not do this.", []), status=403)

    @api.exception_handler(AuthenticationError)
    def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return api.create_response(request, _body("Sign in or send a valid API token.", []), status=401)

    @api.exception_handler(HttpError)
    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return api.create_response(request, _body(str(exc), []), status=exc.status_code)
