"""Answers that hold for the length of one request, asked many times while rendering it.

A case page asks "may this person see this case?" and "which roles do they hold here?"
from the view, the forms and the dossier alike. Inside a request the first answer is
kept; outside a request (management commands, tests calling services) nothing is kept.
Services that change such an answer call `forget()`.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_cache: ContextVar[dict | None] = ContextVar("meldcode_request_cache", default=None)


def remember[T](key: Hashable, compute: Callable[[], T]) -> T:
    cache = _cache.get()
    if cache is None:
        return compute()
    if key not in cache:
        cache[key] = compute()
    return cache[key]


@contextmanager
def kept() -> Iterator[None]:
    """Answers kept for the length of this block, where no request keeps them already (a
    nightly job, a shell): one computation asks the person's roles once, as a page does."""
    if _cache.get() is not None:
        yield
        return
    token = _cache.set({})
    try:
        yield
    finally:
        _cache.reset(token)


def forget() -> None:
    cache = _cache.get()
    if cache is not None:
        cache.clear()


class RequestCacheMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        token = _cache.set({})
        try:
            return self.get_response(request)
        finally:
            _cache.reset(token)
