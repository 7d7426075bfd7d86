"""The API's documentation page in a real browser: Swagger UI runs under the portal's
Content-Security-Policy and tries a call with the signed-in person's session."""

import pytest
from playwright.sync_api import expect

from portal.models import Role

from ..factories import TEST_PASSWORD, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_docs_page_lists_the_operations_and_tries_one_within_the_policy(page, sign_in):
    refused = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text)
            if "Content Security Policy" in message.text or message.type == "error"
            else None
        ),
    )
    UserFactory(username="reviewer", role=Role.REVIEWER)
    sign_in("reviewer", TEST_PASSWORD)
    page.goto("/api/docs/")
    expect(page.get_by_text("Fire governance proposals API").first).to_be_visible()
    operation = page.locator("#operations-pccs-pccs_list")
    expect(operation).to_be_visible()
    operation.locator(".opblock-summary").click()
    operation.get_by_role("button", name="Try it out").click()
    operation.get_by_role("button", name="Execute").click()
    expect(operation.locator(".live-responses-table tbody .response-col_status")).to_have_text(
        "200"
    )
    expect(operation.locator(".live-responses-table")).to_contain_text('"slug": "essex"')
    assert refused == []
