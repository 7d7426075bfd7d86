"""Shared fixtures: the reference data comes from migrations; people come from factories; real
workers, Redis queues and an SMTP server for the delivery tests (helpers in workers.py)."""

import subprocess
import sys
import uuid
from urllib.parse import quote

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.test import Client

from portal.celery import app as celery_app
from portal.models import Role
from proposals.models import Pcc

from .factories import ProposalFactory, UserFactory
from .helpers import ROOT, clean_env, free_port
from .workers import LEASE_SECONDS, MailCatcher, forget_queue, wait_until


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
def essex_consultee(essex):
    """An officer of one of Essex's upper-tier councils."""
    return UserFactory(role=Role.CONSULTEE, local_authority=essex.local_authorities.first())


@pytest.fixture
def essex_fire_consultee(essex):
    """An officer of Essex's fire and rescue authority."""
    return UserFactory(role=Role.CONSULTEE, fire_authority=essex.fire_authorities.first())


@pytest.fixture
def sussex_consultee(sussex):
    return UserFactory(role=Role.CONSULTEE, local_authority=sussex.local_authorities.first())


@pytest.fixture
def assessor(db):
    """An independent assessor; tests assign them to the proposals they may see."""
    return UserFactory(role=Role.ASSESSOR, organisation="CIPFA")


@pytest.fixture
def other_assessor(db):
    """An independent assessor assigned to nothing."""
    return UserFactory(role=Role.ASSESSOR, organisation="Another assessor")


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


@pytest.fixture
def redis_cache(settings):
    """The portal's own Redis cache configuration, under a key prefix of this test's."""
    import portal.settings as configured

    settings.CACHES = {
        "default": {**configured.CACHES["default"], "KEY_PREFIX": f"test-{uuid.uuid4().hex}"}
    }
    from django.core.cache import cache

    yield cache
    cache.clear()


@pytest.fixture
def smtp_server():
    catcher = MailCatcher()
    controller = Controller(catcher, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, catcher
    controller.stop()


@pytest.fixture
def portal_env(smtp_server):
    """The environment of every portal process in the test: the test database, Redis with a
    queue of the test's own, the test's SMTP server and quick retries."""
    if not settings.CELERY_BROKER_URL.startswith("redis://"):
        pytest.fail("These tests need Redis: set REDIS_URL (make test does).")
    db = settings.DATABASES["default"]
    queue = f"worker-test-{uuid.uuid4().hex[:12]}"
    credentials = quote(db["USER"]) + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    controller, _ = smtp_server
    env = clean_env(
        DATABASE_URL=(
            f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
            f"/{db['NAME']}"
        ),
        REDIS_URL=settings.CELERY_BROKER_URL,
        CELERY_QUEUE=queue,
        EMAIL_URL=f"smtp://127.0.0.1:{controller.port}",
        EMAIL_TIMEOUT="10",
        DJANGO_SECRET_KEY=settings.SECRET_KEY,
        SITE_URL="https://fire-governance.example.gov.uk",
        REMINDER_SEND_LEASE_SECONDS=str(LEASE_SECONDS),
        REMINDER_RETRY_BACKOFF_SECONDS="1",
        REMINDER_RETRY_BACKOFF_MAX_SECONDS="2",
    )
    yield env
    forget_queue(queue)


@pytest.fixture
def start_worker(portal_env, tmp_path):
    """Start a Celery worker process (solo pool: one task at a time, in the process itself);
    every worker started is stopped when the test ends, killed if it will not stop."""
    workers = []

    def start():
        log = tmp_path / f"worker-{len(workers)}.log"
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "portal",
                "worker",
                "--pool=solo",
                f"--queues={portal_env['CELERY_QUEUE']}",
                f"--hostname=reminders-{len(workers)}-{uuid.uuid4().hex[:6]}@%h",
                "--without-heartbeat",
                "--without-gossip",
                "--without-mingle",
                "--loglevel=INFO",
            ],
            cwd=ROOT,
            env=portal_env,
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
        )
        workers.append((process, log))
        return process, log

    def ready(log):
        wait_until(lambda: " ready." in log.read_text(), message=f"the worker ({log})")

    start.ready = ready
    yield start
    for process, _ in workers:
        if process.poll() is None:
            process.terminate()
    for process, _ in workers:
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
