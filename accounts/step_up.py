"""Step-up: the most sensitive reads (a full dossier PDF for the inspectie or the parents,
an uploaded document, the leeslog) ask for the second factor again when the last one was
passed more than MELDCODE_STEP_UP_MINUTES ago."""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from accounts.second_factor import FACTOR_AT, needs_second_factor


def factor_is_fresh(request: HttpRequest) -> bool:
    passed = request.session.get(FACTOR_AT)
    return bool(passed) and time.time() - passed <= settings.MELDCODE_STEP_UP_MINUTES * 60


def step_up(request: HttpRequest) -> HttpResponse | None:
    """The redirect to the second factor when it is not fresh (and back here after it);
    None when it is. For a view that knows only from its object whether to ask."""
    if needs_second_factor(request.user) and not factor_is_fresh(request):
        query = urlencode({"next": request.get_full_path()})
        return redirect(f"{reverse('otp_verify')}?{query}")
    return None


def step_up_required(when: Callable[[dict], bool] | None = None):
    """`@step_up_required()` on a view; `when(kwargs)` limits it to some of its URLs."""

    def decorate(view):
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs):
            if when is None or when(kwargs):
                asked = step_up(request)
                if asked is not None:
                    return asked
            return view(request, *args, **kwargs)

        return wrapper

    return decorate
