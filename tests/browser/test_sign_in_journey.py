"""Sign in as a person would, in a real browser, and see what your role allows."""

import re

import pytest
from playwright.sync_api import expect

from portal.models import Role
from proposals.models import Pcc

from ..factories import TEST_PASSWORD, ProposalFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

NINE = [
    "Cambridgeshire",
    "Essex",
    "Gloucestershire",
    "Hertfordshire",
    "North Yorkshire",
    "Northamptonshire",
    "Staffordshire",
    "Sussex",
    "West Mercia",
]


def test_reviewer_signs_in_and_sees_all_nine_pccs(page, sign_in):
    UserFactory(username="reviewer", role=Role.REVIEWER)
    ProposalFactory(pcc=Pcc.objects.get(slug="essex"), title="Essex governance case")
    sign_in("reviewer", TEST_PASSWORD)
    expect(page).to_have_url(re.compile(r"/overview/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Proposals across the nine PCCs")
    table = page.get_by_role("table", name=re.compile("^Where each PCC.s proposal stands"))
    for name in NINE:
        expect(table.get_by_role("link", name=name, exact=True)).to_be_visible()
    expect(table).to_contain_text("Essex governance case")


def test_essex_staff_see_essex_alone(page, sign_in):
    essex = Pcc.objects.get(slug="essex")
    UserFactory(username="staff-essex", role=Role.PCC_STAFF, pcc=essex)
    ProposalFactory(pcc=Pcc.objects.get(slug="sussex"), title="Sussex options")
    sign_in("staff-essex", TEST_PASSWORD)
    expect(page).to_have_url(re.compile(r"/pccs/essex/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Essex")
    expect(page.get_by_role("link", name="Overview")).to_have_count(0)
    page.goto("/pccs/sussex/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    expect(page.locator("body")).not_to_contain_text("Sussex options")
    page.goto("/overview/")
    expect(page.get_by_role("heading", level=1)).to_have_text("You cannot see this page")


def test_wrong_password_is_explained_and_focus_moves_to_the_error_summary(page, sign_in):
    UserFactory(username="reviewer", role=Role.REVIEWER)
    sign_in("reviewer", "not-the-password")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter a correct username and password")
    expect(summary).to_be_focused()
    expect(page.get_by_label("Username")).to_have_value("reviewer")


def test_signing_out_returns_to_the_sign_in_page(page, sign_in):
    UserFactory(username="funding", role=Role.FUNDING_ADMIN)
    sign_in("funding", TEST_PASSWORD)
    expect(page).to_have_url(re.compile(r"/overview/$"))
    page.get_by_role("button", name=re.compile("Sign out")).click()
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    page.goto("/overview/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))
