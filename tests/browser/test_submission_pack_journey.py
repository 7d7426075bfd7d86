"""The submission pack in a real browser: the PCC makes it, reads it, submits; the Home Office
downloads the pack that was submitted."""

import io
import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from portal.models import Role
from proposals.models import Pcc

from ..factories import TEST_PASSWORD, UserFactory
from ..test_submission_pack import RESPONSE, submission_signed_off

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def downloaded_pack(page) -> PdfReader:
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the submission pack").click()
    with open(download.value.path(), "rb") as pdf:
        return PdfReader(io.BytesIO(pdf.read()))


def test_the_pcc_makes_and_submits_the_pack_and_the_home_office_downloads_it(page, sign_in):
    essex = Pcc.objects.get(slug="essex")
    staff = UserFactory(username="staff-essex", role=Role.PCC_STAFF, pcc=essex)
    signatory = UserFactory(username="signatory-essex", role=Role.PCC_SIGNATORY, pcc=essex)
    consultee = UserFactory(
        role=Role.CONSULTEE, local_authority=essex.local_authorities.order_by("name").first()
    )
    UserFactory(username="reviewer", role=Role.REVIEWER)
    stage = submission_signed_off(essex, staff, signatory, consultee)

    sign_in("staff-essex", TEST_PASSWORD)
    page.goto(f"/proposals/{stage.proposal_id}/stages/submission/")
    page.get_by_role("button", name="Make the submission pack now").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("up to date")
    expect(page.locator(".govuk-tag", has_text="Up to date")).to_be_visible()
    read = downloaded_pack(page)
    assert RESPONSE in " ".join(p.extract_text() for p in read.pages).replace("\n", " ")

    page.get_by_role("button", name="Submit for review").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Submitted for review")
    expect(page.locator(".govuk-tag", has_text="Frozen")).to_be_visible()
    page.get_by_role("button", name=re.compile("Sign out")).click()

    sign_in("reviewer", TEST_PASSWORD)
    page.goto(f"/proposals/{stage.proposal_id}/stages/submission/")
    assert len(downloaded_pack(page).pages) >= 7
