"""Every API error as RFC 9457 problem details (application/problem+json): `type`, `title`,
`status`, `detail`, and by case `errors` (per field), `reasons` (why the workflow refused) or
`current_version` (what a stale edit should start from)."""

from http import HTTPStatus

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import JsonResponse
from rest_framework import exceptions, status
from rest_framework.fields import get_error_detail
from rest_framework.views import exception_handler

from .. import workflow

PROBLEM_CONTENT_TYPE = "application/problem+json"
#: Problem types of our own; others are "about:blank", their title the HTTP status's phrase.
VALIDATION_PROBLEM = "urn:fire-governance:problem:validation"
REFUSED_PROBLEM = "urn:fire-governance:problem:refused"
STALE_PROBLEM = "urn:fire-governance:problem:stale-version"
THROTTLED_PROBLEM = "urn:fire-governance:problem:too-many-requests"

VALIDATION_TITLE = "Your request has errors"
VALIDATION_DETAIL = "Check the errors by each field, then send the request again."
REFUSED_TITLE = "This cannot be done now"
STALE_TITLE = "Someone else saved this first"
STALE_DETAIL = (
    "Someone else saved this since version {sent}: it is now version {current}. Read it "
    "again, make your change to what is saved now, and send it with version {current}."
)
UNKNOWN_VERSION = (
    "There is no version {sent}: the business case is at version {current}. Read it again and "
    "send the version it gives."
)
THROTTLED_DETAIL = "Too many requests with these credentials: wait {seconds} seconds, then retry."
NOT_AUTHENTICATED_DETAIL = (
    "Sign in, or send an API token in the Authorization header: `Bearer <token>`."
)
NOT_FOUND_DETAIL = "There is nothing here, or nothing you may see."
BEARER_CHALLENGE = 'Bearer realm="api"'
SESSION_NOT_VERIFIED = (
    "Your session has not passed its one-time code: sign in to the portal with your code "
    "first, or use an API token."
)


class Refused(exceptions.APIException):
    """The workflow refused: allowed for the role, but not now (content missing, wrong state)."""

    status_code = status.HTTP_409_CONFLICT

    def __init__(self, reasons: list[str]):
        super().__init__(" ".join(reasons))
        self.reasons = reasons


class StaleVersion(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT

    def __init__(self, *, sent: int, current: int):
        super().__init__(STALE_DETAIL.format(sent=sent, current=current))
        self.current_version = current


def problem(status_code: int, detail: str, *, type: str = "about:blank", title: str = "", **extra):
    """A problem details body; the title is the status's phrase unless given."""
    return {
        "type": type,
        "title": title or HTTPStatus(status_code).phrase,
        "status": status_code,
        "detail": detail,
        **extra,
    }


def problem_json_response(status_code: int, detail: str) -> JsonResponse:
    """For middleware, before any API view runs."""
    return JsonResponse(
        problem(status_code, detail), status=status_code, content_type=PROBLEM_CONTENT_TYPE
    )


def _messages(detail) -> list[str]:
    if isinstance(detail, dict):
        return [message for value in detail.values() for message in _messages(value)]
    if isinstance(detail, list):
        return [message for value in detail for message in _messages(value)]
    return [str(detail)]


def _errors_by_field(detail) -> dict[str, list[str]]:
    if isinstance(detail, dict):
        return {str(field): _messages(value) for field, value in detail.items()}
    return {"non_field_errors": _messages(detail)}


def _translated(exc):
    """The portal's own refusals (services, workflow) as the API exceptions they mean."""
    if isinstance(exc, DjangoValidationError):
        return exceptions.ValidationError(detail=get_error_detail(exc))
    if isinstance(exc, workflow.TransitionRefused):
        return Refused(exc.reasons)
    return exc


def problem_exception_handler(exc, context):
    """DRF's EXCEPTION_HANDLER: DRF's handling (status, headers, rollback), then the body as
    problem details."""
    exc = _translated(exc)
    response = exception_handler(exc, context)
    if response is None:
        return None
    extra = {}
    type_ = "about:blank"
    title = ""
    if isinstance(exc, exceptions.ValidationError):
        type_, title, detail = VALIDATION_PROBLEM, VALIDATION_TITLE, VALIDATION_DETAIL
        extra["errors"] = _errors_by_field(exc.detail)
    elif isinstance(exc, StaleVersion):
        type_, title, detail = STALE_PROBLEM, STALE_TITLE, str(exc.detail)
        extra["current_version"] = exc.current_version
    elif isinstance(exc, Refused):
        type_, title, detail = REFUSED_PROBLEM, REFUSED_TITLE, str(exc.detail)
        extra["reasons"] = exc.reasons
    elif isinstance(exc, exceptions.Throttled):
        type_ = THROTTLED_PROBLEM
        detail = THROTTLED_DETAIL.format(seconds=exc.wait if exc.wait is not None else 1)
    elif isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        detail = (
            NOT_AUTHENTICATED_DETAIL
            if isinstance(exc, exceptions.NotAuthenticated)
            else " ".join(_messages(exc.detail))
        )
        # 401 with the scheme to use, whichever authentication class came first (DRF answers
        # 403 when the first one names no scheme, as the session's does not).
        response.status_code = status.HTTP_401_UNAUTHORIZED
        response["WWW-Authenticate"] = BEARER_CHALLENGE
    elif response.status_code == status.HTTP_404_NOT_FOUND:
        detail = NOT_FOUND_DETAIL
    else:
        detail = " ".join(_messages(getattr(exc, "detail", str(exc))))
    response.data = problem(response.status_code, detail, type=type_, title=title, **extra)
    renderer = getattr(context["request"], "accepted_renderer", None)
    # The docs page's refusals are the portal's HTML pages, the schema's in its own format.
    if renderer is None or renderer.format == "json":
        response.content_type = PROBLEM_CONTENT_TYPE
    return response


def api_not_found(request, *args, **kwargs):
    """Any /api/ address that names no endpoint: a problem, not the HTML 404 page."""
    return problem_json_response(status.HTTP_404_NOT_FOUND, NOT_FOUND_DETAIL)
