"""Every page against every role: each sees what the role allows and nothing else."""

import pytest
from django.urls import reverse

from portal.forms import INVALID_SIGN_IN, PASSWORD_REQUIRED

from .factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "essex_staff",
    "essex_signatory",
    "sussex_staff",
    "reviewer",
    "funding_admin",
    "site_admin",
    "essex_consultee",
    "assessor",
]
LOGIN = "/accounts/login/"

# page -> expected status per role, in ROLES order ("login" = sent to sign in)
MATRIX = {
    "/overview/": ["login", 403, 403, 403, 200, 200, 200, 403, 403],
    "/pccs/essex/": ["login", 200, 200, 404, 200, 200, 200, 404, 404],
    "/pccs/sussex/": ["login", 404, 404, 200, 200, 200, 200, 404, 404],
    "/pccs/no-such-pcc/": ["login", 404, 404, 404, 404, 404, 404, 404, 404],
    "/accessibility/": [200, 200, 200, 200, 200, 200, 200, 200, 200],
    "/overview/proposals.csv": ["login", 403, 403, 403, 200, 200, 200, 403, 403],
    "/review/": ["login", 403, 403, 403, 200, 200, 200, 403, 403],
    "/duties/": ["login", 200, 200, 200, 200, 200, 200, 200, 200],
    "/calendar/": ["login", 200, 200, 200, 200, 200, 200, 200, 200],
    # Each person's own API tokens (tests/test_api_tokens.py: another's answers 404).
    "/account/api-tokens/": ["login", 200, 200, 200, 200, 200, 200, 200, 200],
    # The collaboration register: its entries' pages are in tests/test_collaboration.py.
    "/collaboration/": ["login", 200, 200, 200, 200, 200, 200, 403, 403],
    "/collaboration/register.csv": ["login", 200, 200, 200, 200, 200, 200, 403, 403],
    "/collaboration/new/": ["login", 200, 200, 200, 403, 403, 403, 403, 403],
    "/funding/": ["login", 200, 200, 200, 200, 200, 200, 403, 403],
    "/funding/funding.csv": ["login", 200, 200, 200, 200, 200, 200, 403, 403],
    "/funding/essex/": ["login", 200, 200, 404, 200, 200, 200, 404, 404],
    "/funding/essex/allocation/": ["login", 403, 403, 403, 403, 200, 403, 403, 403],
    "/funding/essex/payments/new/": ["login", 403, 403, 403, 403, 200, 403, 403, 403],
    "/proposals/new/": ["login", 200, 200, 200, 403, 403, 403, 403, 403],
    "/admin/": [
        "admin-login",
        "admin-login",
        "admin-login",
        "admin-login",
        "admin-login",
        "admin-login",
        200,
        "admin-login",
        "admin-login",
    ],
    # Consultees' and assessors' home: the proposals open to them.
    "/your-proposals/": ["login", 403, 403, 403, 403, 403, 403, 200, 200],
}


@pytest.fixture
def as_role(request, client_for):
    def make(role):
        user = None if role == "anonymous" else request.getfixturevalue(role)
        return client_for(user)

    return make


@pytest.mark.parametrize(
    ("path", "role", "expected"),
    [
        (path, role, expected)
        for path, row in MATRIX.items()
        for role, expected in zip(ROLES, row, strict=True)
    ],
)
def test_page_answers_each_role_as_the_matrix_says(as_role, path, role, expected):
    response = as_role(role).get(path)
    if expected == "login":
        assert response.status_code == 302
        assert response["Location"].startswith(f"{LOGIN}?next=")
    elif expected == "admin-login":
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")
    else:
        assert response.status_code == expected


@pytest.mark.parametrize(
    ("role", "home"),
    [
        ("essex_staff", "/pccs/essex/"),
        ("essex_signatory", "/pccs/essex/"),
        ("sussex_staff", "/pccs/sussex/"),
        ("reviewer", "/overview/"),
        ("funding_admin", "/overview/"),
        ("site_admin", "/overview/"),
        ("essex_consultee", "/your-proposals/"),
        ("assessor", "/your-proposals/"),
    ],
)
def test_each_role_lands_on_its_home_after_signing_in(request, client, role, home):
    user = request.getfixturevalue(role)
    response = client.post(
        LOGIN, {"username": user.username, "password": TEST_PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == home
    assert response.status_code == 200


def test_wrong_password_shows_the_error_summary_and_keeps_the_username(client, reviewer):
    response = client.post(LOGIN, {"username": reviewer.username, "password": "wrong"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert INVALID_SIGN_IN in page
    assert f'value="{reviewer.username}"' in page
    assert "<title>Error: Sign in" in page


def test_missing_password_is_named_next_to_the_field(client, reviewer):
    response = client.post(LOGIN, {"username": reviewer.username, "password": ""})
    page = response.content.decode()
    assert page.count(PASSWORD_REQUIRED) == 2  # in the summary and by the field


def test_sign_out_is_a_post_and_ends_the_session(client_for, reviewer):
    client = client_for(reviewer)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Location"] == LOGIN
    assert client.get("/overview/").status_code == 302


def test_inactive_people_cannot_sign_in(client, essex_staff):
    essex_staff.is_active = False
    essex_staff.save()
    response = client.post(LOGIN, {"username": essex_staff.username, "password": TEST_PASSWORD})
    assert response.status_code == 200
    assert INVALID_SIGN_IN in response.content.decode()
