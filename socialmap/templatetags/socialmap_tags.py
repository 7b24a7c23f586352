from django import template
from django.utils import timezone

from socialmap.access import REVIEWERS
from socialmap.models import REVIEW_AFTER, Organisation

register = template.Library()


@register.inclusion_tag("socialmap/_home_panel.html", takes_context=True)
def socialmap_home(context: template.Context) -> dict:
    """The start-page panel: the review warning only for those who keep the sociale kaart."""
    user, school = context["user"], context.get("current_school")
    if school is None:
        return {"school": None}
    entries = Organisation.objects.of_school(school).active()
    if not user.has_role(school, *REVIEWERS):
        return {"school": school, "count": entries.count(), "due": []}
    # One query: a school's sociale kaart is tens of entries; those due are picked here,
    # by the same rule as `due_for_review`.
    rows = list(entries.ordered().only("pk", "name", "category", "last_checked"))
    checked_before = timezone.localdate() - REVIEW_AFTER
    return {
        "school": school,
        "count": len(rows),
        "due": [row for row in rows if row.last_checked < checked_before],
    }
