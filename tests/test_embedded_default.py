"""With nothing configured, the portal migrates and serves on SQLite and the filesystem broker."""

import re
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from .helpers import ROOT, clean_env, free_port, manage

MAKE_ENV_PREFIXES = ("MAKE", "MFLAGS")


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


def second_terminal_commands() -> list[str]:
    """Every command in the README's shell blocks but the first, which starts the portal
    (`make run`) or the whole suite (`make test`): what a `make run` user types next to it.
    "Running it like production" is left out: its commands need a Docker engine, which the
    embedded default is there to do without (tests/test_compose.py checks that file)."""
    readme = (ROOT / "README.md").read_text()
    production = re.search(r"^## Running it like production\n.*?(?=^## )", readme, re.M | re.S)
    readme = readme.replace(production.group(0), "")
    blocks = re.findall(r"```sh\n(.*?)```", readme, flags=re.DOTALL)
    lines = (line.split("#")[0].strip() for block in blocks[1:] for line in block.splitlines())
    return [line for line in lines if line]


def test_every_command_the_readme_gives_a_make_run_user_works_in_a_second_terminal(tmp_path):
    commands = second_terminal_commands()
    assert commands, "the README gives no commands beside make run"
    # The state `make run` leaves: the embedded default migrated and seeded under var/.
    for command in (["migrate", "--no-input"], ["seed_demo"]):
        result = manage(*command, env=clean_env(DJANGO_DEBUG="true", PORTAL_VAR_DIR=str(tmp_path)))
        assert result.returncode == 0, result.stderr
    # A fresh terminal: no portal setting and nothing inherited from a running make.
    terminal = {
        key: value
        for key, value in clean_env(PORTAL_VAR_DIR=str(tmp_path)).items()
        if not key.startswith(MAKE_ENV_PREFIXES)
    }
    for command in commands:
        result = subprocess.run(
            ["bash", "-c", command],
            cwd=ROOT,
            env=terminal,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"
        assert "Traceback" not in result.stderr, f"{command}\n{result.stderr}"
