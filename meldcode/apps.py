from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

# Django 6.1's new empty-choice label is not in Django's Dutch catalogue yet; listed here
# so that our catalogue (which comes first) translates it.
DJANGO_GAPS = [gettext_noop("- Select an option -")]


class MeldcodeConfig(AppConfig):
    name = "meldcode"
    verbose_name = _("organisation")

    def ready(self) -> None:
        # Every change of a membership is mailed to the school's directie.
        from meldcode import memberships, session_cache, text_guard  # noqa: F401

        text_guard.connect()
        # What a session keeps of its user's schools and device is asked again after a change.
        session_cache.connect()
