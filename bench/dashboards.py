"""Page speed benchmark: real HTTP, real data sizes, production-like settings.

Seeds 10,000 illustrative proposals (about 60,000 stages and 90,000 audit events) into a
scratch PostgreSQL database, serves the portal with gunicorn (gunicorn.conf.py: 2 workers,
4 threads each; debug off; Redis for the cache and sessions, under a key prefix of its own),
signs in as a Home Office reviewer with password and one-time code (as production asks), and
drives a trivial page and each dashboard with wrk (16 connections). A bare Django page
(bench/bare: a template with a CSRF token and a 20-item loop, no database, the usual security
middleware) is served through the same gunicorn first, as the yardstick. Then each page runs in
one process (bench/in_process.py: queries per request, warm and cold time, and the top of a
profile of the trivial page), and the reminder bench (bench/reminders.py) times the enqueue.
Prints a table and ends with one line of figures:

    bare_rps=<n> trivial_rps=<n> trivial_vs_bare=<r> dashboard_vs_trivial=<r>
    worst_dashboard_p95_ms=<n> reminder_enqueue_s=<s>

(on one line). BENCH_PROPOSALS, BENCH_SECONDS and BENCH_SKIP_REMINDERS=1 make a quicker run.
Run with `make bench`. Not a test: it measures, it does not pass or fail.
"""

