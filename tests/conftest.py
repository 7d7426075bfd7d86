"""Shared fixtures: the reference data comes from migrations; people come from factories."""

import pytest
from django.test import Client

from portal.celery import app as celery_app
from portal.models import Role
from proposals.models import Pcc

from .factories import ProposalFactory, UserFactory


@pytest.fixture(autouse=True)
def _test_settings(settings):
    # Pages are rendered without a collectstatic manifest, and password hashing is made cheap.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Pages compute their figures afresh, so query counts are the real ones; the dashboard
    # cache has its own tests.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    # One-time passwords have their own tests (tests/test_sign_in_protection.py).
    settings.OTP_REQUIRED = False


@pytest.fixture
def essex(db):
    return Pcc.objects.get(slug="essex")


@pytest.fixture
def sussex(db):
    return Pcc.objects.get(slug="sussex")


@pytest.fixture
def essex_staff(essex):
    return UserFactory(role=Role.PCC_STAFF, pcc=essex)


@pytest.fixture
def essex_signatory(essex):
    return UserFactory(role=Role.PCC_SIGNATORY, pcc=essex)


@pytest.fixture
def sussex_staff(sussex):
    return UserFactory(role=Role.PCC_STAFF, pcc=sussex)


@pytest.fixture
def sussex_signatory(sussex):
    return UserFactory(role=Role.PCC_SIGNATORY, pcc=sussex)


@pytest.fixture
def reviewer(db):
    return UserFactory(role=Role.REVIEWER)


@pytest.fixture
def funding_admin(db):
    return UserFactory(role=Role.FUNDING_ADMIN)


@pytest.fixture
def site_admin(db):
    return UserFactory(role=Role.SITE_ADMIN, is_staff=True, is_superuser=True)


@pytest.fixture
def client_for():
    """A test client signed in as `user` (or anonymous for None)."""

    def make(user):
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return make


@pytest.fixture
def essex_proposal(essex, essex_staff):
    return ProposalFactory(pcc=essex, created_by=essex_staff)


@pytest.fixture
def celery_eager():
    """Tasks run in the test process as they are queued, as a worker would run them."""
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True
    yield
    celery_app.conf.task_always_eager = False
    celery_app.conf.task_eager_propagates = False
