"""Production settings refuse to start unsafe, and pass Django's deployment checks."""

from .helpers import ROOT, clean_env, manage

PRODUCTION_KEY = "a-long-random-production-secret-key-for-this-test-0123456789-abcdefghijklmnop"


def production_env(tmp_path, **overrides):
    return clean_env(
        DJANGO_DEBUG="false",
        DJANGO_ALLOWED_HOSTS="fire-governance.example.gov.uk",
        PORTAL_VAR_DIR=str(tmp_path),
        **overrides,
    )


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = manage("check", env=production_env(tmp_path))
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off" in result.stderr


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env=production_env(tmp_path, DJANGO_SECRET_KEY=PRODUCTION_KEY),
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_debug_runs_without_a_secret_key(tmp_path):
    result = manage("check", env=clean_env(DJANGO_DEBUG="true", PORTAL_VAR_DIR=str(tmp_path)))
    assert result.returncode == 0, result.stderr


def test_dates_are_written_the_govuk_way(settings):
    from datetime import date

    from django.utils.formats import date_format
    from django.utils.translation import override

    with override("en-gb"):
        assert date_format(date(2017, 10, 1)) == "1 October 2017"
    assert settings.TIME_ZONE == "Europe/London"


def test_production_refuses_the_example_files_placeholder_key(tmp_path):
    example = (ROOT / ".env.example").read_text()
    placeholder = next(
        line.split("=", 1)[1]
        for line in example.splitlines()
        if line.startswith("DJANGO_SECRET_KEY=")
    )
    result = manage("check", env=production_env(tmp_path, DJANGO_SECRET_KEY=placeholder))
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is a placeholder" in result.stderr


def test_settings_read_no_env_file_when_told_not_to(tmp_path):
    """The image sets PORTAL_ENV_FILE empty: a .env file, even one put there, is not read."""
    env_file = tmp_path / ".env"
    env_file.write_text(f"DJANGO_SECRET_KEY={PRODUCTION_KEY}\n")
    read = manage("check", env=production_env(tmp_path, PORTAL_ENV_FILE=str(env_file)))
    assert read.returncode == 0, read.stderr
    ignored = manage("check", env=production_env(tmp_path, PORTAL_ENV_FILE=""))
    assert ignored.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in ignored.stderr
