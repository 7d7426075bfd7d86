"""docker-compose.yml describes the production-like stack (no Docker engine runs here)."""

import yaml

from .helpers import ROOT


def load_compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_names_every_service():
    services = load_compose()["services"]
    assert set(services) == {"db", "redis", "web", "worker", "beat", "mail"}


def test_compose_uses_postgresql_16_and_redis_7():
    services = load_compose()["services"]
    assert services["db"]["image"].startswith("postgres:16")
    assert services["redis"]["image"].startswith("redis:7")


def test_app_services_are_wired_to_the_database_broker_and_mail_catcher():
    compose = load_compose()
    for name in ("web", "worker", "beat"):
        service = compose["services"][name]
        environment = {**compose["x-portal-environment"], **service.get("environment", {})}
        assert "@db:5432/" in environment["DATABASE_URL"], name
        assert environment["REDIS_URL"].startswith("redis://redis:6379"), name
        assert environment["EMAIL_URL"].startswith("smtp://mail:"), name
        assert {"db", "redis"} <= set(service["depends_on"]), name


def test_web_runs_gunicorn_and_worker_and_beat_run_celery():
    services = load_compose()["services"]
    assert "gunicorn" in services["web"]["command"]
    assert "worker" in services["worker"]["command"]
    assert "beat" in services["beat"]["command"]
