"""Settings for Meldcode, read from the environment (see README and CONTRACT.md)."""

import datetime as dt
import os
import sys
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


DEBUG = env_bool("DJANGO_DEBUG", False)
TESTING = "pytest" in sys.modules

SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not (DEBUG or TESTING):
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Set it to a long random value in production, "
            "or set DJANGO_DEBUG=1 for local development."
        )
    SECRET_KEY = "django-insecure-development-key-only-for-local-use"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1")

INSTALLED_APPS = [
    "meldcode",
    "cases",
    "socialmap",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "guardian",
    "simple_history",
    "pgtrigger",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "axes",
    # The queue of background tasks (the dossier PDF): `manage.py db_worker` runs them.
    "meldcode.background.BackgroundTasksConfig",
    # After django-otp's plugins: its admin module takes their device pages away.
    "accounts",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # django-otp's OTPMiddleware, with the session's device kept in the session.
    "accounts.second_factor.SessionOTPMiddleware",
    "accounts.second_factor.SecondFactorMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "meldcode.outbox.OutboxNoticeMiddleware",
    "meldcode.security.SecurityHeadersMiddleware",
    "meldcode.security.SessionLimitsMiddleware",
    "accounts.drafts.DraftFiledMiddleware",
    "meldcode.request_cache.RequestCacheMiddleware",
    "meldcode.middleware.CurrentSchoolMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    # Last: it runs the view itself for a POST with a form token (meldcode.submission).
    "meldcode.submission.SubmissionOnceMiddleware",
]

ROOT_URLCONF = "meldcode.urls"
# Widgets through Jinja2 (meldcode.form_renderer): the same HTML, a fraction of the time.
FORM_RENDERER = "meldcode.form_renderer.FormRenderer"
WSGI_APPLICATION = "meldcode.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            # {% submission_token %} in every POST form: a form sent twice files once.
            "builtins": ["meldcode.submission", "meldcode.form_labels", "meldcode.jinja2"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "meldcode.context_processors.school",
            ],
        },
    },
    {
        # Only the lists of hundreds of rows (meldcode.jinja2), asked for by name.
        "NAME": "jinja2",
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates" / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {"environment": "meldcode.jinja2.environment"},
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several people at once on the zero-setup database: writers queue instead of failing
    # with "database is locked", and readers do not wait for writers.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "meldcode.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses any attempt while a username or a client address is locked out.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
    # Sign-in with the school's own account (accounts.oidc): answers only its own door.
    "accounts.oidc.SchoolAccountBackend",
]
# mozilla-django-oidc's global part; each board's provider is set up in the admin
# (accounts.oidc_models), its secret from the environment or encrypted at rest.
OIDC_AUTHENTICATION_CALLBACK_URL = "school_account_callback"
OIDC_RP_SCOPES = "openid email profile"
OIDC_USE_NONCE = True
OIDC_USE_PKCE = True
OIDC_CREATE_USER = False
OIDC_TIMEOUT = env_int("MELDCODE_OIDC_TIMEOUT_SECONDS", 10)
# Clocks of Meldcode and the provider may differ this much when an ID token is checked.
MELDCODE_OIDC_LEEWAY_SECONDS = env_int("MELDCODE_OIDC_LEEWAY_SECONDS", 60)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"

# Password guessing (accounts.lockout): five failures lock a (username, client address)
# pair for 15 minutes (django-axes, counted in the database under a row lock, so parallel
# guesses cannot slip past); a username failing from many addresses is slowed; an address
# failing for many usernames is locked for itself. Behind a reverse proxy, name it in
# MELDCODE_TRUSTED_PROXIES (addresses or networks), or every client has its address.
# Its records show in the admin under Dutch names, as proxies of accounts (accounts.admin).
AXES_ENABLE_ADMIN = False
AXES_FAILURE_LIMIT = env_int("MELDCODE_LOCKOUT_FAILURES", 5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("MELDCODE_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "accounts.lockout.client_ip"
AXES_USERNAME_CALLABLE = "accounts.lockout.attempt_username"
AXES_SENSITIVE_PARAMETERS = ["password", "old_password", "new_password1", "new_password2"]
MELDCODE_TRUSTED_PROXIES = env_list("MELDCODE_TRUSTED_PROXIES")
MELDCODE_ADDRESS_FAILURES = env_int("MELDCODE_LOCKOUT_ADDRESS_FAILURES", 20)
SESSION_ENGINE = "accounts.session_store"
# The key that encrypts the authenticator apps' secrets and hashes the recovery codes.
# Set it once and keep it outside the database and its backups: without it, every
# second factor must be set up again.
# With debug off and no key, the web server refuses to start (meldcode.wsgi) and every use
# of a secret stops with a clear message; `check` itself still runs.
MELDCODE_SECRETS_KEY = env_str("MELDCODE_SECRETS_KEY")
if not MELDCODE_SECRETS_KEY and (DEBUG or TESTING):
    MELDCODE_SECRETS_KEY = "development-secrets-key-" + SECRET_KEY
# Exports and the leeslog ask for the second factor again when it is older than this.
MELDCODE_STEP_UP_MINUTES = env_int("MELDCODE_STEP_UP_MINUTES", 15)
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# Passkeys (accounts.passkeys): a second factor only, bound to the site's own address
# (MELDCODE_SITE_URL): a passkey made for it answers no other site.
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
OTP_WEBAUTHN_RP_NAME = "Meldcode"
OTP_TOTP_ISSUER = "Meldcode"
# Password-reset mails go out after the response, so that a known address takes as long
# to answer as an unknown one (tests send at once, to read the outbox).
MELDCODE_MAIL_IN_BACKGROUND = not TESTING
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# guardian: no anonymous user row; a visitor without a session sees nothing.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch"))]
LOCALE_PATHS = [BASE_DIR / "meldcode" / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Production runs `collectstatic`; development and tests serve the files as they are.
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or TESTING
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING

# Development prints mail to the console; production sends through SMTP (a local relay
# on port 25 unless MELDCODE_SMTP_HOST says otherwise).
if DEBUG and not env_str("MELDCODE_SMTP_HOST"):
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
else:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": env_str("MELDCODE_SMTP_HOST", "localhost"),
                "port": env_int("MELDCODE_SMTP_PORT", 25),
                "username": env_str("MELDCODE_SMTP_USER") or None,
                "password": env_str("MELDCODE_SMTP_PASSWORD") or None,
                "use_tls": env_bool("MELDCODE_SMTP_TLS", False),
                "timeout": 10,
            },
        }
    }
