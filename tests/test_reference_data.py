"""The reference data loaded by migrations matches shared/domain/FACTS.md."""

from decimal import Decimal

import pytest

from proposals.models import AmbulanceTrust, CollaborationDuty, FireAuthority, Fund, Pcc

pytestmark = pytest.mark.django_db

NINE = {
    "Cambridgeshire",
    "Essex",
    "Gloucestershire",
    "Hertfordshire",
    "North Yorkshire",
    "Northamptonshire",
    "Staffordshire",
    "Sussex",
    "West Mercia",
}


def test_the_nine_funded_pccs_are_loaded():
    assert set(Pcc.objects.values_list("name", flat=True)) == NINE


def test_west_mercia_covers_two_fire_authorities():
    names = set(
        FireAuthority.objects.filter(pcc__slug="west-mercia").values_list("name", flat=True)
    )
    assert names == {
        "Hereford & Worcester Fire Authority",
        "Shropshire and Wrekin Fire and Rescue Authority",
    }


def test_sussex_covers_east_and_west_sussex_fire_bodies():
    services = set(
        FireAuthority.objects.filter(pcc__slug="sussex").values_list("service_name", flat=True)
    )
    assert services == {
        "East Sussex Fire and Rescue Service",
        "West Sussex Fire and Rescue Service",
    }


def test_every_other_pcc_has_one_fire_authority():
    for pcc in Pcc.objects.exclude(slug__in=["west-mercia", "sussex"]):
        assert pcc.fire_authorities.count() == 1, pcc


def test_every_pcc_has_upper_tier_councils_and_an_ambulance_trust():
    for pcc in Pcc.objects.select_related("ambulance_trust"):
        assert pcc.local_authorities.exists(), pcc
        assert pcc.ambulance_trust.name.endswith(("NHS Trust", "NHS Foundation Trust")), pcc


def test_essex_consults_its_three_upper_tier_councils():
    essex = Pcc.objects.get(slug="essex")
    assert set(essex.local_authorities.values_list("name", flat=True)) == {
        "Essex County Council",
        "Southend-on-Sea Borough Council",
        "Thurrock Council",
    }


def test_east_of_england_ambulance_trust_serves_three_of_the_nine():
    trust = AmbulanceTrust.objects.get(name="East of England Ambulance Service NHS Trust")
    assert set(trust.pccs.values_list("slug", flat=True)) == {
        "cambridgeshire",
        "essex",
        "hertfordshire",
    }


def test_fund_is_one_million_pounds_from_the_police_transformation_fund():
    fund = Fund.objects.get()
    assert fund.total == Decimal("1000000.00")
    assert fund.source == "Police Transformation Fund"
    assert fund.awarded_by == "Home Office"
    assert fund.source_url.startswith("https://gov.uk/government/news/")


def test_the_acts_collaboration_duties_are_loaded_in_order_with_sources():
    duties = list(CollaborationDuty.objects.all())
    provisions = [duty.provision for duty in duties]
    assert provisions[:5] == [
        "PCA 2017 s.1",
        "PCA 2017 s.2(1)",
        "PCA 2017 s.2(2)",
        "PCA 2017 s.2(3)",
        "PCA 2017 s.2(4)-(5)",
    ]
    assert all(duty.source_url for duty in duties)
    keep_under_consideration = duties[1]
    assert keep_under_consideration.kind == CollaborationDuty.Kind.DUTY
    assert "efficiency or effectiveness" in keep_under_consideration.requires


def test_uncertain_wording_is_labelled_uncertain():
    give_effect = CollaborationDuty.objects.get(provision="PCA 2017 s.2(4)-(5)")
    assert give_effect.confidence == "uncertain"
