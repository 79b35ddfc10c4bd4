"""The HTTP API's one error shape, its exception handlers and the OpenAPI completion.

Every 4xx the API sends has the body ``{"code": ..., "detail": ..., "field": ..., "errors":
[...]}``: ``code`` is machine-readable, ``detail`` is a sentence in the caller's language,
``field`` names the field it is about (if any) and ``errors`` lists every field error of a
request that does not match the document (422, ``code: "invalid"``).

A router never builds an error body itself: it raises ``DomainError`` (or lets a service raise
it), ``Http404`` or ``PermissionDenied``, and :class:`TuanxueAPI` answers with the status its
``code`` maps to (see :func:`status_for`) and documents 400, 401, 403, 404 and 422 on every
operation that can answer them.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

from tuanxue.core.errors import DomainError


class FieldErrorOut(Schema):
    """One part of a request that does not match the document."""

    field: str | None
    message: str
    type: str


class ErrorOut(Schema):
    """Every refusal: ``code`` (``invalid``, ``bad_request``, ``unauthorized``, ``forbidden``,
    ``not_found`` or a state such as ``closed``, ``duplicate``, ``stale``), ``detail`` in the
    caller's language, the ``field`` it is about if any, and for ``invalid`` the field errors."""

    code: str
    detail: str
    field: str | None = None
    errors: list[FieldErrorOut] = []


# A refused change because of the state of things (the request itself was well formed): 409.
CONFLICT_CODES = frozenset(
    {
        "already",
        "already_voted",
        "closed",
        "conflict",
        "counting",
        "duplicate",
        "full",
        "ineligible",
        "limit",
        "locked",
        "not_checked_in",
        "not_closed",
        "not_eligible",
        "not_open",
        "not_present",
        "outside_time",
        "overlap",
        "settled",
        "stale",
        "state",
    }
)
# A right the caller lacks, for something they may see: 403.
FORBIDDEN_CODES = frozenset({"forbidden", "not_a_delegate"})
NOT_FOUND_CODES = frozenset({"not_found"})

# The statuses an operation may answer besides its own, with what they mean.
STANDARD_ERRORS = {
    400: "The body is not JSON (`bad_request`).",
    401: "No valid token or session (`unauthorized`).",
    403: "The caller may see this but not do it (`forbidden` and others), or a session "
    "request without its CSRF token.",
    404: "Nothing the caller may see has this id or code (`not_found`).",
    422: "The request does not match this document (`invalid`, with `errors`), or a record "
    "it names cannot be used here (with `field`).",
}
_CODES_BY_STATUS = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "not_allowed",
    409: "conflict",
    422: "invalid",
    429: "slow_down",
}


def status_for(code: str) -> int:
    """The status a ``DomainError`` code answers with."""
    if code in FORBIDDEN_CODES:
        return 403
    if code in NOT_FOUND_CODES:
        return 404
    if code in CONFLICT_CODES:
        return 409
    return 422


def error_body(code: str, detail, *, field: str | None = None, errors=()) -> dict:
    return {"code": code, "detail": str(detail), "field": field, "errors": list(errors)}


def _field_of(loc) -> str | None:
    """``["body", "payload", "seat"]`` → ``seat``; ``["query", "on"]`` → ``on``."""
    parts = [str(p) for p in loc]
    if parts and parts[0] in {"body", "query", "path", "header", "cookie", "form", "file"}:
        source, parts = parts[0], parts[1:]
        if source == "body" and len(parts) > 1:
            parts = parts[1:]  # the view's parameter name, not part of the document
    return ".".join(parts) or None


class TuanxueAPI(NinjaAPI):
    """NinjaAPI with the project's error handlers and an OpenAPI document that lists every
    status an operation can answer."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_exception_handler(ValidationError, self._invalid)
        self.add_exception_handler(AuthenticationError, self._unauthorized)
        self.add_exception_handler(HttpError, self._http_error)
        self.add_exception_handler(Http404, self._not_found)
        self.add_exception_handler(PermissionDenied, self._forbidden)
        self.add_exception_handler(DomainError, self._refused)

    def error(self, request, status: int, code: str, detail, **extra):
        return self.create_response(request, error_body(code, detail, **extra), status=status)

    # -- handlers ----------------------------------------------------------------------------

    def _invalid(self, request, exc: ValidationError):
        errors = [
            {
                "field": _field_of(e.get("loc", ())),
                "message": str(e.get("msg", "")),
                "type": str(e.get("type", "")),
            }
            for e in exc.errors
        ]
        field = errors[0]["field"] if errors else None
        if field:
            detail = _("Check the field “%(field)s”: %(message)s") % {
                "field": field,
                "message": errors[0]["message"],
            }
        else:
            detail = _("The request does not match the API's description.")
        return self.error(request, 422, "invalid", detail, field=field, errors=errors)

    def _unauthorized(self, request, exc: AuthenticationError):
        response = self.error(request, exc.status_code, "unauthorized", str(exc))
        response["WWW-Authenticate"] = 'Bearer realm="api"'
        return response

    def _http_error(self, request, exc: HttpError):
        status = exc.status_code
        detail = _("The request body is not valid JSON.") if status == 400 else str(exc)
        return self.error(request, status, _CODES_BY_STATUS.get(status, "error"), detail)

    def _not_found(self, request, exc: Http404):
        return self.error(request, 404, "not_found", _("Not found."))

    def _forbidden(self, request, exc: PermissionDenied):
        return self.error(request, 403, "forbidden", str(exc) or _("You may not do this."))

    def _refused(self, request, exc: DomainError):
        return self.error(request, status_for(exc.code), exc.code, exc.message, field=exc.field)

    # -- the document ------------------------------------------------------------------------

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        ref_template = "#/components/schemas/{model}"
        for model in (ErrorOut, FieldErrorOut):
            shape = model.model_json_schema(ref_template=ref_template)
            shape.pop("$defs", None)
            components.setdefault(model.__name__, shape)
        error_ref = {"$ref": ref_template.format(model="ErrorOut")}
        for path, methods in schema.get("paths", {}).items():
            for method, operation in methods.items():
                if not isinstance(operation, dict) or "responses" not in operation:
                    continue
                for status in _statuses(path, method, operation):
                    operation["responses"].setdefault(
                        status,
                        {
                            "description": STANDARD_ERRORS[status],
                            "content": {"application/json": {"schema": error_ref}},
                        },
                    )
        return schema


def _statuses(path: str, method: str, operation: dict) -> list[int]:
    statuses = []
    has_body = "requestBody" in operation
    if has_body:
        statuses.append(400)
    if operation.get("security"):
        statuses.append(401)
        if method.lower() not in {"get", "head", "options"}:
            statuses.append(403)  # session requests are checked for their CSRF token
    if "{" in path:
        statuses.append(404)
    if has_body or operation.get("parameters"):
        statuses.append(422)
    return statuses
