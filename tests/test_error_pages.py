"""Every error page is a GOV.UK page with the portal's header and footer; the 500 page needs no
database and names the request for the operators."""

import pytest
from django.test import RequestFactory

from portal.views import server_error

pytestmark = pytest.mark.django_db


def assert_govuk_page(page: str, heading: str):
    assert f'<h1 class="govuk-heading-l">{heading}</h1>' in page
    assert f"<title>{heading} \N{EN DASH} Fire governance proposals" in page
    assert 'class="govuk-header"' in page
    assert 'class="govuk-footer"' in page


def test_a_request_that_cannot_be_read_gets_the_400_page(client_for, essex_staff, settings):
    too_many_fields = "&".join(f"f{n}=x" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1))
    response = client_for(essex_staff).post(
        "/accounts/login/", too_many_fields, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400
    assert_govuk_page(response.content.decode(), "Sorry, we could not read that request")


def test_a_page_the_role_may_not_see_gets_the_403_page(client_for, essex_staff):
    response = client_for(essex_staff).get("/overview/")
    assert response.status_code == 403
    assert_govuk_page(response.content.decode(), "You cannot see this page")


def test_an_unknown_address_gets_the_404_page(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert_govuk_page(response.content.decode(), "Page not found")


def test_the_proxy_shows_the_413_page_for_a_body_over_its_limit(client, settings):
    response = client.get("/request-too-large")
    assert response.status_code == 413
    page = response.content.decode()
    assert_govuk_page(page, "What you sent is too large")
    assert f"A document can be up to {settings.DOCUMENT_MAX_BYTES // (1024 * 1024)} MB" in page


def test_the_500_page_needs_no_database_and_gives_the_request_id(django_assert_num_queries):
    request = RequestFactory().get("/overview/")
    request.id = "0123456789abcdef0123456789abcdef"
    with django_assert_num_queries(0):
        response = server_error(request)
    assert response.status_code == 500
    page = response.content.decode()
    assert_govuk_page(page, "Sorry, there is a problem with the service")
    assert request.id in page


def test_every_response_names_its_request_and_keeps_a_plausible_proxy_id(client):
    assert len(client.get("/healthz")["X-Request-ID"]) == 32
    proxied = client.get("/healthz", headers={"X-Request-ID": "nginx-id-0123456789"})
    assert proxied["X-Request-ID"] == "nginx-id-0123456789"
    forged = client.get("/healthz", headers={"X-Request-ID": "<script>\n"})
    assert forged["X-Request-ID"] != "<script>\n"