import http.cookiejar
import json
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
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SERVER = os.environ.get("BENCH_DATABASE_SERVER", "postgres://postgres@127.0.0.1:5432")
REDIS = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
CACHE_PREFIX = f"bench-{uuid.uuid4().hex[:8]}"
DATABASE = os.environ.get("BENCH_DATABASE", "fire_governance_bench")
PROPOSALS = int(os.environ.get("BENCH_PROPOSALS", "10000"))
SECONDS = os.environ.get("BENCH_SECONDS", "8")
CONNECTIONS = "16"
PASSWORD = "bench-password-not-secret"
#: The dashboards; "/duties/{duty}/" is the provision most business cases address.
DASHBOARDS = ["/overview/", "/review/", "/funding/", "/duties/", "/duties/{duty}/", "/pccs/essex/"]
BUSIEST_DUTY = """
from django.db.models import Count
from proposals.models import CollaborationDuty
print(CollaborationDuty.objects.annotate(n=Count("evidence")).order_by("-n", "pk")[0].pk)
"""
TRIVIAL = "/accessibility/"
BARE = "/"
#: The reviewer's authenticator key (bench only): the bench types its codes as a person would.
OTP_KEY = "3132333435363738393031323334353637383930"
ENROL = f"""
from django_otp.plugins.otp_totp.models import TOTPDevice
from portal.models import User
TOTPDevice.objects.create(
    user=User.objects.get(username="reviewer"), name="Bench app", key="{OTP_KEY}", confirmed=True
)
"""
LATENCY_SCRIPT = """
done = function(summary, latency, requests)
  io.write(string.format("p90_ms=%.2f\\n", latency:percentile(90) / 1000))
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
        "REDIS_URL": REDIS,
        "CACHE_KEY_PREFIX": CACHE_PREFIX,
        "CELERY_QUEUE": CACHE_PREFIX,
    }


def psql(sql: str) -> None:
    subprocess.run(["psql", f"{SERVER}/postgres", "-qc", sql], check=True)


def manage(env: dict, *args: str) -> str:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    ).stdout


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


def form_token(page: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def sign_in(base: str) -> str:
    """Sign in as the demo reviewer through the real forms, password then one-time code;
    return the Cookie header."""
    from django_otp.oath import totp

    jar = http.cookiejar.CookieJar(policy=LoopbackCookiePolicy())
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

    def post(path: str, fields: dict) -> str:
        url = f"{base}{path}"
        token = form_token(opener.open(url).read().decode())
        data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, **fields}).encode()
        request = urllib.request.Request(url, data=data, headers={"Referer": url})
        return opener.open(request).geturl()

    post("/accounts/login/", {"username": "reviewer", "password": PASSWORD})
    landed = post("/accounts/two-factor/", {"token": f"{totp(bytes.fromhex(OTP_KEY)):06d}"})
    if not landed.endswith("/overview/"):
        raise RuntimeError(f"could not sign in as the demo reviewer (at {landed})")
    return "; ".join(f"{cookie.name}={cookie.value}" for cookie in jar)


def serve(application: str, env: dict) -> tuple[subprocess.Popen, str]:
    """`application` through gunicorn with the portal's gunicorn.conf.py; returns the server
    and its address once it answers."""
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            application,
            "--config",
            "gunicorn.conf.py",
            "--bind",
            f"127.0.0.1:{port}",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return server, f"http://127.0.0.1:{port}"


def stop(server: subprocess.Popen) -> None:
    server.terminate()
    server.wait(timeout=10)


def load(base: str, path: str, cookie: str, script: str) -> dict:
    # Let the previous page's queued requests drain, and warm this page once.
    time.sleep(2)
    warm = urllib.request.urlopen(
        urllib.request.Request(f"{base}{path}", headers={"Cookie": cookie})
    )
    if warm.geturl() != f"{base}{path}":
        raise RuntimeError(f"{path} sent the bench to {warm.geturl()}")
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
        "p90_ms": float(re.search(r"p90_ms=([\d.]+)", out).group(1)),
        "p95_ms": float(re.search(r"p95_ms=([\d.]+)", out).group(1)),
        "errors": int(re.search(r"errors=(\d+)", out).group(1)),
    }


def in_process(env: dict, cookie: str) -> tuple[dict, str]:
    """bench/in_process.py's figures per page, and its profile of the trivial page."""
    out = subprocess.run(
        [sys.executable, "bench/in_process.py", cookie, TRIVIAL, *DASHBOARDS],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    figures, profile = {}, []
    for line in out.splitlines():
        if line.startswith("{"):
            row = json.loads(line)
            figures[row["path"]] = row
        else:
            profile.append(line)
    return figures, "\n".join(profile)


def reminder_enqueue_figure() -> str:
    """The reminder bench's enqueue time of a first catch-up at its largest size."""
    if os.environ.get("BENCH_SKIP_REMINDERS"):
        return "skipped"
    out = subprocess.run(
        [sys.executable, "bench/reminders.py"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    print(out)
    return re.search(r"reminder_enqueue_s=([\d.]+)", out).group(1)


def forget_cache() -> None:
    """Remove the bench's own keys from Redis (which may be shared)."""
    import redis

    server = redis.Redis.from_url(REDIS)
    for key in server.scan_iter(match=f"*{CACHE_PREFIX}*"):
        server.delete(key)


def main() -> None:
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install wrk")
    var_dir = tempfile.mkdtemp(prefix="bench-")
    env = environment(var_dir)
    psql(f"DROP DATABASE IF EXISTS {DATABASE}")
    psql(f"CREATE DATABASE {DATABASE}")
    servers = []
    try:
        manage(env, "migrate", "--no-input", "-v0")
        started = time.monotonic()
        manage(env, "seed_demo", "--proposals", str(PROPOSALS), "-v0")
        print(f"seed_demo --proposals {PROPOSALS}: {time.monotonic() - started:.1f} s")
        manage(env, "collectstatic", "--no-input", "-v0")
        manage(env, "shell", "-c", ENROL)
        duty = manage(env, "shell", "-v0", "-c", BUSIEST_DUTY).split()[-1]
        DASHBOARDS[:] = [path.format(duty=duty) for path in DASHBOARDS]
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
            lua.write(LATENCY_SCRIPT)
        bare_env = {**env, "DJANGO_SETTINGS_MODULE": "bench.bare.settings"}
        server, base = serve("bench.bare.wsgi", bare_env)
        servers.append(server)
        wait_for(f"{base}{BARE}")
        results = {BARE: load(base, BARE, "", lua.name)}
        stop(servers.pop())
        server, base = serve("portal.wsgi", env)
        servers.append(server)
        wait_for(f"{base}/accounts/login/")
        cookie = sign_in(base)
        results |= {path: load(base, path, cookie, lua.name) for path in [TRIVIAL, *DASHBOARDS]}
        stop(servers.pop())
        figures, profile = in_process(env, cookie)
    finally:
        for server in servers:
            stop(server)
        psql(f"DROP DATABASE IF EXISTS {DATABASE}")
        shutil.rmtree(var_dir, ignore_errors=True)
        forget_cache()

    report(results, figures, profile)


def report(results: dict, figures: dict, profile: str) -> None:
    enqueue_seconds = reminder_enqueue_figure()
    print(profile)
    print(
        f"\n{'page':<24}{'req/s':>9}{'p90 ms':>9}{'p95 ms':>9}{'errors':>8}"
        f"{'queries':>9}{'warm ms':>9}{'cold ms':>9}"
    )
    for path, load_figures in results.items():
        label = {BARE: "bare Django page", TRIVIAL: f"{TRIVIAL} (trivial)"}.get(path, path)
        page = figures.get(path, {})
        queries = page.get("queries", "-")
        warm = f"{page['warm_ms']:.1f}" if page else "-"
        cold = f"{page['cold_ms']:.1f}" if page.get("cold_ms") else "-"
        print(
            f"{label:<24}{load_figures['rps']:>9.1f}{load_figures['p90_ms']:>9.1f}"
            f"{load_figures['p95_ms']:>9.1f}{load_figures['errors']:>8}"
            f"{queries:>9}{warm:>9}{cold:>9}"
        )
    bare, trivial = results[BARE], results[TRIVIAL]
    dashboards = [results[path] for path in DASHBOARDS]
    worst_p95 = max(figures["p95_ms"] for figures in dashboards)
    print(
        f"worst dashboard p95 = {worst_p95 / bare['p90_ms']:.1f} x the bare page's p90 "
        f"({bare['p90_ms']:.1f} ms)"
    )
    print(
        f"bare_rps={bare['rps']:.0f} trivial_rps={trivial['rps']:.0f} "
        f"trivial_vs_bare={trivial['rps'] / bare['rps']:.2f} "
        f"dashboard_vs_trivial={min(f['rps'] for f in dashboards) / trivial['rps']:.2f} "
        f"worst_dashboard_p95_ms={worst_p95:.0f} reminder_enqueue_s={enqueue_seconds}"
    )


if __name__ == "__main__":
    main()
