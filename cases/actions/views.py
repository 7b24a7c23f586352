"""Mijn acties: the page (grouped per case), and an agreement marked done in place."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cases.access import get_case_for, reads_case
from cases.actions.services import action_groups, actions_for
from cases.meetings.services import agreement_done, agreement_of


@require_GET
def action_list(request: HttpRequest) -> HttpResponse:
    everything = actions_for(request.user, with_done=True, schools=getattr(request, "schools", ()))
    items = [item for item in everything if not item.done]
    return render(
        request,
        "cases/actions/action_list.html",
        {
            "items": items,
            "groups": action_groups(everything),
            "overdue": sum(item.overdue for item in items),
        },
    )


@require_POST
@reads_case
def action_agreement_done(request: HttpRequest, pk: int, agreement_id: int) -> HttpResponse:
    """Marks an agreement done from Mijn acties and returns there, to the case's group,
    where the agreement shows as "afgerond" until tomorrow. The talk's own page has the
    same button (cases:agreement_done); both record through `agreement_done`."""
    case = get_case_for(request.user, pk)
    agreement = agreement_of(case, agreement_id)
    if agreement is None:
        raise Http404
    try:
        agreement = agreement_done(agreement=agreement, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _(
                "Recorded: the agreement of %(case)s is done, on %(date)s, in your name. "
                "It stays in the list as done until tomorrow."
            )
            % {
                "case": case,
                "date": date_format(timezone.localtime(agreement.done_at), "j F Y"),
            },
        )
    return redirect(reverse("cases:actions") + f"#case-{case.pk}")
