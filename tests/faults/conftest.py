"""The fault suite's infrastructure: a Redis of its own that tests stop and start, a database
that refuses connections, and the portal served by gunicorn as in production.

The delivery tests' Celery worker and SMTP server (tests/conftest.py, tests/workers.py) and the
reminder scan (tests/test_reminder_delivery.py) are used as they are.
"""

import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg2
import pytest
import redis
from django.conf import settings

from portal.celery import app as celery_app

from ..helpers import ROOT, clean_env, free_port, manage
from ..test_embedded_default import wait_for
from ..test_reminder_delivery import scan  # noqa: F401 (a fixture, used by name)

STARTUP_SECONDS = 30


@dataclass
class RedisServer:
    """A redis-server process on a spare port, with nothing saved to disk."""

    port: int
    directory: Path
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.directory),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis.from_url(self.url, socket_connect_timeout=0.5)
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            try:
                client.ping()
                return
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    pytest.fail(f"redis-server on port {self.port} did not start")
                time.sleep(0.05)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None


@pytest.fixture
def own_redis(tmp_path):
    """A Redis of the test's own, running; `stop()` and `start()` it to make an outage."""
    server = RedisServer(port=free_port(), directory=tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def redis_is_own(own_redis, settings):
    """The portal's cache and broker, in this process and in the processes it starts, are the
    test's own Redis."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": own_redis.url,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    settings.CELERY_BROKER_URL = own_redis.url
    settings.HEALTHCHECK_BROKER_TIMEOUT = 0.5
    celery_app.conf.update(broker_url=own_redis.url, broker_write_url=own_redis.url)
    yield own_redis
    # Back to the configured broker for the tests after this one (monkeypatch's undo wrote
    # the own Redis's address back into Celery's settings, leaving /healthz's broker down).
    for key in ("broker_url", "broker_write_url"):
        celery_app.conf.changes.pop(key, None)


def database_url(name: str | None = None) -> str:
    db = settings.DATABASES["default"]
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return (
        f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
        f"/{name or db['NAME']}"
    )


def admin_connection():
    """A connection of the test's own to the server's maintenance database, outside Django."""
    db = settings.DATABASES["default"]
    connection = psycopg2.connect(
        dbname="postgres",
        user=db["USER"],
        password=db["PASSWORD"] or None,
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
    )
    connection.autocommit = True
    return connection


@pytest.fixture
def refusing_database():
    """The name of a database that exists but refuses every connection (ALLOW_CONNECTIONS
    false), as PostgreSQL does while it is being restored or moved."""
    name = f"{settings.DATABASES['default']['NAME']}_refusing"
    connection = admin_connection()
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
        cursor.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
    yield name
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
    connection.close()


@dataclass
class PortalServer:
    url: str
    log: Path
    tmp: Path

    def log_lines(self) -> list[str]:
        return self.log.read_text().splitlines()


@pytest.fixture(scope="session")
def production_var_dir(tmp_path_factory):
    """A var/ directory with the static files collected, as the image's build step does."""
    var = tmp_path_factory.mktemp("var")
    result = manage(
        "collectstatic",
        "--no-input",
        env=clean_env(DJANGO_SECRET_KEY=settings.SECRET_KEY, PORTAL_VAR_DIR=str(var)),
    )
    assert result.returncode == 0, result.stderr
    return var


@pytest.fixture
def serve_portal(tmp_path, production_var_dir):
    """Serve the portal with gunicorn and its production settings (gunicorn.conf.py, debug off)
    on a spare port; `serve_portal(**environment)` returns once it answers."""
    processes = []

    def serve(**environment) -> PortalServer:
        port = free_port()
        temporary = tmp_path / f"tmp-{port}"
        temporary.mkdir()
        log = tmp_path / f"gunicorn-{port}.log"
        env = clean_env(
            **{
                "DATABASE_URL": database_url(),
                "REDIS_URL": settings.CELERY_BROKER_URL,
                "DJANGO_SECRET_KEY": settings.SECRET_KEY,
                "DJANGO_SECURE_SSL_REDIRECT": "false",
                "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
                "PORTAL_VAR_DIR": str(production_var_dir),
                # Where Python, and so Django's upload handlers, write temporary files.
                "TMPDIR": str(temporary),
                **environment,
            }
        )
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "portal.wsgi", "--bind", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=env,
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
        )
        processes.append(process)
        server = PortalServer(url=f"http://127.0.0.1:{port}", log=log, tmp=temporary)
        wait_for(f"{server.url}/healthz", seconds=STARTUP_SECONDS)  # answers, even if 503
        return server

    yield serve
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
