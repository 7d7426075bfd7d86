"""The API's OpenAPI description: valid without a warning, served to signed-in people only,
its documentation page allowed by the Content-Security-Policy, and every operation answering
generated requests (schemathesis, in-process) without a server error and as described."""

import json
import re

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.db import close_old_connections
from django.test import Client
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from proposals.models import CollaborationDuty, Pcc, Step
from proposals.services.workflow import stage_transition

from .factories import ProposalFactory, complete_business_case, stage_of

pytestmark = pytest.mark.django_db

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
#: Generated requests per operation and caller: 17 operations, two callers, about 400 in all.
EXAMPLES_PER_OPERATION = 13


def test_the_schema_is_valid_without_warnings(tmp_path):
    # --fail-on-warn makes any warning (an unresolved type, a name clash) fail the command.
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml")
    )
    schema = (tmp_path / "schema.yaml").read_text()
    assert "/api/v1/proposals/{id}/stages/{step}/submit/" in schema
    assert "application/problem+json" in schema


def test_the_schema_and_docs_are_for_signed_in_people(client_for, essex_staff):
    anonymous = client_for(None)
    assert anonymous.get("/api/schema/").status_code == 401
    docs = anonymous.get("/api/docs/")
    assert docs.status_code == 302
    assert docs["Location"].startswith("/accounts/login/")
    assert client_for(essex_staff).get("/api/schema/").status_code == 200


def test_the_docs_page_runs_under_the_content_security_policy(client_for, reviewer):
    client = client_for(reviewer)
    page = client.get("/api/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    policy = page["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    # No inline script or style for the policy to refuse: each is a file of our own origin.
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert "<style" not in html
    assert " style=" not in html
    sources = re.findall(r'<script src="([^"]+)"', html) + re.findall(r'href="([^"]+)"', html)
    assert all(source.startswith("/") for source in sources), sources
    for source in re.findall(r'<script src="([^"]+)"', html):
        if "script=" in source:  # the page's own set-up script, served by the view
            script = client.get(source.replace("&amp;", "&"))
            assert script.status_code == 200
            assert script["Content-Type"].startswith("application/javascript")
            assert "/api/schema/" in script.content.decode()


@pytest.fixture
def api_data(essex, sussex, essex_staff, reviewer):
    """Something to find at each endpoint: proposals at several stages and models, one
    submitted, one of another PCC; and the path values that name them, for the generated
    requests to use most of the time (random ids would find nothing)."""
    submitted = ProposalFactory(pcc=essex, title="Submitted")
    complete_business_case(submitted, essex_staff)
    stage_transition(stage=stage_of(submitted, Step.BUSINESS_CASE), action="submit", by=essex_staff)
    drafting = ProposalFactory(pcc=essex, title="Drafting", governance_model="single_employer")
    another_pccs = ProposalFactory(pcc=sussex, title="Sussex's")
    return {
        # Proposal ids, and a duty's (collaboration duties are named by id too).
        "id": [submitted.pk, drafting.pk, another_pccs.pk, CollaborationDuty.objects.first().pk],
        "slug": list(Pcc.objects.values_list("slug", flat=True)),
    }


def with_real_path_values(operation, real: dict):
    """The operation's generated requests, their path's ids and slugs mostly real ones."""
    names = [name for name in real if f"{{{name}}}" in operation.path]

    def use(case, values, keep_generated):
        if not keep_generated:
            case.path_parameters = {**(case.path_parameters or {}), **values}
        return case

    return st.builds(
        use,
        operation.as_strategy(),
        st.fixed_dictionaries({name: st.sampled_from(real[name]) for name in names}),
        st.sampled_from([False] * 4 + [True]) if names else st.just(True),
    )


CSRF_SECRET = "schemathesis0csrf0secret00000000"


def signed_in(user) -> tuple[dict, dict]:
    """A signed-in browser's cookies (its session, its CSRF cookie) and the header that
    carries the CSRF token on its writes."""
    client = Client()
    client.force_login(user)
    cookies = {"sessionid": client.cookies["sessionid"].value, "csrftoken": CSRF_SECRET}
    return cookies, {"X-CSRFToken": CSRF_SECRET}


def api_schema() -> dict:
    """The schema /api/schema/ serves, drawn in-process."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(schema))


@pytest.mark.parametrize("caller", ["reviewer", "essex_staff"])
def test_generated_requests_get_no_server_error_and_answers_as_described(
    settings_for_wsgi, api_data, request, caller
):
    cookies, headers = signed_in(request.getfixturevalue(caller))
    schema = schemathesis.openapi.from_dict(api_schema())
    schema.app = WSGIHandler()
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 17  # every operation: 12 reads, 5 writes

    for operation in operations:

        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=with_real_path_values(operation, api_data))
        def answers_as_described(case):
            response = case.call(headers=headers, cookies=cookies)
            case.validate_response(response, checks=CHECKS, headers=headers)

        answers_as_described()


@pytest.fixture
def settings_for_wsgi(settings):
    # schemathesis's WSGI client calls the portal as "localhost".
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost"]
    # As Django's test client does: the portal called in-process must not close the test's
    # database connection (its transaction holds the test's data) when a request ends.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield settings
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def test_the_docs_are_not_for_consultees_who_get_the_portals_page_saying_so(
    client_for, essex_consultee
):
    page = client_for(essex_consultee).get("/api/docs/")
    assert page.status_code == 403
    assert page["Content-Type"].startswith("text/html")
    assert "You cannot see this page" in page.content.decode()
