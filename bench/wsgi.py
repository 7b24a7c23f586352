"""One gunicorn, two handlers: /bench/bare/ passes Django's session and authentication
middleware only (settings.BARE_MIDDLEWARE); every other path is the application with all
its middleware. So the bare view and the pages are measured in the same processes."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.core.wsgi import get_wsgi_application

full = get_wsgi_application()


class BareHandler(WSGIHandler):
    def load_middleware(self, is_async=False):
        kept = settings.MIDDLEWARE
        settings.MIDDLEWARE = settings.BARE_MIDDLEWARE
        try:
            super().load_middleware(is_async)
        finally:
            settings.MIDDLEWARE = kept


bare = BareHandler()


def application(environ, start_response):
    if environ.get("PATH_INFO", "").startswith("/bench/bare/"):
        return bare(environ, start_response)
    return full(environ, start_response)


from meldcode import runtime  # noqa: E402

runtime.settle()  # as meldcode/wsgi.py does in every server process