DEFAULT_FROM_EMAIL = env_str("DJANGO_DEFAULT_FROM_EMAIL", "meldcode@localhost")
# The key of the access log's hash chain. Set it separately in production so that the
# secret key can be rotated; it must never change while the log is kept.
MELDCODE_AUDIT_KEY = env_str("MELDCODE_AUDIT_KEY")
# Absolute links in notification e-mails (which carry only a link, never content).
SITE_URL = env_str("MELDCODE_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Passkeys are bound to the site's host name (WebAuthn takes no IP address: the
# development default 127.0.0.1 becomes localhost, so passkeys work at localhost:8000).
_site = urlsplit(SITE_URL)
OTP_WEBAUTHN_RP_ID = "localhost" if _site.hostname in ("127.0.0.1", "::1", None) else _site.hostname
OTP_WEBAUTHN_ALLOWED_ORIGINS = [
    f"{_site.scheme}://{OTP_WEBAUTHN_RP_ID}" + (f":{_site.port}" if _site.port else "")
]

# Security. The data is about children at risk: strict by default, relaxed only for DEBUG.
SESSION_COOKIE_HTTPONLY = True
# Signed out after 30 minutes without a request, and after 10 hours in any case; both
# checked on the server by meldcode.security.SessionLimitsMiddleware.
MELDCODE_IDLE_SECONDS = env_int("MELDCODE_IDLE_MINUTES", 30) * 60
MELDCODE_SESSION_MAX_SECONDS = env_int("MELDCODE_SESSION_MAX_HOURS", 10) * 60 * 60
SESSION_COOKIE_AGE = MELDCODE_SESSION_MAX_SECONDS
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
HTTPS = env_bool("DJANGO_HTTPS", not DEBUG)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = 31_536_000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
if env_bool("DJANGO_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

# Uploaded documents (signed consent forms, signed talk reports): outside the web root,
# served only through a view that checks access and writes the access log.
MELDCODE_UPLOAD_ROOT = Path(env_str("MELDCODE_UPLOAD_ROOT", str(BASE_DIR / "uploads")))
MELDCODE_UPLOAD_MAX_BYTES = 10 * 1024 * 1024

# Background tasks (Django's tasks framework): queued in the database, run by
# `manage.py db_worker` (README, "Production"). Tests run them at once, in the request;
# tests/cases/pdf/test_export_worker.py runs the database queue with its worker.
TASKS = {
    "default": {
        "BACKEND": "django.tasks.backends.immediate.ImmediateBackend"
        if TESTING
        else "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}
# The worker renders each dossier PDF in a process of its own, which exits after it, so
# the worker's memory stays small (weasyprint, and deduce for the anonymised copy, take
# hundreds of MB). Tests render in their own process: a child would not see the test's
# transaction. A render that takes longer than the timeout has failed.
MELDCODE_PDF_EXPORT_APART = env_bool("MELDCODE_PDF_EXPORT_APART", not TESTING)
MELDCODE_PDF_EXPORT_TIMEOUT_SECONDS = env_int("MELDCODE_PDF_EXPORT_TIMEOUT_SECONDS", 900)

# Never log dossier content: only Django's own warnings and errors, to the console.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "WARNING")},
}

if TESTING:
    # Tests talk plain HTTP to the test client and the live server.
    SECURE_SSL_REDIRECT = False
    SESSION_COOKIE_SECURE = False
    CSRF_COOKIE_SECURE = False
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
