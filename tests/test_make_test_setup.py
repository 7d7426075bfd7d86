"""`make test` installs the Debian packages it needs when it can, and otherwise says what to run."""

import os
import subprocess

from .helpers import ROOT

REQUIRE = "scripts/require-debian-package"
# Run as an ordinary user: as root the script would install the package.
NOT_ROOT = ["runuser", "-u", "nobody", "--"] if os.geteuid() == 0 else []


def run(*command: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, timeout=60, check=False
    )


def test_make_test_sees_to_chromium_and_java_before_the_suite_runs():
    planned = run("make", "--dry-run", "test").stdout.splitlines()
    chromium = planned.index(f"{REQUIRE} chromium chromium")
    java = planned.index(f"{REQUIRE} java default-jre-headless")
    assert max(chromium, java) < planned.index(".venv/bin/pytest")


def test_make_test_sees_to_pango_for_the_submission_pack_before_the_suite_runs():
    planned = run("make", "--dry-run", "test").stdout.splitlines()
    assert planned.index(f"{REQUIRE} pango-view pango1.0-tools") < planned.index(".venv/bin/pytest")


def test_a_package_already_there_is_left_alone():
    result = run(REQUIRE, "sh", "dash")
    assert result.returncode == 0
    assert result.stdout == result.stderr == ""


def test_without_root_a_missing_package_fails_saying_exactly_what_to_run():
    result = run(*NOT_ROOT, REQUIRE, "no-such-command", "no-such-package")
    assert result.returncode == 1
    assert "run `sudo apt-get install no-such-package`" in result.stderr
