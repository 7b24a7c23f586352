"""The school's clock for tests.

Read it when the test runs, never once at import: a suite that starts before midnight in
Amsterdam and runs past it would otherwise compare yesterday's date with the app's today
(the app reads `timezone.localdate()`, Europe/Amsterdam, not the machine's UTC date)."""

import datetime as dt

from django.utils import timezone


def today() -> dt.date:
    """The date in the school's time zone, now."""
    return timezone.localdate()


def now() -> dt.datetime:
    """This moment, aware."""
    return timezone.now()
