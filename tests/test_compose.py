"""docker-compose.yml describes the production-like stack (no Docker engine runs here)."""

import re

import yaml

from .helpers import ROOT


def load_compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_names_every_service():
    services = load_compose()["services"]
    assert set(services) == {"proxy", "db", "redis", "web", "worker", "beat", "mail"}


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
        assert environment["REDIS_URL"].endswith("@redis:6379/0"), name
        assert environment["EMAIL_URL"].startswith("smtp://mail:"), name
        assert {"db", "redis"} <= set(service["depends_on"]), name


def test_web_runs_gunicorn_and_worker_and_beat_run_celery():
    services = load_compose()["services"]
    assert "gunicorn portal.wsgi --config gunicorn.conf.py" in services["web"]["command"]
    assert "worker" in services["worker"]["command"]
    assert "beat" in services["beat"]["command"]


def test_images_are_pinned_by_version():
    for name, service in load_compose()["services"].items():
        if "image" not in service or "build" in service:
            continue
        repository, _, tag = service["image"].rpartition(":")
        assert repository, name
        assert re.fullmatch(r"v?\d+\.\d+(\.\d+)?", tag), f"{name}: {service['image']}"


def test_the_portal_connects_as_its_own_role_not_the_superuser():
    compose = load_compose()
    db = compose["services"]["db"]
    portal_user = compose["x-portal-environment"]["DATABASE_URL"].split("//")[1].split(":")[0]
    assert portal_user == "portal"
    assert db["environment"]["POSTGRES_USER"] != portal_user
    init = next(volume for volume in db["volumes"] if "docker-entrypoint-initdb.d" in volume)
    script = (ROOT / init.split(":")[0]).read_text()
    assert "CREATE ROLE portal LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE" in script
    assert "CREATE SCHEMA portal AUTHORIZATION portal" in script
    assert "REVOKE CREATE ON SCHEMA public FROM PUBLIC" in script


def test_redis_needs_a_password_and_the_portal_gives_it():
    compose = load_compose()
    redis = compose["services"]["redis"]
    assert "--requirepass" in redis["command"]
    assert compose["x-portal-environment"]["REDIS_URL"].startswith("redis://:${REDIS_PASSWORD")


def test_the_image_holds_no_env_file_and_never_reads_one():
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {".env*", "var/", ".venv/", "node_modules/"} <= set(ignored)
    assert 'ENV PORTAL_ENV_FILE=""' in (ROOT / "Dockerfile").read_text().splitlines()


def test_web_logs_through_the_redacting_gunicorn_config():
    config = {}
    exec((ROOT / "gunicorn.conf.py").read_text(), config)
    assert config["logger_class"] == "portal.log_redaction.RedactingGunicornLogger"


def test_nginx_pinned_by_version_is_the_only_way_in_and_refuses_the_bodies_the_portal_does():
    compose = load_compose()
    proxy, web = compose["services"]["proxy"], compose["services"]["web"]
    name, version = proxy["image"].split(":")
    assert name == "nginx"
    assert version[0].isdigit()
    assert "ports" not in web
    assert proxy["ports"] == ["127.0.0.1:8000:80"]
    template = proxy["volumes"][0].split(":")[0]
    config = (ROOT / template).read_text()
    assert "client_max_body_size ${REQUEST_BODY_MAX_MB}m;" in config
    assert "proxy_request_buffering on;" in config
    portal = compose["x-portal-environment"]
    assert proxy["environment"]["REQUEST_BODY_MAX_MB"] == portal["REQUEST_BODY_MAX_MB"]
    assert int(portal["REQUEST_BODY_MAX_MB"]) > int(portal["DOCUMENT_MAX_MB"])


def test_gunicorn_uses_threaded_workers_and_no_shared_control_socket():
    for command in (
        load_compose()["services"]["web"]["command"],
        (ROOT / "Procfile").read_text().splitlines()[0],
    ):
        assert "--config gunicorn.conf.py" in command
    config = {}
    exec((ROOT / "gunicorn.conf.py").read_text(), config)
    assert config["worker_class"] == "gthread"
    assert config["threads"] > 1
    assert config["control_socket_disable"] is True
