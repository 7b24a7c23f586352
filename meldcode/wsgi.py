import os

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "meldcode.settings")
application = get_wsgi_application()

from accounts import secrets  # noqa: E402 - needs the settings loaded above

if not secrets.key_is_set():
    # No server without the key that protects the second factors (README, Production).
    raise ImproperlyConfigured(secrets.MISSING)

from meldcode import runtime  # noqa: E402

runtime.settle()
