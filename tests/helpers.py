"""Running the portal as a separate process, the way an operator would."""

import os
import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PORTAL_ENV_PREFIXES = ("DJANGO_", "DATABASE_URL", "REDIS_URL", "EMAIL_URL", "DEMO_PASSWORD")


def clean_env(**overrides) -> dict:
    """The caller's environment without any portal setting, plus `overrides`."""
    env = {
        key: value for key, value in os.environ.items() if not key.startswith(PORTAL_ENV_PREFIXES)
    }
    env.update(overrides)
    return env


def manage(*args, env: dict, timeout: int = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
