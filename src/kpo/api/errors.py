"""Every API error is a JSON body naming the field and the reason: {"detail": ..., "errors": [...]}."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from kpo.core.errors import DomainError, field_errors

LOCATIONS = {"body", "query", "path", "form", "file", "header", "cookie"}
PARAMETER_NAMES = {"payload", "filters"}  # the handlers' names for a whole body / a query schema


def _location_to_field(loc: list[Any] | tuple[Any, ...]) -> str:
    """("body", "payload", "skills", 0, "skill_id") -> "skills.0.skill_id"; ("file", "file") -> "file"."""
    parts = [str(p) for p in loc]
    if parts and parts[0] in LOCATIONS:
        parts = parts[1:]
    if parts and parts[0] in PARAMETER_NAMES:
        parts = parts[1:]
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
        return api.create_response(request, _body(_("The request has invalid fields."), errors), status=422)

    @api.exception_handler(ValidationError)
    def on_model_invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        return api.create_response(
            request, _body(_("The request has invalid fields."), field_errors(exc)), status=422
        )

    @api.exception_handler(DomainError)
    def on_domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
        return api.create_response(request, _body(exc.message, field_errors(exc)), status=exc.status)

    @api.exception_handler(Http404)
    def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return api.create_response(request, _body(_("Not found."), []), status=404)

    @api.exception_handler(PermissionDenied)
    def on_forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return api.create_response(request, _body(str(exc) or _("You may not do this."), []), status=403)

    @api.exception_handler(AuthenticationError)
    def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        detail = (
            exc.message if type(exc) is not AuthenticationError else _("Sign in or send a valid API token.")
        )
        return api.create_response(request, _body(detail, []), status=401)

    def on_unreadable(request: HttpRequest, exc: object) -> HttpResponse:
        """A body Django cannot read (too large, too many fields, broken multipart): 400, still JSON."""
        return api.create_response(
            request, _body(_("The request could not be read: %(reason)s") % {"reason": exc}, []), status=400
        )

    api.add_exception_handler(MultiPartParserError, on_unreadable)
    api.add_exception_handler(SuspiciousOperation, on_unreadable)  # RequestDataTooBig, TooManyFieldsSent
    api.add_exception_handler(BadRequest, on_unreadable)

    @api.exception_handler(HttpError)
    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return api.create_response(request, _body(str(exc), []), status=exc.status_code)
