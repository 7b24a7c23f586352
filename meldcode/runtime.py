"""How a server process holds the application: the garbage collector set for requests.

Python's cyclic garbage collector runs its youngest generation every 700 allocations,
and now and then a full pass over every object the process holds: Django, the app, the
URLconf, the translations. A page that builds a few thousand objects (Mijn acties of a
busy aandachtsfunctionaris) met such a full pass in about one request in ten, which
then took twice as long. So after start-up, what is loaded (it lives as long as the
process) is frozen out of the collector's passes, and the youngest generation is
collected every 20,000 allocations. Reference counting still frees almost everything
at once; the collector only finds cycles.
"""

from __future__ import annotations

import gc

GC_THRESHOLDS = (20_000, 20, 20)


def settle() -> None:
    """Called once a server process has loaded the application (meldcode/wsgi.py)."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imports every view now, before the freeze
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)
