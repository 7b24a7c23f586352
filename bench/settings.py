"""The project's own settings, as in production (debug off), plus the bare view."""

import os

from meldcode.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
# The bare view's handler: Django's session and authentication middleware, nothing else.
BARE_MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]

if os.environ.get("BENCH_MAIL_IN_MEMORY"):
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
