"""Production start-up: strict by default, clear when something is missing."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_missing_secret_key_stops_start_up_with_a_clear_message():
    result = manage("check", DJANGO_DEBUG="0")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_production_settings_pass_the_deploy_check():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="a-long-random-production-key-" + "x7Qz9" * 10,
        DJANGO_ALLOWED_HOSTS="meldcode.example.nl",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_debug_is_off_unless_asked_for(settings):
    from meldcode.settings import env_bool

    assert env_bool("DJANGO_DEBUG_NEVER_SET_IN_TESTS") is False
    assert settings.LANGUAGE_CODE == "nl"
    assert settings.TIME_ZONE == "Europe/Amsterdam"


def _wsgi_start(**env: str) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_", "MELDCODE_SECRETS"))
    }
    return subprocess.run(
        [sys.executable, "-c", "import meldcode.wsgi"],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_web_server_does_not_start_without_the_secrets_key():
    production = {
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "a-long-random-production-key-" + "x7Qz9" * 10,
    }
    refused = _wsgi_start(**production)
    assert refused.returncode != 0
    assert "MELDCODE_SECRETS_KEY is not set" in refused.stderr
    started = _wsgi_start(**production, MELDCODE_SECRETS_KEY="another-long-random-value-" * 2)
    assert started.returncode == 0, started.stderr
