"""With nothing configured, the portal migrates and serves on SQLite and the filesystem broker."""

import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from .helpers import ROOT, clean_env, free_port, manage


def wait_for(url: str, seconds: float = 30) -> tuple[int, str]:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=3) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


@pytest.fixture
def embedded_env(tmp_path):
    return clean_env(DJANGO_DEBUG="true", PORTAL_VAR_DIR=str(tmp_path))


def test_embedded_default_migrates_seeds_and_serves_the_sign_in_page(embedded_env, tmp_path):
    for command in (["migrate", "--no-input"], ["seed_demo"]):
        result = manage(*command, env=embedded_env)
        assert result.returncode == 0, result.stderr
    assert (tmp_path / "portal.sqlite3").exists()
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "portal.wsgi", "--bind", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=embedded_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        status, page = wait_for(f"http://127.0.0.1:{port}/accounts/login/")
        assert status == 200
        assert "Sign in" in page
        status, health = wait_for(f"http://127.0.0.1:{port}/healthz")
        assert status == 200
        assert '"broker": "ok"' in health
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert (tmp_path / "celery" / "queue").is_dir()
