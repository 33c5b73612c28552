"""How an operation is declared: one line with its path, what it answers and the errors it declares.

Every operation is named by its view (the operation id is the function's name) and declares 401 and
its error codes through `responses`. The kinds differ in their method and success answer.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, ParamSpec, TypeVar, cast

from ninja import Router, Status
from ninja.pagination import paginate

from kpo.api.files import DOWNLOAD_TYPES, download_openapi
from kpo.api.schemas import Pagination, responses

P = ParamSpec("P")
T = TypeVar("T")
View = TypeVar("View", bound=Callable[..., Any])


class ApiRouter(Router):
    """A ninja router with a decorator for each kind of operation the API has."""

    def _declare(
        self, method: str, path: str, ok: dict[int, Any], errors: tuple[int, ...], **options: Any
    ) -> Callable[[View], View]:
        if method != "GET":  # the session's CSRF check and read-only tokens refuse any write with 403
            errors = (*errors, 403)

        def declare(view: View) -> View:
            self.api_operation(
                [method], path, response=responses(ok, *errors), operation_id=view.__name__, **options
            )(view)
            return view

        return declare

    def reads(self, path: str, out: Any, *errors: int) -> Callable[[View], View]:
        """GET answering 200 with `out`."""
        return self._declare("GET", path, {200: out}, errors)

    def lists(self, path: str, item: Any, *errors: int) -> Callable[[View], View]:
        """GET answering 200 with a page of `item`s (`limit`/`offset`, see `Pagination`)."""

        def declare(view: View) -> View:
            paged = cast(View, paginate(Pagination)(view))
            return self._declare("GET", path, {200: list[item]}, errors)(paged)

        return declare

    def writes(
        self, method: str, path: str, out: Any, *errors: int, **options: Any
    ) -> Callable[[View], View]:
        """POST, PUT or PATCH answering 200 with `out` (the changed object, or the result); `options` go to
        ninja (`openapi_extra` for a body the view reads itself)."""
        return self._declare(method, path, {200: out}, errors, **options)

    def creates(
        self, path: str, out: Any, *errors: int, status: int = 201
    ) -> Callable[[Callable[P, T]], Callable[P, Status[T]]]:
        """POST answering `status` (201 Created, or 202 Accepted for work that goes on) with what the
        view returns."""

        def declare(view: Callable[P, T]) -> Callable[P, Status[T]]:
            @wraps(view)
            def answer(*args: P.args, **kwargs: P.kwargs) -> Status[T]:
                return Status(status, view(*args, **kwargs))

            return self._declare("POST", path, {status: out}, errors)(answer)

        return declare

    def deletes(self, path: str, *errors: int) -> Callable[[Callable[P, None]], Callable[P, Status[None]]]:
        """DELETE answering 204 with no body."""

        def declare(view: Callable[P, None]) -> Callable[P, Status[None]]:
            @wraps(view)
            def answer(*args: P.args, **kwargs: P.kwargs) -> Status[None]:
                view(*args, **kwargs)
                return Status(204, None)

            return self._declare("DELETE", path, {204: None}, errors)(answer)

        return declare

    def downloads(
        self, path: str, *errors: int, media_types: tuple[str, ...] = DOWNLOAD_TYPES
    ) -> Callable[[View], View]:
        """GET answering 200 with a file in one of `media_types`, as an attachment."""
        return self._declare("GET", path, {}, errors, openapi_extra=download_openapi(*media_types))
