"""The OpenAPI description's shared parts: every operation's problem responses, and the
bearer tokens."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers

from ..models import Step
from .errors import PROBLEM_CONTENT_TYPE

#: Stages are named by their step's slug ("business-case") in paths and bodies alike.
STEP_SLUGS = [step.slug for step in Step]

#: Problems any operation may answer, and those only a write may.
READ_PROBLEMS = {
    "400": "The query parameters are wrong (per field in `errors`).",
    "401": "No credentials, or a token that is not valid.",
    "403": "Signed in, but this role may not do this (`detail` says why).",
    "404": "Nothing here, or nothing the caller may see (another PCC's objects).",
    "429": "Too many requests for this token: wait `Retry-After` seconds.",
}
WRITE_PROBLEMS = {
    **READ_PROBLEMS,
    "400": "The request's data is wrong (per field in `errors`).",
    "409": "Refused by the workflow now (`reasons`), or a stale `version` (`current_version`).",
    "415": "Send JSON (Content-Type: application/json).",
}


class ProblemSerializer(serializers.Serializer):
    """RFC 9457 problem details."""

    type = serializers.CharField(help_text="A URI naming the kind of problem, or about:blank.")
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField(help_text="What went wrong and what to do, in words.")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="For a 400: the messages for each field by its name.",
    )
    reasons = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text="For a refusal: each reason the workflow gave.",
    )
    current_version = serializers.IntegerField(
        required=False, help_text="For a stale edit: the version to start again from."
    )


class ProblemAutoSchema(AutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        problems = READ_PROBLEMS if self.method == "GET" else WRITE_PROBLEMS
        for code, description in problems.items():
            if code not in responses:
                response = self._get_response_for_code(
                    ProblemSerializer, code, media_types=[PROBLEM_CONTENT_TYPE]
                )
                responses[code] = {**response, "description": description}
        return responses

    def _get_response_headers_for_code(self, status_code, direction="response"):
        headers = super()._get_response_headers_for_code(status_code, direction)
        if str(status_code) == "429":
            headers = {
                **(headers or {}),
                "Retry-After": {
                    "schema": {"type": "integer"},
                    "description": "Seconds to wait before the next request.",
                },
            }
        return headers


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "portal.api_auth.TokenAuthentication"
    name = "apiToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal API token: `Authorization: Bearer <token>`.",
        }
