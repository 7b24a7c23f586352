"""Mijn acties: the page, and the start page's heart."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from cases.actions.services import actions_for


@require_GET
def action_list(request: HttpRequest) -> HttpResponse:
    items = actions_for(request.user)
    return render(
        request,
        "cases/actions/action_list.html",
        {"items": items, "overdue": sum(item.overdue for item in items)},
    )
