"""The public record in a real browser: a reviewer reads North Yorkshire's change of fire
governance after transfer, and Essex's title as a Police, Fire and Crime Commissioner, on pages
that axe-core finds no serious or critical accessibility failings on."""

import pytest
from playwright.sync_api import expect

from portal.models import User
from proposals.models import Proposal
from proposals.services.demo import demo_seed

from .test_accessibility import AXE, BLOCKING, axe_findings, described

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "a-demo-password-for-this-journey"
PASSED_TO_THE_MAYOR = (
    "Fire governance passed to the Mayor of York and North Yorkshire (York and North Yorkshire "
    "Combined Authority) on 7 May 2024"
)


def assert_accessible(page):
    blocking = [finding for finding in axe_findings(page) if finding["impact"] in BLOCKING]
    assert not blocking, f"axe-core on {page.url}:\n{described(blocking)}"


def test_a_reviewer_reads_the_change_after_transfer_and_the_pfcc_title(page, sign_in):
    demo_seed(password=PASSWORD)
    assert User.objects.filter(username="reviewer").exists()
    north_yorkshire = Proposal.objects.get(pcc__slug="north-yorkshire", is_illustrative=False)
    essex = Proposal.objects.get(pcc__slug="essex", is_illustrative=False)
    page.context.add_init_script(path=AXE)
    sign_in("reviewer", PASSWORD)

    page.goto(f"/proposals/{north_yorkshire.pk}/")
    expect(page.get_by_role("main")).to_contain_text("Transferred")
    expect(page.get_by_role("main")).to_contain_text(PASSED_TO_THE_MAYOR)
    expect(page.locator(".govuk-caption-l")).to_have_text("Mayor of York and North Yorkshire")
    assert_accessible(page)

    page.goto("/pccs/north-yorkshire/")
    expect(page.get_by_role("main")).to_contain_text(
        "Police, Fire and Crime Commissioner from 15 November 2018"
    )
    expect(page.get_by_role("main")).to_contain_text(PASSED_TO_THE_MAYOR)
    assert_accessible(page)

    page.goto(f"/proposals/{essex.pk}/")
    expect(page.locator(".govuk-caption-l")).to_have_text(
        "Police, Fire and Crime Commissioner for Essex"
    )
    page.goto("/pccs/essex/")
    expect(page.get_by_role("main")).to_contain_text(
        "Police, Fire and Crime Commissioner from 1 October 2017"
    )
