"""Dashboard load benchmark: real HTTP, real data sizes, production-like settings.

Seeds 10,000 illustrative proposals (about 60,000 stages and 90,000 audit events) into a
scratch PostgreSQL database, serves the portal with gunicorn (2 workers, threads from
gunicorn.conf.py, debug off), signs in as a Home Office reviewer and drives each dashboard, and
a trivial page through the same stack, with wrk (16 connections). Prints a table and ends with
one line of figures:

    worst_dashboard_p95_ms=<n> dashboard_throughput_ratio=<r> [reminder_scan_s=<s>]

Run with `make bench`. Not a test: it measures, it does not pass or fail.
"""

import http.cookiejar
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SERVER = os.environ.get("BENCH_DATABASE_SERVER", "postgres://postgres@127.0.0.1:5432")
DATABASE = "fire_governance_bench"
PROPOSALS = int(os.environ.get("BENCH_PROPOSALS", "10000"))
SECONDS = os.environ.get("BENCH_SECONDS", "8")
CONNECTIONS = "16"
PASSWORD = "bench-password-not-secret"
DASHBOARDS = ["/overview/", "/review/", "/funding/", "/duties/", "/pccs/essex/"]
TRIVIAL = "/accessibility/"
P95_SCRIPT = """
done = function(summary, latency, requests)
  io.write(string.format("p95_ms=%.2f\\n", latency:percentile(95) / 1000))
  io.write(string.format("errors=%d\\n", summary.errors.status + summary.errors.connect
    + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
"""


def environment(var_dir: str) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": f"{SERVER}/{DATABASE}",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DEMO_PASSWORD": PASSWORD,
        "PORTAL_VAR_DIR": var_dir,
        "DJANGO_LOG_LEVEL": "WARNING",
    }


def psql(sql: str) -> None:
    subprocess.run(["psql", f"{SERVER}/postgres", "-qc", sql], check=True)


def manage(env: dict, *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer")


class LoopbackCookiePolicy(http.cookiejar.DefaultCookiePolicy):
    """Production settings mark cookies Secure; the bench talks plain HTTP on loopback."""

    def return_ok_secure(self, cookie, request):
        return True


def sign_in(base: str) -> str:
    """Sign in as the demo reviewer through the real form; return the Cookie header."""
    jar = http.cookiejar.CookieJar(policy=LoopbackCookiePolicy())
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/accounts/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "username": "reviewer", "password": PASSWORD}
    ).encode()
    opener.open(
        urllib.request.Request(
            f"{base}/accounts/login/", data=data, headers={"Referer": f"{base}/accounts/login/"}
        )
    )
    cookies = {cookie.name: cookie.value for cookie in jar}
    if "sessionid" not in cookies:
        raise RuntimeError("could not sign in as the demo reviewer")
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


def load(base: str, path: str, cookie: str, script: str) -> dict:
    # Let the previous page's queued requests drain, and warm this page once.
    time.sleep(2)
    urllib.request.urlopen(urllib.request.Request(f"{base}{path}", headers={"Cookie": cookie}))
    result = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{CONNECTIONS}",
            f"-d{SECONDS}s",
            "--timeout",
            "10s",
            "-s",
            script,
            "-H",
            f"Cookie: {cookie}",
            f"{base}{path}",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    out = result.stdout
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p95_ms": float(re.search(r"p95_ms=([\d.]+)", out).group(1)),
        "errors": int(re.search(r"errors=(\d+)", out).group(1)),
    }


def reminder_scan_figure() -> str:
    """The reminder bench's scan time, when that bench exists (bench/reminders.py)."""
    script = ROOT / "bench" / "reminders.py"
    if not script.exists() or os.environ.get("BENCH_SKIP_REMINDERS"):
        return ""
    out = subprocess.run(
        [sys.executable, str(script)], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    print(out)
    found = re.search(r"reminder_scan_s=([\d.]+)", out)
    return f" reminder_scan_s={found.group(1)}" if found else ""


def main() -> None:
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install wrk")
    var_dir = tempfile.mkdtemp(prefix="bench-")
    env = environment(var_dir)
    psql(f"DROP DATABASE IF EXISTS {DATABASE}")
    psql(f"CREATE DATABASE {DATABASE}")
    server = None
    try:
        manage(env, "migrate", "--no-input", "-v0")
        started = time.monotonic()
        manage(env, "seed_demo", "--proposals", str(PROPOSALS), "-v0")
        print(f"seed_demo --proposals {PROPOSALS}: {time.monotonic() - started:.1f} s")
        manage(env, "collectstatic", "--no-input", "-v0")
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "portal.wsgi",
                "--workers",
                "2",
                "--bind",
                f"127.0.0.1:{port}",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(f"{base}/accounts/login/")
        cookie = sign_in(base)
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
            lua.write(P95_SCRIPT)
        results = {path: load(base, path, cookie, lua.name) for path in [TRIVIAL, *DASHBOARDS]}
    finally:
        if server:
            server.terminate()
            server.wait(timeout=10)
        psql(f"DROP DATABASE IF EXISTS {DATABASE}")
        shutil.rmtree(var_dir, ignore_errors=True)

    print(f"\n{'page':<20}{'req/s':>10}{'p95 ms':>10}{'errors':>8}")
    for path, figures in results.items():
        label = f"{path} (trivial)" if path == TRIVIAL else path
        print(f"{label:<20}{figures['rps']:>10.1f}{figures['p95_ms']:>10.1f}{figures['errors']:>8}")
    dashboards = [results[path] for path in DASHBOARDS]
    worst_p95 = max(figures["p95_ms"] for figures in dashboards)
    ratio = min(figures["rps"] for figures in dashboards) / results[TRIVIAL]["rps"]
    print(
        f"worst_dashboard_p95_ms={worst_p95:.0f} dashboard_throughput_ratio={ratio:.2f}"
        f"{reminder_scan_figure()}"
    )


if __name__ == "__main__":
    main()
